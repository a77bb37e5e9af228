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
