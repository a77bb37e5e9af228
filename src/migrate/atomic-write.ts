import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Replaces a file in one rename: the new content goes to a temporary file beside it (same folder,
 * so the rename is atomic), is flushed to disk, and takes the old file's mode when there was one.
 * A crash leaves either the old file or the new one, never half of each.
 */
export function writeFileAtomic(file: string, content: string | Buffer, defaultMode = 0o644): void {
  let mode = defaultMode;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    // a new file: the default mode
  }
  const temp = join(dirname(file), `.${basename(file)}.vaultsweep-${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    unlinkSync(temp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, file);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}
