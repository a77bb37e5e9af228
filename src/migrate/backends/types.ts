import type { StoreTarget } from '../plan/schema.js';

/** What a store write did. `unchanged`: the key already held this value, nothing was written. */
export type WriteOutcome = 'created' | 'updated' | 'unchanged' | 'skipped-conflict';

export type ConflictPolicy = 'fail' | 'overwrite' | 'skip';

export interface WriteOptions {
  onConflict: ConflictPolicy;
  /** Derived from the plan, the same on every retry of the same write (Secrets Manager's ClientRequestToken). */
  requestToken: string;
}

/** Why a store call failed, so the caller can say what the user must do. */
export type StoreErrorKind = 'unreachable' | 'auth' | 'denied' | 'conflict' | 'invalid' | 'server';

export class StoreError extends Error {
  constructor(
    message: string,
    readonly kind: StoreErrorKind,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * A secret store holding named secrets of several keys each (a Vault KV path, a Secrets Manager
 * secret with a JSON SecretString). Writes merge one key into what is there; they never drop the
 * other keys. A backend never touches the user's files.
 */
export interface SecretStore {
  readonly kind: 'vault' | 'aws-secrets-manager';
  /** Where it is, for messages: `http://127.0.0.1:8200 (mount secret, KV v2)`. */
  describe(): string;
  /** Reachable, authenticated, the mount or region usable: checked before any secret is touched. */
  preflight(): Promise<void>;
  /** The key's current value, or undefined when the secret or the key does not exist. */
  readKey(target: StoreTarget): Promise<string | undefined>;
  writeKey(target: StoreTarget, value: string, options: WriteOptions): Promise<WriteOutcome>;
}

/** A key's value as the store holds it, as text (undefined when absent). */
export function keyValue(data: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = data?.[key];
  return value === undefined || value === null ? undefined : typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * What to do when writing `value` under a key that holds `existing`: nothing (same value), skip or
 * stop on a different value as the policy says, or write. `where` names the secret in the message.
 */
export function conflictDecision(existing: unknown, value: string, options: WriteOptions, where: string, key: string): 'unchanged' | 'skipped-conflict' | 'write' {
  if (existing === value) return 'unchanged';
  if (existing === undefined || existing === null || options.onConflict === 'overwrite') return 'write';
  if (options.onConflict === 'skip') return 'skipped-conflict';
  throw new StoreError(`${where} already has a different value under "${key}": rerun with --on-conflict overwrite or skip, or choose another key in the plan`, 'conflict');
}
