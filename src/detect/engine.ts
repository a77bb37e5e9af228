import { compileRules, type RuleSet } from './compile.js';
import type { RuleSpec } from './rule.js';
import { scanBuffer, type RawMatch } from './scan-buffer.js';
import { ChunkTable } from './chunk-table.js';
import { scanChunked, type ChunkedResult } from './chunked-scan.js';
import { addStructure, scanFile, type FileScan } from '../iac/structure.js';
import { STRUCTURE_TRIGGERS } from '../iac/triggers.js';
import { analyzersPending, loadAnalyzers } from '../iac/load.js';

/** What a scanner needs to rebuild the same rule set anywhere (also inside a worker thread). */
export interface EngineSpec {
  rules: RuleSpec[];
  stopwords: string[];
}

export interface ScanItem {
  path: string;
  data: Buffer;
  /** Matches already found in these bytes: only the file's structure is added (no second rule scan). */
  matches?: RawMatch[];
}

/**
 * File versions packed into one shared buffer: a worker reads them in place, and the buffer is
 * reused once the batch is done.
 */
export interface SlabBatch {
  buffer: SharedArrayBuffer;
  items: { path: string; offset: number; length: number; matches?: RawMatch[] }[];
}

/** Scans batches of file versions; results come back in the order of the items. */
export interface BatchScanner {
  scan(batch: SlabBatch): Promise<FileScan[]>;
  /** History: each item is cut into chunks, and only chunks this table has not seen are scanned. */
  scanChunked(batch: SlabBatch, table: SharedArrayBuffer): Promise<ChunkedResult[]>;
  /** Gets ready now (threads start) instead of at the first batch. */
  start?(): unknown;
  close(): Promise<void>;
}

/** The scanning rule set: regexes compile on first use (validation compiles them eagerly elsewhere). */
export function buildRuleSet(spec: EngineSpec): RuleSet {
  return compileRules(spec.rules, spec.stopwords, { lazy: true, triggers: STRUCTURE_TRIGGERS });
}

export function scanSlabChunked(batch: SlabBatch, ruleSet: RuleSet, table: ChunkTable): ChunkedResult[] {
  const bytes = Buffer.from(batch.buffer);
  return packLayouts(batch.items.map((item) => scanChunked(bytes.subarray(item.offset, item.offset + item.length), ruleSet, table)));
}

/**
 * Moves the layouts of a batch's results into one buffer, as views: the caller keeps every layout
 * until the history is scanned, and two arrays with a buffer of their own per file version (as
 * they arrive from a worker) cost several times the few bytes they hold, tens of MB over a large
 * history.
 */
function packLayouts(results: ChunkedResult[]): ChunkedResult[] {
  let total = 0;
  for (const r of results) total += r.chunks.length + r.offsets.length;
  const packed = new Int32Array(total);
  let at = 0;
  for (const r of results) {
    packed.set(r.chunks, at);
    r.chunks = packed.subarray(at, (at += r.chunks.length));
    packed.set(r.offsets, at);
    r.offsets = packed.subarray(at, (at += r.offsets.length));
  }
  return results;
}

/** Items with a path get their file format's analysis too (src/iac); path-less blobs only the rules. */
/**
 * Scans a batch of file versions, each as a file at its path (or as bare text without one). When
 * an analyzer is getting ready again (a parser replaced after it crashed), waits before the next
 * file, so that no file meets it half ready.
 */
export async function scanSlab(batch: SlabBatch, ruleSet: RuleSet): Promise<FileScan[]> {
  const bytes = Buffer.from(batch.buffer);
  const results: FileScan[] = [];
  for (const item of batch.items) {
    const data = bytes.subarray(item.offset, item.offset + item.length);
    if (!item.path) {
      results.push({ matches: scanBuffer(data, ruleSet, ''), notes: [] });
      continue;
    }
    const pending = analyzersPending();
    if (pending) await pending;
    if (!item.matches) {
      results.push(scanFile(data, item.path, ruleSet));
      continue;
    }
    // Secrets cross the thread boundary as plain Uint8Arrays.
    const known = item.matches.map((m) => ({ ...m, secret: Buffer.from(m.secret), ...(m.raw ? { raw: Buffer.from(m.raw) } : {}) }));
    results.push(addStructure(data, item.path, ruleSet, known, true));
  }
  return results;
}

/** Scans on the calling thread (`--threads 1`). */
export class InlineScanner implements BatchScanner {
  constructor(private readonly ruleSet: RuleSet) {}

  async scan(batch: SlabBatch): Promise<FileScan[]> {
    if (batch.items.some((item) => item.path)) await loadAnalyzers();
    const results = await scanSlab(batch, this.ruleSet);
    // Matches must not point into the slab, which is reused.
    for (const r of results) for (const m of r.matches) m.secret = Buffer.from(m.secret);
    return results;
  }

  async scanChunked(batch: SlabBatch, table: SharedArrayBuffer): Promise<ChunkedResult[]> {
    const results = scanSlabChunked(batch, this.ruleSet, new ChunkTable(table));
    for (const r of results) for (const f of r.found) for (const m of f.matches) m.match.secret = Buffer.from(m.match.secret);
    return results;
  }

  async close(): Promise<void> {}
}
