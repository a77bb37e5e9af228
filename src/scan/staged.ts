import { runGit, splitNul } from '../sources/git.js';
import { readBlobs } from '../sources/git-history.js';
import { acceptsPath } from '../detect/scan-buffer.js';
import { scanBlobs, type HistoryContext } from './history.js';

/**
 * What is staged for the next commit (a pre-commit hook): each staged file version is scanned and
 * a secret is reported only when the version in HEAD did not already hold it.
 */
export async function scanStaged(ctx: HistoryContext): Promise<void> {
  const raw = splitNul(await runGit(ctx.root, ['diff', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev', '--no-ext-diff', '--no-textconv']));
  const changes: { path: string; blob: string; parent: string }[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // :<old mode> <new mode> <old sha> <new sha> <status>
    const [, newMode, oldSha, newSha] = raw[i].replace(/^\n?:/, '').split(' ');
    const path = raw[i + 1];
    if ((newMode === '100644' || newMode === '100755') && !/^0+$/.test(newSha) && !ctx.skipPath(path)) {
      changes.push({ path, blob: newSha, parent: oldSha });
    }
  }
  const matches = await scanBlobs(ctx, new Set(changes.map((c) => c.blob)));
  if (matches.size === 0) return;
  const parents = new Map<string, Buffer>();
  const parentShas = changes.filter((c) => matches.has(c.blob) && !/^0+$/.test(c.parent)).map((c) => c.parent);
  await readBlobs(ctx.root, parentShas, (blob) => {
    parents.set(blob.sha, Buffer.from(blob.data));
  });
  for (const change of changes) {
    const parent = parents.get(change.parent);
    for (const match of matches.get(change.blob) ?? []) {
      if (!acceptsPath(match, change.path) || parent?.includes(match.secret)) continue;
      ctx.collector.add(match, change.path, null);
    }
  }
}
