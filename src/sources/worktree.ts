import { createHash } from 'node:crypto';
import { lstatSync, readFileSync } from 'node:fs';
import { lstat, opendir, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from './git.js';

/**
 * A file of the working tree. `raw` is its path as bytes relative to the root (file names need
 * not be UTF-8); `path` is the same decoded for reports. `blob` is the index's blob id for a
 * tracked file (its content may differ).
 */
export interface WorktreeEntry {
  path: string;
  raw: Buffer;
  blob?: string;
  /** The file's stat data as the index recorded it (git keeps the low 32 bits of each). */
  indexStat?: IndexStat;
}

export interface IndexStat {
  ctime: [number, number];
  mtime: [number, number];
  ino: number;
  size: number;
}

export interface WorktreeListing {
  entries: WorktreeEntry[];
  notes: string[];
  /** When the index was last written, in nanoseconds (for git's racy-clean rule). */
  indexMtimeNs?: bigint;
}

function splitNulBytes(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let at = data.indexOf(0); at !== -1; at = data.indexOf(0, start)) {
    out.push(data.subarray(start, at));
    start = at + 1;
  }
  if (start < data.length) out.push(data.subarray(start));
  return out;
}

const entryFor = (raw: Buffer, blob?: string): WorktreeEntry => ({ path: raw.toString('utf8'), raw, ...(blob ? { blob } : {}) });

/** Tracked and untracked-but-not-ignored files (plus ignored ones on request), as git sees them. */
export async function listGitWorktree(root: string, includeIgnored: boolean): Promise<WorktreeListing> {
  const notes: string[] = [];
  // No `git diff-files`/`status` here: comparing work-tree content makes git run the repository's
  // clean filters. Callers hash the bytes they read instead (gitBlobId).
  const listed = await runGit(root, ['ls-files', '-z', '-s', '--debug', '--full-name']);
  const entries: WorktreeEntry[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at < listed.length) {
    // <mode> <sha> <stage>\t<path>\0 then five `  name: value` lines of stat data.
    const nul = listed.indexOf(0, at);
    if (nul === -1) break;
    const record = listed.subarray(at, nul);
    let end = nul + 1;
    for (let i = 0; i < 5 && end > 0; i++) end = listed.indexOf(10, end) + 1;
    if (end === 0) end = listed.length;
    const indexStat = parseIndexStat(listed.toString('latin1', nul + 1, end));
    at = end;
    const tab = record.indexOf(9);
    const [mode, sha, stage] = record.toString('latin1', 0, tab).split(' ');
    const raw = record.subarray(tab + 1);
    const key = raw.toString('latin1');
    if (seen.has(key)) continue; // conflicted paths list several stages
    seen.add(key);
    if (mode === '160000') {
      notes.push(`submodule ${raw.toString('utf8')} not entered`);
      continue;
    }
    if (mode === '120000') continue; // symlinks are never followed
    entries.push(stage === '0' ? { ...entryFor(raw, sha), ...(indexStat ? { indexStat } : {}) } : entryFor(raw));
  }
  const others = ['ls-files', '-z', '--others', '--exclude-standard'];
  const untracked = [others, ...(includeIgnored ? [[...others, '--ignored']] : [])];
  for (const args of untracked) {
    for (const raw of splitNulBytes(await runGit(root, args))) {
      const key = raw.toString('latin1');
      if (!seen.has(key)) {
        seen.add(key);
        entries.push(entryFor(raw));
      }
    }
  }
  const indexFile = (await runGit(root, ['rev-parse', '--git-path', 'index'])).toString('utf8').trim();
  const indexMtimeNs = await lstat(join(root, indexFile), { bigint: true }).then(
    (st) => st.mtimeNs,
    () => undefined,
  );
  return { entries, notes, indexMtimeNs };
}

function parseIndexStat(text: string): IndexStat | undefined {
  const ctime = /ctime: (\d+):(\d+)/.exec(text);
  const mtime = /mtime: (\d+):(\d+)/.exec(text);
  const ino = /ino: (\d+)/.exec(text);
  const size = /size: (\d+)/.exec(text);
  if (!ctime || !mtime || !ino || !size) return undefined;
  return { ctime: [Number(ctime[1]), Number(ctime[2])], mtime: [Number(mtime[1]), Number(mtime[2])], ino: Number(ino[1]), size: Number(size[1]) };
}

const LOW32 = 0xffffffffn;
const NS = 1_000_000_000n;

/**
 * git's own test for an unchanged file, without reading it: the index's stat data (ctime, mtime,
 * inode, size) still match, and the file was not modified in the same instant the index was
 * written ("racily clean"). A forged index cannot predict the inode a checkout gets.
 */
