import { spawnGit, GitError, type GitProcess } from './git.js';

export interface BlobInfo {
  sha: string;
  size: number;
}

/** Every blob in the object store, in pack order (cheapest to read back), from the headers only. */
export async function listAllBlobs(cwd: string): Promise<BlobInfo[]> {
  const child = spawnGit(cwd, ['cat-file', '--batch-all-objects', '--unordered', '--batch-check=%(objecttype) %(objectname) %(objectsize)']);
  child.stdin.end();
  const blobs: BlobInfo[] = [];
  let rest = '';
  child.stdout.setEncoding('latin1');
  child.stdout.on('data', (text: string) => {
    const lines = (rest + text).split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('blob ')) continue;
      const space = line.indexOf(' ', 5);
      blobs.push({ sha: line.slice(5, space), size: Number(line.slice(space + 1)) });
    }
  });
  await finished(child, 'cat-file --batch-check');
  return blobs;
}

export interface BlobContent {
  sha: string;
  data: Buffer;
}

/**
 * Streams the contents of the given blobs through one `git cat-file --batch`. `onBlob` may return
 * a promise to apply backpressure (the reader pauses until it settles).
 */
export async function readBlobs(cwd: string, shas: Iterable<string>, onBlob: (blob: BlobContent) => void | Promise<void>): Promise<void> {
  const child = spawnGit(cwd, ['cat-file', '--batch']);
  const done = finished(child, 'cat-file --batch');
  done.catch(() => undefined); // awaited below; a failing consumer must not leave it unhandled
  feed(child, shas);
  try {
    await consumeBatch(child, onBlob);
    await done;
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

async function consumeBatch(child: GitProcess, onBlob: (blob: BlobContent) => void | Promise<void>): Promise<void> {

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let header: { sha: string; size: number } | null = null;
  let failure: Error | null = null;

  const take = (n: number): Buffer => {
    // Gather exactly n bytes from the pending chunks; a blob inside one chunk is not copied.
    if (pending[0].length >= n) {
      const head = pending[0];
      const out = head.subarray(0, n);
      pending[0] = head.subarray(n);
      if (pending[0].length === 0) pending.shift();
      pendingBytes -= n;
      return out;
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const head = pending[0];
      const part = Math.min(head.length, n - filled);
      head.copy(out, filled, 0, part);
      filled += part;
      if (part === head.length) pending.shift();
      else pending[0] = head.subarray(part);
    }
    pendingBytes -= n;
    return out;
  };

  const headerLine = (): string | null => {
    for (let i = 0, seen = 0; i < pending.length; seen += pending[i].length, i++) {
      const at = pending[i].indexOf(10);
      if (at !== -1) return take(seen + at + 1).toString('latin1').slice(0, -1);
    }
    return null;
  };

  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    pending.push(chunk);
    pendingBytes += chunk.length;
    for (;;) {
      if (!header) {
        const line = headerLine();
        if (line === null) break;
        const [sha, type, size] = line.split(' ');
        if (type === 'missing') continue;
        if (type !== 'blob') {
          failure ??= new GitError(`cat-file: ${sha} is a ${type}, not a blob`);
          header = { sha, size: Number(size) };
          continue;
        }
        header = { sha, size: Number(size) };
      }
      if (pendingBytes < header.size + 1) break;
      const data = take(header.size);
      take(1); // the newline after the content
      const sha = header.sha;
      header = null;
      const wait = onBlob({ sha, data });
      if (wait) await wait;
    }
  }
  pending = [];
  if (failure) throw failure;
}

function feed(child: GitProcess, shas: Iterable<string>): void {
  const iterator = shas[Symbol.iterator]();
  child.stdin.on('error', () => undefined);
  const write = (): void => {
    let batch = '';
    for (let r = iterator.next(); !r.done; r = iterator.next()) {
      batch += r.value + '\n';
      if (batch.length > 64 * 1024) {
        if (!child.stdin.write(batch)) {
          child.stdin.once('drain', write);
          return;
        }
        batch = '';
      }
    }
    child.stdin.end(batch);
  };
  write();
}

export function finished(child: GitProcess, what: string): Promise<void> {
  const err: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => err.push(d));
  return new Promise((resolve, reject) => {
    child.on('error', (e) => reject(new GitError(`cannot run git ${what}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new GitError(`git ${what} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
  });
}

/** One file version brought in by a commit. */
export interface BlobChange {
  commit: string;
  date: string;
  author: string;
  path: string;
  blob: string;
  /** Blob(s) at that path in the parent(s); all-zero when the file is new. */
  parents: string[];
}

const ZERO = '0000000000000000000000000000000000000000';

/**
 * Walks commits (`revArgs`, e.g. `--all` or `A..B`, and `stdinRevs`) and reports every blob each one adds or
 * changes, with its path. Merges report only what differs from every parent (`--cc`), which is
 * what a conflict resolution or an evil merge introduced. With `renames`, a moved file names its
 * old version as the parent, so that a move does not look like new content.
 */
export async function walkChanges(
  cwd: string,
  revArgs: string[],
  onChange: (change: BlobChange) => void,
  options: { renames?: boolean; stdinRevs?: string[] } = {},
): Promise<number> {
  const child = spawnGit(cwd, [
    // The repository's own config must not change what is printed: root commits shown in full,
    // UTF-8 names and dates.
    '-c', 'log.showRoot=true', '-c', 'i18n.logOutputEncoding=UTF-8',
    'log', '--raw', '--cc', '--root', '--encoding=UTF-8', options.renames ? '-M' : '--no-renames', '--no-abbrev', '-z',
    '--no-textconv', '--no-ext-diff', '--no-color', '--format=%x01%H%x00%aI%x00%an <%ae>', ...revArgs,
    ...(options.stdinRevs ? ['--stdin'] : []), '--',
  ]);
  // Revisions on stdin (`^<sha>` excludes one): tens of thousands of them do not fit in argv.
  child.stdin.on('error', () => undefined);
  child.stdin.end(options.stdinRevs ? options.stdinRevs.map((r) => `${r}\n`).join('') : undefined);
  const done = finished(child, 'log');
  done.catch(() => undefined); // awaited below; a parse error must not leave it unhandled
  let commits = 0;
  let rest = '';
  let commit = '';
  let date = '';
  let author = '';
  // What the next token is: a commit's date or author, the path(s) of a raw entry, or anything.
  let headerField = 0;
  let pathsLeft = 0;
  let pending: { blob: string; parents: string[] } | null = null;
  child.stdout.setEncoding('utf8');
  try {
    for await (const text of child.stdout as AsyncIterable<string>) {
      const tokens = (rest + text).split('\0');
      rest = tokens.pop() ?? '';
      for (const token of tokens) {
        // Positional fields first: an author name or a path may start with any byte, even \x01.
        if (headerField === 1) {
          date = token;
          headerField = 2;
          continue;
        }
        if (headerField === 2) {
          author = token;
          headerField = 0;
          continue;
        }
        if (pathsLeft > 0) {
          // A rename or copy prints the old path, then the new one: the new one is the file's path.
          pathsLeft--;
          if (pathsLeft === 0 && pending) onChange({ commit, date, author, path: token, blob: pending.blob, parents: pending.parents });
          continue;
        }
        const at = token.startsWith('\x01') ? 0 : token.startsWith('\n\x01') ? 1 : -1;
        if (at >= 0) {
          commit = token.slice(at + 1);
          headerField = 1;
          commits++;
          continue;
        }
        const entry = token.replace(/^\n+/, '');
        if (!entry.startsWith(':')) continue;
        // `:<mode>... <sha>... <status>` with one more mode and sha than parents (`::` for merges).
        const parentCount = /^:+/.exec(entry)![0].length;
        const fields = entry.slice(parentCount).split(' ');
        const newMode = fields[parentCount];
        const shas = fields.slice(parentCount + 1, 2 * parentCount + 2);
        const status = fields[2 * parentCount + 2] ?? '';
        const blob = shas[shas.length - 1];
        const isFile = newMode === '100644' || newMode === '100755';
        pending = isFile && blob && blob !== ZERO ? { blob, parents: shas.slice(0, -1) } : null;
        pathsLeft = parentCount === 1 && /^[RC]/.test(status) ? 2 : 1;
      }
    }
    await done;
  } finally {
    if (child.exitCode === null) child.kill();
  }
  return commits;
}
