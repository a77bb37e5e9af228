/**
 * A CloudFormation parameter whose literal `Default` is a secret: the Default is deleted and every
 * `!Ref` / `{"Ref": ...}` of the parameter in resource properties takes the dynamic reference
 * instead, so the secret leaves the template and no deploy has to pass it. With Vault, which
 * CloudFormation cannot read, the steps to pass it as a NoEcho parameter instead.
 */
import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { AwsTarget, PlanBackend, VaultTarget } from '../plan/schema.js';
import { displayPath, placeProblem, walkTemplate, type Place } from './cloudformation-places.js';
import { dynamicReference, quoted, type Planned, type Quote } from './cloudformation-dynamic-reference.js';
import type { RewriteEdit } from './types.js';
import { contentEnd, lineNumber, mapChild, mapChildAt, mapPair, nodeStart, removePairSplice, scalarSpan, stringValue } from './yaml-edit.js';

/** A use of a parameter somewhere in the template. */
export interface Usage {
  kind: 'ref' | 'sub';
  node: Node;
  place: Place;
  line: number;
}

/** The `!Ref`s and `${P}` substitutions of a parameter outside Parameters. */
export function usagesOf(root: unknown, parameter: string, text: string): Usage[] {
  const usages: Usage[] = [];
  const sub = new RegExp(`\\$\\{\\s*${parameter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}`);
  for (const { node, place } of walkTemplate(root)) {
    if (place.path[0] === 'Parameters') continue;
    const line = () => lineNumber(text, nodeStart(node, text));
    if (isScalar(node) && node.tag === '!Ref' && node.value === parameter) {
      usages.push({ kind: 'ref', node, place, line: line() });
    } else if (isMap(node) && node.items.length === 1 && isScalar(node.items[0].key) && node.items[0].key.value === 'Ref' && stringValue(node.items[0].value) === parameter) {
      usages.push({ kind: 'ref', node, place, line: line() });
    } else if (isScalar(node) && typeof node.value === 'string' && sub.test(node.value)) {
      const inSub = node.tag === '!Sub' || place.enclosing.some((e) => e.name === 'Fn::Sub' && (e.argument === undefined || e.argument === 0));
      if (inSub) usages.push({ kind: 'sub', node, place, line: line() });
    }
  }
  return usages;
}

/** Replaces `!Ref P` / `{Ref: P}` with the dynamic reference; a block `Ref:` map joins its key's line. */
function replaceUsage(usage: Usage, ref: string, text: string, json: boolean): Planned | undefined {
  const node = usage.node;
  const start = nodeStart(node, text);
  // The tag must be found right before the value, or the splice would leave `!Ref` behind.
  if (isScalar(node) && !text.slice(start, node.range![0]).startsWith('!Ref')) return undefined;
  const end = contentEnd(node, text);
  const quote: Quote = json ? 'double' : 'single';
  if (isMap(node) && !node.flow) {
    // `Key:\n  Ref: P` → `Key: '{{resolve...}}'`.
    const before = text.slice(0, start);
    const joined = /:[ \t]*\r?\n[ \t]*$/.exec(before);
    if (joined) {
      const at = start - joined[0].length;
      return { splices: [{ from: at, to: end, insert: `: ${quoted(ref, quote)}` }], expect: [{ at: at + 2, value: ref }] };
    }
  }
  return { splices: [{ from: start, to: end, insert: quoted(ref, quote) }], expect: [{ at: start, value: ref }] };
}

/**
 * The Default of `parameter` deleted and each use of the parameter replaced by the dynamic
 * reference, or why that cannot be done automatically.
 */
export function planParameter(root: YAMLMap, parameter: string, paramEdits: RewriteEdit[], text: string, json: boolean): (Planned & { paths: string[] }) | string {
  const edit = paramEdits[0];
  const target = edit.target as AwsTarget;
  const ref = dynamicReference(target);
  const parameters = mapChild(root, 'Parameters');
  const definition = mapChild(parameters, parameter);
  const defaultPair: Pair | undefined = mapPair(definition, 'Default');
  const value = defaultPair?.value;
  if (paramEdits.length > 1 || !isMap(definition) || !defaultPair || !isScalar(value)) {
    return `Parameters.${parameter}.Default could not be read as one value: replace it by hand`;
  }
  const [s, e] = scalarSpan(value, text);
  if (edit.start !== s || edit.end !== e) {
    return `the Default of ${parameter} holds more than the secret: delete the secret from it by hand, and use '${ref}' where the secret was needed`;
  }
  if (value.anchor) {
    return `the Default of ${parameter} is anchored (&${value.anchor}) and may be reused through aliases: replace it and its aliases by hand`;
  }
  const removal = removePairSplice(definition, defaultPair, text);
  if (!removal) {
    return `the Default of ${parameter} shares its line with other content: delete it by hand, and use '${ref}' wherever ${parameter} is referenced`;
  }
  const usages = usagesOf(root, parameter, text);
  const blocked: string[] = [];
  const planned: Planned = { splices: [removal], expect: [], gone: [['Parameters', parameter, 'Default']] };
  const paths: string[] = [];
  for (const usage of usages) {
    const at = `line ${usage.line} (${displayPath(root, usage.place.path)})`;
    if (usage.kind === 'sub') {
      blocked.push(`${at}: write ${ref} in place of \${${parameter}} in the ${(usage.node as Scalar).tag === '!Sub' ? '!Sub' : 'Fn::Sub'} string`);
      continue;
    }
    const problem = placeProblem(root, usage.place, target.name);
    if (problem) {
      blocked.push(`${at}: ${problem}`);
      continue;
    }
    const one = replaceUsage(usage, ref, text, json);
    if (!one) {
      blocked.push(`${at}: replace !Ref ${parameter} with '${ref}' by hand`);
      continue;
    }
    planned.splices.push(...one.splices);
    planned.expect.push(...one.expect);
    // The property, not the function's argument list inside it (`STRIPE_SECRET`, not `STRIPE_SECRET.1.1`).
    const shown = displayPath(root, usage.place.path);
    paths.push(usage.place.enclosing.length ? shown.replace(/(?:\.\d+)+$/, '') : shown);
  }
  if (blocked.length) {
    return (
      `${parameter} is also used where its !Ref cannot become a dynamic reference automatically: ${blocked.join('; ')}. ` +
      `Then run vaultsweep migrate again (the Default and every !Ref ${parameter} are replaced then), or delete the Default and pass ${parameter} at deploy time`
    );
  }
  return { ...planned, paths };
}

/** With Vault: how to pass the parameter at deploy time instead of keeping its Default. */
export function vaultDefaultReason(root: unknown, parameter: string, target: VaultTarget, uri: string, backend: PlanBackend): string {
  const noEcho = root ? mapChildAt(root, 'Parameters', parameter, 'NoEcho') : undefined;
  const isNoEcho = isScalar(noEcho) && String(noEcho.value).toLowerCase() === 'true';
  const ns = backend.type === 'vault' && backend.namespace ? ` -namespace=${backend.namespace}` : '';
  const t = target;
  return (
    `CloudFormation cannot read Vault: delete this Default${isNoEcho ? '' : ', set NoEcho: true on the parameter'} and pass ${parameter} at deploy time from a pipeline that reads Vault ` +
    `(aws cloudformation deploy ... --parameter-overrides ${parameter}="$(vault kv get${ns} -mount=${t.mount} -field=${t.key} ${t.path})"), ` +
    `or copy the secret from ${uri} into AWS Secrets Manager and write '{{resolve:secretsmanager:<name>:SecretString:<key>}}' where ${parameter} is used`
  );
}
