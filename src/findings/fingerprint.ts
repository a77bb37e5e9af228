import { createHash } from 'node:crypto';

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Stable across runs and machines: depends only on the rule and the secret bytes. */
export function findingId(rule: string, secretSha256: string): string {
  return sha256Hex(`${rule}\0${secretSha256}`).slice(0, 16);
}

/**
 * Enough of the value to recognise it, never enough to use it: at most a quarter of the
 * characters (and at most 4) stay visible.
 */
export function redact(secret: string): string {
  const firstLine = secret.split(/\r?\n/, 1)[0];
  if (secret.startsWith('-----BEGIN')) return `${firstLine}…(redacted, ${secret.length} chars)`;
  const visible = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, visible)}${'*'.repeat(Math.min(8, Math.max(4, secret.length - visible)))}`;
}
