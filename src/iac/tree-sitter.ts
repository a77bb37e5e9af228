/**
 * Tree-sitter grammars for the IaC analyzers (WebAssembly: no native build, one copy per thread).
 * `loadHcl()` is awaited once per thread (FormatAnalyzer.init); `parseHcl()` is then synchronous.
 *
 * Positions: web-tree-sitter parses a JavaScript string and reports `startIndex`/`endIndex` in
 * UTF-16 code units of that string. Analyzers report byte offsets in the file, so they decode the
 * file with `decodeSource()`, which keeps the map from string indices back to byte offsets.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isAscii } from 'node:buffer';
import * as WTS from 'web-tree-sitter';
import type { Tree } from 'web-tree-sitter';

export type { Tree, Node as SyntaxNode } from 'web-tree-sitter';

let hclParser: WTS.Parser | null = null;
/** A second parser, on a runtime of its own, ready to take over when the first one crashes. */
let hclSpare: WTS.Parser | null = null;
let hclLoading: Promise<void> | null = null;
let runtimes = 0;

/** Path of a grammar shipped by @cursorless/tree-sitter-wasms (`hcl` → `out/tree-sitter-hcl.wasm`). */
function grammarPath(name: string): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`@cursorless/tree-sitter-wasms/out/tree-sitter-${name}.wasm`);
}

/**
 * An HCL parser on a fresh copy of the tree-sitter runtime (its own WebAssembly memory): the
 * module is imported again under another URL, since the runtime keeps one instance per module.
 */
async function newHclParser(): Promise<WTS.Parser> {
  const n = runtimes++;
  const runtime: typeof WTS = n === 0 ? WTS : await import(`${pathToFileURL(runtimeModulePath()).href}?runtime=${n}`);
  await runtime.Parser.init();
  const language = await runtime.Language.load(grammarPath('hcl'));
  const parser = new runtime.Parser();
  parser.setLanguage(language);
  return parser;
}

/** The ES module build of web-tree-sitter (its package exports name it for `import`). */
function runtimeModulePath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.js');
}

/**
 * Loads the tree-sitter runtime and the HCL grammar (twice: see parseHcl). Later calls return at
 * once, or when a parser that crashed has been replaced: awaited before each batch of files.
 */
export async function loadHcl(): Promise<void> {
  hclLoading ??= Promise.all([newHclParser(), newHclParser()]).then(([parser, spare]) => {
    hclParser = parser;
    hclSpare = spare;
  });
  try {
    await hclLoading;
  } catch (error) {
    hclLoading = null; // let a later call try again
    throw error;
  }
  await hclRefill;
}

/**
 * The time a parse may take before it is abandoned: well-formed HCL parses at about 3 MB/s here,
 * but error recovery on garbage (random bytes, thousands of unclosed templates) runs at a few
 * hundred KB/s. The budget leaves real files a wide margin.
 */
export function hclParseBudgetMs(length: number): number {
  return 2_000 + length / 1_000;
}

/**
 * Blocks nested deeper than this (outside strings, comments and heredocs) and the file is not
 * given to the grammar: dozens of unclosed blocks among stray closing braces overflow its stack
 * in WebAssembly (a broken file of the synthetic benchmark history crashed it at about 50).
 * Terraform nests a few levels deep; a large `jsonencode` document, about twenty.
 */
export const MAX_NESTING = 32;

/** Runtimes one thread may start: each crash leaves one behind (a module is never unloaded). */
const MAX_RUNTIMES = 8;

/**
 * Parses HCL text. The caller deletes the tree (`tree.delete()`) when done with it. Throws when
 * the grammar is not loaded, blocks nest too deep, the parse outlasts its time
 * budget, or the parser crashes.
 *
 * After a crash ("memory access out of bounds") every parse on that runtime fails. The spare
 * parser, on a runtime of its own, takes over at once, and a new spare is made; callers wait for
 * it (`hclPending()`) before the next file, so that every file meets a parser with a spare ready
 * and the results never depend on which thread met the crash first.
 */
export function parseHcl(text: string, budgetMs = hclParseBudgetMs(text.length), maxNesting = MAX_NESTING): Tree {
  const parser = hclParser;
  if (!parser) {
    throw new Error(runtimes >= MAX_RUNTIMES ? 'HCL analysis stopped in this thread after repeated parser crashes' : hclLoading ? 'the HCL parser is restarting after a crash' : 'HCL grammar not loaded: await loadHcl() (the analyzer init) before parsing');
  }
  const nesting = deepestNesting(text);
  if (nesting > maxNesting) throw new Error(`blocks nested ${nesting} deep: not parsed as HCL`);
  const deadline = performance.now() + budgetMs;
  let tree: Tree | null;
  try {
    tree = parser.parse(text, null, { progressCallback: () => performance.now() > deadline });
  } catch (error) {
    if (!(error instanceof WebAssembly.RuntimeError)) throw error;
    replaceCrashedParser();
    throw new Error(`the HCL parser crashed (${error.message})`);
  }
  if (!tree) {
    parser.reset(); // a cancelled parse would otherwise resume on the next call
    throw new Error(`HCL parse abandoned after ${Math.round(budgetMs)} ms`);
  }
  return tree;
}

