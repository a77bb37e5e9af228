/**
 * The dynamic reference `{{resolve:secretsmanager:<name>:SecretString:<key>}}`, which
 * CloudFormation resolves while it deploys, and writing it in place of a literal (all of it, or
 * the secret inside a longer value) in the quote style of the template.
 */
import type { Scalar } from 'yaml';
import type { AwsTarget } from '../plan/schema.js';
import type { Splice } from './splices.js';
import type { RewriteEdit } from './types.js';
import { contentEnd, doubleQuoted, isBlockScalar, nodeStart, scalarSpan, singleQuoted } from './yaml-edit.js';

/** `{{resolve:secretsmanager:<name>:SecretString:<key>}}`: the key's value inside the secret's JSON SecretString. */
export function dynamicReference(target: AwsTarget): string {
  return `{{resolve:secretsmanager:${target.name}:SecretString:${target.key}}}`;
}

/** Why a target cannot be written as a dynamic reference (segments may not hold ":"), or undefined. */
export function referenceProblem(target: AwsTarget): string | undefined {
  if (/[:{}\\]/.test(target.key)) {
    return `the key "${target.key}" of ${target.name} contains ":", "{", "}" or "\\", which a dynamic reference cannot hold: give the secret a key without them in the plan, then run vaultsweep apply again`;
  }
  return undefined;
}

export type Quote = 'single' | 'double';

export function quoted(value: string, quote: Quote): string {
  return quote === 'double' ? doubleQuoted(value) : singleQuoted(value);
}

/** The quote style for a value written where `node` was: JSON always double, YAML keeps double quotes, else single (as AWS's examples). */
function quoteFor(node: Scalar | undefined, json: boolean): Quote {
  return json || node?.type === 'QUOTE_DOUBLE' ? 'double' : 'single';
}

/** True when the scalar's text is its value character for character (no escapes, one line). */
function verbatim(node: Scalar, text: string): boolean {
  if (typeof node.value !== 'string' || isBlockScalar(node)) return false;
  const [s, e] = scalarSpan(node, text);
  return text.slice(s, e) === node.value && !/[\r\n]/.test(node.value);
}

/** The splices of one change, and what the rewritten template must read back. */
export interface Planned {
  splices: Splice[];
  /** Offsets (in the original text) where scalars must start that read back as these values. */
  expect: { at: number; value: string }[];
  /** Paths that must not exist any more (a deleted Default). */
  gone?: string[][];
}

/** Replaces a literal (all of it or the secret inside it) with the dynamic reference. */
export function replaceLiteral(node: Scalar, edit: RewriteEdit, ref: string, text: string, json: boolean): Planned | string {
  if (node.anchor) return `the value is anchored (&${node.anchor}) and may be reused through aliases: replace it and its aliases by hand`;
  const tag = node.tag;
  if (tag && tag !== '!Sub' && tag !== 'tag:yaml.org,2002:str') return `the value is tagged ${tag}: replace it by hand`;
  const [s, e] = scalarSpan(node, text);
  const quote = quoteFor(node, json);
  const valueStart = node.range![0];
  if (edit.start === s && edit.end === e) {
    // The whole value: `!Sub 'literal'` loses its tag, which had nothing to substitute.
    const start = tag === '!Sub' ? nodeStart(node, text) : valueStart;
    if (tag === '!Sub' && !text.slice(start, valueStart).startsWith('!Sub')) return 'the value is tagged !Sub on another line: replace it by hand';
    return { splices: [{ from: start, to: contentEnd(node, text), insert: quoted(ref, quote) }], expect: [{ at: start, value: ref }] };
  }
  if (!verbatim(node, text)) {
    return 'the secret is part of a longer value written with escapes or over several lines: write the value again with the dynamic reference in place of the secret';
  }
  const value = node.value as string;
  const next = value.slice(0, edit.start - s) + ref + value.slice(edit.end - s);
  return { splices: [{ from: valueStart, to: contentEnd(node, text), insert: quoted(next, quote) }], expect: [{ at: valueStart, value: next }] };
}
