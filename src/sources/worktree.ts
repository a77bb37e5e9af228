import { lstat, opendir, readFile, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { repoGit, splitNul } from './git.js';

/** A file of the working tree. `blob` is set when the file is tracked and unchanged: its content is that blob. */
export interface WorktreeEntry {
  path: string;
  blob?: string;
}

export interface WorktreeListing {
  entries: WorktreeEntry[];
  notes: string[];
}

/** Tracked and untracked-but-not-ignored files (plus ignored ones on request), as git sees them. */
export async function listGitWorktree(root: string, includeIgnored: boolean): Promise<WorktreeListing> {
  const git = repoGit(root);
  const notes: string[] = [];
  const staged = splitNul(Buffer.from(await git.raw(['ls-files', '-z', '-s', '--full-name'])));
  const dirty = new Set(splitNul(Buffer.from(await git.raw(['diff-files', '-z', '--name-only', '--no-renames']))));
  const entries: WorktreeEntry[] = [];
  const seen = new Set<string>();
  for (const line of staged) {
    // <mode> <sha> <stage>\t<path>
    const tab = line.indexOf('\t');
    const [mode, sha, stage] = line.slice(0, tab).split(' ');
    const path = line.slice(tab + 1);
    if (seen.has(path)) continue; // conflicted paths list several stages
    seen.add(path);
    if (mode === '160000') {
      notes.push(`submodule ${path} not entered`);
      continue;
    }
    if (mode === '120000') continue; // symlinks are never followed
    entries.push(dirty.has(path) || stage !== '0' ? { path } : { path, blob: sha });
  }
  const others = ['ls-files', '-z', '--others', '--exclude-standard'];
  for (const path of splitNul(Buffer.from(await git.raw(others)))) if (!seen.has(path)) entries.push({ path });
  if (includeIgnored) {
    for (const path of splitNul(Buffer.from(await git.raw([...others, '--ignored'])))) if (!seen.has(path)) entries.push({ path });
  }
  return { entries, notes };
}

/** Every regular file under root, for a folder that is not a git repository. `.git` folders are skipped. */
export async function listPlainFiles(root: string): Promise<WorktreeListing> {
  const entries: WorktreeEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    const handle = await opendir(dir);
    for await (const dirent of handle) {
      const abs = join(dir, dirent.name);
      if (dirent.isDirectory()) {
        if (dirent.name !== '.git') await walk(abs);
      } else if (dirent.isFile()) {
        entries.push({ path: relative(root, abs).split(sep).join('/') });
      }
      // symlinks, sockets, devices: never read
    }
  };
  await walk(root);
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, notes: [] };
}

export type ReadOutcome = { kind: 'data'; data: Buffer } | { kind: 'skip'; reason?: string };

/**
 * Reads one working-tree file without leaving the tree: a symlink anywhere on the way, a file that
 * is not regular, or one over the size limit is not read.
 */
export async function readWorktreeFile(rootReal: string, path: string, maxFileSize: number): Promise<ReadOutcome> {
  const abs = join(rootReal, path);
  let stat;
  try {
    stat = await lstat(abs);
  } catch {
    return { kind: 'skip' }; // deleted since listing
  }
  if (stat.isSymbolicLink() || !stat.isFile()) return { kind: 'skip' };
  if (stat.size > maxFileSize) return { kind: 'skip', reason: `${path}: skipped, ${stat.size} bytes is over --max-file-size ${maxFileSize}` };
  const real = await realpath(abs).catch(() => '');
  if (real !== abs && !real.startsWith(rootReal + sep)) return { kind: 'skip', reason: `${path}: skipped, it resolves outside the scanned tree` };
  try {
    return { kind: 'data', data: await readFile(abs) };
  } catch (err) {
    return { kind: 'skip', reason: `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
  }
}