/**
 * The deepest nesting of `{` in the text, outside strings, comments and heredocs (a rough lexer:
 * good enough to bound what the grammar is given, and cheap next to parsing).
 */
export function deepestNesting(text: string): number {
  let depth = 0;
  let deepest = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x7d) {
      if (depth > 0) depth--;
    } else if (c === 0x22) {
      // A string runs to its closing quote or the end of the line (HCL strings are one line).
      for (i++; i < n; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++;
        else if (d === 0x22 || d === 0x0a) break;
      }
    } else if (c === 0x23 || (c === 0x2f && text.charCodeAt(i + 1) === 0x2f)) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 1;
    } else if (c === 0x3c && text.charCodeAt(i + 1) === 0x3c) {
      const heredoc = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(text.slice(i, i + 80));
      if (heredoc) {
        const closing = new RegExp(`\\n[ \\t]*${heredoc[1]}[ \\t]*(?:\\r?\\n|$)`, 'g');
        closing.lastIndex = i + heredoc[0].length - 1;
        const end = closing.exec(text);
        i = end ? end.index + end[0].length - 1 : n;
      }
    }
  }
  return deepest;
}

let hclRefill: Promise<void> | null = null;

/** While a crashed parser is being replaced: the promise to wait for before the next parse. */
export function hclPending(): Promise<void> | undefined {
  return hclRefill ?? undefined;
}

/** The spare takes over at once; new parsers are made in the background until there are two again. */
function replaceCrashedParser(): void {
  hclParser = hclSpare;
  hclSpare = null;
  if (runtimes >= MAX_RUNTIMES) return;
  hclRefill ??= (async () => {
    try {
      while ((!hclParser || !hclSpare) && runtimes < MAX_RUNTIMES) {
        const parser = await newHclParser();
        if (hclParser) hclSpare = parser;
        else hclParser = parser;
      }
    } finally {
      hclRefill = null;
    }
  })();
  hclRefill.catch(() => undefined);
}

/** A file's text as a JavaScript string, with the way back from string indices to file bytes. */
export interface DecodedSource {
  text: string;
  /** Byte offset in the file of the UTF-16 index `index` of `text` (0 ≤ index ≤ text.length). */
  byteOffset(index: number): number;
}

/**
 * Decodes UTF-8 bytes to a string and keeps the byte offset of every UTF-16 unit. A leading BOM is
 * dropped (offsets still count it); each byte of an invalid sequence decodes to U+FFFD on its own,
 * so offsets stay exact in files that are not valid UTF-8. ASCII files take a fast path (no map).
 */
export function decodeSource(data: Buffer): DecodedSource {
  if (isAscii(data)) {
    return { text: data.toString('latin1'), byteOffset: (index) => index };
  }
  const n = data.length;
  const units = new Uint16Array(n); // never more UTF-16 units than bytes
  const offsets = new Uint32Array(n + 1);
  let u = 0;
  let i = n >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  while (i < n) {
    const b = data[i];
    if (b < 0x80) {
      offsets[u] = i;
      units[u++] = b;
      i += 1;
      continue;
    }
    let cp = -1;
    let len = 1;
    if (b >= 0xc2 && b <= 0xdf) {
      const b1 = data[i + 1];
      if (i + 1 < n && (b1 & 0xc0) === 0x80) {
        cp = ((b & 0x1f) << 6) | (b1 & 0x3f);
        len = 2;
      }
    } else if (b >= 0xe0 && b <= 0xef) {
      const b1 = data[i + 1];
      const b2 = data[i + 2];
      if (i + 2 < n && (b1 & 0xc0) === 0x80 && (b2 & 0xc0) === 0x80) {
        const c = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        if (c >= 0x800 && (c < 0xd800 || c > 0xdfff)) {
          cp = c;
          len = 3;
        }
      }
    } else if (b >= 0xf0 && b <= 0xf4) {
      const b1 = data[i + 1];
      const b2 = data[i + 2];
      const b3 = data[i + 3];
      if (i + 3 < n && (b1 & 0xc0) === 0x80 && (b2 & 0xc0) === 0x80 && (b3 & 0xc0) === 0x80) {
        const c = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
        if (c >= 0x10000 && c <= 0x10ffff) {
          cp = c;
          len = 4;
        }
      }
    }
    if (cp < 0) {
      offsets[u] = i;
      units[u++] = 0xfffd;
    } else if (cp < 0x10000) {
      offsets[u] = i;
      units[u++] = cp;
    } else {
      const c = cp - 0x10000;
      offsets[u] = i;
      units[u++] = 0xd800 + (c >> 10);
      offsets[u] = i; // the low surrogate belongs to the same character
      units[u++] = 0xdc00 + (c & 0x3ff);
    }
    i += len;
  }
  offsets[u] = n;
  const text = Buffer.from(units.buffer, units.byteOffset, u * 2).toString('utf16le');
  return {
    text,
    byteOffset: (index) => offsets[index < 0 ? 0 : index > u ? u : index],
  };
}