export function unchangedSinceIndex(rootReal: string, entry: WorktreeEntry, indexMtimeNs: bigint | undefined): boolean {
  const recorded = entry.indexStat;
  if (!recorded || indexMtimeNs === undefined) return false;
  // Synchronous: a stat through the thread pool costs the main thread several times more.
  let st;
  try {
    st = lstatSync(Buffer.concat([Buffer.from(rootReal), SLASH, entry.raw]) as unknown as string, { bigint: true, throwIfNoEntry: false });
  } catch {
    return false;
  }
  if (!st || !st.isFile()) return false;
  const same = (ns: bigint, [sec, nsec]: [number, number]) => ((ns / NS) & LOW32) === BigInt(sec) && ns % NS === BigInt(nsec);
  return (
    same(st.mtimeNs, recorded.mtime) &&
    same(st.ctimeNs, recorded.ctime) &&
    (st.ino & LOW32) === BigInt(recorded.ino) &&
    (st.size & LOW32) === BigInt(recorded.size) &&
    st.mtimeNs < indexMtimeNs
  );
}

/** Every regular file under root, for a folder that is not a git repository. `.git` folders are skipped. */
export async function listPlainFiles(root: string): Promise<WorktreeListing> {
  const entries: WorktreeEntry[] = [];
  const notes: string[] = [];
  const rootBytes = Buffer.from(root);
  const walk = async (rel: Buffer): Promise<void> => {
    const abs = rel.length === 0 ? rootBytes : Buffer.concat([rootBytes, SLASH, rel]);
    let handle;
    try {
      handle = await opendir(abs as unknown as string, { encoding: 'buffer' as BufferEncoding });
    } catch (err) {
      notes.push(`${rel.toString('utf8') || '.'}: folder not scanned (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      return;
    }
    const children: { name: Buffer; dir: boolean }[] = [];
    for await (const dirent of handle) {
      const name = dirent.name as unknown as Buffer;
      if (dirent.isDirectory()) {
        if (name.toString('latin1') !== '.git') children.push({ name, dir: true });
      } else if (dirent.isFile()) {
        children.push({ name, dir: false });
      }
      // symlinks, sockets, devices: never read
    }
    children.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const child of children) {
      const childRel = rel.length === 0 ? child.name : Buffer.concat([rel, SLASH, child.name]);
      if (child.dir) await walk(childRel);
      else entries.push(entryFor(childRel));
    }
  };
  await walk(Buffer.alloc(0));
  return { entries, notes };
}

const SLASH = Buffer.from('/');

export type ReadOutcome = { kind: 'data'; data: Buffer } | { kind: 'skip'; reason?: string };

/**
 * Reads working-tree files without leaving the tree: a symlink anywhere on the way, a file that is
 * not regular, or one over the size limit is not read. Folders are resolved once each.
 */
export class WorktreeReader {
  private readonly folders = new Map<string, Promise<Buffer | null>>();
  private readonly rootBytes: Buffer;

  constructor(
    rootReal: string,
    private readonly maxFileSize: number,
  ) {
    this.rootBytes = Buffer.from(rootReal);
  }

  private realFolder(folder: Buffer): Promise<Buffer | null> {
    const key = folder.toString('latin1');
    let real = this.folders.get(key);
    if (!real) {
      real = realpath(folder as unknown as string, { encoding: 'buffer' as BufferEncoding }).then(
        (r) => r as unknown as Buffer,
        () => null,
      );
      this.folders.set(key, real);
    }
    return real;
  }

  private inside(real: Buffer): boolean {
    if (real.equals(this.rootBytes)) return true;
    return real.length > this.rootBytes.length && real[this.rootBytes.length] === 0x2f && real.subarray(0, this.rootBytes.length).equals(this.rootBytes);
  }

  /**
   * Reads one file (async for the caller, synchronous inside): five thread-pool round trips per
   * file (lstat, open, fstat, read, close) cost more than the reads themselves on trees of many
   * small files (100,000 files: 7.8 s with fs/promises, the main thread mostly waiting).
   */
  async read(entry: WorktreeEntry): Promise<ReadOutcome> {
    const abs = Buffer.concat([this.rootBytes, SLASH, entry.raw]);
    const path = abs as unknown as string; // fs accepts a Buffer path: names need not be UTF-8
    let stat;
    try {
      stat = lstatSync(path, { throwIfNoEntry: false });
    } catch (err) {
      return { kind: 'skip', reason: `${entry.path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
    if (!stat) return { kind: 'skip' };
    if (stat.isSymbolicLink() || !stat.isFile()) return { kind: 'skip' };
    if (stat.size > this.maxFileSize) {
      return { kind: 'skip', reason: `${entry.path}: skipped, ${stat.size} bytes is over --max-file-size ${this.maxFileSize}` };
    }
    const slash = abs.lastIndexOf(0x2f);
    const folder = abs.subarray(0, slash);
    const real = await this.realFolder(folder);
    if (!real || !this.inside(real)) {
      return { kind: 'skip', reason: `${entry.path}: skipped, it resolves outside the scanned tree` };
    }
    try {
      return { kind: 'data', data: readFileSync(path) };
    } catch (err) {
      return { kind: 'skip', reason: `${entry.path}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
  }
}

/** The id git gives these bytes as a blob, to tell whether a work-tree file equals a scanned blob. */
export function gitBlobId(data: Buffer): string {
  return createHash('sha1').update(`blob ${data.length}\0`).update(data).digest('hex');
}
