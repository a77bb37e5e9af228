import { Batcher, type BatchLimits } from '../detect/batcher.js';
import type { BatchScanner } from '../detect/engine.js';
import { ChunkTable } from '../detect/chunk-table.js';
import { placeMatches, type BlobLayout, type ChunkMatch, type ChunkedResult } from '../detect/chunked-scan.js';
import { acceptsPath, type RawMatch } from '../detect/scan-buffer.js';
import type { FindingCollector } from '../findings/collect.js';
import { listAllBlobs, readBlobs, walkChanges, type BlobChange } from '../sources/git-history.js';
import { runGit } from '../sources/git.js';
import { isBinary } from '../sources/types.js';
import type { ScanProgress } from './progress.js';

export interface HistoryContext {
  root: string;
  maxFileSize: number;
  progress: ScanProgress;
  notes: string[];
  collector: FindingCollector;
  skipPath: (path: string) => boolean;
  scanner: BatchScanner;
  limits: BatchLimits;
}

/** A batcher that reports each scanned item's matches with the item's meta. */
export function matchBatcher<M>(ctx: HistoryContext, onResult: (meta: M, matches: RawMatch[]) => void): Batcher<M, RawMatch[]> {
  return new Batcher<M, RawMatch[]>((batch) => ctx.scanner.scan(batch), onResult, ctx.limits);
}

/** What a full-history scan leaves for the working-tree pass: which blobs were scanned and what they hold. */
export interface ScannedBlobs {
  scanned: Set<string>;
  matches: Map<string, RawMatch[]>;
}

/**
 * Every commit reachable from every ref: each unique blob is read once (in pack order, straight
 * from the object store) and cut into content-defined chunks; each distinct chunk is scanned once
 * (see chunks.ts). Then the commits that brought the matching blobs in are looked up.
 */
export async function scanFullHistory(ctx: HistoryContext): Promise<ScannedBlobs> {
  const { progress } = ctx;
  progress.phase = 'history';
  // The commit count is for the progress line only; it runs beside the blob listing.
  void countCommits(ctx.root).then((n) => {
    progress.commits = Math.max(progress.commits, n);
  });
  const all = await listAllBlobs(ctx.root);
  const wanted: string[] = [];
  let oversized = 0;
  for (const blob of all) {
    if (blob.size <= ctx.maxFileSize) wanted.push(blob.sha);
    else oversized++;
  }
  if (oversized > 0) ctx.notes.push(`${oversized} blob(s) in history over --max-file-size ${ctx.maxFileSize} bytes were skipped`);

  const scanned = new Set<string>();
  // Each distinct chunk is scanned by one worker (see chunked-scan.ts); the table is sized for
  // chunks of about 2 KiB on average.
  const textBytes = all.reduce((n, b) => n + (b.size <= ctx.maxFileSize ? b.size : 0), 0);
  const table = ChunkTable.forChunks(Math.ceil(textBytes / 2048) + wanted.length);
  const layouts = new Map<string, BlobLayout>();
  const bySlot = new Map<number, ChunkMatch[]>();
  const unslotted = new Map<string, ChunkMatch[]>();
  const batcher = new Batcher<string, ChunkedResult>(
    (batch) => ctx.scanner.scanChunked(batch, table.buffer),
    (sha, result) => {
      layouts.set(sha, { chunks: result.chunks, offsets: result.offsets });
      for (const { slot, offset, matches } of result.found) {
        progress.findings += matches.length;
        if (slot >= 0) bySlot.set(slot, matches);
        else unslotted.set(sha, [...(unslotted.get(sha) ?? []), ...matches.map((m) => ({ ...m, start: m.start + offset, end: m.end + offset }))]);
      }
    },
    ctx.limits,
  );
  await readBlobs(ctx.root, wanted, (blob) => {
    progress.blobs++;
    progress.bytes += blob.data.length;
    scanned.add(blob.sha);
    if (blob.data.length === 0 || isBinary(blob.data)) return;
    return batcher.push({ path: '', data: blob.data }, blob.sha);
  });
  await batcher.flush();

  // Blobs that hold a chunk with matches are read once more, to place the matches in them.
  const holders = new Map<string, BlobLayout>();
  for (const [sha, layout] of layouts) if (unslotted.has(sha) || layout.chunks.some((slot) => bySlot.has(slot))) holders.set(sha, layout);
  layouts.clear();
  const matches = new Map<string, RawMatch[]>();
  await readBlobs(ctx.root, holders.keys(), (blob) => {
    matches.set(blob.sha, placeMatches(blob.data, holders.get(blob.sha)!, bySlot, unslotted.get(blob.sha)));
  });

  progress.phase = 'provenance';
  if (matches.size === 0) return { scanned, matches };
  const located = new Set<string>();
  progress.commits = await walkChanges(ctx.root, ['--all'], (change) => {
    const found = matches.get(change.blob);
    if (!found) return;
    located.add(change.blob);
    addLocations(ctx, found, change);
  });
  const dangling = [...matches.keys()].filter((sha) => !located.has(sha)).length;
  if (dangling > 0) ctx.notes.push(`${dangling} blob(s) with matches are not reachable from any ref (dangling objects); not reported`);
  return { scanned, matches };
}

