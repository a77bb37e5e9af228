import type { BoundValue, FileAnalysis, IacFormat, LocationContext } from '../types.js';
import { isReferenceOrPlaceholder, isSecretName } from '../names.js';

/** Secret-store lookups and encrypted values: the secret lives elsewhere. */
const STORE_REFERENCE =
  /^(?:vault|ssm|secretsmanager|aws-sm|sm|gcp-sm|gcp-secret|azure-kv|keyvault|op|sops|doppler|infisical|ref\+[a-z0-9]+):/i;

/**
 * True when a whole value refers to a secret held elsewhere instead of being one: `${VAR}`,
 * `$VAR`, `{{ x }}`, `%VAR%`, a store URI (`vault://`, `aws-sm://`, `ssm:`), an AWS Secrets Manager
 * or SSM ARN, a Jasypt `ENC(...)` or Spring Cloud Config `{cipher}` encrypted value.
 */
export function isReferenceValue(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return false;
  if (STORE_REFERENCE.test(v)) return true;
  if (/^arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):/.test(v)) return true;
  if (v.startsWith('${') && v.endsWith('}') && v.indexOf('}') === v.length - 1) return true;
  if (v.startsWith('${{') && v.endsWith('}}')) return true;
  if (v.startsWith('{{') && v.endsWith('}}')) return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$/.test(v) || /^%[A-Za-z_][A-Za-z0-9_]*%$/.test(v)) return true;
  if (v.startsWith('ENC(') && v.endsWith(')')) return true;
  if (v.startsWith('{cipher}')) return true;
  return false;
}

/**
 * A bound value. `literal` is null for references and expressions. It is sensitive when its
 * name binds a secret (`secretName`, by default `isSecretName(key)`) and it is a literal that is
 * no placeholder (`changeme`, `<password>`, empty).
 */
export function boundValue(
  context: LocationContext,
  start: number,
  end: number,
  literal: string | null,
  secretName: boolean = isSecretName(context.key),
): BoundValue {
  const value = literal !== null && isReferenceValue(literal) ? null : literal;
  const sensitive = secretName && value !== null && !isReferenceOrPlaceholder(value);
  return { context, start, end, literal: value, sensitive };
}

/**
 * Runs an analyzer that fills `values` and `notes`; an internal error becomes a note (keeping
 * what was found before it) instead of an exception.
 */
export function analyzeSafely(
  format: IacFormat,
  path: string,
  analyze: (values: BoundValue[], notes: string[]) => void,
): FileAnalysis {
  const values: BoundValue[] = [];
  const notes: string[] = [];
  try {
    analyze(values, notes);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    notes.push(`${path}: could not analyse as ${format} (${message}); scanned as text`);
  }
  return { format, values, notes };
}
