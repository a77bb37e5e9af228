/**
 * Where a value sits in a CloudFormation template: its key path and the intrinsic functions around
 * it (`!Join`, `Fn::Sub`...), whether a dynamic reference may go there, and the path as the scanner
 * writes it.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { mapChild, mapChildAt, stringValue } from './yaml-edit.js';

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

/** A node's key path from the root, and the intrinsic functions enclosing it (outermost first). */
export interface Place {
  path: string[];
  enclosing: Enclosing[];
}

/** Walks a template's nodes with their key path and the intrinsic functions around them. */
export function* walkTemplate(root: unknown): Generator<{ node: Node; place: Place }> {
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

export function placeOf(root: unknown, target: Node): Place | undefined {
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
export function placeProblem(root: unknown, place: Place, name: string): string | undefined {
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

/** A path as the scanner writes it: list items by their `Name` (`Environment.DB_PASSWORD`), not their index. */
export function displayPath(root: unknown, path: string[]): string {
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
