import { createHash } from 'node:crypto';
import { lstat, opendir, readFile, realpath } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { repoGit, splitNul } from './git.js';

/** A file of the working tree. `blob` is the index's blob id for a tracked file (its content may differ). */
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
  // No `git diff-files`/`status` here: comparing work-tree content makes git run the repository's
  // clean filters. Callers hash the bytes they read instead (gitBlobId).
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
    entries.push(stage !== '0' ? { path } : { path, blob: sha });
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
 * Reads working-tree files without leaving the tree: a symlink anywhere on the way, a file that is
 * not regular, or one over the size limit is not read. Folders are resolved once each.
 */
export class WorktreeReader {
  private readonly folders = new Map<string, Promise<string>>();

  constructor(
    private readonly rootReal: string,
    private readonly maxFileSize: number,
  ) {}

  private realFolder(folder: string): Promise<string> {
    let real = this.folders.get(folder);
    if (!real) {
      real = realpath(folder).catch(() => '');
      this.folders.set(folder, real);
    }
    return real;
  }

  async read(path: string): Promise<ReadOutcome> {
    const abs = join(this.rootReal, path);
    let stat;
    try {
      stat = await lstat(abs);
    } catch {
      return { kind: 'skip' }; // deleted since listing
    }
    if (stat.isSymbolicLink() || !stat.isFile()) return { kind: 'skip' };
    if (stat.size > this.maxFileSize) {
      return { kind: 'skip', reason: `${path}: skipped, ${stat.size} bytes is over --max-file-size ${this.maxFileSize}` };
    }
    const folder = dirname(abs);
    const real = await this.realFolder(folder);
    if (real !== folder && real !== this.rootReal && !real.startsWith(this.rootReal + sep)) {
      return { kind: 'skip', reason: `${path}: skipped, it resolves outside the scanned tree` };
    }
    try {
      return { kind: 'data', data: await readFile(abs) };
    } catch (err) {
      return { kind: 'skip', reason: `${path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
  }
}

/** The id git gives these bytes as a blob, to tell whether a work-tree file equals a scanned blob. */
export function gitBlobId(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}
