/**
 * CloudFormation templates (YAML with short-form tags, and JSON): a literal in a resource property
 * becomes the dynamic reference `{{resolve:secretsmanager:<name>:SecretString:<key>}}`, which
 * CloudFormation resolves while it deploys. A parameter's literal `Default` is deleted and every
 * `!Ref` / `{"Ref": ...}` of that parameter in resource properties takes the dynamic reference
 * instead, so the secret leaves the template and no deploy has to pass it.
 *
 * CloudFormation cannot read Vault: with the Vault backend every edit is manual, with the exact
 * steps (copy the secret into Secrets Manager, or pass it as a NoEcho parameter from a pipeline
 * that reads Vault).
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { CLOUDFORMATION_TAGS } from '../../iac/yaml/walk.js';
import { isVaultTarget, type AwsTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import { referenceUri } from '../references.js';
import type { RewriteContext, RewriteEdit, RewriteResult, Rewriter } from './types.js';
import {
  applySplices,
  contentEnd,
  doubleQuoted,
  lineNumber,
  locateScalar,
  mapChild,
  mapChildAt,
  mapPair,
  nodeStart,
  parseYamlDocuments,
  removePairSplice,
  scalarSpan,
  scalarStartingAt,
  shiftedOffset,
  singleQuoted,
  splicesOverlap,
  stringValue,
  yamlParses,
  type Splice,
} from './yaml-edit.js';

/** CloudFormation refuses a template with more dynamic references than this. */
export const MAX_DYNAMIC_REFERENCES = 60;

/** `{{resolve:secretsmanager:<name>:SecretString:<key>}}`: the key's value inside the secret's JSON SecretString. */
export function dynamicReference(target: AwsTarget): string {
  return `{{resolve:secretsmanager:${target.name}:SecretString:${target.key}}}`;
}

/** Why a target cannot be written as a dynamic reference (segments may not hold ":"), or undefined. */
function referenceProblem(target: AwsTarget): string | undefined {
  if (/[:{}\\]/.test(target.key)) {
    return `the key "${target.key}" of ${target.name} contains ":", "{", "}" or "\\", which a dynamic reference cannot hold: give the secret a key without them in the plan, then run vaultsweep apply again`;
  }
  return undefined;
}

function describe(target: StoreTarget, backend: PlanBackend): string {
  return referenceUri(target, backend);
}

// ---------------------------------------------------------------------------------------------
// Where a value sits

/** Intrinsic functions as their long names: `!Join` and `Fn::Join` alike. */
function intrinsicName(tagOrKey: string): string | undefined {
  if (tagOrKey.startsWith('!') && !tagOrKey.startsWith('!!')) {
    const name = tagOrKey.slice(1);
    return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  }
  if (tagOrKey === 'Ref' || tagOrKey === 'Condition' || tagOrKey.startsWith('Fn::')) return tagOrKey;
  return undefined;
}

/** An intrinsic function enclosing a node, and which of its arguments holds the node. */
interface Enclosing {
  name: string;
  /** Index in the function's argument list, when its argument is a list. */
  argument?: number;
  /** Written `Fn::X:` (its list, if any, is the next node down). */
  longForm?: boolean;
}

/**
 * Functions through which a dynamic reference's text reaches the property unchanged (CloudFormation
 * resolves dynamic references after the functions run), by the argument that may hold it.
 */
const PASS_THROUGH: Record<string, (argument: number | undefined) => boolean> = {
  'Fn::Join': (a) => a === 1,
  'Fn::If': (a) => a === 1 || a === 2,
  'Fn::Select': (a) => a === 1,
  // The template string (splicing a reference into it) or the variable map.
  'Fn::Sub': () => true,
};

interface Place {
  path: string[];
  enclosing: Enclosing[];
}

