import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError } from '../detect/load-rules.js';
import { repoGit, runGit } from '../sources/git.js';

export type Target =
  | { kind: 'stdin' }
  | { kind: 'file'; path: string }
  | { kind: 'folder'; root: string }
  | { kind: 'repo'; root: string; bare: boolean; hasCommits: boolean; shallow: boolean; subdir: string };

/** What PATH is: stdin, one file, a plain folder, or a git repository (with or without a work tree). */
export async function resolveTarget(path: string): Promise<Target> {
  if (path === '-') return { kind: 'stdin' };
  const abs = resolve(path);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new InputError(`path does not exist: ${path}`);
  if (info.isFile()) return { kind: 'file', path: abs };
  if (!info.isDirectory()) throw new InputError(`not a file or folder: ${path}`);
  const git = repoGit(abs);
  let bare = false;
  let top = '';
  try {
    bare = (await git.revparse(['--is-bare-repository'])).trim() === 'true';
    if (!bare) {
      if ((await git.revparse(['--is-inside-work-tree'])).trim() !== 'true') return { kind: 'folder', root: abs };
      top = (await git.revparse(['--show-toplevel'])).trim();
    }
  } catch {
    return { kind: 'folder', root: abs };
  }
  const refs = await runGit(abs, ['for-each-ref', '--count=1', '--format=%(objectname)']).catch(() => Buffer.alloc(0));
  const hasCommits = refs.length > 0 || (await runGit(abs, ['rev-parse', '--verify', '--quiet', 'HEAD']).then(() => true, () => false));
  const shallow = (await git.revparse(['--is-shallow-repository']).catch(() => 'false')).trim() === 'true';
  const root = bare ? abs : top;
  const subdir = bare ? '' : (await git.revparse(['--show-prefix'])).trim().replace(/\/$/, '');
  return { kind: 'repo', root, bare, hasCommits, shallow, subdir };
}
