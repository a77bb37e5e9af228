/**
 * Terraform input variables set from the store: a value that cannot stay in a file (a `.tfvars`
 * assignment, a `variable` default) is given to Terraform as `TF_VAR_<name>`, recorded as a store
 * reference in an env file that `vaultsweep run` resolves.
 */
import { posix } from 'node:path';

/** `terraform.tfvars`, `*.auto.tfvars` (and `.json`), and `.tf` files: what Terraform reads in its working directory by itself. */
function autoLoaded(file: string): boolean {
  const base = posix.basename(file).toLowerCase();
  return /\.tf$/.test(base) || /^terraform\.tfvars(?:\.json)?$/.test(base) || /\.auto\.tfvars(?:\.json)?$/.test(base);
}

/**
 * The env file holding the variables of `file`: `.env` in its directory (the root module's, where
 * Terraform runs); for a `-var-file` (`prod.tfvars`) its own `.env.prod` beside it, so that the
 * values of two environments never meet in one file.
 */
export function envFileFor(file: string): string {
  const dir = posix.dirname(file);
  const prefix = dir === '.' ? '' : `${dir}/`;
  if (autoLoaded(file)) return `${prefix}.env`;
  const stem = posix.basename(file).replace(/\.tfvars(?:\.json)?$/i, '');
  return `${prefix}.env.${stem}`;
}

/** The command that runs Terraform with the variables of `file` set, from the repository root. */
export function runCommand(file: string): string {
  const envFile = envFileFor(file);
  const dir = posix.dirname(file);
  const env = envFile === '.env' ? '' : ` --env-file ${envFile}`;
  if (autoLoaded(file)) return `vaultsweep run${env} -- terraform${dir === '.' ? '' : ` -chdir=${dir}`} plan`;
  return `vaultsweep run${env} -- terraform plan -var-file=${file}`;
}

/** The env entry for variable `name` of `file`. */
export function tfVarEntry(file: string, name: string, uri: string): { name: string; uri: string; envFile?: string } {
  const envFile = envFileFor(file);
  return envFile === '.env' ? { name: `TF_VAR_${name}`, uri } : { name: `TF_VAR_${name}`, uri, envFile };
}
