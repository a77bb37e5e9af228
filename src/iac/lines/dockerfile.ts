import type { BoundValue, FormatAnalyzer } from '../types.js';
import { ByteSource, LogicalLine, bytesToUtf8 } from './source.js';
import { analyzeSafely, boundValue } from './values.js';

const DIRECTIVE = /^#[ \t]*([A-Za-z][A-Za-z_]*)[ \t]*=[ \t]*(\S+)[ \t]*$/;
const INSTRUCTION = /^[ \t]*([A-Za-z]+)(?:[ \t]+|$)/;
const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
/** Instructions whose arguments are `KEY=value` pairs. */
const PAIR_INSTRUCTIONS = new Set(['ENV', 'ARG', 'LABEL']);

function isWhite(c: number): boolean {
  return c === 32 || c === 9;
}

interface Word {
  /** The word after quote removal and escapes, one character per byte. */
  value: string;
  /** Index after the word. */
  end: number;
  /** Indices of the value's text: inside the quotes when the word is one quoted string. */
  from: number;
  to: number;
  /** Holds a `$VAR` or `${VAR}` expansion outside single quotes. */
  expands: boolean;
}

function expansionAt(t: string, k: number): boolean {
  const c = t.charCodeAt(k);
  return c === 123 /* { */ || c === 95 || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * One word of a Dockerfile instruction as BuildKit's shell lexer reads it: quotes removed,
 * escapes applied, expansions noted. Stops at `limit`, at whitespace (`stopAtWhite`) and at `=`
 * (`stopAtEquals`) outside quotes.
 */
function readWord(t: string, k: number, limit: number, escape: string, stopAtWhite: boolean, stopAtEquals: boolean): Word {
  const start = k;
  let value = '';
  let expands = false;
  let quoted = 0;
  let bare = 0;
  let qFrom = 0;
  let qTo = 0;
  while (k < limit) {
    const c = t[k];
    if (stopAtWhite && (c === ' ' || c === '\t')) break;
    if (stopAtEquals && c === '=') break;
    if (c === escape) {
      if (k + 1 < limit) value += t[k + 1];
      k += 2;
      bare++;
    } else if (c === '"' || c === "'") {
      const open = k;
      k++;
      while (k < limit && t[k] !== c) {
        if (c === '"' && t[k] === escape && k + 1 < limit && (t[k + 1] === '"' || t[k + 1] === '$' || t[k + 1] === escape)) {
          value += t[k + 1];
          k += 2;
          continue;
        }
        if (c === '"' && t[k] === '$' && expansionAt(t, k + 1)) expands = true;
        value += t[k];
        k++;
      }
      quoted++;
      qFrom = open + 1;
      qTo = k;
      if (k < limit) k++;
    } else {
      if (c === '$' && expansionAt(t, k + 1)) expands = true;
      value += c;
      k++;
      bare++;
    }
  }
  k = Math.min(k, limit);
  const whole = quoted === 1 && bare === 0;
  return { value, end: k, from: whole ? qFrom : start, to: whole ? qTo : k, expands };
}

/**
 * Dockerfiles: `ENV KEY=value KEY2="v 2"` (several pairs, quotes, continuations), the legacy
 * `ENV KEY value`, `ARG KEY=default`, `LABEL key=value`; path `ENV.<KEY>`, key `<KEY>`. Honours the
 * `# escape=` directive, skips comments and heredoc bodies.
 */
function analyzeDockerfile(data: Buffer, values: BoundValue[]): void {
  const src = new ByteSource(data);
  const text = src.text;
  const n = text.length;
  let escape = '\\';
  let i = src.bodyStart;
  // Parser directives: only at the very top, before any blank line, comment or instruction.
  while (i < n) {
    const eol = src.lineEnd(i);
    const m = DIRECTIVE.exec(text.slice(i, eol).replace(/\r$/, ''));
    if (!m) break;
    if (m[1].toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
    i = eol + 1;
  }
  const heredocs: { word: string; stripTabs: boolean }[] = [];
  while (i < n) {
    let eol = src.lineEnd(i);
    if (heredocs.length > 0) {
      const body = text.slice(i, eol).replace(/\r$/, '');
      const ends = heredocs[0].stripTabs ? body.replace(/^\t+/, '') : body;
      if (ends === heredocs[0].word) heredocs.shift();
      i = eol + 1;
      continue;
    }
    let j = i;
    while (j < eol && isWhite(text.charCodeAt(j))) j++;
    if (j >= eol || text.charCodeAt(j) === 13 || text.charCodeAt(j) === 35 /* # */) {
      i = eol + 1;
      continue;
    }
    const line = new LogicalLine();
    let from = j;
    for (;;) {
      let end = eol > from && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
      while (end > from && isWhite(text.charCodeAt(end - 1))) end--;
      if (end > from && text[end - 1] === escape && eol < n) {
        line.add(text.slice(from, end - 1), from);
        // Blank and comment lines inside a continued instruction are dropped.
        i = eol + 1;
        while (i < n) {
          eol = src.lineEnd(i);
          let k = i;
          while (k < eol && isWhite(text.charCodeAt(k))) k++;
          if (k < eol && text.charCodeAt(k) !== 13 && text.charCodeAt(k) !== 35) break;
          i = eol + 1;
        }
        if (i >= n) break;
        from = i;
        continue;
      }
      line.add(text.slice(from, end), from);
      i = eol + 1;
      break;
    }
    bindInstruction(line, escape, values, heredocs);
  }
}

function bindInstruction(line: LogicalLine, escape: string, values: BoundValue[], heredocs: { word: string; stripTabs: boolean }[]): void {
  const t = line.text;
  let m = INSTRUCTION.exec(t);
  if (!m) return;
  let instruction = m[1].toUpperCase();
  let k = m[0].length;
  if (instruction === 'ONBUILD') {
    const inner = INSTRUCTION.exec(t.slice(k));
    if (!inner) return;
    m = inner;
    instruction = inner[1].toUpperCase();
    k += inner[0].length;
  }
  if (!PAIR_INSTRUCTIONS.has(instruction)) {
    if (instruction === 'RUN' || instruction === 'COPY' || instruction === 'ADD') {
      for (const h of t.matchAll(HEREDOC)) heredocs.push({ word: h[3], stripTabs: h[1] === '-' });
    }
    return;
  }
  let limit = t.length;
  while (limit > k && isWhite(t.charCodeAt(limit - 1))) limit--;
  let first = true;
  while (k < limit) {
    while (k < limit && isWhite(t.charCodeAt(k))) k++;
    if (k >= limit) break;
    const name = readWord(t, k, limit, escape, true, true);
    if (name.end < limit && t[name.end] === '=') {
      const value = readWord(t, name.end + 1, limit, escape, true, false);
      bind(line, instruction, name.value, value, values);
      k = value.end;
    } else if (instruction === 'ENV' && first) {
      // Legacy `ENV KEY value with spaces`: the rest of the instruction is the value.
      let v = name.end;
      while (v < limit && isWhite(t.charCodeAt(v))) v++;
      bind(line, instruction, name.value, readWord(t, v, limit, escape, false, false), values);
      break;
    } else {
      k = Math.max(name.end, k + 1); // `ARG NAME` without a default
    }
    first = false;
  }
}

function bind(line: LogicalLine, instruction: string, rawKey: string, word: Word, values: BoundValue[]): void {
  if (rawKey.length === 0 || word.to <= word.from) return;
  const key = bytesToUtf8(rawKey);
  const { start, end } = line.span(word.from, word.to);
  const literal = word.expands ? null : bytesToUtf8(word.value);
  values.push(boundValue({ format: 'dockerfile', path: `${instruction}.${key}`, key }, start, end, literal));
}

export const dockerfileAnalyzer: FormatAnalyzer = {
  formats: ['dockerfile'],
  analyze(data, path, format) {
    return analyzeSafely(format, path, (values) => analyzeDockerfile(data, values));
  },
};
