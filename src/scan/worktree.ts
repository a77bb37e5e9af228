import { realpath } from 'node:fs/promises';
import { acceptsPath, type RawMatch } from '../detect/scan-buffer.js';
import { isBinary } from '../sources/types.js';
import { plainContext } from '../iac/structure.js';
import { gitBlobId, listGitWorktree, unchangedSinceIndex, WorktreeReader, type ReadOutcome, type WorktreeEntry, type WorktreeListing } from '../sources/worktree.js';
import { asFileKey, fileBatcher, fileKind, isStructuredKind, type HistoryContext, type ScannedBlobs } from './history.js';

/** The working tree as listed, with the git blob id of each tracked file's current bytes. */
export interface WorktreeSurvey {
  listing: WorktreeListing;
  ids: Map<string, string>;
}

/** Reads each file a bounded number at a time, in listing order. */
async function forEachRead(
  reader: WorktreeReader,
  paths: WorktreeEntry[],
  onRead: (entry: WorktreeEntry, read: ReadOutcome) => Promise<void> | void,
): Promise<void> {
  const AHEAD = 32;
  const pending: (Promise<ReadOutcome> | undefined)[] = [];
  const start = (i: number) => {
    if (i < paths.length) pending[i] = reader.read(paths[i]);
  };
  for (let i = 0; i < AHEAD; i++) start(i);
  for (let i = 0; i < paths.length; i++) {
    const read = await pending[i]!;
    pending[i] = undefined;
    start(i + AHEAD);
    await onRead(paths[i], read);
  }
}

/** Lists the tree and hashes the tracked files, to learn which ones the history scan already covers. */
export async function surveyWorktree(ctx: HistoryContext, includeIgnored: boolean): Promise<WorktreeSurvey> {
  const listing = await listGitWorktree(ctx.root, includeIgnored);
  const reader = new WorktreeReader(await realpath(ctx.root), ctx.maxFileSize);
  const ids = new Map<string, string>();
  const rootReal = await realpath(ctx.root);
  const tracked = listing.entries.filter((e) => e.blob && !ctx.skipPath(e.path));
  // Files the index vouches for are the blob it names; the others are read and hashed.
  const unchanged: boolean[] = [];
  for (const entry of tracked) {
    unchanged.push(unchangedSinceIndex(rootReal, entry, listing.indexMtimeNs));
    // The history scan shares this thread: let it feed the workers between slices.
    if (unchanged.length % 512 === 0) await new Promise(setImmediate);
  }
  const toHash: WorktreeEntry[] = [];
  tracked.forEach((entry, i) => (unchanged[i] ? ids.set(entry.path, entry.blob!) : toHash.push(entry)));
  await forEachRead(reader, toHash, (entry, read) => {
    if (read.kind === 'data') ids.set(entry.path, gitBlobId(read.data));
  });
  return { listing, ids };
}

/**
 * Scans the working tree. A file whose bytes are a blob the history pass scanned takes that
 * blob's matches without being read again; the rest are read and scanned.
 */
export async function scanWorktree(ctx: HistoryContext, survey: WorktreeSurvey, history: ScannedBlobs | null): Promise<void> {
  const { progress, collector } = ctx;
  progress.phase = 'worktree';
  ctx.notes.push(...survey.listing.notes);
  const addAll = (matches: RawMatch[], path: string) => {
    for (const m of matches) if (acceptsPath(m, path)) collector.add(m, path, null, m.context as Record<string, unknown> | undefined);
  };
  const batcher = fileBatcher<string>(ctx, (path, scan) => {
    progress.findings += scan.matches.length;
    addAll(scan.matches, path);
    for (const note of scan.notes) ctx.notes.push(note);
  });
  const toRead: WorktreeEntry[] = [];
  for (const entry of survey.listing.entries) {
    if (ctx.skipPath(entry.path)) continue;
    const id = survey.ids.get(entry.path);
    if (history && id && (history.scanned.has(id) || history.quiet.has(id))) {
      // Unchanged since a commit: the history pass scanned these bytes, as a file too where the
      // path is a structured format or the blob matched.
      const reuse = historyResult(history, id, entry.path);
      if (reuse) {
        progress.files++;
        addAll(reuse, entry.path);
        continue;
      }
    }
    toRead.push(entry);
  }
  const reader = new WorktreeReader(await realpath(ctx.root), ctx.maxFileSize);
  await forEachRead(reader, toRead, async ({ path }, read) => {
    progress.files++;
    if (read.kind === 'skip') {
      if (read.reason) ctx.notes.push(read.reason);
      return;
    }
    progress.bytes += read.data.length;
    if (read.data.length === 0 || isBinary(read.data)) return;
    await batcher.push({ path, data: read.data }, path);
  });
  await batcher.flush();
}

/**
 * What the history pass already knows of a clean file (its bytes are a scanned blob), or null
 * when the file must be read again: a structured file the history never saw at a path of this
 * kind, or code whose matches want the context only a file-aware scan gives.
 */
function historyResult(history: ScannedBlobs, id: string, path: string): RawMatch[] | null {
  if (history.clean.has(id) || (history.quiet.has(id) && !isStructuredKind(fileKind(path)))) return [];
  const key = asFileKey(id, path);
  const asFile = history.asFiles.get(key);
  if (asFile) return asFile.matches;
  if (!history.checked.has(key) && isStructuredKind(fileKind(path))) return null;
  return (history.matches.get(id) ?? []).map((m) => ({ ...m, context: m.context ?? plainContext(path, m.key) }));
}
