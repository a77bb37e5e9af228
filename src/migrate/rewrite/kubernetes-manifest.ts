/** Reading the objects of a Kubernetes manifest: kind, name, namespace, labels, a node by path. */
import { isMap, isScalar, isSeq, type Document } from 'yaml';
import { mapChild, mapChildAt, stringValue } from './yaml-edit.js';

export function kindOf(doc: Document.Parsed): string {
  return stringValue(mapChild(doc.contents, 'kind')) ?? '';
}

export function metaName(doc: Document.Parsed): string | undefined {
  return stringValue(mapChildAt(doc.contents, 'metadata', 'name'));
}

export function metaNamespace(doc: Document.Parsed): string | undefined {
  return stringValue(mapChildAt(doc.contents, 'metadata', 'namespace'));
}

/** `Secret prod/db`, for messages. */
export function objectName(doc: Document.Parsed): string {
  const ns = metaNamespace(doc);
  return `${kindOf(doc) || 'object'} ${ns ? `${ns}/` : ''}${metaName(doc) ?? '(unnamed)'}`;
}

/** A string map (labels, annotations) as written, values as strings. */
export function stringMap(node: unknown): Map<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const out = new Map<string, string>();
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const v = isScalar(pair.value) ? pair.value.value : pair.value;
    out.set(String(pair.key.value), v === null || v === undefined ? '' : String(v));
  }
  return out;
}

/** A document with nothing in it (after a trailing `---`). */
export function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents as unknown;
  return contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined) && contents.source === '');
}

/** The node at a path of map keys and sequence indexes, or undefined. */
export function nodeAt(root: unknown, path: string[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (isMap(at)) at = mapChild(at, key);
    else if (isSeq(at)) at = at.items[Number(key)];
    else return undefined;
    if (at === undefined) return undefined;
  }
  return at;
}