export interface FlatTreeOptions {
  /** Copied without their children (the analyzer reads what it needs from their text). */
  leaves: ReadonlySet<string>;
  /** Named nodes whose own span the analyzer never reads (spans cost two calls each). */
  spanless: ReadonlySet<string>;
}

/**
 * A syntax tree copied out of WebAssembly into flat arrays: node `n` has type `type(n)`, span
 * `start[n]`..`end[n]` (UTF-16 indices of the parsed string; -1 for anonymous nodes and spanless
 * types), first child `first[n]` and next sibling `next[n]` (-1 for none). Node 0 is the root.
 *
 * Why: every property read through web-tree-sitter is a call into WebAssembly with the node or
 * cursor marshalled each time, and millions of Node objects keep the garbage collector busy.
 * One cursor pass that reads only what the analyzer needs, into typed arrays, costs about half
 * of walking Node objects (about 0.45 µs a node).
 */
export class FlatTree {
  private constructor(
    private readonly typeNames: readonly string[],
    private readonly namedTypes: readonly boolean[],
    readonly typeIds: Uint16Array,
    readonly start: Int32Array,
    readonly end: Int32Array,
    readonly first: Int32Array,
    readonly next: Int32Array,
    readonly size: number,
  ) {}

  type(n: number): string {
    return this.typeNames[this.typeIds[n]] ?? 'ERROR';
  }

  named(n: number): boolean {
    return this.namedTypes[this.typeIds[n]] ?? true;
  }

  /** The children of `n` (named and anonymous, comments included). */
  children(n: number): number[] {
    const out: number[] = [];
    for (let c = this.first[n]; c >= 0; c = this.next[c]) out.push(c);
    return out;
  }

  static from(tree: Tree, options: FlatTreeOptions): FlatTree {
    const language = tree.language;
    const typeNames: string[] = [];
    const namedTypes: boolean[] = [];
    const descend: boolean[] = [];
    const spanned: boolean[] = [];
    const learn = (id: number): void => {
      const name = language.types[id] ?? 'ERROR';
      typeNames[id] = name;
      namedTypes[id] = name === 'ERROR' || language.nodeTypeIsNamed(id);
      descend[id] = namedTypes[id] && !options.leaves.has(name);
      spanned[id] = namedTypes[id] && !options.spanless.has(name);
    };
    let capacity = 1024;
    let typeIds = new Uint16Array(capacity);
    let start: Int32Array = new Int32Array(capacity);
    let end: Int32Array = new Int32Array(capacity);
    let first: Int32Array = new Int32Array(capacity);
    let next: Int32Array = new Int32Array(capacity);
    let size = 0;
    const grow = (): void => {
      capacity *= 2;
      const t = new Uint16Array(capacity);
      t.set(typeIds);
      typeIds = t;
      const widen = (from: Int32Array): Int32Array => {
        const a = new Int32Array(capacity);
        a.set(from);
        return a;
      };
      start = widen(start);
      end = widen(end);
      first = widen(first);
      next = widen(next);
    };
    const cursor = tree.walk();
    const read = (): number => {
      if (size === capacity) grow();
      const n = size++;
      const id = cursor.nodeTypeId;
      if (typeNames[id] === undefined) learn(id);
      typeIds[n] = id;
      if (spanned[id]) {
        start[n] = cursor.startIndex;
        end[n] = cursor.endIndex;
      } else {
        start[n] = -1;
        end[n] = -1;
      }
      first[n] = -1;
      next[n] = -1;
      return n;
    };
    try {
      read();
      const parents: number[] = [0];
      const lastChild: number[] = [-1];
      if (cursor.gotoFirstChild()) {
        for (;;) {
          const n = read();
          const top = parents.length - 1;
          if (lastChild[top] === -1) first[parents[top]] = n;
          else next[lastChild[top]] = n;
          lastChild[top] = n;
          if (descend[typeIds[n]] && cursor.gotoFirstChild()) {
            parents.push(n);
            lastChild.push(-1);
            continue;
          }
          let done = false;
          while (!cursor.gotoNextSibling()) {
            if (parents.length === 1) {
              done = true;
              break;
            }
            cursor.gotoParent();
            parents.pop();
            lastChild.pop();
          }
          if (done) break;
        }
      }
    } finally {
      cursor.delete();
    }
    return new FlatTree(typeNames, namedTypes, typeIds, start, end, first, next, size);
  }
}
