import { Batcher, type BatchLimits } from '../detect/batcher.js';
import type { BatchScanner } from '../detect/engine.js';
import { ChunkTable } from '../detect/chunk-table.js';
import { placeMatches, type BlobLayout, type ChunkMatch, type ChunkedResult } from '../detect/chunked-scan.js';
import { acceptsPath, type RawMatch } from '../detect/scan-buffer.js';
import type { FindingCollector } from '../findings/collect.js';
import { codeLanguage, formatFromPath } from '../iac/format.js';
import { plainContext, type FileScan } from '../iac/structure.js';
import { listAllBlobs, readBlobs, walkChanges, type BlobChange } from '../sources/git-history.js';
import { runGit } from '../sources/git.js';
import { isBinary } from '../sources/types.js';
import { allStillReachable, isPartialClone, loadHistoryCache, refTips, resolveChanges, saveHistoryCache, type HistoryCache } from './history-cache.js';
import type { ScanProgress } from './progress.js';

export interface HistoryContext {
  root: string;
  maxFileSize: number;
  progress: ScanProgress;
  /** Someone watches the progress (a terminal): worth counting the commits for it. */
  progressShown?: boolean;
  notes: string[];
  collector: FindingCollector;
  skipPath: (path: string) => boolean;
  scanner: BatchScanner;
  limits: BatchLimits;
  /** `--cache FILE`: what the last full-history scan learnt, and the key it must carry. */
  cache?: { file: string; key: string };
}

/** A batcher that scans each item as a file at its path and reports the result with the item's meta. */
export function fileBatcher<M>(ctx: HistoryContext, onResult: (meta: M, scan: FileScan) => void): Batcher<M, FileScan> {
  return new Batcher<M, FileScan>((batch) => ctx.scanner.scan(batch), onResult, ctx.limits);
}

/**
 * What kind of file a path is, as far as scanning goes: the same blob scanned at two paths of
 * the same kind gives the same result. Plain text needs no file-aware pass at all.
 */
export function fileKind(path: string): string {
  const format = formatFromPath(path);
  return format === 'code' ? `code:${codeLanguage(path)}` : format;
}

export const isStructuredKind = (kind: string) => kind !== 'text' && !kind.startsWith('code:');

/** What a full-history scan leaves for the working-tree pass. */
export interface ScannedBlobs {
  /** Every blob the history scan read. */
  scanned: Set<string>;
  /** Matches per blob, found without knowing its path. */
  matches: Map<string, RawMatch[]>;
  /** Blobs scanned again as files at a path of a kind (`${blob}\0${kind}`): matches with context. */
  asFiles: Map<string, FileScan>;
  /** Every blob and kind the file pass looked at, scanned again or not (not: nothing more to find). */
  checked: Set<string>;
  /** Blobs the cache vouches hold nothing, at any path (not read this time). */
  clean: Set<string>;
  /** Blobs the cache vouches hold nothing at a path that is not of a structured format (not read). */
  quiet: Set<string>;
}

export const asFileKey = (blob: string, path: string) => `${blob}\0${fileKind(path)}`;

/**
 * Every commit reachable from every ref: each unique blob is read once (in pack order, straight
 * from the object store) and cut into content-defined chunks; each distinct chunk is scanned once
 * (detect/chunked-scan.ts). Then one walk of the commits finds where the matching blobs came
 * from, and which blobs sit at paths of structured formats; those with a match or a secret-like
 * word are scanned again as files (src/iac): context, and secrets only the format reveals.
 */
