/**
 * Offset helpers for the rewriters of YAML and JSON files (CloudFormation, Kubernetes): find the
 * node that holds a literal, measure where a node's text ends, and splice text in. Files are never
 * re-stringified: every change is a splice at offsets of the original text, so comments, quoting
 * and key order elsewhere survive byte for byte.
 */
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type Pair, type Scalar, type Tags, type YAMLMap, type YAMLSeq } from 'yaml';
import { scalarSpan } from '../../iac/yaml/walk.js';

export { scalarSpan };

/** Parses every document of a file as the scanner does (lenient about duplicate keys). */
export function parseYamlDocuments(text: string, tags?: Tags): Document.Parsed[] {
  const docs = parseAllDocuments(text, { customTags: tags ?? [], uniqueKeys: false, strict: false, prettyErrors: false });
  return Array.isArray(docs) ? docs : [];
}

/** True when every document parses without an error. */
export function yamlParses(text: string, tags?: Tags): boolean {
  const docs = parseAllDocuments(text, { customTags: tags ?? [], uniqueKeys: false, strict: false, prettyErrors: false }) as unknown;
  if (Array.isArray(docs)) return (docs as Document.Parsed[]).every((d) => d.errors.length === 0);
  return ((docs as { errors?: unknown[] }).errors ?? []).length === 0;
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

export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** True when no two splices touch the same characters (insertions at one point conflict too). */
export function splicesOverlap(splices: Splice[]): boolean {
  const sorted = [...splices].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end || (sorted[i].start === sorted[i - 1].start && sorted[i].start === sorted[i].end)) return true;
  }
  return false;
}

/** Applies non-overlapping splices to the original text's offsets. */
export function applySplices(text: string, splices: Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

/**
 * Where a splice at `offset` of the original text lands in the spliced text (every splice
 * before it shifts it by its change in length).
 */
export function shiftedOffset(offset: number, splices: Splice[]): number {
  let shift = 0;
  for (const s of splices) if (s.end <= offset && !(s.start === offset && s.end === offset)) shift += s.text.length - (s.end - s.start);
  return offset + shift;
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
      return { start: prevEnd, end: valueEnd, text: '' };
    }
    const next = map.items[index + 1];
    if (next) return { start: keyStart, end: nodeStart(next.key, text), text: '' };
    return { start: keyStart, end: valueEnd, text: '' };
  }
  const from = lineStart(text, keyStart);
  if (text.slice(from, keyStart).trim() !== '') return undefined;
  const eol = lineEnd(text, valueEnd);
  if (!/^[ \t]*(?:#.*)?\r?$/.test(text.slice(valueEnd, eol))) return undefined;
  return { start: from, end: eol < text.length ? eol + 1 : eol, text: '' };
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

// ---------------------------------------------------------------------------------------------
// Writing new YAML blocks in a file's own style

/** Text copied as it is (already indented relative to its first line's column 0). */
export class RawBlock {
  constructor(readonly lines: string[]) {}
}

export type YValue = string | boolean | number | RawBlock | YMap | YValue[];
export type YMap = Map<string, YValue>;

export interface BlockStyle {
  /** Spaces per nesting level. */
  indent: number;
  /** True: `key:\n  - item`; false: `key:\n- item` (sequence dashes at the key's column). */
  indentSequences: boolean;
  eol: string;
}

function scalarText(v: string | boolean | number): string {
  return typeof v === 'string' ? yamlString(v) : String(v);
}

/** Emits a map as block YAML lines, each starting with `pad`. */
export function emitBlock(map: YMap, pad: string, style: BlockStyle): string[] {
  const unit = ' '.repeat(style.indent);
  const lines: string[] = [];
  const emitValue = (key: string, value: YValue, at: string, first: string) => {
    const head = `${first}${yamlString(key)}:`;
    if (value instanceof RawBlock) {
      lines.push(head, ...value.lines.map((l) => (l.trim() === '' ? '' : at + unit + l)));
    } else if (value instanceof Map) {
      if (value.size === 0) lines.push(`${head} {}`);
      else {
        lines.push(head);
        emitMap(value, at + unit);
      }
    } else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${head} []`);
      else {
        lines.push(head);
        const dashPad = style.indentSequences ? at + unit : at;
        for (const item of value) {
          if (item instanceof Map && item.size > 0) {
            // The first entry on the dash's line, the others under it.
            const inner = `${dashPad}  `;
            let firstEntry = true;
            for (const [k, v] of item) {
              emitValue(k, v, inner, firstEntry ? `${dashPad}- ` : inner);
              firstEntry = false;
            }
          } else if (!(item instanceof Map) && !Array.isArray(item) && !(item instanceof RawBlock)) {
            lines.push(`${dashPad}- ${scalarText(item)}`);
          } else {
            throw new Error('unsupported sequence item');
          }
        }
      }
    } else {
      lines.push(`${head} ${scalarText(value)}`);
    }
  };
  const emitMap = (m: YMap, at: string) => {
    for (const [k, v] of m) emitValue(k, v, at, at);
  };
  emitMap(map, pad);
  return lines;
}

/** The indentation a document uses: the column step between a block map's keys and its nested map's keys, and how it indents sequences. */
export function detectBlockStyle(docs: Document.Parsed[], text: string): BlockStyle {
  let indent = 0;
  let indentSequences: boolean | undefined;
  for (const doc of docs) {
    for (const { node, parentPair } of walkNodes(doc.contents)) {
      if (!parentPair || (node as { flow?: boolean }).flow) continue;
      const keyColumn = columnOf(text, nodeStart(parentPair.key, text));
      if (isMap(node) && indent === 0 && node.items.length) {
        const childColumn = columnOf(text, nodeStart(node.items[0].key, text));
        const firstLine = lineStart(text, nodeStart(node.items[0].key, text));
        if (childColumn > keyColumn && firstLine > lineStart(text, nodeStart(parentPair.key, text))) indent = childColumn - keyColumn;
      }
      if (isSeq(node) && indentSequences === undefined && node.items.length) {
        const dashColumn = columnOf(text, node.range?.[0] ?? 0);
        if (lineStart(text, node.range?.[0] ?? 0) > lineStart(text, nodeStart(parentPair.key, text))) indentSequences = dashColumn > keyColumn;
      }
      if (indent && indentSequences !== undefined) break;
    }
    if (indent && indentSequences !== undefined) break;
  }
  return { indent: indent > 0 && indent <= 8 ? indent : 2, indentSequences: indentSequences ?? true, eol: detectEol(text) };
}

/** Lines of a block of text with their common indentation removed. */
export function dedentLines(block: string): string[] {
  const lines = block.replace(/\r/g, '').split('\n');
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ ]*/.exec(l)![0].length);
  const min = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => (l.trim() === '' ? '' : l.slice(min)));
}
