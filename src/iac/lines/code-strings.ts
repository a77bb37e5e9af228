/**
 * String literals of the languages `format: code` covers: how each opens and closes, which
 * escapes it has, whether it can interpolate, and how its text becomes the string's value.
 */

/** How a string can embed code: a string that does is an expression, not a literal. */
export type Interpolation =
  | 'none'
  | 'template' // JS `${expr}`, skipped by brace matching
  | 'ruby' // `#{expr}`, skipped by brace matching
  | 'dollar' // Kotlin, Groovy, PHP, Scala s"", PowerShell: `$name`, `${expr}`
  | 'brace' // Python f"", C# $"": `{expr}`, `{{` is a literal brace
  | 'swift' // `\(expr)`
  | 'always'; // a command (`backticks` in Ruby and PHP): never a literal

/** How a string's text becomes its value. */
export type Unescaping =
  | 'c' // `\n \t \xHH \uHHHH \u{H} \0`..., an unknown escape drops its backslash
  | 'c-keep' // the same, an unknown escape keeps its backslash (Python)
  | 'quote' // only `\\` and `\'` (Ruby and PHP single quotes)
  | 'doubled' // a doubled quote is one quote (C# verbatim, PowerShell single quotes)
  | 'powershell' // backtick escapes and doubled quotes
  | 'none';

export interface StringSpec {
  /** Characters from the literal's first character (its prefix, if any) to its text. */
  open: number;
  /** The closing delimiter. */
  close: string;
  /** The escape character's code, or -1. */
  escape: number;
  multiline: boolean;
  /** A doubled closing delimiter stands for itself. */
  doubled: boolean;
  interpolation: Interpolation;
  unescaping: Unescaping;
}

function spec(
  open: number,
  close: string,
  options: Partial<Omit<StringSpec, 'open' | 'close'>> = {},
): StringSpec {
  return {
    open,
    close,
    escape: options.escape ?? 92,
    multiline: options.multiline ?? false,
    doubled: options.doubled ?? false,
    interpolation: options.interpolation ?? 'none',
    unescaping: options.unescaping ?? 'c',
  };
}

/** The string literal starting at `i` with `prefix` (an identifier right before the quote, or ''). */
export type StringRecognizer = (text: string, i: number, prefix: string) => StringSpec | null;

function triple(text: string, at: number, q: string): boolean {
  return text.charCodeAt(at + 1) === q.charCodeAt(0) && text.charCodeAt(at + 2) === q.charCodeAt(0);
}

const javascript: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '') return null;
  const q = text[i];
  if (q === '`') return spec(1, '`', { multiline: true, interpolation: 'template' });
  return spec(1, q);
};

const PYTHON_PREFIX = /^(?:[rRuUbBfF]|[rR][bBfF]|[bBfF][rR])$/;
const python: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '' && !PYTHON_PREFIX.test(prefix)) return null;
  const at = i + prefix.length;
  const q = text[at];
  if (q === '`') return null;
  const p = prefix.toLowerCase();
  const options = {
    interpolation: p.includes('f') ? ('brace' as const) : ('none' as const),
    unescaping: p.includes('r') ? ('none' as const) : ('c-keep' as const),
  };
  if (triple(text, at, q)) return spec(prefix.length + 3, q + q + q, { ...options, multiline: true });
  return spec(prefix.length + 1, q, options);
};

const go: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '') return null;
  return text[i] === '`' ? spec(1, '`', { escape: -1, multiline: true, unescaping: 'none' }) : spec(1, text[i]);
};

const java: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '' || text[i] === '`') return null;
  if (text[i] === '"' && triple(text, i, '"')) return spec(3, '"""', { multiline: true });
  return spec(1, text[i]);
};

const kotlin: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '' || text[i] === '`') return null; // `backticked identifiers`
  if (text[i] === '"' && triple(text, i, '"')) return spec(3, '"""', { escape: -1, multiline: true, interpolation: 'dollar', unescaping: 'none' });
  return spec(1, text[i], { interpolation: text[i] === '"' ? 'dollar' : 'none' });
};

