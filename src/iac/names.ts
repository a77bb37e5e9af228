import { isPlaceholder } from '../detect/filters.js';

/**
 * Names that bind a secret across formats: `password`, `master_password`, `secret_key`,
 * `access_key`, `token`, `private_key`, `client_secret`, `api_key`, `DB_PASSWORD`,
 * `spring.datasource.password`, `MasterUserPassword`... Analyzers add their format's own
 * knowledge (a NoEcho parameter, a Kubernetes Secret's data) on top of this.
 */
const SECRET_WORD =
  /(?:^|_)(?:password|passwd|passphrase|pass|pwd|secret|secrets|token|apikey|api_key|accesskey|access_key|privatekey|private_key|secretkey|secret_key|clientsecret|client_secret|credential|credentials|auth_token|authtoken|signing_key|encryption_key|master_key|masterkey|connection_string|connectionstring|sas_token|webhook_url)(?:$|_)/;

/** Words that make a secret-like name about the secret rather than the secret itself. */
const ABOUT_A_SECRET =
  /(?:^|_)(?:file|path|dir|url|uri|endpoint|name|names|id|ids|arn|length|len|min|max|size|policy|policies|hash|hashed|digest|salt|field|type|header|prompt|label|regex|pattern|enabled|required|expiry|expires|expiration|ttl|timeout|rotation|version|ref|reference|kid|format|algorithm|alg|mode|count|hint|provider|store|manager|source|template|placeholder|example|sample|prefix|suffix|location|usage|validator|valid|policy_arn|wo_version|secret_string_version)$/;

/** `DB_PASSWORD`, `dbPassword`, `db.password`, `db-password` → `db_password`. */
export function normalizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** True when a key, attribute or variable name binds a secret value. */
export function isSecretName(name: string): boolean {
  const n = normalizeName(name);
  if (!SECRET_WORD.test(n)) return false;
  // A webhook URL carries its secret; `password_file`, `token_url`, `secret_name` only point at one.
  if (/(?:^|_)webhook_url$/.test(n)) return true;
  return !ABOUT_A_SECRET.test(n);
}

/**
 * True when a value, as written, refers to a secret held elsewhere (or is a placeholder) rather
 * than being one: `${VAR}`, `${{ secrets.X }}`, `{{ .Values.x }}`, `{{resolve:...}}`, `var.x`,
 * `vault:...`, `ssm:...`, `arn:...`, `<your-password>`, `changeme`.
 */
export function isReferenceOrPlaceholder(value: string): boolean {
  return isPlaceholder(value) || /^(?:vault|ssm|secretsmanager|aws-sm|sm|gcp-sm|azure-kv|keyvault|op|sops|ref\+[a-z0-9]+):/i.test(value.trim());
}
