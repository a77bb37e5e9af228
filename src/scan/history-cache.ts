import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../detect/load-rules.js';
import { writeFileAtomic } from '../migrate/atomic-write.js';
import type { BlobChange } from '../sources/git-history.js';
import { runGit } from '../sources/git.js';

/**
 * What a full-history scan remembers for the next one (`--cache FILE`): which blobs hold nothing
 * (no match, no structure trigger) under these rules, and where the other blobs sit in the
 * history as of these ref tips. Never a secret, nor a hash of one: the ids of blobs with nothing
 * found in them, commit ids, paths, dates and authors. A blob that holds a secret is named by
 * the commit and path it sits at, never by its id (a blob id is a SHA-1 of the file's bytes: of a
 * one-line .env it would be a hash of the secret). Those blobs are read and scanned again on
 * every run.
 */
export interface HistoryCache {
  key: string;
  /** The commits the refs (and HEAD) pointed at when the cache was written. */
  tips: string[];
  /** Blobs the rules found nothing in. */
  clean: Set<string>;
  /** Blobs with a structure trigger but no match, at no structured path: nothing to report unless one is added. */
  quiet: Set<string>;
  /** The other blobs, each with the changes that brought it in (`parents` left empty). */
  relevant: Map<string, BlobChange[]>;
}

/** A cache as read from its file: the changes of the relevant blobs still to be found (resolveChanges). */
export interface StoredCache extends Omit<HistoryCache, 'relevant'> {
  changes: Omit<BlobChange, 'blob' | 'parents'>[];
}

const FORMAT = 'vaultsweep-history-cache';
const VERSION = 3;
const SIGNATURE = `{"format":"${FORMAT}"`;

/** What the cached facts depend on: a different key and the cache is ignored. */
export function cacheKey(parts: { toolVersion: string; engine: unknown; maxFileSize: number; skipPaths: unknown; subdir: string; shallow: string }): string {
  return createHash('sha256').update(JSON.stringify([VERSION, parts])).digest('hex');
}

/** The commits every ref and HEAD point at (tags peeled; refs to trees or blobs left out). */
export async function refTips(root: string): Promise<string[]> {
  // `--all` takes HEAD in when it names a commit; a bare `HEAD` argument would be read as a path
  // when HEAD names a branch with no commits yet.
  const out = await runGit(root, ['rev-list', '--no-walk', '--all', '--']);
  return [...new Set(out.toString('latin1').split('\n').filter(Boolean))].sort();
}

/**
 * A partial clone fetches blobs on demand: a blob that arrives later may sit in an old commit,
 * which an incremental scan would not walk again.
 */
export async function isPartialClone(root: string): Promise<boolean> {
  const out = await runGit(root, ['config', '--get-regexp', '^(extensions\\.partialclone|remote\\..*\\.promisor)$']).catch(() => Buffer.alloc(0));
  return out.length > 0;
}

/**
 * Whether every one of these commits is still reachable from a ref (no force-push, no deleted
 * branch). Checked against the full list of reachable commits: `rev-list A --not --all` trusts
 * commit dates and, with clocks skewed (a commit older than its parent), names reachable commits.
 */
export async function allStillReachable(root: string, tips: string[]): Promise<boolean> {
  if (tips.length === 0) return true;
  const out = await runGit(root, ['rev-list', '--all', '--']).catch(() => null);
  if (out === null) return false;
  const reachable = new Set(out.toString('latin1').split('\n'));
  return tips.every((tip) => reachable.has(tip));
}

/** The shallow boundary (`git rev-parse --git-path shallow`), so that deepening a clone (which adds old commits) invalidates the cache. */
export function shallowState(shallowFile: string): string {
  try {
    return readFileSync(shallowFile, 'latin1');
  } catch {
    return '';
  }
}

export interface CacheLoad {
  cache: StoredCache | null;
  /** Why the cache was not used, for the notes. */
  reason?: string;
}

/**
 * Reads the cache at `file`. A missing or empty file, a stale key or a damaged cache mean a full
 * scan (which writes it anew); a file that is not a cache at all is refused, so that a mistyped
 * path never gets overwritten.
 */
