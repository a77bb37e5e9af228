import { appendFileSync, closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../detect/load-rules.js';

/**
 * The apply journal: `.vaultsweep/journal.jsonl` at the repository root, one JSON object per step,
 * appended and flushed before the next step starts. It never holds a secret value, only hashes,
 * store targets and file names. A re-run reads it to resume where a crash or Ctrl-C stopped.
 */

export type JournalStep =
  /** The secret was written to (or found already in) the store. */
  | 'stored'
  /** Read back from the store and equal to the value in the files. */
  | 'verified'
  /** A file was replaced with its rewritten content; `fileSha256` is the content written. */
  | 'rewritten'
  /** Every step for this secret is finished. */
  | 'done'
  /** The secret was stopped; `detail` says why. */
  | 'stopped';

export interface JournalEntry {
  time: string;
  run: string;
  step: JournalStep;
  /** secretSha256 + target: the same secret moved to the same place. */
  secret: string;
  target?: string;
  file?: string;
  fileSha256?: string;
  outcome?: string;
  detail?: string;
}

export const JOURNAL_DIR = '.vaultsweep';

export class Journal {
  private readonly file: string;
  private readonly lockFile: string;
  private fd: number | undefined;
  readonly entries: JournalEntry[];

  constructor(
    readonly root: string,
    readonly run: string,
  ) {
    const dir = join(root, JOURNAL_DIR);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // The folder ignores itself, so the journal is never committed by accident.
    const ignore = join(dir, '.gitignore');
    if (!existsSync(ignore)) writeFileSync(ignore, '*\n');
    this.file = join(dir, 'journal.jsonl');
    this.lockFile = join(dir, 'apply.lock');
    this.entries = existsSync(this.file) ? parseJournal(readFileSync(this.file, 'utf8')) : [];
  }

  /** One apply at a time per repository: a second one would race on the same files. */
  lock(): void {
    try {
      this.fd = openSync(this.lockFile, 'wx', 0o600);
      writeSync(this.fd, `${process.pid}\n`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number.parseInt(readFileSync(this.lockFile, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new InputError(`another vaultsweep apply (pid ${pid}) is running in this repository; wait for it, or remove ${this.lockFile} if it is gone`);
      }
      unlinkSync(this.lockFile); // left by a process that died: ours now
      this.lock();
    }
  }

  unlock(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    try {
      unlinkSync(this.lockFile);
    } catch {
      // already gone
    }
  }

  record(entry: Omit<JournalEntry, 'time' | 'run'>): void {
    const full: JournalEntry = { time: new Date().toISOString(), run: this.run, ...entry };
    const fd = openSync(this.file, 'a', 0o600);
    try {
      appendFileSync(fd, `${JSON.stringify(full)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.entries.push(full);
  }

  has(secret: string, step: JournalStep, target?: string): boolean {
    return this.entries.some((e) => e.secret === secret && e.step === step && (target === undefined || e.target === target));
  }

  rewroteSecretIn(secret: string, file: string): boolean {
    return this.entries.some((e) => e.secret === secret && e.step === 'rewritten' && e.file === file);
  }

  /** The content hashes vaultsweep wrote to this file, newest last. */
  rewrites(file: string): string[] {
    return this.entries.filter((e) => e.step === 'rewritten' && e.file === file && e.fileSha256).map((e) => e.fileSha256 as string);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads the journal; a torn last line (a crash mid-append) is dropped, any other bad line is an error. */
export function parseJournal(text: string): JournalEntry[] {
  const lines = text.split('\n');
  const entries: JournalEntry[] = [];
  lines.forEach((line, index) => {
    if (!line.trim()) return;
    try {
      entries.push(JSON.parse(line) as JournalEntry);
    } catch {
      if (index < lines.length - 1 && lines.slice(index + 1).some((l) => l.trim())) {
        throw new InputError(`${JOURNAL_DIR}/journal.jsonl line ${index + 1} is not JSON: fix or remove that line`);
      }
    }
  });
  return entries;
}
