/**
 * What the rewriters that replace scalars in place share (compose, Ansible, GitHub Actions, Helm):
 * locating a scalar by offset with the keys leading to it, replacing it in a style that reads back
 * as the new value, checking the result re-parses, naming variables, and the shell step that reads
 * a secret from the store. Parsing and the general node helpers are in ./yaml-edit.ts, splices in
 * ./splices.ts.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Scalar, type Tags, type YAMLMap } from 'yaml';
import { normalizeName } from '../../iac/names.js';
import { scalarSpan } from '../../iac/yaml/walk.js';
import { isVaultTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import { applySplices, shiftedOffset, type Splice } from './splices.js';
import type { RewriteEdit, RewriteResult } from './types.js';
import { doubleQuoted, parseYaml, singleQuoted } from './yaml-edit.js';

/** A scalar found by offset, with where it sits. */
export interface ScalarSite {
  node: Scalar;
  /** Map keys and sequence indexes from the document root to the scalar. */
  keys: (string | number)[];
  /** The map whose pair holds the scalar as its value (undefined for a sequence item). */
  map?: YAMLMap;
  /** Inside a flow collection (`{...}`, `[...]`), where a plain `{`, `}` or `,` would end the scalar. */
  inFlow: boolean;
  /** Index of the document holding it. */
  doc: number;
}

/**
 * The scalar whose source (quotes included) covers `[start, end)`, or undefined. Aliases are not
 * followed. Unlike `locateScalar` (./yaml-edit.ts), which walks down the one child that covers
 * the range and matches inside the quotes only, this searches every child, and names keys as
 * `String(value)` (a null key is `null`).
 */
export function scalarSiteAt(docs: readonly Document.Parsed[], start: number, end: number): ScalarSite | undefined {
  const find = (node: unknown, keys: (string | number)[], map: YAMLMap | undefined, inFlow: boolean): ScalarSite | undefined => {
    if (!node || isAlias(node)) return undefined;
    const range = (node as { range?: [number, number, number] | null }).range;
    if (range && (end < range[0] || start > range[2])) return undefined;
    if (isScalar(node)) {
      return range && range[0] <= start && end <= range[1] ? { node, keys, map, inFlow, doc: 0 } : undefined;
    }
    const flow = inFlow || !!(node as { flow?: boolean }).flow;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const hit = find(pair.value, [...keys, String(pair.key.value)], node, flow);
        if (hit) return hit;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const hit = find(node.items[i], [...keys, i], undefined, flow);
        if (hit) return hit;
      }
    }
    return undefined;
  };
  for (let i = 0; i < docs.length; i++) {
    const hit = find(docs[i].contents, [], undefined, false);
    if (hit) return { ...hit, doc: i };
  }
  return undefined;
}

/** True when the edit covers the scalar's whole value, as written (inside its quotes). */
export function coversWholeValue(site: ScalarSite, text: string, edit: Pick<RewriteEdit, 'start' | 'end'>): boolean {
  const [s, e] = scalarSpan(site.node, text);
  return s === edit.start && e === edit.end;
}

/**
 * A scalar replaced whole, in a style that reads back as `value`: the original quotes when it had
 * some; plain when it was plain and plain is safe there (`plainOk`); else double-quoted.
 */
export function replaceScalar(site: ScalarSite, text: string, value: string, plainOk: boolean): Splice {
  const node = site.node;
  const [from, to] = [node.range![0], node.range![1]];
  if (node.type === 'QUOTE_SINGLE' && !/[\n\r]/.test(value)) {
    return { from, to, insert: singleQuoted(value) };
  }
  if (node.type === 'PLAIN' && plainOk && !site.inFlow) return { from, to, insert: value };
  return { from, to, insert: doubleQuoted(value) };
}

/** One check of a rewritten file: the scalar at `at` (an offset of the original) must read `value`. */
export interface ScalarCheck {
  at: number;
  value: string | ((v: unknown) => boolean);
}

/**
 * Applies the splices and re-parses: the result when every document still parses (as many as
 * before) and every checked scalar reads as expected, else undefined.
 */
export function spliceAndCheck(text: string, docCount: number, splices: readonly Splice[], checks: readonly ScalarCheck[], customTags?: Tags): string | undefined {
  const out = applySplices(text, splices);
  const docs = parseYaml(out, customTags);
  if (!docs || docs.length !== docCount) return undefined;
  for (const check of checks) {
    const at = shiftedOffset(check.at, splices);
    const site = scalarSiteAt(docs, at, at);
    if (!site) return undefined;
    const ok = typeof check.value === 'function' ? check.value(site.node.value) : site.node.value === check.value;
    if (!ok) return undefined;
  }
  return out;
}

/** Every edit manual with one reason, the text unchanged. */
export function allManual(text: string, edits: readonly RewriteEdit[], reason: string, manual: RewriteResult['manual'] = []): RewriteResult {
  return { text, manual: [...manual, ...edits.map((edit) => ({ edit, reason }))], notes: [] };
}

export const UNPARSABLE = 'the file does not parse as YAML: replace the literal by hand';
export const REPARSE_FAILED = 'the rewritten file would not parse as YAML: replace the literal by hand';

/** `DB_PASSWORD`, `dbPassword`, `db.password` → `DB_PASSWORD`. */
export function upperSnake(name: string): string {
  return normalizeName(name).toUpperCase();
}

/** The first candidate `isFree` accepts: each base in turn, then each numbered (`BASE_2`, `BASE_3`...). */
export function firstFreeName(bases: readonly string[], isFree: (candidate: string) => boolean): string {
  for (let n = 1; ; n++) {
    for (const base of bases) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      if (isFree(candidate)) return candidate;
    }
  }
}

/** A word as the shell reads it: bare when it only holds safe characters, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A shell pipeline printing one secret from the store, without a trailing newline:
 * `vault kv get -mount=secret -field=KEY path` or `aws secretsmanager get-secret-value … | jq -j '.KEY'`.
 */
export function storeReadCommand(target: StoreTarget, backend: PlanBackend): string {
  if (isVaultTarget(target)) {
    const ns = backend.type === 'vault' && backend.namespace ? ` -namespace=${shellWord(backend.namespace)}` : '';
    return `vault kv get${ns} -mount=${shellWord(target.mount)} -field=${shellWord(target.key)} ${shellWord(target.path)}`;
  }
  const region = backend.type === 'aws-secrets-manager' && backend.region ? ` --region ${shellWord(backend.region)}` : '';
  const filter = /^[A-Za-z_][A-Za-z0-9_]*$/.test(target.key) ? `.${target.key}` : `.[${JSON.stringify(target.key)}]`;
  return `aws secretsmanager get-secret-value${region} --secret-id ${shellWord(target.name)} --query SecretString --output text | jq -j ${shellWord(filter)}`;
}

/** The same target as another (one secret may sit in several places of a file). */
export function sameTarget(a: StoreTarget, b: StoreTarget): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
