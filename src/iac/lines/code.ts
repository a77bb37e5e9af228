import type { BoundValue, FormatAnalyzer } from '../types.js';
import { codeLanguage } from '../format.js';
import { ByteSource, bytesToUtf8 } from './source.js';
import { analyzeSafely, boundValue } from './values.js';
import { STRING_RECOGNIZERS, unescapeString, type StringRecognizer, type StringSpec } from './code-strings.js';
import { analyzeShell } from './shell.js';

/** What the scanner needs to know of a language beyond its strings. */
interface LanguageRules {
  strings: StringRecognizer;
  slashComments: boolean;
  hashComments: boolean;
  blockComments: boolean;
  /** `/regex/` literals where a value may start (JavaScript, Ruby). */
  regexLiterals: boolean;
  /** `:symbol`, `@ivar`, `<<~HEREDOC`. */
  ruby: boolean;
  /** `<?php ... ?>` regions, `<<<HEREDOC`, `.` concatenation. */
  php: boolean;
  /** `name: Type = value` (TypeScript, Python, Kotlin, Scala, Rust, Swift). */
  typedNames: boolean;
  /** `var name Type = value`. */
  goDeclarations: boolean;
  /** `"key" => value` (PHP arrays, Ruby hashes, C# expression-bodied members). */
  arrowBinds: boolean;
  /** `"key" to value` (Kotlin pairs). */
  toBinds: boolean;
  /** Blocks open with `:` (Python): only a quoted key binds with `:`. */
  indentBlocks: boolean;
  /** `"a" % args` formats (Python, Ruby). */
  percentFormat: boolean;
  /** `"a" "b"` concatenates (Python, C). */
  adjacentConcat: boolean;
  /** `#define NAME "value"`. */
  cDefine: boolean;
  /** `password 'value'`: a call without parentheses (Groovy/Gradle DSLs, Ruby). */
  commandCalls: boolean;
  /** `-Password "value"` (PowerShell parameters). */
  dashParams: boolean;
}

const C_LIKE: Omit<LanguageRules, 'strings'> = {
  slashComments: true,
  hashComments: false,
  blockComments: true,
  regexLiterals: false,
  ruby: false,
  php: false,
  typedNames: false,
  goDeclarations: false,
  arrowBinds: false,
  toBinds: false,
  indentBlocks: false,
  percentFormat: false,
  adjacentConcat: false,
  cDefine: false,
  commandCalls: false,
  dashParams: false,
};

function rules(language: string, overrides: Partial<LanguageRules>): LanguageRules {
  return { ...C_LIKE, strings: STRING_RECOGNIZERS[language], ...overrides };
}

const LANGUAGES: Record<string, LanguageRules> = {
  javascript: rules('javascript', { regexLiterals: true }),
  typescript: rules('typescript', { regexLiterals: true, typedNames: true }),
  python: rules('python', { slashComments: false, blockComments: false, hashComments: true, typedNames: true, indentBlocks: true, percentFormat: true, adjacentConcat: true }),
  go: rules('go', { goDeclarations: true }),
  java: rules('java', {}),
  kotlin: rules('kotlin', { typedNames: true, toBinds: true }),
  scala: rules('scala', { typedNames: true }),
  groovy: rules('groovy', { commandCalls: true }),
  csharp: rules('csharp', { arrowBinds: true }),
  c: rules('c', { adjacentConcat: true, cDefine: true }),
  cpp: rules('cpp', { adjacentConcat: true, cDefine: true }),
  rust: rules('rust', { typedNames: true }),
  swift: rules('swift', { typedNames: true }),
  ruby: rules('ruby', { slashComments: false, blockComments: false, hashComments: true, regexLiterals: true, ruby: true, arrowBinds: true, percentFormat: true, commandCalls: true }),
  php: rules('php', { hashComments: true, php: true, arrowBinds: true }),
  powershell: rules('powershell', { slashComments: false, blockComments: false, hashComments: true, dashParams: true }),
};

