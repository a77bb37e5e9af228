import type { FileScan } from '../iac/structure.js';
import { readBlobs, walkChanges, type BlobChange } from '../sources/git-history.js';
import { isBinary } from '../sources/types.js';
import { addLocations, asFileKey, fileBatcher, fileKind, type HistoryContext } from './history.js';

/**
 * A slice of history (`--range A..B`, `--since DATE`): the file versions its commits add or change
 * are scanned at their paths, and a secret is reported only where a commit in the slice brought it in.
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
  const scans = await scanChanges(ctx, changes);
  progress.phase = 'provenance';
  await addNewLocations(ctx, changes, scans);
}

/** Scans each change's file version at its path (once per blob and kind of path). */
export async function scanChanges(ctx: HistoryContext, changes: { blob: string; path: string }[]): Promise<Map<string, FileScan>> {
  const pathsOf = new Map<string, Map<string, string>>();
  for (const { blob, path } of changes) {
    let kinds = pathsOf.get(blob);
    if (!kinds) pathsOf.set(blob, (kinds = new Map()));
    if (!kinds.has(fileKind(path))) kinds.set(fileKind(path), path);
  }
  const results = new Map<string, FileScan>();
  const batcher = fileBatcher<string>(ctx, (key, scan) => {
    results.set(key, scan);
    ctx.progress.findings += scan.matches.length;
    for (const note of scan.notes) if (!ctx.notes.includes(note)) ctx.notes.push(note);
  });
  let oversized = 0;
  await readBlobs(ctx.root, pathsOf.keys(), async (blob) => {
    ctx.progress.blobs++;
    ctx.progress.bytes += blob.data.length;
    if (blob.data.length > ctx.maxFileSize) {
      oversized++;
      return;
    }
    if (blob.data.length === 0 || isBinary(blob.data)) return;
    for (const [kind, path] of pathsOf.get(blob.sha)!) await batcher.push({ path, data: blob.data }, `${blob.sha}\0${kind}`);
  });
  await batcher.flush();
  if (oversized > 0) ctx.notes.push(`${oversized} blob(s) over --max-file-size ${ctx.maxFileSize} bytes were skipped`);
  return results;
}

/** Adds the locations of changes whose secrets their parent versions did not already hold. */
export async function addNewLocations(ctx: HistoryContext, changes: BlobChange[], scans: Map<string, FileScan>): Promise<void> {
  const withMatches = changes.filter((c) => (scans.get(asFileKey(c.blob, c.path))?.matches.length ?? 0) > 0);
  const parentShas = new Set<string>();
  for (const change of withMatches) for (const p of change.parents) if (!/^0+$/.test(p)) parentShas.add(p);
  const parents = new Map<string, Buffer>();
  await readBlobs(ctx.root, parentShas, (blob) => {
    parents.set(blob.sha, Buffer.from(blob.data));
  });
  for (const change of withMatches) {
    const parentData = change.parents.map((p) => parents.get(p)).filter((d): d is Buffer => d !== undefined);
    addLocations(ctx, scans.get(asFileKey(change.blob, change.path))!.matches, change, parentData);
  }
}
