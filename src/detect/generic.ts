import { shannonEntropy } from './entropy.js';
import { isNonSecretRandomValue, isPlaceholder } from './filters.js';

/**
 * Judges a generic `name = value` candidate found by an `entropy` or `keyword` rule: the name must
 * be secret-like, the value a literal (not code, not a reference) and shaped like a secret.
 */

/** Names that hold something about a secret, not the secret itself. */
const NON_SECRET_NAME =
  /(?:^|[-_.])(?:file|path|dir|url|uri|endpoint|env|name|names|id|ids|arn|length|len|min|max|size|policy|policies|hash|hashed|digest|salt|field|type|header|prompt|label|regex|pattern|enabled|required|expiry|expires|expiration|ttl|timeout|rotation|version|ref|reference|key_?id|kid|format|algorithm|alg|mode|count|hint|provider|store|manager|source|template|placeholder|example|sample|default_?name|prefix|suffix|location|secret_?name|usage|validator|valid)s?$/i;

const PASSWORD_NAME = /password|passwd|passphrase|(?:^|[^a-z])(?:pass|pwd)(?:$|[^a-z])/i;

/** Extensions whose unquoted right-hand sides are code (identifiers, calls), not literals. */
const CODE_EXTENSIONS =
  /\.(?:js|mjs|cjs|jsx|ts|tsx|py|go|java|kt|kts|scala|rb|php|cs|c|cc|cpp|h|hpp|rs|swift|m|dart|lua|pl|groovy|gradle|tf|hcl)$/i;

export interface GenericCandidate {
  key: string;
  value: string;
  /** The quote that opened the value, '' when unquoted. */
  quote: string;
  path: string;
  line: string;
}

function characterClasses(value: string): number {
  let classes = 0;
  if (/[a-z]/.test(value)) classes++;
  if (/[A-Z]/.test(value)) classes++;
  if (/[0-9]/.test(value)) classes++;
  if (/[^A-Za-z0-9\-_.\s]/.test(value)) classes++;
  return classes;
}

export function isCodePath(path: string): boolean {
  return CODE_EXTENSIONS.test(path);
}

function isLiteral(c: GenericCandidate): boolean {
  if (c.quote === '' && isCodePath(c.path)) return false;
  const v = c.value;
  if (/^[A-Za-z_$][\w$]*(?:\.[\w$]+)*\s*\(/.test(v)) return false; // a call
  if (/^(?:true|false|null|nil|none|undefined)$/i.test(v)) return false;
  if (/^-?\d+(?:\.\d+)?$/.test(v)) return false; // a number
  return true;
}

function secretLikeName(key: string): boolean {
  const k = key.replace(/["'\s]/g, '').replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  return !NON_SECRET_NAME.test(k);
}

/** `keyword` detector: any literal bound to a password-like name, shaped like a password. */
export function acceptKeywordCandidate(c: GenericCandidate): boolean {
  const snake = c.key.replace(/([a-z0-9])([A-Z])/g, '$1_$2');
  if (!PASSWORD_NAME.test(snake) || !secretLikeName(c.key) || !isLiteral(c)) return false;
  const v = c.value;
  if (v.length < 6 || v.length > 128) return false;
  if (isPlaceholder(v) || isNonSecretRandomValue(v, c.line)) return false;
  // An identifier-like word (`db-password-secret`, `admin`) is a name, not a password.
  if (characterClasses(v) < 2) return false;
  // Words with spaces are a label (`"Confirm password"`, `Enter your password`), not a password.
  if (/\s/.test(v) && (/^[A-Za-z]+(?:\s+[A-Za-z]+)*[.!?:…]*$/.test(v) || /passw(?:or)?d/i.test(v))) return false;
  return true;
}

/** `entropy` detector: a random-looking literal (base64/hex-ish) bound to a secret-like name. */
export function acceptEntropyCandidate(c: GenericCandidate, minEntropy: number): boolean {
  if (!secretLikeName(c.key) || !isLiteral(c)) return false;
  const v = c.value;
  if (v.length < 16 || v.length > 512) return false;
  if (!/^[\x21-\x7e]+$/.test(v)) return false; // one printable token: no spaces, no prose
  if (isPlaceholder(v) || isNonSecretRandomValue(v, c.line)) return false;
  const hex = /^[0-9a-fA-F]+$/.test(v);
  // Hex strings carry at most 4 bits per symbol; judge them on their own scale.
  const threshold = hex ? Math.min(minEntropy, 3.0) : minEntropy;
  if (shannonEntropy(v) < threshold) return false;
  if (characterClasses(v) < 2) return false;
  return true;
}