// Token kinds.
const IDENT = 1;
const STR = 2;
const VALUE = 3; // numbers, regex literals, heredocs
const OP = 4;
const OPEN = 5;
const CLOSE = 6;

const RING = 32;
const MASK = RING - 1;

/** Operators the binding rules tell apart; any other run of operator characters is one character each. */
const OPS3 = new Set(['===', '!==', '**=', '<<=', '>>=', '>>>', '...', '??=', '||=', '&&=', '<=>', '?->']);
const OPS2 = new Set(['==', '!=', '<=', '>=', '=>', ':=', '::', '->', '||', '&&', '??', '+=', '-=', '*=', '/=', '%=', '|=', '&=', '^=', '++', '--', '<<', '>>', '?.', '..', '**', '?:', '!!', '=~', '!~', '<-', '|>', '.=']);
const ASSIGN = new Set(['=', ':=', '||=', '??=', '?=']);
const MEMBER = new Set(['.', '->', '::', '?.', '?->']);
/** After a value: the value is part of an expression, not the whole of what is bound. */
const EXPRESSION_OPS = new Set(['+', '|', '&', '*', '-', '/', '<<', '?', '..', '++', '^']);
/** `.method(` after a string that makes the result something else than the string. */
const TRANSFORMS = new Set(['format', 'replace', 'replaceAll', 'concat', 'join', 'formatted', 'arg']);
/** Calls whose second argument is bound to the name in the first: `getenv("TOKEN", "default")`. */
const CALLEES = new Set([
  'get', 'getenv', 'getOrDefault', 'getProperty', 'setProperty', 'put', 'set', 'setenv', 'Setenv', 'define',
  'fetch', 'setdefault', 'env', 'SetEnvironmentVariable', 'setHeader', 'header', 'addHeader', 'add', 'append',
  'putIfAbsent', 'withDefault', 'default',
]);
/** Words that cannot be the name a value is bound to. */
const KEYWORDS = new Set([
  'return', 'case', 'default', 'else', 'elif', 'lambda', 'in', 'of', 'yield', 'await', 'typeof', 'new', 'throw',
  'if', 'while', 'and', 'or', 'not', 'is', 'when', 'then', 'do', 'echo', 'print', 'puts', 'raise', 'assert',
]);
/** Words before a `:` that ends a condition or a clause rather than a declared name. */
const CONTROL_KEYWORDS = new Set(['for', 'with', 'except', 'try', 'finally', 'class', 'def', 'unless', 'until', 'switch', 'match']);
const GO_KEYWORDS = new Set(['var', 'const', 'type', 'func', 'return', 'case', 'go', 'defer', 'range', 'else', 'if', 'for', 'switch', 'package', 'import', 'struct', 'map', 'chan', 'interface']);
/** Identifiers after which `/` starts a regular expression. */
const REGEX_AFTER = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'if', 'unless', 'when', 'and', 'or', 'not', 'puts']);
/** Characters after which, inside an interpolation hole, `/` starts a regular expression. */
const REGEX_BEFORE = new Set([...'(,=:[!&|?{};+-*%<>~^'].map((ch) => ch.charCodeAt(0)));
/** Type-annotation tokens between `name:` and `=`. */
const TYPE_OPS = new Set(['.', '<', '>', '?', '|', '&', '*', '::']);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isOperatorChar(c: number): boolean {
  // = < > ! & | ? : . + - * / % ^ ~
  return c === 61 || c === 60 || c === 62 || c === 33 || c === 38 || c === 124 || c === 63 || c === 58 || c === 46 || c === 43 || c === 45 || c === 42 || c === 47 || c === 37 || c === 94 || c === 126;
}

interface StringToken {
  spec: StringSpec;
  from: number;
  to: number;
  interpolated: boolean;
}

interface Binding {
  /** Name segments, outermost first: `config`, `db`, `password`. */
  segments: string[];
  /** The name stands alone, outside the labels of enclosing brackets: `getenv("NAME", ...)`. */
  absolute?: boolean;
}

