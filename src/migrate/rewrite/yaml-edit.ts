/**
 * What the rewriters of YAML and JSON files share (CloudFormation, Kubernetes, compose, Ansible,
 * GitHub Actions, Helm): parsing a file as the scanner does, finding the node that holds a literal,
 * measuring where a node's text starts and ends, and writing scalars. Files are never
 * re-stringified: every change is a splice (./splices.ts) at offsets of the original text, so
 * comments, quoting and key order elsewhere survive byte for byte.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';
import { scalarSpan } from '../../iac/yaml/walk.js';
import type { Splice } from './splices.js';

export { scalarSpan };

/** As the scanner parses: lenient about duplicate keys. */
const PARSE_OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false } as const;

function parseStream(text: string, customTags: Tags | undefined) {
  return parseAllDocuments(text, { ...PARSE_OPTIONS, customTags: customTags ?? [] });
}

/** Every document of a file, those with errors included (see `parseYaml` to refuse them). */
export function parseYamlDocuments(text: string, customTags?: Tags): Document.Parsed[] {
  return parseStream(text, customTags);
}

/**
 * Every document of a file, or undefined when any of them (or the stream) has an error: what a
 * rewriter parses before it edits, and again to check that its result still parses.
 */
export function parseYaml(text: string, customTags?: Tags): Document.Parsed[] | undefined {
  const docs = parseStream(text, customTags);
  if ('empty' in docs && docs.empty) return docs.errors.length ? undefined : [];
  return docs.some((d) => d.errors.length > 0) ? undefined : [...docs];
}

/** One step from a document's root down to a node: the collection it sits in, and under which key or index. */
export interface Step {
  parent: YAMLMap | YAMLSeq;
  /** The pair holding the node (maps only). */
  pair?: Pair;
  /** The map key, or the item's index in a sequence. */
  key: string;
}

export interface LocatedScalar {
  doc: Document.Parsed;
  docIndex: number;
  node: Scalar;
  /** From the root down; the last step's pair or index holds `node`. */
  steps: Step[];
}

function keyText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? undefined : String(v);
}

function covers(node: unknown, start: number, end: number): boolean {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return !!range && range[0] <= start && end <= range[2];
}

/** The scalar whose text holds [start, end), with the path to it (values only, never keys). */
export function locateScalar(docs: Document.Parsed[], text: string, start: number, end: number): LocatedScalar | undefined {
  for (let docIndex = 0; docIndex < docs.length; docIndex++) {
    const doc = docs[docIndex];
    const root = doc.contents as Node | null;
    if (!root || !covers(root, start, end)) continue;
    const steps: Step[] = [];
    let at: unknown = root;
    for (let depth = 0; depth < 512; depth++) {
      if (isScalar(at)) {
        const [s, e] = scalarSpan(at, text);
        return s <= start && end <= e ? { doc, docIndex, node: at, steps } : undefined;
      }
      let next: unknown;
      if (isMap(at)) {
        for (const pair of at.items) {
          if (covers(pair.value, start, end)) {
            const key = keyText(pair.key);
            if (key === undefined) return undefined;
            steps.push({ parent: at, pair, key });
            next = pair.value;
            break;
          }
        }
      } else if (isSeq(at)) {
        at.items.forEach((item, i) => {
          if (next === undefined && covers(item, start, end)) {
            steps.push({ parent: at as YAMLSeq, key: String(i) });
            next = item;
          }
        });
      }
      if (next === undefined || isAlias(next)) return undefined;
      at = next;
    }
  }
  return undefined;
}

/** Where a node's own text ends: its last character, without the newline or comments after it. */
export function contentEnd(node: unknown, text: string): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return 0;
  let end = range[1];
  while (end > range[0] && /[ \t\r\n]/.test(text[end - 1])) end--;
  return end;
}

/** Where a node's text starts, including a tag (`!Ref`) or anchor (`&name`) written before it. */
export function nodeStart(node: unknown, text: string): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (!range) return 0;
  let start = range[0];
  const props = /(?:[!&][^\s,[\]{}]*[ \t]+)+$/.exec(text.slice(Math.max(0, start - 256), start));
  if (props && ((node as { tag?: string }).tag || (node as { anchor?: string }).anchor)) start -= props[0].length;
  return start;
}

