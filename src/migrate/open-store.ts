import { AwsSecretsManagerStore } from './backends/aws-secrets-manager.js';
import type { SecretStore } from './backends/types.js';
import { VaultKvStore } from './backends/vault.js';
import { vaultConnection, type VaultFlags } from './backends/vault-config.js';
import type { PlanBackend } from './plan/schema.js';

export interface StoreFlags extends VaultFlags {
  /** Secrets Manager: overrides the plan's region. */
  region?: string;
  endpointUrl?: string;
}

/** The store a plan names, reached with the user's environment and flags. */
export function openStore(backend: PlanBackend, repository: string, flags: StoreFlags = {}): SecretStore {
  if (backend.type === 'vault') {
    return new VaultKvStore(vaultConnection({ ...flags, namespace: flags.namespace ?? backend.namespace }));
  }
  return new AwsSecretsManagerStore({
    region: flags.region ?? backend.region,
    endpoint: flags.endpointUrl,
    kmsKeyId: backend.kmsKeyId,
    tags: { 'managed-by': 'vaultsweep', 'vaultsweep:repository': repository, ...backend.tags },
  });
}