interface Pending {
  path: string;
  key: string;
  str: StringToken;
  /** Saw a `.` after the string: waiting for the method name. */
  dot: boolean;
}

/** Where a scan of strings gave up; a later scan from inside that range would too. */
interface Unclosed {
  from: number;
  until: number;
}

/**
 * A single forward pass over source code that keeps the last few tokens and, at each string
 * literal, looks back for the name it is bound to: `name = "..."`, `name: "..."`, `"key": "..."`,
 * `x["key"] = "..."`, `getenv("KEY", "...")`. Braces opened after a binding (`config = {`) give
 * nested values a dotted path. Linear: every character is read a bounded number of times.
 */
class CodeScanner {
  private readonly text: string;
  private readonly n: number;
  private readonly kinds = new Uint8Array(RING);
  private readonly starts = new Int32Array(RING);
  private readonly ends = new Int32Array(RING);
  private readonly newlineBefore = new Uint8Array(RING);
  private readonly strings: (StringToken | null)[] = new Array(RING).fill(null);
  private count = 0;
  private sawNewline = false;
  /** One entry per open bracket: whether it pushed a label. */
  private readonly brackets: boolean[] = [];
  private readonly labels: string[] = [];
  /** Brackets open beyond the depth `brackets` tracks. */
  private deeper = 0;
  private pending: Pending | null = null;
  private readonly heredocs: { word: string; indented: boolean }[] = [];
  private readonly unclosed = new Map<string, Unclosed>();
  // Results of the last scanString.
  private stringTo = 0;
  private stringInterpolated = false;

  constructor(
    private readonly src: ByteSource,
    private readonly language: string,
    private readonly lang: LanguageRules,
    private readonly values: BoundValue[],
  ) {
    this.text = src.text;
    this.n = src.text.length;
  }

