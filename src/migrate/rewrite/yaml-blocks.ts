/**
 * Writing new YAML blocks in a file's own style (indentation per level, how sequences are
 * indented, line endings), for rewriters that add whole objects to a file (the Kubernetes
 * rewriter's ExternalSecrets).
 */
import { isMap, isSeq, type Document } from 'yaml';
import { columnOf, detectEol, lineStart, nodeStart, walkNodes, yamlString } from './yaml-edit.js';

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
