import type { BoundValue, FormatAnalyzer } from '../types.js';
import { isSecretName } from '../names.js';
import { ByteSource, LogicalLine, bytesToUtf8 } from './source.js';
import { analyzeSafely, boundValue } from './values.js';

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function isWhite(c: number): boolean {
  return c === 32 || c === 9 || c === 12;
}

/** Java `.properties` unescaping: `\t \n \r \f`, `\uXXXX`, and `\x` for any other x. */
export function unescapeProperty(raw: string): string {
  if (!raw.includes('\\')) return raw;
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|([\s\S]))/g, (_, hex: string | undefined, c: string | undefined) =>
    hex !== undefined ? String.fromCharCode(parseInt(hex, 16)) : (ESCAPES[c as string] ?? (c as string)),
  );
}

/**
 * A property binds a secret when its last segment does (`spring.datasource.password`,
 * `aws.secret-key`), or its last two segments together (`aws.secret.key`, `db.password.prod`).
 */
export function isSecretProperty(name: string): boolean {
  const segments = name.split('.').filter((s) => s.length > 0);
  if (segments.length === 0) return false;
  if (isSecretName(segments[segments.length - 1])) return true;
  return segments.length >= 2 && isSecretName(segments.slice(-2).join('_'));
}

/** Ends with an odd number of backslashes: the line continues on the next one. */
function continues(text: string, from: number, to: number): boolean {
  let count = 0;
  for (let k = to - 1; k >= from && text.charCodeAt(k) === 92; k--) count++;
  return count % 2 === 1;
}

/**
 * Java/Spring `.properties`: `key=value`, `key: value`, `key value`, backslash continuations
 * (leading whitespace of the next line dropped), `#`/`!` comment lines, escapes. Path and key are
 * the full property name; `${ENV_VAR}` and `${ENV_VAR:default}` placeholders are references.
 */
function analyzeProperties(data: Buffer, values: BoundValue[]): void {
  const src = new ByteSource(data);
  const text = src.text;
  const n = text.length;
  let i = src.bodyStart;
  while (i < n) {
    let j = i;
    let eol = src.lineEnd(i);
    while (j < eol && isWhite(text.charCodeAt(j))) j++;
    const first = text.charCodeAt(j);
    if (j >= eol || first === 13 || first === 35 /* # */ || first === 33 /* ! */) {
      i = eol + 1;
      continue;
    }
    // Assemble the logical line.
    const line = new LogicalLine();
    for (;;) {
      const end = eol > j && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      if (continues(text, j, end) && eol < n) {
        line.add(text.slice(j, end - 1), j);
        j = eol + 1;
        eol = src.lineEnd(j);
        while (j < eol && isWhite(text.charCodeAt(j))) j++;
        continue;
      }
      line.add(text.slice(j, end), j);
      break;
    }
    i = eol + 1;
    bindProperty(line, values);
  }
}

function bindProperty(line: LogicalLine, values: BoundValue[]): void {
  const t = line.text;
  let k = 0;
  while (k < t.length) {
    const c = t.charCodeAt(k);
    if (c === 92) k += 2;
    else if (c === 61 /* = */ || c === 58 /* : */ || isWhite(c)) break;
    else k++;
  }
  const keyEnd = Math.min(k, t.length);
  while (k < t.length && isWhite(t.charCodeAt(k))) k++;
  if (k < t.length && (t[k] === '=' || t[k] === ':')) k++;
  while (k < t.length && isWhite(t.charCodeAt(k))) k++;
  let end = t.length;
  // Trailing whitespace is kept by Java but is never part of a secret someone meant to write.
  while (end > k && isWhite(t.charCodeAt(end - 1)) && !(end - 2 >= k && t[end - 2] === '\\')) end--;
  if (keyEnd === 0 || end <= k) return;
  const key = unescapeProperty(bytesToUtf8(t.slice(0, keyEnd)));
  const raw = bytesToUtf8(t.slice(k, end));
  const literal = raw.includes('${') ? null : unescapeProperty(raw);
  const { start, end: endByte } = line.span(k, end);
  values.push(boundValue({ format: 'properties', path: key, key }, start, endByte, literal, isSecretProperty(key)));
}

export const propertiesAnalyzer: FormatAnalyzer = {
  formats: ['properties'],
  analyze(data, path, format) {
    return analyzeSafely(format, path, (values) => analyzeProperties(data, values));
  },
};
