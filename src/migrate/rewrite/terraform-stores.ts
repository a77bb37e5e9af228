/**
 * How Terraform reads a secret back from each store: the data source (or, with
 * `terraformEphemeral`, the ephemeral resource) for a store path, the expression for one key of
 * it, and the write-only arguments that may take an ephemeral value.
 *
 * Vault: `data "vault_kv_secret_v2"` (hashicorp/vault; `mount`, `name`, optional `namespace`;
 * `.data` maps each key to its string value). Secrets Manager: `data
 * "aws_secretsmanager_secret_version"` (hashicorp/aws; `secret_id` takes the name or the ARN;
 * `.secret_string` is the JSON object vaultsweep writes, read with `jsondecode(...)["key"]`).
 * Both exist as ephemeral resources with the same arguments and attributes (Terraform ≥ 1.10).
 */
import { isVaultTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import { hclString, identifier } from './terraform-hcl.js';

export type Mode = 'data' | 'ephemeral';

/** One store path, read by one block. */
export interface StoreSource {
  /** Identifies the store path: edits with the same id share one block. */
  id: string;
  /** `vault_kv_secret_v2` or `aws_secretsmanager_secret_version`. */
  type: string;
  /** The provider that reads it (a `provider` block of this type cannot read its own credentials from it). */
  provider: 'vault' | 'aws';
  /** The block's arguments, in order. */
  args: [string, string][];
  /** The block name it gets unless taken: the store path as a Terraform name. */
  baseName: string;
}

export function storeSource(target: StoreTarget, backend: PlanBackend): StoreSource {
  if (isVaultTarget(target)) {
    const namespace = backend.type === 'vault' ? backend.namespace : undefined;
    const args: [string, string][] = [...(namespace ? [['namespace', namespace] as [string, string]] : []), ['mount', target.mount], ['name', target.path]];
    return { id: `vault\0${namespace ?? ''}\0${target.mount}\0${target.path}`, type: 'vault_kv_secret_v2', provider: 'vault', args, baseName: identifier(target.path) };
  }
  return { id: `aws\0${target.name}`, type: 'aws_secretsmanager_secret_version', provider: 'aws', args: [['secret_id', target.name]], baseName: identifier(target.name) };
}

/** The expression reading one key: `data.vault_kv_secret_v2.x.data["k"]`, `jsondecode(data.aws_….x.secret_string)["k"]`. */
export function referenceExpression(mode: Mode, source: StoreSource, name: string, key: string): string {
  const address = `${mode === 'data' ? 'data' : 'ephemeral'}.${source.type}.${name}`;
  return source.provider === 'vault' ? `${address}.data[${hclString(key)}]` : `jsondecode(${address}.secret_string)[${hclString(key)}]`;
}

/** The block, arguments aligned as `terraform fmt` writes them. */
export function blockText(mode: Mode, source: StoreSource, name: string, eol: string): string {
  const width = Math.max(...source.args.map(([k]) => k.length));
  const args = source.args.map(([k, v]) => `  ${k.padEnd(width)} = ${hclString(v)}`);
  return [`${mode} "${source.type}" "${name}" {`, ...args, '}'].join(eol);
}

/** `data "vault_kv_secret_v2" "x" (mount = "secret", name = "app/db")`, for messages. */
export function describeBlock(mode: Mode, source: StoreSource, name: string): string {
  return `${mode} "${source.type}" "${name}" (${source.args.map(([k, v]) => `${k} = ${hclString(v)}`).join(', ')})`;
}

/**
 * Write-only arguments (Terraform ≥ 1.11): resource type → argument → its write-only twin. The
 * twin takes ephemeral values and needs `<twin>_version`, raised to send a new value. From the
 * providers' documentation (hashicorp/aws 5.x–6.x, hashicorp/vault 5.x, hashicorp/google,
 * hashicorp/azurerm); `*.` means the argument of any nested block (Vault's database engines).
 */
const WRITE_ONLY: Record<string, Record<string, string>> = {
  aws_db_instance: { password: 'password_wo' },
  aws_rds_cluster: { master_password: 'master_password_wo' },
  aws_docdb_cluster: { master_password: 'master_password_wo' },
  aws_redshift_cluster: { master_password: 'master_password_wo' },
  aws_redshiftserverless_namespace: { admin_user_password: 'admin_user_password_wo' },
  aws_secretsmanager_secret_version: { secret_string: 'secret_string_wo' },
  aws_ssm_parameter: { value: 'value_wo' },
  aws_acm_certificate: { private_key: 'private_key_wo' },
  vault_kv_secret_v2: { data_json: 'data_json_wo' },
  vault_aws_secret_backend: { secret_key: 'secret_key_wo' },
  vault_database_secret_backend_connection: { '*.password': 'password_wo' },
  google_secret_manager_secret_version: { secret_data: 'secret_data_wo' },
  azurerm_key_vault_secret: { value: 'value_wo' },
};

export interface WriteOnly {
  argument: string;
  version: string;
}

/** The write-only twin of `argument` in `resourceType`, nested in `blocks` (names of the blocks between). */
export function writeOnlyFor(resourceType: string, blocks: string[], argument: string): WriteOnly | undefined {
  const table = WRITE_ONLY[resourceType];
  if (!table) return undefined;
  const twin = blocks.length === 0 ? table[argument] : blocks.length === 1 ? table[`*.${argument}`] : undefined;
  return twin ? { argument: twin, version: `${twin}_version` } : undefined;
}
