import { isPlaceholder } from '../detect/filters.js';

/**
 * Names that bind a secret across formats: the secret word ends the name (`password`,
 * `db_password`, `MasterUserPassword`, `client_secret`, `api_key`, `DB_PASS`,
 * `spring.datasource.password`). A name that goes on past the word says something about the
 * secret (`password_min_length`, `token_endpoint_auth_method`, `secret_backend`), not the secret.
 * Analyzers add their format's own knowledge (a NoEcho parameter, a Kubernetes Secret) on top.
 */
const LAST_WORD = new Set(['password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'credential', 'secretkey', 'privatekey', 'accesskey', 'clientsecret', 'authtoken', 'masterkey']);
/** Words that bind a secret only after a prefix: `db_pass`, `db_pwd`, `gcp_credentials`; bare, they are something else. */
const LAST_WORD_AFTER_PREFIX = new Set(['pass', 'pwd', 'credentials', 'secrets']);
const LAST_TWO_WORDS = new Set([
  'api_key', 'access_key', 'private_key', 'secret_key', 'client_secret', 'auth_token', 'signing_key', 'encryption_key',
  'master_key', 'connection_string', 'webhook_url', 'sas_token', 'session_token', 'access_token', 'refresh_token',
  'bearer_token', 'deploy_key', 'license_key', 'account_key', 'shared_key', 'storage_key',
]);

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
/** `existingSecret`, `credentialsSecret`, `tlsSecret`: the name of a Kubernetes Secret object, not a secret. */
const SECRET_OBJECT_PREFIX = new Set(['existing', 'credentials', 'creds', 'tls', 'pull', 'cert', 'certificate', 'ca', 'ssl', 'ref']);

export function isSecretName(name: string): boolean {
  const words = normalizeName(name).split('_').filter(Boolean);
  const last = words[words.length - 1] ?? '';
  if (last === 'secret' && words.length > 1 && SECRET_OBJECT_PREFIX.has(words[words.length - 2])) return false;
  if (LAST_WORD.has(last)) return true;
  if (words.length > 1 && LAST_WORD_AFTER_PREFIX.has(last)) return true;
  return words.length > 1 && LAST_TWO_WORDS.has(`${words[words.length - 2]}_${last}`);
}

/**
 * True when a value, as written, refers to a secret held elsewhere (or is a placeholder, or is
 * encrypted) rather than being one: `${VAR}`, `${{ secrets.X }}`, `{{ .Values.x }}`,
 * `{{resolve:...}}`, `var.x`, `vault:...`, `ssm:...`, `ENC[AES256_GCM,data:...]`, `changeme`.
 * One list for the whole scanner: the generic detectors use it too (detect/filters.ts).
 */
export function isReferenceOrPlaceholder(value: string): boolean {
  return isPlaceholder(value.trim());
}

/**
 * Values that a secret-named key holds without holding a secret: a file path, a URL without
 * credentials, a date, a duration, an environment variable's name.
 */
export function isNonSecretShape(value: string): boolean {
  const v = value.trim();
  return (
    /^(?:\/|~\/|\.{1,2}\/|[A-Za-z]:\\)/.test(v) ||
    /^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(v) ||
    /^\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+Z?)?$/.test(v) ||
    /^\d+(?:\.\d+)?\s*(?:ms|s|m|h|d|w|sec|secs|seconds|min|mins|minutes|hours|days)$/i.test(v) ||
    /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)
  );
}
