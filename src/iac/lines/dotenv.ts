import type { BoundValue, FormatAnalyzer } from '../types.js';
import { ByteSource, bytesToUtf8 } from './source.js';
import { analyzeSafely, boundValue } from './values.js';

const KEY = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const EXPORT = /export[ \t]+/y;
/** `$VAR` or `${VAR}` not preceded by a backslash: the value is expanded from another variable. */
const EXPANSION = /(?:^|[^\\])\$(?:\{|[A-Za-z_])/;
const DOUBLE_QUOTED_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v', b: '\b', a: '\x07', '\\': '\\', '"': '"', "'": "'", $: '$' };

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/**
 * `.env` files as dotenv (Node), python-dotenv and docker compose read them: `KEY=value`,
 * `export KEY=value`, `KEY = value`; single, double (escapes, may span lines) and backtick quotes;
 * `# comments` after whitespace in unquoted values. Path and key are the variable name.
 */
function analyzeDotenv(data: Buffer, values: BoundValue[]): void {
  const src = new ByteSource(data);
  const text = src.text;
  const n = text.length;
  const unclosed = new UnclosedQuotes();
  let i = src.bodyStart;
  while (i < n) {
    const eol = src.lineEnd(i);
    let j = i;
    while (j < eol && isBlank(text.charCodeAt(j))) j++;
    EXPORT.lastIndex = j;
    if (EXPORT.test(text)) j = EXPORT.lastIndex;
    KEY.lastIndex = j;
    const keyMatch = KEY.exec(text);
    if (!keyMatch || KEY.lastIndex > eol) {
      i = eol + 1;
      continue;
    }
    const key = keyMatch[0];
    j = KEY.lastIndex;
    while (j < eol && isBlank(text.charCodeAt(j))) j++;
    if (text[j] !== '=') {
      i = eol + 1;
      continue;
    }
    j++;
    while (j < eol && isBlank(text.charCodeAt(j))) j++;
    const context = { format: 'dotenv' as const, path: key, key };
    const quote = text[j];
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = unclosed.find(text, j + 1, quote);
      if (close >= 0) {
        const raw = src.utf8(j + 1, close);
        let literal: string | null;
        if (quote === '"') literal = EXPANSION.test(raw) ? null : unescapeDoubleQuoted(raw);
        else if (quote === "'") literal = raw.replace(/\r\n/g, '\n').replace(/\\(['\\])/g, '$1');
        else literal = raw;
        if (close > j + 1) values.push(boundValue(context, j + 1, close, literal));
        i = src.lineEnd(close) + 1;
        continue;
      }
      // An unclosed quote: the rest of the line, as python-dotenv and compose keep it.
    }
    let end = eol;
    for (let k = j; k < eol; k++) {
      if (text.charCodeAt(k) === 35 /* # */ && k > j && isBlank(text.charCodeAt(k - 1))) {
        end = k;
        break;
      }
    }
    while (end > j && (isBlank(text.charCodeAt(end - 1)) || text.charCodeAt(end - 1) === 13)) end--;
    if (end > j) {
      const raw = bytesToUtf8(text.slice(j, end));
      values.push(boundValue(context, j, end, EXPANSION.test(raw) ? null : raw));
    }
    i = eol + 1;
  }
}

/** Finds closing quotes; remembers where none follows, so a file of unclosed quotes stays linear. */
class UnclosedQuotes {
  private readonly noneFrom = new Map<string, number>();

  /** Index of the quote closing a value opened before `from` (a backslash escapes it), or -1. */
  find(text: string, from: number, quote: string): number {
    if (from >= (this.noneFrom.get(quote) ?? Infinity)) return -1;
    for (let k = from; k < text.length; k++) {
      const c = text[k];
      if (c === '\\' && quote !== '`') k++;
      else if (c === quote) return k;
    }
    this.noneFrom.set(quote, from);
    return -1;
  }
}

function unescapeDoubleQuoted(raw: string): string {
  return raw.replace(/\r\n/g, '\n').replace(/\\([\s\S])/g, (whole, c: string) => DOUBLE_QUOTED_ESCAPES[c] ?? whole);
}

export const dotenvAnalyzer: FormatAnalyzer = {
  formats: ['dotenv'],
  analyze(data, path, format) {
    return analyzeSafely(format, path, (values) => analyzeDotenv(data, values));
  },
};
