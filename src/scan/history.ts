import type { Batcher } from '../detect/batcher.js';
import { acceptsPath, type RawMatch } from '../detect/scan-buffer.js';
import type { FindingCollector } from '../findings/collect.js';
import { listAllBlobs, readBlobs, walkChanges, type BlobChange } from '../sources/git-history.js';
import { runGit } from '../sources/git.js';
import { isBinary } from '../sources/types.js';
import { blobMatches, chunkBounds, chunkKey, scanWindow, type BlobLayout, type ChunkMatch } from './chunks.js';
import type { ScanProgress } from './progress.js';

export interface HistoryContext {
  root: string;
  maxFileSize: number;
  progress: ScanProgress;
  notes: string[];
  collector: FindingCollector;
  skipPath: (path: string) => boolean;
  /** Makes a batcher that reports each scanned item's matches with the item's meta. */
  batcher: <M>(onResult: (meta: M, matches: RawMatch[]) => void) => Batcher<M>;
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
  const all = await listAllBlobs(ctx.root);
  const wanted: string[] = [];
  let oversized = 0;
  for (const blob of all) {
    if (blob.size <= ctx.maxFileSize) wanted.push(blob.sha);
    else oversized++;
  }
  if (oversized > 0) ctx.notes.push(`${oversized} blob(s) in history over --max-file-size ${ctx.maxFileSize} bytes were skipped`);

  const scanned = new Set<string>();
  const chunkIds = new Map<string, number>();
  const byChunk = new Map<number, ChunkMatch[]>();
  const layouts = new Map<string, BlobLayout>();
  const batcher = ctx.batcher<{ chunk: number; skip: number }>(({ chunk, skip }, found) => {
    // The window began with context lines: keep what starts inside the chunk itself.
    const own = found.filter((m) => m.start >= skip).map((m) => ({ match: m, start: m.start - skip, end: m.end - skip }));
    if (own.length > 0) {
      byChunk.set(chunk, own);
      progress.findings += own.length;
    }
  });
  await readBlobs(ctx.root, wanted, async (blob) => {
    progress.blobs++;
    progress.bytes += blob.data.length;
    scanned.add(blob.sha);
    const data = blob.data;
    if (data.length === 0 || isBinary(data)) return;
    const bounds = chunkBounds(data);
    const layout: BlobLayout = { chunks: new Int32Array(bounds.length), offsets: new Int32Array(bounds.length) };
    for (let i = 0; i < bounds.length; i++) {
      const chunk = bounds[i];
      const key = chunkKey(data.subarray(chunk.start, chunk.end));
      let id = chunkIds.get(key);
      if (id === undefined) {
        id = chunkIds.size;
        chunkIds.set(key, id);
        const window = scanWindow(data, chunk);
        await batcher.push({ path: '', data: data.subarray(window.start, window.end) }, { chunk: id, skip: chunk.start - window.start });
      }
      layout.chunks[i] = id;
      layout.offsets[i] = chunk.start;
    }
    layouts.set(blob.sha, layout);
  });
  await batcher.flush();
  chunkIds.clear();

  // Blobs that hold a chunk with matches are read once more, to place the matches in them.
  const matches = new Map<string, RawMatch[]>();
  const holders = [...layouts].filter(([, layout]) => layout.chunks.some((id) => byChunk.has(id)));
  layouts.clear();
  const layoutOf = new Map(holders);
  await readBlobs(ctx.root, layoutOf.keys(), (blob) => {
    matches.set(blob.sha, blobMatches(blob.data, layoutOf.get(blob.sha)!, byChunk));
  });

  progress.phase = 'provenance';
  if (matches.size === 0) {
    progress.commits = await countCommits(ctx.root);
    return { scanned, matches };
  }
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
  const batcher = ctx.batcher<string>((sha, found) => {
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
