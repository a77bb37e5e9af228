/**
 * What the Terraform readers share: the collector of bound values, where a value sits (`Place`)
 * and how a block binds an attribute to its own name (`Binding`), paths, and the string helpers
 * for HCL templates (also used by `.tf.json`, whose strings are templates).
 */
import type { BoundValue, IacFormat } from '../types.js';
import { isReferenceOrPlaceholder } from '../names.js';
import type { DecodedSource } from '../tree-sitter.js';

export const MAX_DEPTH = 256;

export class Collector {
  readonly values: BoundValue[] = [];
  readonly notes: string[] = [];
  constructor(
    readonly src: DecodedSource,
    readonly format: IacFormat,
  ) {}

  /** `start`/`end` are indices in the decoded text; they are stored as byte offsets. */
  add(path: string, key: string, start: number, end: number, literal: string | null, secret: boolean): void {
    this.values.push({
      context: { format: this.format, path, key },
      start: this.src.byteOffset(start),
      end: this.src.byteOffset(end),
      literal,
      sensitive: secret && literal !== null && !isReferenceOrPlaceholder(literal),
    });
  }
}

export function join(prefix: string, segment: string | number): string {
  return prefix === '' ? String(segment) : `${prefix}.${segment}`;
}

export function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** How a block binds one of its attributes to its own name: `variable "x" { default = ... }`. */
export interface Binding {
  attribute: string;
  name: string;
  sensitive: boolean;
}

/** Where a value sits and what makes it secret. */
export interface Place {
  path: string;
  key: string;
  /** The value itself is secret when it is a literal (by its name or place). */
  secret: boolean;
  /** Everything below is secret (a sensitive variable's default, a sensitive state path). */
  inherit: boolean;
}

/** HCL quoted-string escapes: `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, and `$${` / `%%{`. */
export function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('${') && !raw.includes('%{')) return raw;
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))|\$\$\{|%%\{/g, (m, u4?: string, u8?: string, ch?: string) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (u4) return String.fromCharCode(parseInt(u4, 16));
    if (u8) {
      const cp = parseInt(u8, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    switch (ch) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      default:
        return m;
    }
  });
}

/** Template escapes only (heredocs and `.tf.json` strings): `$${` → `${`, `%%{` → `%{`. */
export function unescapeTemplate(raw: string): string {
  return raw.includes('${') || raw.includes('%{') ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : raw;
}

/** `${...}` or `%{...}` not escaped as `$${` / `%%{`. */
export function hasInterpolation(value: string): boolean {
  return /(?:^|[^$])\$\{|(?:^|[^%])%\{/.test(value);
}

/** `<<-` heredocs: the smallest indentation of the non-blank lines is removed from every line. */
export function stripIndent(raw: string): string {
  const lines = raw.split('\n');
  let min = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent < min) min = indent;
  }
  if (min === Infinity || min === 0) return raw;
  return lines.map((line) => line.slice(Math.min(min, /^[ \t]*/.exec(line)![0].length))).join('\n');
}