/** Walks a template's nodes with their key path and the intrinsic functions around them. */
function* walkTemplate(root: unknown): Generator<{ node: Node; place: Place }> {
  type Item = { node: unknown; place: Place };
  const stack: Item[] = [{ node: root, place: { path: [], enclosing: [] } }];
  while (stack.length) {
    const { node, place } = stack.pop()!;
    if (!isScalar(node) && !isMap(node) && !isSeq(node)) continue;
    yield { node: node as Node, place };
    const tag = (node as { tag?: string }).tag;
    const own = tag ? intrinsicName(tag) : undefined;
    const children: Item[] = [];
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key === undefined) continue;
        // `Fn::Join: [...]`: a one-key map whose key names a function is that function's call.
        const fn = node.items.length === 1 ? intrinsicName(key) : undefined;
        const enclosing = [...place.enclosing, ...(own ? [{ name: own }] : []), ...(fn ? [{ name: fn, longForm: true }] : [])];
        children.push({ node: pair.value, place: { path: [...place.path, key], enclosing } });
      }
    } else if (isSeq(node)) {
      const last = place.enclosing[place.enclosing.length - 1];
      node.items.forEach((child, i) => {
        let enclosing = place.enclosing;
        if (own) enclosing = [...enclosing, { name: own, argument: i }];
        else if (last?.longForm && last.argument === undefined) enclosing = [...enclosing.slice(0, -1), { name: last.name, argument: i }];
        children.push({ node: child, place: { path: [...place.path, String(i)], enclosing } });
      });
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
}

function placeOf(root: unknown, target: Node): Place | undefined {
  for (const { node, place } of walkTemplate(root)) if (node === target) return place;
  return undefined;
}

function resourceType(root: unknown, logicalId: string): string {
  return stringValue(mapChildAt(root, 'Resources', logicalId, 'Type')) ?? '';
}

function isCustomResource(type: string): boolean {
  return type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource';
}

/**
 * Why a dynamic reference cannot go to this place, or undefined when it can: only resource
 * properties (and SAM Globals, copied into them) resolve dynamic references, never custom
 * resources, EC2 UserData or resource Metadata; and a function that transforms its argument
 * would transform the reference's text instead of the secret.
 */
function placeProblem(root: unknown, place: Place, name: string): string | undefined {
  const path = place.path;
  const section = path[0];
  if (section === 'Globals') {
    // SAM copies Globals into each function's properties before CloudFormation resolves them.
  } else if (section === 'Resources') {
    if (path[2] !== 'Properties' || path.length < 4) {
      return path[2] === 'Metadata'
        ? `CloudFormation does not resolve dynamic references in resource Metadata (AWS::CloudFormation::Init would show the value): have the instance read ${name} from Secrets Manager at boot instead`
        : `a dynamic reference only works in a resource's Properties: move the value there, then run vaultsweep migrate again`;
    }
    const type = resourceType(root, path[1]);
    if (isCustomResource(type)) {
      return `CloudFormation does not resolve secretsmanager dynamic references in custom resource properties (${path[1]} is ${type}): pass the secret's name (${name}) instead and have the custom resource's function read it from Secrets Manager`;
    }
    if (path.includes('UserData')) {
      return `CloudFormation does not resolve dynamic references in UserData: have the instance read the secret at boot (aws secretsmanager get-secret-value --secret-id ${name}) instead`;
    }
  } else if (section === 'Outputs') {
    return `do not output a secret: remove the output (or output the secret's name, ${name}, instead)`;
  } else if (section === 'Mappings') {
    return `move the secret out of Mappings: write the dynamic reference in the resource properties that read it with Fn::FindInMap, then run vaultsweep migrate again`;
  } else if (section === 'Conditions' || section === 'Rules') {
    return `a ${section === 'Conditions' ? 'condition' : 'rule'} cannot read a dynamic reference: compare against something other than the secret`;
  } else {
    return `a dynamic reference only works in resource properties, not in ${section ?? 'this place'}`;
  }
  const blocking = place.enclosing.find((e) => e.name !== 'Ref' && !(PASS_THROUGH[e.name]?.(e.argument) ?? false));
  if (blocking) {
    return `it is inside ${blocking.name}, which would transform the reference's text rather than the secret: restructure the expression so the value reaches the property as it is`;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Writing

type Quote = 'single' | 'double';

function quoted(value: string, quote: Quote): string {
  return quote === 'double' ? doubleQuoted(value) : singleQuoted(value);
}

/** The quote style for a value written where `node` was: JSON always double, YAML keeps double quotes, else single (as AWS's examples). */
function quoteFor(node: Scalar | undefined, json: boolean): Quote {
  return json || node?.type === 'QUOTE_DOUBLE' ? 'double' : 'single';
}

/** True when the scalar's text is its value character for character (no escapes, one line). */
function verbatim(node: Scalar, text: string): boolean {
  if (typeof node.value !== 'string' || node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return false;
  const [s, e] = scalarSpan(node, text);
  return text.slice(s, e) === node.value && !/[\r\n]/.test(node.value);
}

interface Planned {
  splices: Splice[];
  /** Offsets (in the original text) where scalars must start that read back as these values. */
  expect: { at: number; value: string }[];
  /** Paths that must not exist any more (a deleted Default). */
  gone?: string[][];
}

/** Replaces a literal (all of it or the secret inside it) with the dynamic reference. */
function replaceLiteral(node: Scalar, edit: RewriteEdit, ref: string, text: string, json: boolean): Planned | string {
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
    return { splices: [{ start, end: contentEnd(node, text), text: quoted(ref, quote) }], expect: [{ at: start, value: ref }] };
  }
  if (!verbatim(node, text)) {
    return 'the secret is part of a longer value written with escapes or over several lines: write the value again with the dynamic reference in place of the secret';
  }
  const value = node.value as string;
  const next = value.slice(0, edit.start - s) + ref + value.slice(edit.end - s);
  return { splices: [{ start: valueStart, end: contentEnd(node, text), text: quoted(next, quote) }], expect: [{ at: valueStart, value: next }] };
}

/** A use of a parameter somewhere in the template. */
interface Usage {
  kind: 'ref' | 'sub';
  node: Node;
  place: Place;
  line: number;
}

function usagesOf(root: unknown, parameter: string, text: string): Usage[] {
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
      return { splices: [{ start: at, end, text: `: ${quoted(ref, quote)}` }], expect: [{ at: at + 2, value: ref }] };
    }
  }
  return { splices: [{ start, end, text: quoted(ref, quote) }], expect: [{ at: start, value: ref }] };
}

