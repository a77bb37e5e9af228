import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { runGit } from '../../sources/git.js';
import type { Journal } from '../journal.js';
import type { PlanLocation, PlanSecret } from '../plan/schema.js';
import { decodeLocationText, lineStarts, readLocation, sha256Of } from '../values.js';

/** One working-tree file as apply read it: its text and the hash that says whether it changed since. */
export interface SourceFile {
  file: string;
  text: string;
  sha256: string;
  starts: number[];
}

/** A location whose literal is in the file now, at `start`..`end`. */
export interface LiveLocation {
  location: PlanLocation;
  start: number;
  end: number;
}

export interface CollectedSecret {
  secret: PlanSecret;
  /** The secret, when a location still holds it (checked against secretSha256). */
  value?: string;
  live: LiveLocation[];
  /** Locations an earlier run already rewrote (the journal says so and the file is as we left it). */
  done: PlanLocation[];
  /** Why the secret cannot go on: a file changed, is gone, or escapes the repository. */
  problem?: string;
}

/** Lines searched around the planned position when an earlier rewrite of the same file moved a literal. */
const RELOCATE_WINDOW = 200;

export class SourceFiles {
  private readonly cache = new Map<string, SourceFile | { error: string }>();
  /** Dry run: the text each file would have, and what it had (`undefined`: did not exist). */
  private readonly staged = new Map<string, { before: string | undefined; after: string }>();
  private readonly realRoot: string;

  constructor(readonly root: string) {
    this.realRoot = realpathSync(root);
  }

  /** Reads a working-tree file, refusing anything that resolves outside the repository. */
  read(file: string): SourceFile | { error: string } {
    const cached = this.cache.get(file);
    if (cached) return cached;
    let result: SourceFile | { error: string };
    const absolute = join(this.root, file);
    try {
      if (lstatSync(absolute).isSymbolicLink()) throw new Error('is a symbolic link: vaultsweep does not rewrite through links');
      const real = realpathSync(absolute);
      const rel = relative(this.realRoot, real);
      if (rel.startsWith(`..${sep}`) || rel === '..') throw new Error('resolves outside the repository');
      const text = readFileSync(real, 'utf8');
      result = { file, text, sha256: sha256Of(text), starts: lineStarts(text) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result = { error: `${file}: ${code === 'ENOENT' ? 'no longer exists' : code ?? (error as Error).message}` };
    }
    this.cache.set(file, result);
    return result;
  }

  forget(file: string): void {
    if (!this.staged.has(file)) this.cache.delete(file);
  }

  /** Dry run: later reads see `text`, nothing is written; `changes()` lists what would change. */
  stage(file: string, text: string): void {
    if (!this.staged.has(file)) {
      const current = this.read(file);
      this.staged.set(file, { before: 'error' in current ? undefined : current.text, after: text });
    } else this.staged.get(file)!.after = text;
    this.cache.set(file, { file, text, sha256: sha256Of(text), starts: lineStarts(text) });
  }

  changes(): { file: string; before: string; after: string }[] {
    return [...this.staged].map(([file, { before, after }]) => ({ file, before: before ?? '', after })).sort((a, b) => a.file.localeCompare(b.file));
  }
}

/**
 * Finds a single-line literal that an earlier rewrite of the same file moved (a reference of
 * another length on its line, a block added above it): same length, same hash, near the planned line.
 */
export function relocate(source: SourceFile, location: PlanLocation, secretSha256: string): (LiveLocation & { value: string }) | undefined {
  if (location.line !== location.endLine) return undefined;
  const length = location.endColumn - location.column;
  const fromLine = Math.max(0, location.line - 1 - RELOCATE_WINDOW);
  const toLine = Math.min(source.starts.length - 1, location.line - 1 + RELOCATE_WINDOW);
  const from = source.starts[fromLine];
  const to = toLine + 1 < source.starts.length ? source.starts[toLine + 1] : source.text.length;
  for (let start = from; start + length <= to; start++) {
    const value = decodeLocationText(source.text.slice(start, start + length), location);
    if (sha256Of(value) === secretSha256) return { location, start, end: start + length, value };
  }
  return undefined;
}

/**
 * Reads each secret from its working-tree locations and checks every one against the plan's
 * hash. A location an earlier run rewrote is recognised through the journal; any other mismatch
 * stops the secret, so a changed file is never rewritten from a stale plan.
 */
export function collectSecret(secret: PlanSecret, files: SourceFiles, journal: Journal | undefined, journalKey: string): CollectedSecret {
  const result: CollectedSecret = { secret, live: [], done: [] };
  for (const location of secret.locations) {
    if (location.commit) continue;
    const source = files.read(location.file);
    if ('error' in source) {
      result.problem = source.error;
      return result;
    }
    const read = readLocation(source.text, location, secret.secretSha256, source.starts);
    if (read.ok) {
      result.value = read.value;
      result.live.push({ location, start: read.start, end: read.end });
      continue;
    }
    // The file is as an earlier run of ours left it, and that run rewrote this secret in it.
    const rewrittenByUs = journal?.rewrites(location.file).includes(source.sha256) ?? false;
    if (rewrittenByUs && journal?.rewroteSecretIn(journalKey, location.file)) {
      result.done.push(location);
      continue;
    }
    const moved = rewrittenByUs ? relocate(source, location, secret.secretSha256) : undefined;
    if (moved) {
      result.value = moved.value;
      result.live.push({ location, start: moved.start, end: moved.end });
      continue;
    }
    result.problem = read.reason;
    return result;
  }
  return result;
}

/** The secret from a history location (`--include-history-only`): the blob at that commit. */
type HistoryLocation = Pick<PlanLocation, 'file' | 'line' | 'column' | 'endLine' | 'endColumn' | 'context'> & { commit: string | null };

export async function valueFromHistory(root: string, secret: { secretSha256: string; locations: HistoryLocation[] }): Promise<string | undefined> {
  for (const location of secret.locations) {
    if (!location.commit) continue;
    let blob: Buffer;
    try {
      blob = await runGit(root, ['cat-file', 'blob', `${location.commit}:${location.file}`]);
    } catch {
      continue;
    }
    const read = readLocation(blob.toString('utf8'), { ...location, rewrite: 'none' } as PlanLocation, secret.secretSha256);
    if (read.ok) return read.value;
  }
  return undefined;
}
