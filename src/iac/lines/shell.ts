import type { BoundValue } from '../types.js';
import { ByteSource, bytesToUtf8 } from './source.js';
import { unescapeString, type StringSpec } from './code-strings.js';
import { boundValue } from './values.js';

const ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)(?:\[[^\]\n]{0,200}\])?\+?=/y;
const FLAG_EQUALS = /--([A-Za-z][A-Za-z0-9_-]{0,100})=/y;
const FLAG_QUOTED = /--([A-Za-z][A-Za-z0-9_-]{0,100})[ \t]+(?=["'])/y;
const HEREDOC = /<<-?[ \t]*(?:\\|(["']?))([A-Za-z_][A-Za-z0-9_]*)\1/y;
const ANSI_C: StringSpec = { open: 2, close: "'", escape: 92, multiline: true, doubled: false, interpolation: 'none', unescaping: 'c' };

interface ShellWord {
  end: number;
  /** The word's value (quotes removed, escapes applied), one character per byte. */
  value: string;
  /** Indices of the value's text: inside the quotes when the word is one quoted string. */
  from: number;
  to: number;
  /** Holds an expansion: `$VAR`, `${VAR}`, `$(cmd)`, `` `cmd` ``. */
  expands: boolean;
  quotedWhole: boolean;
}

function isMeta(c: number): boolean {
  // space, tab, newline, CR, ; & | ( ) < >
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 59 || c === 38 || c === 124 || c === 40 || c === 41 || c === 60 || c === 62;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

/**
 * Shell scripts: `NAME=value` (also after `export`, `local`, `declare`, and as a command's
 * environment prefix), `--flag=value` and `--flag "value"`; values unquoted, 'single', "double"
 * (with expansions) or $'ANSI-C'. Comments and heredoc bodies are skipped.
 */
export function analyzeShell(src: ByteSource, values: BoundValue[]): void {
  const text = src.text;
  const n = text.length;
  const heredocs: { word: string; tabs: boolean }[] = [];
  let i = src.bodyStart;
  let wordStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      wordStart = true;
      while (heredocs.length > 0 && i < n) {
        const eol = src.lineEnd(i);
        let line = text.slice(i, eol).replace(/\r$/, '');
        if (heredocs[0].tabs) line = line.replace(/^\t+/, '');
        if (line === heredocs[0].word) heredocs.shift();
        i = eol + 1;
      }
      continue;
    }
    if (isMeta(c)) {
      if (c === 60 /* < */ && text.charCodeAt(i + 1) === 60 && text.charCodeAt(i + 2) !== 60) {
        HEREDOC.lastIndex = i;
        const m = HEREDOC.exec(text);
        if (m) {
          heredocs.push({ word: m[2], tabs: m[0].startsWith('<<-') });
          i = HEREDOC.lastIndex;
          wordStart = true;
          continue;
        }
      }
      i++;
      wordStart = true;
      continue;
    }
    if (c === 35 /* # */ && wordStart) {
      i = src.lineEnd(i);
      continue;
    }
    if (wordStart && isNameStart(c)) {
      ASSIGNMENT.lastIndex = i;
      const m = ASSIGNMENT.exec(text);
      if (m && text.charCodeAt(ASSIGNMENT.lastIndex) !== 40 /* ( an array */) {
        const word = readWord(text, ASSIGNMENT.lastIndex);
        bind(m[1], m[1], word, values);
        i = Math.max(word.end, ASSIGNMENT.lastIndex);
        wordStart = false;
        continue;
      }
    }
    if (wordStart && c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      FLAG_EQUALS.lastIndex = i;
      let m = FLAG_EQUALS.exec(text);
      if (m) {
        const word = readWord(text, FLAG_EQUALS.lastIndex);
        bind(m[1], `--${m[1]}`, word, values);
        i = Math.max(word.end, FLAG_EQUALS.lastIndex);
        wordStart = false;
        continue;
      }
      FLAG_QUOTED.lastIndex = i;
      m = FLAG_QUOTED.exec(text);
      if (m) {
        const word = readWord(text, FLAG_QUOTED.lastIndex);
        if (word.quotedWhole) bind(m[1], `--${m[1]}`, word, values);
        i = Math.max(word.end, FLAG_QUOTED.lastIndex);
        wordStart = false;
        continue;
      }
    }
    const word = readWord(text, i);
    i = Math.max(word.end, i + 1);
    wordStart = false;
  }
}

function bind(name: string, path: string, word: ShellWord, values: BoundValue[]): void {
  if (word.to <= word.from) return;
  const literal = word.expands ? null : bytesToUtf8(word.value);
  values.push(boundValue({ format: 'code', language: 'shell', path, key: name }, word.from, word.to, literal));
}

/** Skips `$(...)`, `${...}` or `` `...` `` from its opening; returns the index after its end. */
function skipSubstitution(text: string, i: number, depth: number): number {
  const n = text.length;
  if (text[i] === '`') {
    for (let j = i + 1; j < n; j++) {
      if (text[j] === '\\') j++;
      else if (text[j] === '`') return j + 1;
    }
    return n;
  }
  const open = text[i + 1];
  const closer = open === '(' ? ')' : '}';
  let level = 1;
  let j = i + 2;
  while (j < n) {
    const ch = text[j];
    if (ch === '\\') j += 2;
    else if (ch === "'" && open === '(') {
      const close = text.indexOf("'", j + 1);
      j = close < 0 ? n : close + 1;
    } else if (ch === '"' && depth < 16) {
      j = readDoubleQuoted(text, j + 1, depth + 1).end;
    } else if (ch === '$' && (text[j + 1] === '(' || text[j + 1] === '{') && depth < 16) {
      j = skipSubstitution(text, j, depth + 1);
    } else {
      if (ch === open) level++;
      else if (ch === closer && --level === 0) return j + 1;
      j++;
    }
  }
  return n;
}

function readDoubleQuoted(text: string, from: number, depth: number): { end: number; to: number; value: string; expands: boolean } {
  const n = text.length;
  let value = '';
  let expands = false;
  let j = from;
  while (j < n) {
    const ch = text[j];
    if (ch === '"') return { end: j + 1, to: j, value, expands };
    if (ch === '\\') {
      const next = text[j + 1];
      if (next === '$' || next === '`' || next === '"' || next === '\\') value += next;
      else if (next !== '\n') value += ch + (next ?? '');
      j += 2;
      continue;
    }
    if (ch === '`' || (ch === '$' && (text[j + 1] === '(' || text[j + 1] === '{'))) {
      expands = true;
      const end = depth < 16 ? skipSubstitution(text, j, depth) : j + 1;
      value += text.slice(j, end);
      j = end;
      continue;
    }
    if (ch === '$' && isNameStart(text.charCodeAt(j + 1))) expands = true;
    value += ch;
    j++;
  }
  return { end: n, to: n, value, expands };
}

/** One shell word from `i`: quotes, escapes, substitutions; ends at unquoted whitespace or an operator. */
function readWord(text: string, i: number): ShellWord {
  const n = text.length;
  const start = i;
  let value = '';
  let expands = false;
  let quoted = 0;
  let bare = 0;
  let from = start;
  let to = start;
  let j = i;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (isMeta(c)) break;
    if (c === 92 /* \ */) {
      if (text[j + 1] !== '\n') value += text[j + 1] ?? '';
      j += 2;
      bare++;
    } else if (c === 39 /* ' */) {
      const close = text.indexOf("'", j + 1);
      const end = close < 0 ? n : close;
      value += text.slice(j + 1, end);
      from = j + 1;
      to = end;
      quoted++;
      j = end + 1;
    } else if (c === 36 /* $ */ && text.charCodeAt(j + 1) === 39) {
      // $'ANSI-C': escapes decoded.
      let k = j + 2;
      while (k < n && text[k] !== "'") k += text[k] === '\\' ? 2 : 1;
      const end = Math.min(k, n);
      value += Buffer.from(unescapeString(Buffer.from(text.slice(j + 2, end), 'latin1').toString('utf8'), ANSI_C), 'utf8').toString('latin1');
      from = j + 2;
      to = end;
      quoted++;
      j = end + 1;
    } else if (c === 34 /* " */) {
      const d = readDoubleQuoted(text, j + 1, 0);
      value += d.value;
      expands ||= d.expands;
      from = j + 1;
      to = d.to;
      quoted++;
      j = d.end;
    } else if (c === 96 /* ` */ || (c === 36 && (text.charCodeAt(j + 1) === 40 || text.charCodeAt(j + 1) === 123))) {
      const end = skipSubstitution(text, j, 0);
      value += text.slice(j, end);
      expands = true;
      bare++;
      j = end;
    } else {
      if (c === 36 && (isNameStart(text.charCodeAt(j + 1)) || /[0-9@*#?$!-]/.test(text[j + 1] ?? ''))) expands = true;
      value += text[j];
      bare++;
      j++;
    }
  }
  const end = Math.min(j, n);
  const quotedWhole = quoted === 1 && bare === 0;
  return { end, value, from: quotedWhole ? from : start, to: quotedWhole ? to : end, expands, quotedWhole };
}
