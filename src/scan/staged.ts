import { runGit, splitNul } from '../sources/git.js';
import type { HistoryContext } from './history.js';
import { addNewLocations, scanChanges } from './history-slice.js';

/**
 * What is staged for the next commit (a pre-commit hook): each staged file version is scanned at
 * its path, and a secret is reported only when the version in HEAD did not already hold it.
 */
export async function scanStaged(ctx: HistoryContext): Promise<void> {
  const raw = splitNul(await runGit(ctx.root, ['diff', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev', '--no-ext-diff', '--no-textconv']));
  const changes = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    // :<old mode> <new mode> <old sha> <new sha> <status>
    const [, newMode, oldSha, newSha] = raw[i].replace(/^\n?:/, '').split(' ');
    const path = raw[i + 1];
    if ((newMode === '100644' || newMode === '100755') && !/^0+$/.test(newSha) && !ctx.skipPath(path)) {
      changes.push({ commit: '', date: '', author: '', path, blob: newSha, parents: [oldSha] });
    }
  }
  const scans = await scanChanges(ctx, changes);
  await addNewLocations(ctx, changes, scans);
}
