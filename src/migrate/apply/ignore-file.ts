import { join } from 'node:path';
import { IGNORE_FILE } from '../../detect/config.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { SourceFiles } from './collect.js';

/**
 * Adds the plan's false positives to `.vaultsweepignore` (`<id>  # <reason>`), so later scans
 * leave them out. Ids already listed are not repeated.
 */
export function recordFalsePositives(files: SourceFiles, entries: { id: string; reason: string }[], dryRun: boolean): string | undefined {
  const current = files.read(IGNORE_FILE);
  const text = 'error' in current ? '' : current.text;
  const listed = new Set(text.split(/\r?\n/).map((line) => line.replace(/#.*/, '').trim().split(/\s+/)[0]).filter(Boolean));
  const lines = entries.filter((e) => !listed.has(e.id)).map((e) => `${e.id}${e.reason.trim() ? `  # ${e.reason.trim().replace(/[\r\n]+/g, ' ')}` : ''}`);
  if (!lines.length) return undefined;
  const next = `${text}${text && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n`;
  if (dryRun) files.stage(IGNORE_FILE, next);
  else {
    writeFileAtomic(join(files.root, IGNORE_FILE), next);
    files.forget(IGNORE_FILE);
  }
  return `${IGNORE_FILE}: ${lines.length} false positive${lines.length === 1 ? '' : 's'} added; later scans leave ${lines.length === 1 ? 'it' : 'them'} out`;
}