/** A `|` or `>` scalar, whose text runs over the lines below its key. */
export function isBlockScalar(node: Scalar): boolean {
  return node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the newline ending the line of `offset` (or the end of the text). */
export function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

/** 1-based line number of an offset. */
export function lineNumber(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line++;
  return line;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The line ending the file mostly uses. */
export function detectEol(text: string): '\n' | '\r\n' {
  const lf = (text.match(/\n/g) ?? []).length;
  const crlf = (text.match(/\r\n/g) ?? []).length;
  return crlf > 0 && crlf * 2 >= lf ? '\r\n' : '\n';
}

/** A YAML single-quoted scalar (`''` escapes a quote). */
export function singleQuoted(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A double-quoted scalar, valid in JSON and YAML alike. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value);
}

const PLAIN_SAFE = /^[A-Za-z0-9_./+-](?:[A-Za-z0-9_./@+=, -]*[A-Za-z0-9_./@+=-])?$/;
const PLAIN_RESOLVES = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[0-9]{4}-[0-9]{2}-[0-9]{2}.*|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;

/** A string as a YAML scalar: plain when that reads back as the same string, else double-quoted. */
export function yamlString(value: string): string {
  if (value.length > 0 && PLAIN_SAFE.test(value) && !PLAIN_RESOLVES.test(value) && !/^[-?:,]/.test(value)) return value;
  return doubleQuoted(value);
}

/**
 * The splice that removes a pair from its map: whole lines in a block map, the entry and one
 * comma in a flow map or JSON object. Undefined when the pair shares its lines with other content.
 */
export function removePairSplice(map: YAMLMap, pair: Pair, text: string): Splice | undefined {
  const keyStart = nodeStart(pair.key, text);
  const valueEnd = pair.value ? contentEnd(pair.value, text) : contentEnd(pair.key, text);
  if (map.flow) {
    const index = map.items.indexOf(pair);
    if (index < 0) return undefined;
    if (index > 0) {
      const prev = map.items[index - 1];
      const prevEnd = prev.value ? contentEnd(prev.value, text) : contentEnd(prev.key, text);
      return { from: prevEnd, to: valueEnd, insert: '' };
    }
    const next = map.items[index + 1];
    if (next) return { from: keyStart, to: nodeStart(next.key, text), insert: '' };
    return { from: keyStart, to: valueEnd, insert: '' };
  }
  const from = lineStart(text, keyStart);
  if (text.slice(from, keyStart).trim() !== '') return undefined;
  const eol = lineEnd(text, valueEnd);
  if (!/^[ \t]*(?:#.*)?\r?$/.test(text.slice(valueEnd, eol))) return undefined;
  return { from, to: eol < text.length ? eol + 1 : eol, insert: '' };
}

/** The scalar whose text (with its tag or anchor) starts at `offset`. */
export function scalarStartingAt(root: unknown, offset: number, text?: string): Scalar | undefined {
  for (const { node } of walkNodes(root)) {
    if (!isScalar(node) || !node.range) continue;
    if (node.range[0] === offset || (text !== undefined && nodeStart(node, text) === offset)) return node;
  }
  return undefined;
}

/** The value of `key` in a map node. */
export function mapChild(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) if (keyText(pair.key) === key) return (pair.value ?? undefined) as Node | undefined;
  return undefined;
}

export function mapPair(node: unknown, key: string): Pair | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => keyText(p.key) === key);
}

export function mapChildAt(node: unknown, ...keys: string[]): Node | undefined {
  let at: unknown = node;
  for (const key of keys) {
    at = mapChild(at, key);
    if (at === undefined) return undefined;
  }
  return at as Node;
}

export function stringValue(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** Every node of a document in order, with the keys leading to it (aliases are not followed). */
export function* walkNodes(root: unknown, path: string[] = []): Generator<{ node: Node; path: string[]; parentPair?: Pair; parent?: YAMLMap | YAMLSeq }> {
  const stack: { node: unknown; path: string[]; parentPair?: Pair; parent?: YAMLMap | YAMLSeq }[] = [{ node: root, path }];
  while (stack.length) {
    const item = stack.pop()!;
    const node = item.node;
    if (node === null || node === undefined || isAlias(node)) continue;
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    yield item as { node: Node; path: string[]; parentPair?: Pair; parent?: YAMLMap | YAMLSeq };
    const children: typeof stack = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const k = keyText(pair.key);
        if (k === undefined) continue;
        children.push({ node: pair.value, path: [...item.path, k], parentPair: pair, parent: node });
      }
    } else if (isSeq(node)) {
      node.items.forEach((child, i) => children.push({ node: child, path: [...item.path, String(i)], parent: node }));
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}
