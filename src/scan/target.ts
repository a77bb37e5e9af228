import { realpath, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { InputError } from '../detect/load-rules.js';
import { runGit } from '../sources/git.js';

export type Target =
  | { kind: 'stdin' }
  | { kind: 'file'; path: string }
  | { kind: 'folder'; root: string }
  | { kind: 'repo'; root: string; bare: boolean; hasCommits: boolean; shallow: boolean; subdir: string; shallowFile: string };

/** What PATH is: stdin, one file, a plain folder, or a git repository (with or without a work tree). */
export async function resolveTarget(path: string): Promise<Target> {
  if (path === '-') return { kind: 'stdin' };
  const abs = resolve(path);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new InputError(`path does not exist: ${path}`);
  if (info.isFile()) return { kind: 'file', path: abs };
  if (!info.isDirectory()) throw new InputError(`not a file or folder: ${path}`);
  // Two rev-parse calls say it all; each git start costs the scan about 10 ms. Paths come last in
  // their output, whole: a folder's name may hold a newline.
  let facts: string;
  try {
    facts = (await runGit(abs, ['rev-parse', '--is-bare-repository', '--is-inside-work-tree', '--is-shallow-repository', '--git-path', 'shallow'])).toString('utf8');
  } catch {
    return { kind: 'folder', root: abs };
  }
  const [bareFact, insideFact, shallowFact] = facts.split('\n', 3);
  // Relative to where git ran: the real folder, which differs from PATH when PATH is a symlink.
  const shallowFile = resolve(await realpath(abs), withoutLastNewline(facts.split('\n').slice(3).join('\n')));
  const bare = bareFact === 'true';
  if (!bare && insideFact !== 'true') return { kind: 'folder', root: abs };
  let root = abs;
  let subdir = '';
  if (!bare) {
    root = withoutLastNewline((await runGit(abs, ['rev-parse', '--show-toplevel'])).toString('utf8'));
    subdir = relative(root, await realpath(abs));
  }
  const refs = await runGit(abs, ['for-each-ref', '--count=1', '--format=%(objectname)']).catch(() => Buffer.alloc(0));
  const hasCommits = refs.length > 0 || (await runGit(abs, ['rev-parse', '--verify', '--quiet', 'HEAD']).then(() => true, () => false));
  return { kind: 'repo', root, bare, hasCommits, shallow: shallowFact === 'true', subdir, shallowFile };
}

const withoutLastNewline = (text: string) => (text.endsWith('\n') ? text.slice(0, -1) : text);