/** A path as the scanner writes it: list items by their `Name` (`Environment.DB_PASSWORD`), not their index. */
function displayPath(root: unknown, path: string[]): string {
  const out: string[] = [];
  let at: unknown = root;
  let skipValue = false;
  for (const key of path) {
    if (isSeq(at)) {
      at = at.items[Number(key)];
      const name = stringValue(mapChild(at, 'Name')) ?? stringValue(mapChild(at, 'name'));
      out.push(name ?? key);
      skipValue = name !== undefined;
      continue;
    }
    at = mapChild(at, key);
    if (!(skipValue && (key === 'Value' || key === 'value'))) out.push(key);
    skipValue = false;
  }
  return out.join('.');
}

// ---------------------------------------------------------------------------------------------

function vaultReasons(text: string, edits: RewriteEdit[], context: RewriteContext): RewriteResult {
  const docs = parseYamlDocuments(text, CLOUDFORMATION_TAGS);
  const manual = edits.map((edit) => {
    const uri = describe(edit.target, context.backend);
    const located = docs.length === 1 ? locateScalar(docs, text, edit.start, edit.end) : undefined;
    const path = located?.steps.map((s) => s.key) ?? (edit.location.context?.path ?? '').split('.');
    if (path[0] === 'Parameters' && path[2] === 'Default' && path.length === 3 && isVaultTarget(edit.target)) {
      const parameter = path[1];
      const root = located?.doc.contents;
      const noEcho = root ? mapChildAt(root, 'Parameters', parameter, 'NoEcho') : undefined;
      const isNoEcho = isScalar(noEcho) && String(noEcho.value).toLowerCase() === 'true';
      const ns = context.backend.type === 'vault' && context.backend.namespace ? ` -namespace=${context.backend.namespace}` : '';
      const t = edit.target;
      return {
        edit,
        reason:
          `CloudFormation cannot read Vault: delete this Default${isNoEcho ? '' : ', set NoEcho: true on the parameter'} and pass ${parameter} at deploy time from a pipeline that reads Vault ` +
          `(aws cloudformation deploy ... --parameter-overrides ${parameter}="$(vault kv get${ns} -mount=${t.mount} -field=${t.key} ${t.path})"), ` +
          `or copy the secret from ${uri} into AWS Secrets Manager and write '{{resolve:secretsmanager:<name>:SecretString:<key>}}' where ${parameter} is used`,
      };
    }
    return {
      edit,
      reason:
        `CloudFormation cannot read Vault: copy the secret from ${uri} into AWS Secrets Manager and write '{{resolve:secretsmanager:<name>:SecretString:<key>}}' here ` +
        `(or migrate this template with the aws-secrets-manager backend), or pass it in as a NoEcho parameter from a deploy pipeline that reads Vault`,
    };
  });
  return { text, manual, notes: [] };
}