export async function scanFullHistory(ctx: HistoryContext, worktreeBlobs?: Promise<Set<string>>): Promise<ScannedBlobs> {
  const { progress } = ctx;
  progress.phase = 'history';
  // The commit count is for the progress line only; it runs beside the blob listing.
  if (ctx.progressShown) {
    void countCommits(ctx.root).then((n) => {
      progress.commits = Math.max(progress.commits, n);
    });
  }
  const cacheState = ctx.cache ? await openCache(ctx) : null;
  const cached = cacheState?.cache ?? null;
  const all = await listAllBlobs(ctx.root);
  // Where every blob came from is walked beside the scan (git does the work in its own process,
  // in the gaps the scan leaves); only the changes of matching or structured files are kept later.
  const walked: BlobChange[] = [];
  const keep = (change: BlobChange) => {
    if (!ctx.skipPath(change.path)) walked.push(change);
  };
  let walk: Promise<unknown> = Promise.resolve();
  let newCommits = 0;
  // Blobs the cache vouches for, not read: clean ones hold nothing; quiet ones hold only a
  // structure trigger and sit at no structured path, unless a new commit put them at one.
  const clean = new Set<string>();
  const quiet = new Set<string>();
  if (cached) {
    // With a cache only the commits made since are walked, first: they say which quiet blobs to read.
    if (!cacheState!.sameTips) newCommits = await walkChanges(ctx.root, ['--all'], keep, { stdinRevs: cached.tips.map((t) => `^${t}`) });
    const nowStructured = new Set(walked.filter((c) => isStructuredKind(fileKind(c.path))).map((c) => c.blob));
    for (const { sha } of all) {
      if (cached.clean.has(sha)) clean.add(sha);
      else if (cached.quiet.has(sha) && !nowStructured.has(sha)) quiet.add(sha);
    }
  } else {
    walk = walkChanges(ctx.root, ['--all'], keep);
    walk.catch(() => undefined); // awaited below
  }
  const wanted: string[] = [];
  let oversized = 0;
  let textBytes = 0;
  for (const blob of all) {
    if (blob.size > ctx.maxFileSize) oversized++;
    else if (!clean.has(blob.sha) && !quiet.has(blob.sha)) {
      wanted.push(blob.sha);
      textBytes += blob.size;
    }
  }
  if (oversized > 0) ctx.notes.push(`${oversized} blob(s) in history over --max-file-size ${ctx.maxFileSize} bytes were skipped`);

  const scanned = new Set<string>();
  // Each distinct chunk is scanned by one worker; the table is sized for chunks of about 2 KiB.
  const table = ChunkTable.forChunks(Math.ceil(textBytes / 2048) + wanted.length);
  const layouts = new Map<string, BlobLayout>();
  const bySlot = new Map<number, ChunkMatch[]>();
  const unslotted = new Map<string, ChunkMatch[]>();
  const triggeredSlots = new Set<number>();
  const triggeredBlobs = new Set<string>();
  const batcher = new Batcher<string, ChunkedResult>(
    (batch) => ctx.scanner.scanChunked(batch, table.buffer),
    (sha, result) => {
      layouts.set(sha, { chunks: result.chunks, offsets: result.offsets });
      for (const slot of result.triggered) {
        if (slot >= 0) triggeredSlots.add(slot);
        else triggeredBlobs.add(sha);
      }
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
  for (const [sha, layout] of layouts) {
    if (unslotted.has(sha) || layout.chunks.some((slot) => bySlot.has(slot))) holders.set(sha, layout);
    if (layout.chunks.some((slot) => triggeredSlots.has(slot))) triggeredBlobs.add(sha);
  }
  layouts.clear();
  const matches = new Map<string, RawMatch[]>();
  await readBlobs(ctx.root, holders.keys(), (blob) => {
    matches.set(blob.sha, placeMatches(blob.data, holders.get(blob.sha)!, bySlot, unslotted.get(blob.sha)));
  });

  progress.phase = 'provenance';
  await walk;
  // A commit may name a blob the object store lacks (a damaged repository, missing alternates):
  // nothing can be said of it now, nor remembered for later.
  const listed = new Set(all.map((b) => b.sha));
  const missing = new Set(walked.filter((c) => !listed.has(c.blob)).map((c) => c.blob));
  if (missing.size > 0) ctx.notes.push(`${missing.size} blob(s) named by commits are missing from the object store; not scanned`);
  const relevant = new Set([...holders.keys(), ...triggeredBlobs]);
  if (cached) {
    // Where the blobs with findings came from: the cache for the old commits, the walk for the new
    // ones. A blob the cache does not know that no new commit brought in is dangling (old commits
    // held only blobs the cache saw: partial clones, whose blobs arrive later, use no cache). With
    // skewed commit dates the walk of new commits may also list older ones: no change twice.
    const walkedPlaces = new Set(walked.map((c) => `${c.commit}\0${c.path}`));
    for (const [blob, changes] of cached.relevant) {
      if (relevant.has(blob)) walked.push(...changes.filter((c) => !walkedPlaces.has(`${c.commit}\0${c.path}`)));
    }
    ctx.notes.push(`history cache: ${clean.size + quiet.size} blob(s) not read (known to hold nothing to report), ${scanned.size} read; ${newCommits} new commit(s) walked`);
  }
  const readThisTime = new Set(scanned);
  for (const blob of clean) scanned.add(blob);
  const changes = walked.filter((c) => scanned.has(c.blob) && (matches.has(c.blob) || isStructuredKind(fileKind(c.path))));
  walked.length = 0;
  // Structured files are scanned again where that is what gets reported: the version that first
  // brought each secret into each file (later versions' locations are dropped), the versions in
  // the working tree, and versions whose chunks hold a structure trigger.
  const reported = firstIntroductions(changes, matches);
  for (const blob of (await worktreeBlobs) ?? []) if (matches.has(blob)) reported.add(blob);
  const checked = new Set<string>();
  const asFiles = await scanAsFiles(ctx, changes, matches, (blob, kind) => {
    checked.add(`${blob}\0${kind}`);
    // Code needs no second scan: its context is the bound name the first scan noted.
    return isStructuredKind(kind) && (reported.has(blob) || triggeredBlobs.has(blob));
  });
  const located = new Set<string>();
  for (const change of changes) {
    const found = asFiles.get(asFileKey(change.blob, change.path))?.matches ?? matches.get(change.blob);
    if (!found) continue;
    located.add(change.blob);
    addLocations(ctx, found, change);
  }
  const dangling = [...matches.keys()].filter((sha) => !located.has(sha)).length;
  if (dangling > 0) ctx.notes.push(`${dangling} blob(s) with matches are not reachable from any ref (dangling objects); not reported`);
  if (ctx.cache && cacheState?.writable && missing.size > 0) ctx.notes.push('history cache not written: blobs are missing from the object store');
  else if (ctx.cache && cacheState?.writable) {
    writeCache(ctx, { key: ctx.cache.key, tips: cacheState.tips, ...whatToRemember(changes, relevant, holders, readThisTime, clean, quiet) });
  }
  return { scanned, matches, asFiles, checked, clean, quiet };
}

interface OpenedCache {
  cache: HistoryCache | null;
  tips: string[];
  sameTips: boolean;
  /** Whether a cache may be written for this repository at all. */
  writable: boolean;
}

/**
 * The cache, if it can be used for this history: same key, no ref moved back or away since,
 * every file it names still where it was, and not a partial clone.
 */
async function openCache(ctx: HistoryContext): Promise<OpenedCache> {
  const { file, key } = ctx.cache!;
  const loaded = loadHistoryCache(file, key);
  const tips = await refTips(ctx.root);
  const stored = loaded.cache;
  const sameTips = stored !== null && stored.tips.length === tips.length && stored.tips.every((t, i) => t === tips[i]);
  let cache: HistoryCache | null = null;
  let reason = loaded.reason;
  let writable = true;
  if (tips.length === 0) {
    reason = 'no ref points at a commit';
    writable = false;
  } else if (await isPartialClone(ctx.root)) {
    reason = 'a partial clone: blobs fetched later may belong to old commits';
    writable = false;
  } else if (stored && !sameTips && !(await allStillReachable(ctx.root, stored.tips))) {
    reason = 'a commit it saw is no longer reachable (rewritten or deleted ref)';
  } else if (stored) {
    const relevant = await resolveChanges(ctx.root, stored.changes);
    if (relevant) cache = { ...stored, relevant };
    else reason = 'a file it names could not be found in its commit';
  }
  if (!cache) ctx.notes.push(`history cache not used (${reason}): full scan`);
  return { cache, tips, sameTips, writable };
}

/**
 * Sorts the blobs for the next run: those with matches, or a structure trigger at a structured
 * path, keep the changes that brought them in; trigger-only blobs elsewhere are quiet; the rest
 * of what was read is clean. Blobs not read this time keep what the cache said of them.
 */
function whatToRemember(
  changes: BlobChange[],
  relevant: Set<string>,
  holders: Map<string, unknown>,
  read: Set<string>,
  clean: Set<string>,
  quiet: Set<string>,
): Pick<HistoryCache, 'clean' | 'quiet' | 'relevant'> {
  const structuredAt = new Set(changes.filter((c) => isStructuredKind(fileKind(c.path))).map((c) => c.blob));
  const remember = new Map<string, BlobChange[]>();
  const nextQuiet = new Set(quiet);
  for (const blob of relevant) {
    if (holders.has(blob) || structuredAt.has(blob)) remember.set(blob, []);
    else nextQuiet.add(blob);
  }
  for (const change of changes) remember.get(change.blob)?.push(change);
  const nextClean = new Set(clean);
  for (const blob of read) if (!relevant.has(blob)) nextClean.add(blob);
  return { clean: nextClean, quiet: nextQuiet, relevant: remember };
}

function writeCache(ctx: HistoryContext, cache: HistoryCache): void {
  // A file is named by its path and looked up again by it: a path that did not come through as
  // text (bytes that are not UTF-8) or that holds a newline could not be.
  for (const changes of cache.relevant.values()) {
    if (changes.some((c) => c.path.includes('\n') || c.path.includes('\uFFFD'))) {
      ctx.notes.push('history cache not written: a file with a finding has a name it cannot record (a newline, or bytes that are not UTF-8)');
      return;
    }
  }
  try {
    saveHistoryCache(ctx.cache!.file, cache);
  } catch (error) {
    ctx.notes.push(`history cache not written to ${ctx.cache!.file}: ${(error as Error).message}`);
  }
}

/**
 * The blobs of the changes that first brought each secret into each file, chosen as the finding
 * collector chooses (the earliest date; on a tie, the smaller commit id).
 */
function firstIntroductions(changes: BlobChange[], matches: Map<string, RawMatch[]>): Set<string> {
  const first = new Map<string, { time: number; commit: string; blob: string }>();
  for (const change of changes) {
    const found = matches.get(change.blob);
    if (!found) continue;
    const time = Date.parse(change.date) || 0;
    for (const m of found) {
      const key = `${m.rule}\0${m.secret.toString('latin1')}\0${change.path}`;
      const current = first.get(key);
      if (!current || current.time > time || (current.time === time && current.commit > change.commit)) {
        first.set(key, { time, commit: change.commit, blob: change.blob });
      }
    }
  }
  return new Set([...first.values()].map((f) => f.blob));
}

async function countCommits(root: string): Promise<number> {
  const out = await runGit(root, ['rev-list', '--all', '--count']).catch(() => Buffer.from('0'));
  return Number(out.toString().trim()) || 0;
}

/**
 * Scans blobs again as files at the paths the changes give them, one scan per blob and kind of
 * path, for those `wanted` accepts. Notes are kept once per path.
 */
async function scanAsFiles(
  ctx: HistoryContext,
  changes: BlobChange[],
  known: Map<string, RawMatch[]>,
  wanted: (blob: string, kind: string) => boolean,
): Promise<Map<string, FileScan>> {
  const pathsOf = new Map<string, Map<string, string>>(); // blob → kind → a path of that kind
  for (const { blob, path } of changes) {
    const kind = fileKind(path);
    if (kind === 'text' || pathsOf.get(blob)?.has(kind) || !wanted(blob, kind)) continue;
    let kinds = pathsOf.get(blob);
    if (!kinds) pathsOf.set(blob, (kinds = new Map()));
    kinds.set(kind, path);
  }
  const results = new Map<string, FileScan>();
  const noted = new Set<string>();
  const batcher = fileBatcher<string>(ctx, (key, scan) => {
    results.set(key, scan);
    for (const note of scan.notes) if (!noted.has(note)) noted.add(note);
  });
  await readBlobs(ctx.root, pathsOf.keys(), async (blob) => {
    if (blob.data.length === 0 || blob.data.length > ctx.maxFileSize || isBinary(blob.data)) return;
    for (const [kind, path] of pathsOf.get(blob.sha)!) {
      // The rules already ran on these bytes: the file pass adds only what the structure tells.
      await batcher.push({ path, data: blob.data, matches: known.get(blob.sha) ?? [] }, `${blob.sha}\0${kind}`);
    }
  });
  await batcher.flush();
  ctx.notes.push(...noted);
  return results;
}

export function addLocations(ctx: HistoryContext, found: RawMatch[], change: BlobChange, parentData?: Buffer[]): void {
  if (ctx.skipPath(change.path)) return;
  for (const match of found) {
    if (!acceptsPath(match, change.path)) continue;
    // Only what this commit added: a secret already in the parent version was introduced earlier.
    if (parentData?.some((p) => p.includes(match.raw ?? match.secret))) continue;
    // A staged change has no commit yet: it is working-tree content.
    const provenance = change.commit ? { commit: change.commit, date: change.date, author: change.author } : null;
    const context = match.context ?? plainContext(change.path, match.key);
    ctx.collector.add(match, change.path, provenance, context as unknown as Record<string, unknown>);
  }
}