const scala: StringRecognizer = (text, i, prefix) => {
  const at = i + prefix.length;
  if (text[at] === '`') return null;
  if (prefix !== '' && prefix !== 's' && prefix !== 'f' && prefix !== 'raw') return null;
  const interpolation = prefix === '' ? 'none' : 'dollar';
  if (text[at] === '"' && triple(text, at, '"')) return spec(prefix.length + 3, '"""', { escape: -1, multiline: true, interpolation, unescaping: 'none' });
  if (text[at] === "'") return prefix === '' && text[at + 2] === "'" ? spec(1, "'") : null; // chars, not 'symbols
  return spec(prefix.length + 1, '"', { interpolation, unescaping: prefix === 'raw' ? 'none' : 'c' });
};

const groovy: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '' || text[i] === '`') return null;
  const q = text[i];
  const interpolation = q === '"' ? 'dollar' : 'none';
  if (triple(text, i, q)) return spec(3, q + q + q, { multiline: true, interpolation });
  return spec(1, q, { interpolation });
};

const csharp: StringRecognizer = (text, i, prefix) => {
  const at = i + prefix.length;
  let p = prefix;
  let k = at;
  if (text[k] === '@') {
    p += '@';
    k++;
  }
  if (text[k] === '$' && !p.includes('$')) {
    p += '$';
    k++;
  }
  if (p !== '' && p !== '@' && p !== '$' && p !== '$@' && p !== '@$') return null;
  const q = text[k];
  if (q === '`') return null;
  if (q !== '"') return p === '' ? spec(1, q) : null;
  const interpolation = p.includes('$') ? 'brace' : 'none';
  const open = k - i;
  if (triple(text, k, '"')) return spec(open + 3, '"""', { escape: -1, multiline: true, interpolation, unescaping: 'none' });
  if (p.includes('@')) return spec(open + 1, '"', { escape: -1, multiline: true, doubled: true, interpolation, unescaping: 'doubled' });
  return spec(open + 1, '"', { interpolation });
};

const C_PREFIX = /^(?:L|u|U|u8)?R?$/;
const c: StringRecognizer = (text, i, prefix) => {
  if (!C_PREFIX.test(prefix) || text[i + prefix.length] === '`') return null;
  const at = i + prefix.length;
  if (prefix.endsWith('R') && text[at] === '"') {
    // C++ raw string: R"delim( ... )delim"
    const m = /^[^\s()\\]{0,16}\(/.exec(text.slice(at + 1, at + 18));
    if (!m) return null;
    const delim = m[0].slice(0, -1);
    return spec(prefix.length + 1 + m[0].length, `)${delim}"`, { escape: -1, multiline: true, unescaping: 'none' });
  }
  if (prefix.endsWith('R')) return null;
  return spec(prefix.length + 1, text[at]);
};

const rust: StringRecognizer = (text, i, prefix) => {
  const raw = rustRawString(text, i, prefix);
  if (raw) return raw;
  const at = i + prefix.length;
  const q = text[at];
  if (q === '`') return null;
  if (q === "'") {
    if (prefix !== '' && prefix !== 'b') return null;
    // A char literal, not a lifetime ('a).
    return text[at + 1] === '\\' || text[at + 2] === "'" ? spec(prefix.length + 1, "'") : null;
  }
  if (q === '"' && (prefix === '' || prefix === 'b' || prefix === 'c')) return spec(prefix.length + 1, '"', { multiline: true });
  return null;
};

/** Rust raw strings: r"...", r#"..."#, br##"..."##. */
function rustRawString(text: string, i: number, prefix: string): StringSpec | null {
  if (prefix !== 'r' && prefix !== 'br' && prefix !== 'cr') return null;
  let k = i + prefix.length;
  let hashes = 0;
  while (text[k] === '#' && hashes < 255) {
    hashes++;
    k++;
  }
  if (text[k] !== '"') return null;
  return spec(k + 1 - i, '"' + '#'.repeat(hashes), { escape: -1, multiline: true, unescaping: 'none' });
}

const swift: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '' || text[i] !== '"') return null;
  if (triple(text, i, '"')) return spec(3, '"""', { multiline: true, interpolation: 'swift' });
  return spec(1, '"', { interpolation: 'swift' });
};

