import { isVaultTarget, type PlanBackend, type StoreTarget } from './plan/schema.js';

/**
 * The URI a file or environment variable holds in place of a secret:
 * `vault://<mount>/<path>#<key>` or `aws-sm://<name>#<key>`. `vaultsweep run` resolves them.
 */
export function referenceUri(target: StoreTarget, backend: PlanBackend): string {
  if (isVaultTarget(target)) {
    const ns = backend.type === 'vault' && backend.namespace ? `?namespace=${encodeURIComponent(backend.namespace)}` : '';
    return `vault://${target.mount}/${target.path}${ns}#${encodeURIComponent(target.key)}`;
  }
  return `aws-sm://${target.name}#${encodeURIComponent(target.key)}`;
}

export type ParsedReference =
  | { kind: 'vault'; fullPath: string; key: string; namespace?: string }
  | { kind: 'aws-secrets-manager'; name: string; key: string };

/** Reads a reference URI back; undefined for any other value (a plain value stays as it is). */
export function parseReference(value: string): ParsedReference | undefined {
  const vault = /^vault:\/\/([^?#]+)(?:\?namespace=([^#]*))?#(.+)$/.exec(value);
  if (vault) {
    return { kind: 'vault', fullPath: vault[1].replace(/^\/+|\/+$/g, ''), key: decodeURIComponent(vault[3]), ...(vault[2] ? { namespace: decodeURIComponent(vault[2]) } : {}) };
  }
  const aws = /^aws-sm:\/\/([^#]+)#(.+)$/.exec(value);
  if (aws) return { kind: 'aws-secrets-manager', name: aws[1], key: decodeURIComponent(aws[2]) };
  return undefined;
}