export function loadHistoryCache(file: string, key: string): CacheLoad {
  if (!existsSync(file)) {
    if (!existsSync(dirname(file)) || !statSync(dirname(file)).isDirectory()) throw new InputError(`--cache ${file}: the folder does not exist`);
    return { cache: null, reason: 'no cache yet' };
  }
  if (!statSync(file).isFile()) throw new InputError(`--cache ${file}: not a file`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`--cache ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (text.length === 0) return { cache: null, reason: 'the cache file is empty' };
  if (!text.startsWith(SIGNATURE)) throw new InputError(`--cache ${file}: not a vaultsweep cache; refusing to overwrite it`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { cache: null, reason: 'the cache file is damaged' };
  }
  const parsed = parseCache(data);
  if (!parsed) return { cache: null, reason: 'the cache file is damaged' };
  if (parsed.key !== key) return { cache: null, reason: 'written by another version or with other rules or options' };
  return { cache: parsed };
}

function parseCache(data: unknown): StoredCache | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.version !== VERSION || typeof d.key !== 'string' || !Array.isArray(d.tips) || typeof d.clean !== 'string') return null;
  const width = typeof d.idLength === 'number' ? d.idLength : 40;
  if (!(width === 40 || width === 64) || typeof d.quiet !== 'string' || !Array.isArray(d.changes)) return null;
  const clean = idSet(d.clean, width);
  const quiet = idSet(d.quiet, width);
  if (!clean || !quiet) return null;
  const changes: StoredCache['changes'] = [];
  for (const c of d.changes as unknown[]) {
    if (!Array.isArray(c) || c.length !== 4 || !c.every((v) => typeof v === 'string')) return null;
    changes.push({ commit: c[0], date: c[1], author: c[2], path: c[3] });
  }
  if (!d.tips.every((t) => typeof t === 'string')) return null;
  return { key: d.key, tips: d.tips as string[], clean, quiet, changes };
}

/**
 * The blob each stored change brought in, looked up as `<commit>:<path>` in one `git cat-file`.
 * Null when one cannot be found (then the cache is not used).
 */
export async function resolveChanges(root: string, changes: StoredCache['changes']): Promise<Map<string, BlobChange[]> | null> {
  const relevant = new Map<string, BlobChange[]>();
  if (changes.length === 0) return relevant;
  // One name a line (`cat-file -z` needs git 2.38): a path with a newline cannot be looked up.
  if (changes.some((c) => c.path.includes('\n'))) return null;
  const input = changes.map((c) => `${c.commit}:${c.path}\n`).join('');
  const out = await runGit(root, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], input).catch(() => null);
  if (!out) return null;
  const lines = out.toString('latin1').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length !== changes.length) return null;
  for (const [i, line] of lines.entries()) {
    const [blob, type] = line.split(' ');
    if (type !== 'blob') return null;
    const change: BlobChange = { ...changes[i], blob, parents: [] };
    const list = relevant.get(blob);
    if (list) list.push(change);
    else relevant.set(blob, [change]);
  }
  return relevant;
}

/** Object ids stored end to end in one string. */
function idSet(ids: string, width: number): Set<string> | null {
  if (ids.length % width !== 0 || !/^[0-9a-f]*$/.test(ids)) return null;
  const set = new Set<string>();
  for (let i = 0; i < ids.length; i += width) set.add(ids.slice(i, i + width));
  return set;
}

/** Writes the cache in one rename, readable by its owner only (also when the file was there before). */
export function saveHistoryCache(file: string, cache: HistoryCache): void {
  const clean = [...cache.clean].sort();
  const quiet = [...cache.quiet].sort();
  const changes: [string, string, string, string][] = [];
  for (const list of cache.relevant.values()) for (const c of list) changes.push([c.commit, c.date, c.author, c.path]);
  const idLength = clean[0]?.length ?? quiet[0]?.length ?? cache.tips[0]?.length ?? 40;
  // The signature must stay the first bytes: it is how a cache is told from any other file.
  const body = JSON.stringify({ format: FORMAT, version: VERSION, key: cache.key, tips: cache.tips, idLength, clean: clean.join(''), quiet: quiet.join(''), changes });
  writeFileAtomic(file, body, 0o600);
  chmodSync(file, 0o600);
}
