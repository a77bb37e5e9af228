import { hash } from 'node:crypto';
import type { RuleSet } from './compile.js';
import { ChunkTable } from './chunk-table.js';
import { scanBufferDetailed, type RawMatch } from './scan-buffer.js';
import { LineIndex } from './positions.js';

/**
 * Content-defined chunks of file versions, so that a history scan reads every version but scans
 * each piece of text once. Consecutive versions of a file share most of their bytes; cutting at
 * blank lines (content, not offsets) keeps the unchanged pieces identical from one version to the
 * next, and an edit only makes the piece around it new.
 *
 * A chunk is at least MIN_CHUNK bytes and ends after a blank line, or at a line end past
 * MAX_CHUNK when there is none. PEM blocks and other multi-line secrets hold no blank line, so no
 * cut falls inside them unless a file has no blank line for MAX_CHUNK bytes. A chunk is scanned
 * with the two lines before it (inline allow markers, a YAML parent key).
 */
const MIN_CHUNK = 4096;
const MAX_CHUNK = 64 * 1024;
const CONTEXT_LINES_BEFORE = 2;

export interface ChunkBounds {
  start: number;
  end: number;
}

export function chunkBounds(data: Uint8Array): ChunkBounds[] {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const out: ChunkBounds[] = [];
  let start = 0;
  let nextBlank = -2; // -2: not searched yet, -1: none left
  while (start < buf.length) {
    let end: number;
    if (buf.length - start <= MIN_CHUNK) {
      end = buf.length;
    } else {
      if (nextBlank !== -1 && nextBlank < start + MIN_CHUNK) nextBlank = buf.indexOf('\n\n', start + MIN_CHUNK);
      if (nextBlank !== -1 && nextBlank + 2 - start <= MAX_CHUNK) {
        end = nextBlank + 2;
      } else {
        const lineEnd = buf.indexOf(10, start + MAX_CHUNK);
        end = lineEnd === -1 ? buf.length : lineEnd + 1;
      }
    }
    out.push({ start, end });
    start = end;
  }
  return out;
}

/** The window a chunk is scanned in: the chunk plus the lines just before it. */
export function scanWindow(data: Buffer, chunk: ChunkBounds): ChunkBounds {
  let start = chunk.start;
  for (let i = 0; i < CONTEXT_LINES_BEFORE && start > 0; i++) {
    const nl = data.lastIndexOf(10, start - 2);
    start = nl === -1 ? 0 : nl + 1;
  }
  return { start, end: chunk.end };
}

/** A chunk's fingerprint: 128 bits of its SHA-1, as two halves. */
export function chunkKey(bytes: Uint8Array): [bigint, bigint] {
  const digest = hash('sha1', bytes, 'buffer');
  return [digest.readBigInt64LE(0), digest.readBigInt64LE(8)];
}

/** A match kept per chunk: byte offsets relative to the chunk start, so it applies wherever the chunk recurs. */
export interface ChunkMatch {
  match: RawMatch;
  start: number;
  end: number;
}

/** What scanning one file version in chunks gives: its layout, and the matches of the chunks this thread scanned. */
export interface ChunkedResult {
  /** Chunk slots in order (-1: a chunk scanned here without a slot), and their byte offsets. */
  chunks: Int32Array;
  offsets: Int32Array;
  found: { slot: number; offset: number; matches: ChunkMatch[] }[];
  /** Slots of the chunks scanned here in which a structure trigger occurs (-1: this blob's own chunk). */
  triggered: number[];
}

export function scanChunked(data: Buffer, ruleSet: RuleSet, table: ChunkTable): ChunkedResult {
  const bounds = chunkBounds(data);
  const chunks = new Int32Array(bounds.length);
  const offsets = new Int32Array(bounds.length);
  const fresh: boolean[] = [];
  for (let i = 0; i < bounds.length; i++) {
    const [high, low] = chunkKey(data.subarray(bounds[i].start, bounds[i].end));
    const claim = table.claim(high, low);
    chunks[i] = claim.slot;
    offsets[i] = bounds[i].start;
    fresh.push(claim.fresh);
  }
  // Neighbouring new chunks are scanned as one window: each scan call has a fixed cost.
  const found: ChunkedResult['found'] = [];
  const triggered: number[] = [];
  for (let i = 0; i < bounds.length; i++) {
    if (!fresh[i]) continue;
    let last = i;
    while (last + 1 < bounds.length && fresh[last + 1]) last++;
    const window = scanWindow(data, { start: bounds[i].start, end: bounds[last].end });
    const base = window.start;
    const scanned = scanBufferDetailed(data.subarray(window.start, window.end), ruleSet, '');
    const matches = scanned.matches;
    // A trigger in the merged window marks each of its chunks (only ever makes more files parsed).
    if (scanned.triggered) for (let c = i; c <= last; c++) triggered.push(chunks[c]);
    for (let c = i; c <= last; c++) {
      const { start, end } = bounds[c];
      // Each match belongs to the chunk it starts in; the context lines belong to the chunk before.
      const own = matches
        .filter((m) => m.start + base >= start && m.start + base < end)
        .map((m) => ({ match: m, start: m.start + base - start, end: m.end + base - start }));
      if (own.length > 0) found.push({ slot: chunks[c], offset: start, matches: own });
    }
    i = last;
  }
  return { chunks, offsets, found, triggered };
}

/** Which chunks a file version is made of, in order, with their byte offsets. */
export interface BlobLayout {
  chunks: Int32Array;
  offsets: Int32Array;
}

/**
 * Turns chunk matches back into matches with positions in one file version: those of every chunk
 * it holds (by slot), plus `own` matches at absolute offsets (chunks scanned without a slot).
 */
export function placeMatches(data: Buffer, layout: BlobLayout, bySlot: Map<number, ChunkMatch[]>, own: ChunkMatch[] = []): RawMatch[] {
  const lines = new LineIndex(data);
  const out: RawMatch[] = [];
  const place = ({ match, start, end }: ChunkMatch, base: number) => {
    const from = lines.position(base + start);
    const to = lines.position(base + end);
    const key = match.key ?? boundName(lines.lineText(from.line - 1), from.column);
    out.push({ ...match, start: base + start, end: base + end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, ...(key ? { key } : {}) });
  };
  for (let i = 0; i < layout.chunks.length; i++) {
    const found = layout.chunks[i] >= 0 ? bySlot.get(layout.chunks[i]) : undefined;
    if (found) for (const m of found) place(m, layout.offsets[i]);
  }
  for (const m of own) place(m, 0);
  return out;
}

/**
 * The name a value on this line is bound to, read from the text before it: `API_KEY = "`,
 * `"token": "`, `password: `, `secret := "`. Cheap context for code found in history, where the
 * file is not parsed again.
 */
export function boundName(line: string, column: number): string | undefined {
  let before = line.slice(Math.max(0, column - 1 - 200), column - 1);
  // A match inside a string literal (`url = "postgres://admin:PASS@...`) is bound by what stands
  // before the string's opening quote, not by text inside the string.
  let quote = '';
  let opened = -1;
  for (let i = 0; i < before.length; i++) {
    const ch = before[i];
    if (ch === '\\') i++;
    else if (quote === '' && (ch === '"' || ch === "'" || ch === '`')) {
      quote = ch;
      opened = i;
    } else if (ch === quote) quote = '';
  }
  if (quote !== '') before = before.slice(0, opened + 1);
  return /([A-Za-z_$][\w$.-]*)["'\]]?\s*(?::=|=>|=|:)\s*(?:[rbuf]?["'`])?$/.exec(before)?.[1];
}