function looksLikeJson(text: string): boolean {
  if (!/^\s*[{[]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const cloudformationRewriter: Rewriter = {
  name: 'cloudformation-dynamic-reference',
  accepts(location) {
    // Also with Vault: the rewrite then says exactly how to get the secret to CloudFormation.
    return location.context?.format === 'cloudformation';
  },
  rewrite(text, edits, context): RewriteResult {
    if (context.backend.type === 'vault') return vaultReasons(text, edits, context);
    const manual: RewriteResult['manual'] = [];
    const allManual = (reason: string): RewriteResult => ({ text, manual: edits.map((edit) => ({ edit, reason })), notes: [] });
    const json = looksLikeJson(text);
    const docs = parseYamlDocuments(text, CLOUDFORMATION_TAGS);
    if (docs.length !== 1 || docs[0].errors.length > 0 || !isMap(docs[0].contents)) {
      return allManual(`the template does not parse as ${json ? 'JSON' : 'YAML'}: fix it, then run vaultsweep migrate again`);
    }
    const doc: Document.Parsed = docs[0];
    const root = doc.contents as YAMLMap;

    interface Change extends Planned {
      edits: RewriteEdit[];
      /** Where the secret now comes from, for the notes. */
      paths: string[];
      parameter?: string;
      target: AwsTarget;
    }
    const changes: Change[] = [];
    const byParameter = new Map<string, RewriteEdit[]>();

    for (const edit of edits) {
      if (isVaultTarget(edit.target)) {
        manual.push({ edit, reason: `the plan sends this secret to Vault (${describe(edit.target, context.backend)}), which CloudFormation cannot read: give it a Secrets Manager target in the plan` });
        continue;
      }
      const target = edit.target;
      const problem = referenceProblem(target);
      if (problem) {
        manual.push({ edit, reason: problem });
        continue;
      }
      const located = locateScalar(docs, text, edit.start, edit.end);
      if (!located) {
        manual.push({ edit, reason: 'the literal is not a value of the template (a key, or inside an alias): replace it by hand' });
        continue;
      }
      const path = located.steps.map((s) => s.key);
      if (path[0] === 'Parameters' && path.length === 3 && path[2] === 'Default') {
        byParameter.set(path[1], [...(byParameter.get(path[1]) ?? []), edit]);
        continue;
      }
      const place = placeOf(root, located.node) ?? { path, enclosing: [] };
      const where = placeProblem(root, place, target.name);
      if (where) {
        manual.push({ edit, reason: where });
        continue;
      }
      const ref = dynamicReference(target);
      const planned = replaceLiteral(located.node, edit, ref, text, json);
      if (typeof planned === 'string') {
        manual.push({ edit, reason: planned });
        continue;
      }
      changes.push({ ...planned, edits: [edit], paths: [displayPath(root, path)], target });
    }

    for (const [parameter, paramEdits] of byParameter) {
      const edit = paramEdits[0];
      const target = edit.target as AwsTarget;
      const ref = dynamicReference(target);
      const reject = (reason: string) => paramEdits.forEach((e) => manual.push({ edit: e, reason }));
      const parameters = mapChild(root, 'Parameters');
      const definition = mapChild(parameters, parameter);
      const defaultPair: Pair | undefined = mapPair(definition, 'Default');
      const value = defaultPair?.value;
      if (paramEdits.length > 1 || !isMap(definition) || !defaultPair || !isScalar(value)) {
        reject(`Parameters.${parameter}.Default could not be read as one value: replace it by hand`);
        continue;
      }
      const [s, e] = scalarSpan(value, text);
      if (edit.start !== s || edit.end !== e) {
        reject(`the Default of ${parameter} holds more than the secret: delete the secret from it by hand, and use '${ref}' where the secret was needed`);
        continue;
      }
      if (value.anchor) {
        reject(`the Default of ${parameter} is anchored (&${value.anchor}) and may be reused through aliases: replace it and its aliases by hand`);
        continue;
      }
      const removal = removePairSplice(definition, defaultPair, text);
      if (!removal) {
        reject(`the Default of ${parameter} shares its line with other content: delete it by hand, and use '${ref}' wherever ${parameter} is referenced`);
        continue;
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
        reject(
          `${parameter} is also used where its !Ref cannot become a dynamic reference automatically: ${blocked.join('; ')}. ` +
            `Then run vaultsweep migrate again (the Default and every !Ref ${parameter} are replaced then), or delete the Default and pass ${parameter} at deploy time`,
        );
        continue;
      }
      changes.push({ ...planned, edits: paramEdits, paths, parameter, target });
    }

    // Two changes touching the same text (a literal inside a parameter's use) cannot both be made.
    const accepted: Change[] = [];
    for (const change of changes) {
      if (splicesOverlap([...accepted.flatMap((c) => c.splices), ...change.splices])) {
        change.edits.forEach((edit) => manual.push({ edit, reason: 'another replacement in this template touches the same text: replace this literal by hand' }));
      } else accepted.push(change);
    }
    const splices = accepted.flatMap((c) => c.splices);
    const out = applySplices(text, splices);

    const total = (out.match(/\{\{resolve:/g) ?? []).length;
    if (total > MAX_DYNAMIC_REFERENCES) {
      return {
        text,
        manual: [
          ...manual,
          ...accepted.flatMap((c) => c.edits.map((edit) => ({ edit, reason: `the template would hold ${total} dynamic references and CloudFormation allows ${MAX_DYNAMIC_REFERENCES}: split the stack, then run vaultsweep migrate again` }))),
        ],
        notes: [],
      };
    }
    if (!verify(out, json, accepted, splices)) {
      return {
        text,
        manual: [...manual, ...accepted.flatMap((c) => c.edits.map((edit) => ({ edit, reason: `the rewritten template would not parse as ${json ? 'JSON' : 'YAML'}: replace the literal with '${dynamicReference(c.target)}' by hand` })))],
        notes: [],
      };
    }
    return { text: out, manual, notes: notesFor(context.file, accepted, out) };
  },
};

/** Re-parses the result and checks that every replaced value reads back as written and every removed Default is gone. */
function verify(out: string, json: boolean, changes: Planned[], splices: Splice[]): boolean {
  if (json) {
    try {
      JSON.parse(out);
    } catch {
      return false;
    }
  }
  if (!yamlParses(out, CLOUDFORMATION_TAGS)) return false;
  const docs = parseYamlDocuments(out, CLOUDFORMATION_TAGS);
  if (docs.length !== 1) return false;
  for (const change of changes) {
    for (const { at, value } of change.expect) {
      const found = scalarStartingAt(docs[0].contents, shiftedOffset(at, splices));
      if (found?.value !== value) return false;
    }
    for (const path of change.gone ?? []) if (mapChildAt(docs[0].contents, ...path) !== undefined) return false;
  }
  return true;
}

function notesFor(file: string, changes: { paths: string[]; parameter?: string; target: AwsTarget }[], out: string): string[] {
  if (!changes.length) return [];
  const notes: string[] = [];
  const names = [...new Set(changes.map((c) => c.target.name))];
  notes.push(
    `${file}: CloudFormation resolves the dynamic references with the permissions of whoever deploys the stack (or its service role): it needs secretsmanager:GetSecretValue on ${names.join(', ')} ` +
      `(and kms:Decrypt for a customer-managed key). A changed secret reaches a resource only when a stack update changes that resource.`,
  );
  const docs = parseYamlDocuments(out, CLOUDFORMATION_TAGS);
  const root = docs[0]?.contents;
  for (const change of changes) {
    if (!change.parameter) continue;
    const p = change.parameter;
    const stillUsed = root ? usagesOf(root, p, out).length > 0 : true;
    notes.push(
      stillUsed
        ? `${file}: Parameters.${p} has no Default any more: every deploy must now pass a value for it.`
        : `${file}: Parameters.${p} is no longer used and has no Default: delete it from Parameters (until then every deploy must pass a value for it). ` +
            `A value that a deploy passes for ${p} (--parameter-overrides, samconfig.toml, a pipeline) is ignored now: every environment reads ${change.target.name}#${change.target.key}.`,
    );
  }
  const env = changes.flatMap((c) => c.paths).filter((p) => /(?:^|\.)Environment(?:\.|$)/.test(p));
  if (env.length) {
    notes.push(
      `${file}: ${env.join(', ')} ${env.length > 1 ? 'are environment variables: their' : 'is an environment variable: its'} resolved value shows in the Lambda or ECS console and API to anyone who may read the function or task definition; ` +
        `for ECS prefer the container's Secrets (ValueFrom: the secret's ARN), for Lambda read the secret at run time.`,
    );
  }
  return notes;
}