async function countCommits(root: string): Promise<number> {
  const out = await runGit(root, ['rev-list', '--all', '--count']).catch(() => Buffer.from('0'));
  return Number(out.toString().trim()) || 0;
}

function addLocations(ctx: HistoryContext, found: RawMatch[], change: BlobChange, parentData?: Buffer[]): void {
  if (ctx.skipPath(change.path)) return;
  for (const match of found) {
    if (!acceptsPath(match, change.path)) continue;
    // Only what this commit added: a secret already in the parent version was introduced earlier.
    if (parentData?.some((p) => p.includes(match.secret))) continue;
    ctx.collector.add(match, change.path, { commit: change.commit, date: change.date, author: change.author });
  }
}

/**
 * A slice of history (`--range A..B`, `--since DATE`): the blobs its commits add or change are
 * scanned, and a secret is reported only where a commit in the slice brought it in.
 */
export async function scanHistorySlice(ctx: HistoryContext, revArgs: string[]): Promise<void> {
  const { progress } = ctx;
  progress.phase = 'history';
  const changes: BlobChange[] = [];
  progress.commits = await walkChanges(
    ctx.root,
    revArgs,
    (change) => {
      if (!ctx.skipPath(change.path)) changes.push(change);
    },
    { renames: true },
  );
  const matches = await scanBlobs(ctx, new Set(changes.map((c) => c.blob)));
  if (matches.size === 0) return;

  progress.phase = 'provenance';
  const parentShas = new Set<string>();
  for (const change of changes) if (matches.has(change.blob)) for (const p of change.parents) if (!/^0+$/.test(p)) parentShas.add(p);
  const parents = new Map<string, Buffer>();
  await readBlobs(ctx.root, parentShas, (blob) => {
    parents.set(blob.sha, Buffer.from(blob.data));
  });
  for (const change of changes) {
    const found = matches.get(change.blob);
    if (!found) continue;
    const parentData = change.parents.map((p) => parents.get(p)).filter((d): d is Buffer => d !== undefined);
    addLocations(ctx, found, change, parentData);
  }
}

/**
 * Scans the given blobs; returns the matches of those that have any. One blob may sit at several
 * paths, so matches are judged against each path later (acceptsPath).
 */
export async function scanBlobs(ctx: HistoryContext, shas: Iterable<string>): Promise<Map<string, RawMatch[]>> {
  const matches = new Map<string, RawMatch[]>();
  const batcher = matchBatcher<string>(ctx, (sha, found) => {
    if (found.length > 0) {
      matches.set(sha, found);
      ctx.progress.findings += found.length;
    }
  });
  let oversized = 0;
  await readBlobs(ctx.root, shas, (blob) => {
    ctx.progress.blobs++;
    ctx.progress.bytes += blob.data.length;
    if (blob.data.length > ctx.maxFileSize) {
      oversized++;
      return;
    }
    if (blob.data.length === 0 || isBinary(blob.data)) return;
    return batcher.push({ path: '', data: blob.data }, blob.sha);
  });
  await batcher.flush();
  if (oversized > 0) ctx.notes.push(`${oversized} blob(s) over --max-file-size ${ctx.maxFileSize} bytes were skipped`);
  return matches;
}