  run(): void {
    const text = this.text;
    const n = this.n;
    const lang = this.lang;
    let i = this.src.bodyStart;
    if (lang.php) i = this.phpCodeStart(i, true);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c <= 32) {
        if (c === 10) {
          this.sawNewline = true;
          i = this.heredocs.length > 0 ? this.skipHeredocs(i + 1) : i + 1;
        } else i++;
        continue;
      }
      if (c === 47 /* / */) {
        const next = text.charCodeAt(i + 1);
        if (next === 47 && lang.slashComments) {
          i = this.src.lineEnd(i);
          continue;
        }
        if (next === 42 && lang.blockComments) {
          const close = text.indexOf('*/', i + 2);
          i = close < 0 ? n : close + 2;
          continue;
        }
        if (lang.regexLiterals && this.regexAllowed()) {
          const end = this.scanRegex(i);
          if (end > 0) {
            this.push(VALUE, i, end);
            i = end;
            continue;
          }
        }
      } else if (c === 35 /* # */ && lang.hashComments) {
        i = this.src.lineEnd(i);
        continue;
      } else if (c === 60 /* < */ && lang.dashParams && text.charCodeAt(i + 1) === 35) {
        const close = text.indexOf('#>', i + 2);
        i = close < 0 ? n : close + 2;
        continue;
      } else if (c === 34 || c === 39 || c === 96 || (c === 64 /* @ */ && (this.language === 'csharp' || this.language === 'powershell'))) {
        const spec = lang.strings(text, i, '');
        if (spec) {
          i = this.onString(i, spec);
          continue;
        }
      } else if (c === 63 /* ? */ && lang.php && text.charCodeAt(i + 1) === 62) {
        i = this.phpCodeStart(i + 2, false);
        continue;
      } else if (c === 60 /* < */ && (lang.ruby || lang.php) && text.charCodeAt(i + 1) === 60) {
        const end = this.heredocStart(i);
        if (end > 0) {
          this.push(VALUE, i, end);
          i = end;
          continue;
        }
      } else if (c === 58 /* : */ && lang.ruby && isIdentStart(text.charCodeAt(i + 1)) && !isIdentPart(text.charCodeAt(i - 1)) && text.charCodeAt(i - 1) !== 58) {
        let j = i + 1;
        while (j < n && isIdentPart(text.charCodeAt(j))) j++;
        this.push(IDENT, i, j); // a :symbol
        i = j;
        continue;
      }
      if (isIdentStart(c) || (c === 64 /* @ */ && lang.ruby)) {
        let j = i + 1;
        while (j < n && (isIdentPart(text.charCodeAt(j)) || (lang.ruby && text.charCodeAt(j) === 64 && j === i + 1))) j++;
        const after = text.charCodeAt(j);
        if (after === 34 || after === 39 || after === 96 || (after === 35 && this.language === 'rust') || (after === 64 && this.language === 'csharp')) {
          const spec = j - i <= 4 ? lang.strings(text, i, text.slice(i, j)) : null;
          if (spec) {
            i = this.onString(i, spec);
            continue;
          }
        }
        this.push(IDENT, i, j);
        i = j;
        continue;
      }
      if (c >= 48 && c <= 57) {
        let j = i + 1;
        while (j < n) {
          const d = text.charCodeAt(j);
          if (isIdentPart(d) || (d === 46 && text.charCodeAt(j + 1) >= 48 && text.charCodeAt(j + 1) <= 57)) j++;
          else break;
        }
        this.push(VALUE, i, j);
        i = j;
        continue;
      }
      if (c === 123 || c === 91 || c === 40) {
        this.onOpen(i);
        i++;
        continue;
      }
      if (c === 125 || c === 93 || c === 41) {
        if (this.deeper > 0) this.deeper--;
        else if (this.brackets.length > 0 && this.brackets.pop()) this.labels.pop();
        this.push(CLOSE, i, i + 1);
        i++;
        continue;
      }
      let len = 1;
      if (isOperatorChar(c) && isOperatorChar(text.charCodeAt(i + 1))) {
        if (OPS3.has(text.substr(i, 3))) len = 3;
        else if (OPS2.has(text.substr(i, 2))) len = 2;
      }
      this.push(OP, i, i + len);
      i += len;
    }
    this.settle(0, 0, 0);
  }

  // ---- tokens -------------------------------------------------------------------------------

  private push(kind: number, start: number, end: number, str: StringToken | null = null): void {
    if (this.pending) this.settle(kind, start, end);
    const at = ++this.count & MASK;
    this.kinds[at] = kind;
    this.starts[at] = start;
    this.ends[at] = end;
    this.strings[at] = str;
    this.newlineBefore[at] = this.sawNewline ? 1 : 0;
    this.sawNewline = false;
  }

  /** Kind of the token `back` places before the next one (1: the last token), 0 if none. */
  private kind(back: number): number {
    return back <= this.count && back < RING ? this.kinds[(this.count - back + 1) & MASK] : 0;
  }

  private tokenText(back: number): string {
    const at = (this.count - back + 1) & MASK;
    return this.text.slice(this.starts[at], this.ends[at]);
  }

  private is(back: number, kind: number, text: string): boolean {
    if (this.kind(back) !== kind) return false;
    const at = (this.count - back + 1) & MASK;
    const start = this.starts[at];
    return this.ends[at] - start === text.length && this.text.startsWith(text, start);
  }

  private stringAt(back: number): StringToken | null {
    return this.kind(back) === STR ? this.strings[(this.count - back + 1) & MASK] : null;
  }

  private startOf(back: number): number {
    return this.starts[(this.count - back + 1) & MASK];
  }

  private endOf(back: number): number {
    return this.ends[(this.count - back + 1) & MASK];
  }

  private newlineAt(back: number): boolean {
    return this.newlineBefore[(this.count - back + 1) & MASK] === 1;
  }

  private regexAllowed(): boolean {
    const k = this.kind(1);
    if (k === 0 || k === OP || k === OPEN) return true;
    if (k === IDENT) return REGEX_AFTER.has(this.tokenText(1));
    return false;
  }

  // ---- strings and other literals -------------------------------------------------------------

  private onString(start: number, spec: StringSpec): number {
    const end = this.scanString(start + spec.open, spec, 0);
    if (end < 0) {
      this.push(OP, start, start + spec.open);
      return start + spec.open;
    }
    const str: StringToken = { spec, from: start + spec.open, to: this.stringTo, interpolated: this.stringInterpolated };
    const binding = this.bindingBefore();
    this.push(STR, start, end, str);
    if (binding) {
      const segments = binding.segments;
      const local = segments.join('.');
      const path = this.labels.length > 0 && !binding.absolute ? `${this.labels.join('.')}.${local}` : local;
      this.pending = { path, key: segments[segments.length - 1], str, dot: false };
    }
    return end;
  }

  /**
   * Scans a string's text from `from`; returns the index after its closing delimiter (setting
   * `stringTo` and `stringInterpolated`), or -1 when it does not close.
   */
  private scanString(from: number, spec: StringSpec, depth: number): number {
    const text = this.text;
    const n = this.n;
    const memoKey = spec.close + (spec.multiline ? 'm' : 's') + spec.escape;
    const memo = this.unclosed.get(memoKey);
    if (memo && from >= memo.from && from < memo.until) return -1;
    const close = spec.close;
    const first = close.charCodeAt(0);
    const escape = spec.escape;
    const interpolation = spec.interpolation;
    let interpolated = interpolation === 'always';
    let j = from;
    while (j < n) {
      const ch = text.charCodeAt(j);
      if (ch === first && (close.length === 1 || text.startsWith(close, j))) {
        if (spec.doubled && text.startsWith(close, j + close.length)) {
          j += 2 * close.length;
          continue;
        }
        this.stringTo = j;
        this.stringInterpolated = interpolated;
        return j + close.length;
      }
      if (ch === 10 && !spec.multiline) break;
      if (interpolation !== 'none') {
        if ((interpolation === 'template' && ch === 36 && text.charCodeAt(j + 1) === 123) || (interpolation === 'ruby' && ch === 35 && text.charCodeAt(j + 1) === 123)) {
          interpolated = true;
          const after = depth < 16 ? this.skipHole(j + 2, depth + 1) : -1;
          if (after < 0) break;
          j = after;
          continue;
        }
        if (interpolation === 'dollar' && ch === 36) {
          const d = text.charCodeAt(j + 1);
          if (d === 123 || d === 40 || isIdentStart(d)) interpolated = true;
        } else if (interpolation === 'brace' && ch === 123) {
          if (text.charCodeAt(j + 1) === 123) {
            j += 2;
            continue;
          }
          interpolated = true;
        } else if (interpolation === 'swift' && ch === 92 && text.charCodeAt(j + 1) === 40) {
          interpolated = true;
        }
      }
      if (ch === escape) {
        j += text.charCodeAt(j + 1) === 13 && text.charCodeAt(j + 2) === 10 ? 3 : 2;
        continue;
      }
      j++;
    }
    this.unclosed.set(memoKey, { from, until: spec.multiline ? n : Math.max(j, from + 1) });
    return -1;
  }

  /** Skips an interpolation hole (`${ ... }`) from after its `{`; returns the index after its `}`. */
  private skipHole(from: number, depth: number): number {
    const text = this.text;
    let braces = 1;
    let j = from;
    let previous = 123; // the last non-blank character: `{` opened the hole
    while (j < this.n) {
      const ch = text.charCodeAt(j);
      if (ch === 123) braces++;
      else if (ch === 125) {
        if (--braces === 0) return j + 1;
      } else if (ch === 34 || ch === 39 || ch === 96) {
        const spec = this.lang.strings(text, j, '');
        if (spec) {
          const end = this.scanString(j + spec.open, spec, depth);
          if (end < 0) return -1;
          j = end;
          previous = ch;
          continue;
        }
      } else if (ch === 47 && this.lang.regexLiterals && REGEX_BEFORE.has(previous)) {
        const end = this.scanRegex(j);
        if (end > 0) {
          j = end;
          previous = 47;
          continue;
        }
      }
      if (ch > 32) previous = ch;
      j++;
    }
    return -1;
  }

  private scanRegex(start: number): number {
    const text = this.text;
    const memo = this.unclosed.get('/');
    if (memo && start >= memo.from && start < memo.until) return -1;
    let inClass = false;
    let j = start + 1;
    while (j < this.n) {
      const ch = text.charCodeAt(j);
      if (ch === 10) break;
      if (ch === 92) {
        j += 2;
        continue;
      }
      if (inClass) {
        if (ch === 93) inClass = false;
      } else if (ch === 91) inClass = true;
      else if (ch === 47) {
        j++;
        while (j < this.n && isIdentPart(text.charCodeAt(j))) j++;
        return j;
      }
      j++;
    }
    this.unclosed.set('/', { from: start, until: Math.max(j, start + 1) });
    return -1;
  }

  /** `<<~EOS`, `<<-'EOS'` (Ruby), `<<<EOT`, `<<<'EOT'` (PHP): registers the body to skip. */
  private heredocStart(i: number): number {
    const re = this.lang.php ? /<<<[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\1/y : /<<([~-]?)(["'`]?)([A-Z_][A-Za-z0-9_]*)\2/y;
    re.lastIndex = i;
    const m = re.exec(this.text);
    if (!m) return -1;
    if (this.lang.php) this.heredocs.push({ word: m[2], indented: true });
    else this.heredocs.push({ word: m[3], indented: m[1] !== '' });
    return re.lastIndex;
  }

  private skipHeredocs(from: number): number {
    const text = this.text;
    let i = from;
    while (this.heredocs.length > 0 && i < this.n) {
      const { word, indented } = this.heredocs[0];
      const eol = this.src.lineEnd(i);
      let k = i;
      if (indented) while (k < eol && (text.charCodeAt(k) === 32 || text.charCodeAt(k) === 9)) k++;
      if (text.startsWith(word, k) && !isIdentPart(text.charCodeAt(k + word.length))) {
        this.heredocs.shift();
        if (this.heredocs.length === 0) return k + word.length; // the rest of the line is code (`EOT;`)
      }
      i = eol + 1;
    }
    return i;
  }

  /** The start of the next `<?php` region (at the file's start: all of it when it has none). */
  private phpCodeStart(from: number, atStart: boolean): number {
    const open = this.text.indexOf('<?', from);
    if (open < 0) return atStart ? from : this.n;
    if (this.text.startsWith('<?php', open)) return open + 5;
    if (this.text.startsWith('<?=', open)) return open + 3;
    return open + 2;
  }

  // ---- binding ----------------------------------------------------------------------------

  /** The name the string about to be pushed is bound to, from the tokens before it. */
  private bindingBefore(): Binding | null {
    const k1 = this.kind(1);
    if (k1 === OP) {
      const op = this.tokenText(1);
      if (ASSIGN.has(op)) return this.assignee(2);
      if (op === ':') {
        // Python: `"key": value` binds; `name: "Type"` is an annotation, `class X:` a docstring's.
        if (this.lang.indentBlocks && (this.kind(2) !== STR || this.sawNewline)) return null;
        return this.mapKey(2);
      }
      if (op === '=>' && this.lang.arrowBinds) return this.mapKey(2);
      if (op === ',') return this.callArgument();
      if (op === '||' || op === '??') return this.kind(2) === IDENT ? this.absolute(this.chain(2)) : null;
      return null;
    }
    if (k1 === IDENT) {
      if (this.sawNewline) return null;
      if (this.lang.toBinds && this.is(1, IDENT, 'to')) return this.stringKey(2);
      if (this.lang.cDefine && this.is(2, IDENT, 'define') && this.is(3, OP, '#')) return this.chain(1);
      if (this.lang.dashParams && this.is(2, OP, '-') && this.endOf(2) === this.startOf(1)) {
        return this.chain(1);
      }
      if (this.lang.commandCalls && !KEYWORDS.has(this.tokenText(1)) && (this.kind(2) === 0 || this.newlineAt(1) || this.kind(2) === OPEN || this.is(2, OP, ';'))) {
        return this.chain(1);
      }
    }
    return null;
  }

  /** `name =`, `a.b.c =`, `x["key"] =`, `name: Type =`, `var name Type =`, `char name[] =`. */
  private assignee(k: number): Binding | null {
    const kind = this.kind(k);
    if (kind === IDENT) {
      if (this.lang.typedNames) {
        // Walk back over a type annotation to its `:` on the same line.
        let m = k;
        for (let steps = 0; steps < 8; steps++) {
          if (this.newlineAt(m)) break;
          const next = m + 1;
          const kn = this.kind(next);
          if (kn === OP && this.is(next, OP, ':')) {
            if (this.kind(next + 1) === IDENT && !this.newlineAt(next) && this.startsDeclaration(next + 1)) return this.chain(next + 1);
            break;
          }
          if (kn === IDENT || (kn === OP && TYPE_OPS.has(this.tokenText(next))) || this.is(next, OPEN, '[') || this.is(next, CLOSE, ']')) {
            m = next;
            continue;
          }
          break;
        }
      }
      if (this.lang.goDeclarations && this.kind(k + 1) === IDENT && !this.newlineAt(k) && !GO_KEYWORDS.has(this.tokenText(k + 1))) {
        return this.chain(k + 1);
      }
      return this.chain(k);
    }
    if (kind === CLOSE && this.is(k, CLOSE, ']')) {
      const key = this.stringKey(k + 1);
      if (key && this.is(k + 2, OPEN, '[')) {
        const base = this.kind(k + 3) === IDENT ? this.chain(k + 3) : null;
        return { segments: [...(base?.segments ?? []), ...key.segments] };
      }
      if (this.is(k + 1, OPEN, '[') && this.kind(k + 2) === IDENT) return this.chain(k + 2);
    }
    return null;
  }

  /**
   * The identifier `back` can begin a declaration: it starts a line or follows a bracket, `,`,
   * `;` or a modifier (`const`, `val`, `private`), not a condition (`if x: y = "..."`).
   */
  private startsDeclaration(back: number): boolean {
    if (KEYWORDS.has(this.tokenText(back))) return false;
    const before = this.kind(back + 1);
    if (before === 0 || before === OPEN || this.newlineAt(back)) return true;
    if (before === OP) return this.is(back + 1, OP, ',') || this.is(back + 1, OP, ';');
    return before === IDENT && !KEYWORDS.has(this.tokenText(back + 1)) && !CONTROL_KEYWORDS.has(this.tokenText(back + 1));
  }

  /** `key:` / `"key":` / `:key =>` / `'key' =>`, unless a ternary's `? a :` or a `case x:`. */
  private mapKey(k: number): Binding | null {
    let binding: Binding | null = null;
    const kind = this.kind(k);
    if (kind === STR) binding = this.stringKey(k);
    else if (kind === IDENT) {
      const name = this.tokenText(k);
      if (!KEYWORDS.has(name)) binding = this.segmentsOf([name]);
    }
    if (!binding) return null;
    const before = k + 1;
    if (this.is(before, OP, '?') || this.is(before, IDENT, 'case') || this.is(before, IDENT, 'lambda')) return null;
    return binding;
  }

  /** `getenv("NAME", "value")`, `define('NAME', 'value')`, `set :name, "value"`. */
  private callArgument(): Binding | null {
    const key = this.kind(2) === STR ? this.stringKey(2) : this.kind(2) === IDENT && this.lang.ruby && this.text[this.startOf(2)] === ':' ? this.chain(2) : null;
    if (!key) return null;
    let callee = 0;
    if (this.is(3, OPEN, '(') && this.kind(4) === IDENT) callee = 4;
    else if (this.kind(3) === IDENT && (this.lang.ruby || this.lang.commandCalls)) callee = 3;
    if (callee === 0 || !CALLEES.has(this.tokenText(callee))) return null;
    return this.absolute(key);
  }

  private absolute(binding: Binding | null): Binding | null {
    if (binding) binding.absolute = true;
    return binding;
  }

  private stringKey(k: number): Binding | null {
    const str = this.stringAt(k);
    if (!str || str.interpolated || str.to <= str.from || str.to - str.from > 256) return null;
    return this.segmentsOf([unescapeString(this.src.utf8(str.from, str.to), str.spec)]);
  }

  /** An identifier and the member accesses before it: `this.config.password` → config, password. */
  private chain(k: number): Binding | null {
    const names = [this.tokenText(k)];
    let m = k + 1;
    while (m + 1 < RING && this.kind(m) === OP && MEMBER.has(this.tokenText(m)) && this.kind(m + 1) === IDENT && names.length < 8) {
      names.unshift(this.tokenText(m + 1));
      m += 2;
    }
    return this.segmentsOf(names);
  }

  private segmentsOf(names: string[]): Binding | null {
    const segments: string[] = [];
    for (const raw of names) {
      const name = bytesToUtf8(raw.replace(/^(?:@@|[$@:])/, ''));
      if (segments.length === 0 && (name === 'this' || name === 'self')) continue;
      if (name.length > 0) segments.push(name);
    }
    return segments.length > 0 ? { segments } : null;
  }

  // ---- nesting and results ------------------------------------------------------------------

  private onOpen(i: number): void {
    let label: Binding | null = null;
    // Object and array literals give their contents a path; parentheses (calls, parameters) do not.
    const literal = this.text.charCodeAt(i) !== 40;
    if (literal && this.kind(1) === OP) {
      const op = this.tokenText(1);
      if (ASSIGN.has(op)) label = this.assignee(2);
      else if (op === ':' || (op === '=>' && this.lang.arrowBinds)) label = this.mapKey(2);
    } else if (literal && this.lang.toBinds && this.is(1, IDENT, 'to')) {
      label = this.stringKey(2);
    }
    const labelled = label !== null && this.labels.length < 32;
    if (this.brackets.length >= 4096) {
      this.deeper++;
    } else {
      this.brackets.push(labelled);
      if (labelled) this.labels.push((label as Binding).segments.join('.'));
    }
    this.push(OPEN, i, i + 1);
  }

  /** Decides the pending bound string with the token that follows it (kind 0: end of file). */
  private settle(kind: number, start: number, end: number): void {
    const p = this.pending;
    if (!p) return;
    let expression = false;
    if (p.dot) {
      expression = kind === IDENT && TRANSFORMS.has(this.text.slice(start, end));
    } else if (kind === OP) {
      const op = this.text.slice(start, end);
      if (op === '.' && this.lang.php) expression = true;
      else if (op === '.' || op === '?.') {
        p.dot = true;
        return;
      } else expression = (EXPRESSION_OPS.has(op) && !(op === '-' && this.lang.dashParams)) || (op === '%' && this.lang.percentFormat);
    } else if (kind === STR) {
      expression = this.lang.adjacentConcat;
    }
    this.pending = null;
    this.emit(p, expression);
  }

  private emit(p: Pending, expression: boolean): void {
    const { str, path, key } = p;
    if (str.to <= str.from) return;
    const literal = expression || str.interpolated ? null : unescapeString(this.src.utf8(str.from, str.to), str.spec);
    this.values.push(boundValue({ format: 'code', language: this.language, path, key }, str.from, str.to, literal));
  }
}

function analyzeCode(data: Buffer, language: string, values: BoundValue[]): void {
  const src = new ByteSource(data);
  if (language === 'shell') {
    analyzeShell(src, values);
    return;
  }
  const lang = LANGUAGES[language];
  if (!lang) return;
  new CodeScanner(src, language, lang, values).run();
}

export const codeAnalyzer: FormatAnalyzer = {
  formats: ['code'],
  analyze(data, path, format) {
    return analyzeSafely(format, path, (values, notes) => {
      const language = codeLanguage(path) ?? 'text';
      if (language !== 'shell' && !LANGUAGES[language]) notes.push(`${path}: no string-binding rules for ${language}`);
      else analyzeCode(data, language, values);
    });
  },
};
