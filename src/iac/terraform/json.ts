/**
 * JSON values (`.tfvars.json`, and the generic walk that state uses) and `.tf.json` configuration,
 * whose objects follow Terraform's block syntax: `{"resource": {"type": {"name": {...}}}}`.
 */
import { isSecretName } from '../names.js';
import { entry, isTrue, items, properties, stringSpan, type JsonNode } from './json-tree.js';
import { hasInterpolation, join, MAX_DEPTH, unescapeTemplate, type Binding, type Collector, type Place } from './shared.js';

export interface JsonWalkOptions {
  /** `.tf.json` strings are templates: `${...}` makes them references; `$${` is an escape. */
  template: boolean;
  /** `.tf.json` lists of objects are repeated blocks: no index in the path. */
  indexObjectLists: boolean;
  /** State: relative attribute paths listed as sensitive. */
  sensitivePaths?: Set<string>;
  /** State: the attribute path relative to `attributes`. */
  rel?: string;
}

/** Every string leaf below `node`; a leaf's key is its own property name (an array item's: its array's). */
export function walkJson(c: Collector, node: JsonNode, place: Place, options: JsonWalkOptions, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const sensitivePaths = options.sensitivePaths;
  const rel = options.rel;
  const marked = sensitivePaths !== undefined && rel !== undefined && sensitivePaths.has(rel);
  switch (node.type) {
    case 'string': {
      let literal: string | null = node.value as string;
      if (options.template) literal = hasInterpolation(literal) ? null : unescapeTemplate(literal);
      const { start, end } = stringSpan(node);
      c.add(place.path, place.key, start, end, literal, place.secret || marked);
      return;
    }
    case 'object': {
      const inherit = place.inherit || marked;
      for (const [k, v] of properties(node)) {
        walkJson(
          c,
          v,
          { path: join(place.path, k), key: k, secret: inherit || isSecretName(k), inherit },
          rel === undefined ? options : { ...options, rel: join(rel, k) },
          depth + 1,
        );
      }
      return;
    }
    case 'array': {
      const inherit = place.inherit || marked;
      items(node).forEach((v, index) => {
        const indexed = options.indexObjectLists || (v.type !== 'object' && v.type !== 'array');
        walkJson(
          c,
          v,
          { path: indexed ? join(place.path, index) : place.path, key: place.key, secret: place.secret || inherit, inherit },
          rel === undefined ? options : { ...options, rel: join(rel, index) },
          depth + 1,
        );
      });
      return;
    }
    default:
      return;
  }
}

/** Label counts of Terraform's top-level blocks, for `.tf.json`. */
const BLOCK_LABELS: Record<string, number> = {
  resource: 2,
  data: 2,
  ephemeral: 2,
  provider: 1,
  variable: 1,
  output: 1,
  module: 1,
  check: 1,
  locals: 0,
  terraform: 0,
  moved: 0,
  import: 0,
  removed: 0,
};

export function walkTfJson(c: Collector, root: JsonNode): void {
  const options: JsonWalkOptions = { template: true, indexObjectLists: false };
  if (root.type !== 'object') {
    walkJson(c, root, { path: '', key: '', secret: false, inherit: false }, options, 0);
    return;
  }
  for (const [type, value] of properties(root)) {
    const labels = BLOCK_LABELS[type] ?? 0;
    walkTfJsonBlock(c, value, type, type, labels, [], options, 0);
  }
}

function walkTfJsonBlock(
  c: Collector,
  node: JsonNode,
  type: string,
  path: string,
  remaining: number,
  labels: string[],
  options: JsonWalkOptions,
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  if (node.type === 'array') {
    // Several blocks of the same type or labels (`"provider": {"aws": [{...}, {alias...}]}`).
    for (const item of items(node)) walkTfJsonBlock(c, item, type, path, remaining, labels, options, depth + 1);
    return;
  }
  if (remaining > 0 && node.type === 'object') {
    for (const [label, v] of properties(node)) walkTfJsonBlock(c, v, type, join(path, label), remaining - 1, [...labels, label], options, depth + 1);
    return;
  }
  if (node.type !== 'object') {
    walkJson(c, node, { path, key: labels[labels.length - 1] ?? type, secret: false, inherit: false }, options, depth + 1);
    return;
  }
  let binding: Binding | null = null;
  if ((type === 'variable' || type === 'output') && labels.length === 1) {
    const name = labels[0];
    binding = { attribute: type === 'variable' ? 'default' : 'value', name, sensitive: isTrue(entry(node, 'sensitive')) || isSecretName(name) };
  }
  for (const [k, v] of properties(node)) {
    const place: Place =
      binding && k === binding.attribute
        ? { path: join(path, k), key: binding.name, secret: binding.sensitive, inherit: binding.sensitive }
        : { path: join(path, k), key: k, secret: isSecretName(k), inherit: false };
    walkJson(c, v, place, options, depth + 1);
  }
}

