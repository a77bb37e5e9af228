import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../detect/load-rules.js';
import { writeFileAtomic } from '../migrate/atomic-write.js';
import type { BlobChange } from '../sources/git-history.js';
import { runGit } from '../sources/git.js';

/**
 * What a full-history scan remembers for the next one (`--cache FILE`): which blobs hold nothing
 * (no match, no structure trigger) under these rules, and where the other blobs sit in the
 * history as of these ref tips. Never a secret, nor a hash of one: blob ids, commit ids, paths,
 * dates and authors only. The blobs with findings are read and scanned again on every run.
 */
export interface HistoryCache {
  key: string;
  /** The commits the refs (and HEAD) pointed at when the cache was written. */
  tips: string[];
  /** Blobs the rules found nothing in. */
  clean: Set<string>;
  /** Blobs with a structure trigger but no match, at no structured path: nothing to report unless one is added. */
  quiet: Set<string>;
  /** The other blobs, each with the changes that brought it in (none: dangling). */
  relevant: Map<string, BlobChange[]>;
}

const FORMAT = 'vaultsweep-history-cache';
const VERSION = 2;
const SIGNATURE = `{"format":"${FORMAT}"`;

/** What the cached facts depend on: a different key and the cache is ignored. */
export function cacheKey(parts: { toolVersion: string; engine: unknown; maxFileSize: number; skipPaths: unknown; subdir: string; shallow: string }): string {
  return createHash('sha256').update(JSON.stringify([VERSION, parts])).digest('hex');
}

/** The commits every ref and HEAD point at (tags peeled; refs to trees or blobs left out). */
export async function refTips(root: string): Promise<string[]> {
  const out = await runGit(root, ['rev-list', '--no-walk', '--all', 'HEAD']);
  return [...new Set(out.toString('latin1').split('\n').filter(Boolean))].sort();
}

/**
 * Whether every one of these commits is still reachable from a ref (no force-push, no deleted
 * branch). Checked against the full list of reachable commits: `rev-list A --not --all` trusts
 * commit dates and, with clocks skewed (a commit older than its parent), names reachable commits.
 */
export async function allStillReachable(root: string, tips: string[]): Promise<boolean> {
  if (tips.length === 0) return true;
  const out = await runGit(root, ['rev-list', '--all', 'HEAD']).catch(() => null);
  if (out === null) return false;
  const reachable = new Set(out.toString('latin1').split('\n'));
  return tips.every((tip) => reachable.has(tip));
}

/** The shallow boundary, so that deepening a clone (which adds old commits) invalidates the cache. */
export function shallowState(gitDir: string): string {
  try {
    return readFileSync(join(gitDir, 'shallow'), 'latin1');
  } catch {
    return '';
  }
}

export interface CacheLoad {
  cache: HistoryCache | null;
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
  const text = readFileSync(file, 'utf8');
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

function parseCache(data: unknown): HistoryCache | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.version !== VERSION || typeof d.key !== 'string' || !Array.isArray(d.tips) || typeof d.clean !== 'string') return null;
  if (typeof d.relevant !== 'object' || d.relevant === null) return null;
  const width = typeof d.idLength === 'number' ? d.idLength : 40;
  if (!(width === 40 || width === 64) || typeof d.quiet !== 'string') return null;
  const clean = idSet(d.clean, width);
  const quiet = idSet(d.quiet, width);
  if (!clean || !quiet) return null;
  const relevant = new Map<string, BlobChange[]>();
  for (const [blob, changes] of Object.entries(d.relevant as Record<string, unknown>)) {
    if (!Array.isArray(changes)) return null;
    const list: BlobChange[] = [];
    for (const c of changes) {
      if (!Array.isArray(c) || c.length !== 5 || !c.slice(0, 4).every((v) => typeof v === 'string') || !Array.isArray(c[4])) return null;
      list.push({ commit: c[0], date: c[1], author: c[2], path: c[3], blob, parents: c[4] as string[] });
    }
    relevant.set(blob, list);
  }
  if (!d.tips.every((t) => typeof t === 'string')) return null;
  return { key: d.key, tips: d.tips as string[], clean, quiet, relevant };
}

/** Object ids stored end to end in one string. */
function idSet(ids: string, width: number): Set<string> | null {
  if (ids.length % width !== 0 || !/^[0-9a-f]*$/.test(ids)) return null;
  const set = new Set<string>();
  for (let i = 0; i < ids.length; i += width) set.add(ids.slice(i, i + width));
  return set;
}

/** Writes the cache in one rename, readable by its owner only. */
export function saveHistoryCache(file: string, cache: HistoryCache): void {
  const clean = [...cache.clean].sort();
  const quiet = [...cache.quiet].sort();
  const relevant: Record<string, [string, string, string, string, string[]][]> = {};
  for (const [blob, changes] of [...cache.relevant].sort(([a], [b]) => (a < b ? -1 : 1))) {
    relevant[blob] = changes.map((c) => [c.commit, c.date, c.author, c.path, c.parents]);
  }
  const idLength = clean[0]?.length ?? quiet[0]?.length ?? cache.tips[0]?.length ?? 40;
  // The signature must stay the first bytes: it is how a cache is told from any other file.
  const body = JSON.stringify({ format: FORMAT, version: VERSION, key: cache.key, tips: cache.tips, idLength, clean: clean.join(''), quiet: quiet.join(''), relevant });
  writeFileAtomic(file, body, 0o600);
}