const ruby: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '') return null;
  const q = text[i];
  if (q === "'") return spec(1, "'", { multiline: true, unescaping: 'quote' });
  if (q === '"') return spec(1, '"', { multiline: true, interpolation: 'ruby' });
  return spec(1, '`', { multiline: true, interpolation: 'always' });
};

const php: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '') return null;
  const q = text[i];
  if (q === "'") return spec(1, "'", { multiline: true, unescaping: 'quote' });
  if (q === '"') return spec(1, '"', { multiline: true, interpolation: 'dollar' });
  return spec(1, '`', { multiline: true, interpolation: 'always' });
};

const powershell: StringRecognizer = (text, i, prefix) => {
  if (prefix !== '') return null;
  let k = i;
  const here = text[k] === '@';
  if (here) k++;
  const q = text[k];
  if (q !== '"' && q !== "'") return null;
  const interpolation = q === '"' ? 'dollar' : 'none';
  const unescaping = q === '"' ? 'powershell' : 'doubled';
  const escape = q === '"' ? 96 : -1;
  if (here) return spec(2, `${q}@`, { escape, multiline: true, interpolation, unescaping });
  return spec(1, q, { escape, multiline: true, doubled: true, interpolation, unescaping });
};

export const STRING_RECOGNIZERS: Record<string, StringRecognizer> = {
  javascript,
  typescript: javascript,
  python,
  go,
  java,
  kotlin,
  scala,
  groovy,
  csharp,
  c,
  cpp: c,
  rust,
  swift,
  ruby,
  php,
  powershell,
};

const C_ESCAPES: Record<string, string> = {
  n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', a: '\x07', e: '\x1b', '0': '\0',
  '\\': '\\', "'": "'", '"': '"', '`': '`', $: '$', '/': '/', '?': '?', '{': '{', '}': '}',
};
const PYTHON_ESCAPES = new Set(['n', 'r', 't', 'b', 'f', 'v', 'a', '\\', "'", '"']);
const POWERSHELL_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', a: '\x07', e: '\x1b', '0': '\0' };

function codePoint(hex: string): string {
  const cp = parseInt(hex, 16);
  return cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
}

const C_ESCAPE = /\\(?:u\{([0-9a-fA-F]{1,6})\}|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|([0-7]{1,3})|(\n)|([\s\S]))/g;

function unescapeC(raw: string, keepUnknown: boolean): string {
  return raw.replace(
    C_ESCAPE,
    (whole, braced?: string, u4?: string, u8?: string, x2?: string, octal?: string, newline?: string, other?: string) => {
      if (braced !== undefined) return keepUnknown ? whole : codePoint(braced);
      if (u4 !== undefined) return String.fromCharCode(parseInt(u4, 16));
      if (u8 !== undefined) return codePoint(u8);
      if (x2 !== undefined) return String.fromCharCode(parseInt(x2, 16));
      if (octal !== undefined) return String.fromCharCode(parseInt(octal, 8) & 0xff);
      if (newline !== undefined) return ''; // line continuation
      const ch = other as string;
      if (keepUnknown && !PYTHON_ESCAPES.has(ch)) return whole;
      return C_ESCAPES[ch] ?? ch;
    },
  );
}

/** The value of a string literal from its text between the delimiters (already UTF-8 decoded). */
export function unescapeString(raw: string, s: StringSpec): string {
  let text = raw.includes('\r\n') ? raw.replace(/\r\n/g, '\n') : raw;
  // In a format string without holes, doubled braces stand for one.
  if (s.interpolation === 'brace') text = text.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
  switch (s.unescaping) {
    case 'none':
      return text;
    case 'c':
    case 'c-keep':
      return text.includes('\\') ? unescapeC(text, s.unescaping === 'c-keep') : text;
    case 'quote':
      return text.includes('\\') ? text.replace(/\\([\\'])/g, '$1') : text;
    case 'doubled': {
      const q = s.close[0];
      return text.split(q + q).join(q);
    }
    case 'powershell':
      return text
        .replace(/`([\s\S])/g, (_, ch: string) => POWERSHELL_ESCAPES[ch] ?? ch)
        .split('""')
        .join('"');
  }
}
