import { readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { InputError } from '../detect/load-rules.js';
import { AwsSecretsManagerStore } from '../migrate/backends/aws-secrets-manager.js';
import { StoreError } from '../migrate/backends/types.js';
import { VaultKvStore } from '../migrate/backends/vault.js';
import { vaultConnection, type VaultFlags } from '../migrate/backends/vault-config.js';
import { parseReference, type ParsedReference } from '../migrate/references.js';

export interface ResolveFlags extends VaultFlags {
  region?: string;
  endpointUrl?: string;
}

/** Variables from env files: later files win over earlier ones; the environment wins over all (as dotenv does). */
export function loadEnvFiles(files: string[], environment: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const fromFiles: Record<string, string> = {};
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read env file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    Object.assign(fromFiles, parse(text));
  }
  return { ...fromFiles, ...environment };
}

/**
 * Replaces every `vault://` and `aws-sm://` reference among the variables with the secret it
 * names, reading each store secret once. The values are only ever handed to the child's
 * environment; errors name the variable and the reference, never a value.
 */
export async function resolveReferences(environment: NodeJS.ProcessEnv, flags: ResolveFlags): Promise<{ env: NodeJS.ProcessEnv; resolved: string[] }> {
  const references = Object.entries(environment)
    .map(([name, value]) => ({ name, value, ref: value === undefined ? undefined : parseReference(value) }))
    .filter((r): r is { name: string; value: string; ref: ParsedReference } => r.ref !== undefined);
  const env: NodeJS.ProcessEnv = { ...environment };
  if (!references.length) return { env, resolved: [] };
  const vaults = new Map<string, VaultKvStore>();
  let aws: AwsSecretsManagerStore | undefined;
  const cache = new Map<string, Promise<string | undefined>>();
  const read = (ref: ParsedReference): Promise<string | undefined> => {
    const id = ref.kind === 'vault' ? `v:${ref.namespace ?? ''}:${ref.fullPath}#${ref.key}` : `a:${ref.name}#${ref.key}`;
    let pending = cache.get(id);
    if (!pending) {
      if (ref.kind === 'vault') {
        const ns = ref.namespace ?? flags.namespace ?? environment.VAULT_NAMESPACE ?? '';
        let store = vaults.get(ns);
        if (!store) {
          store = new VaultKvStore(vaultConnection({ ...flags, namespace: ns || undefined }, environment));
          vaults.set(ns, store);
        }
        const vault = store;
        pending = vault.splitPath(ref.fullPath).then(({ mount, path }) => vault.readKey({ mount, path, key: ref.key }));
      } else {
        aws ??= new AwsSecretsManagerStore({ region: flags.region, endpoint: flags.endpointUrl, tags: {} });
        pending = aws.readKey({ name: ref.name, key: ref.key });
      }
      cache.set(id, pending);
    }
    return pending;
  };
  for (const { name, value, ref } of references) {
    let secret: string | undefined;
    try {
      secret = await read(ref);
    } catch (error) {
      if (error instanceof StoreError) throw new InputError(`${name}: cannot resolve ${value}: ${error.message}`);
      throw error;
    }
    if (secret === undefined) throw new InputError(`${name}: ${value} does not exist in the store (no such secret or key)`);
    env[name] = secret;
  }
  return { env, resolved: references.map((r) => r.name) };
}
