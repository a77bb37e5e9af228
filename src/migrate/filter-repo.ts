import { closeSync, fchmodSync, openSync, writeSync } from 'node:fs';

/**
 * A `git filter-repo --replace-text` file: one literal per line, each replaced by
 * `***REMOVED***` in every commit. A multi-line secret (a private key) is listed line by line,
 * its armour lines left out. The file holds secrets: it is created for its owner only (0600).
 */
export function writeFilterRepoFile(file: string, values: Iterable<string>): number {
  const lines = new Set<string>();
  for (const value of values) {
    for (const line of value.split(/\r?\n/)) {
      const text = line.trim();
      if (text.length < 8 || /^-----(BEGIN|END) /.test(text)) continue;
      lines.add(text.startsWith('regex:') || text.startsWith('glob:') || text.startsWith('literal:') ? `literal:${text}` : text);
    }
  }
  const fd = openSync(file, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, [...lines].map((l) => `${l}\n`).join(''));
  } finally {
    closeSync(fd);
  }
  return lines.size;
}
