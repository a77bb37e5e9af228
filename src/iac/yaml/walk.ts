/**
 * The YAML walker shared by the YAML/JSON-family analyzers: parses a file into its documents with
 * the `yaml` package (bounded: document count, node count, alias expansion, nesting depth), walks
 * every scalar bound to a key in document order without expanding aliases, and turns the scalars a
 * format cares about into BoundValues with byte offsets into the file.
 *
 * JSON files go through the same parser (JSON is YAML 1.2 flow syntax), so CloudFormation JSON
 * templates get positions the same way.
 */
import {
  Composer,
  LineCounter,
  Parser,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Scalar,
  type Tags,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { isReferenceOrPlaceholder } from '../names.js';
import type { BoundValue, FileAnalysis, IacFormat, LocationContext } from '../types.js';
import { decodeUtf8, type DecodedText } from './text.js';

/**
 * Bounds that keep hostile YAML (billion laughs, millions of documents, deep nesting) cheap.
 * Documents are never converted with `toJS()`: the walk reads the AST and skips aliases, so an alias
 * costs nothing here; the expansion bound refuses files that would blow up any consumer that does
 * expand them (the parser's own `maxAliasCount` guard only applies inside `toJS()`).
 */
export const YAML_LIMITS = {
  /** Documents in one file (`---` separated). */
  maxDocuments: 10_000,
  /** Nodes in one file as written (scalars, maps, sequences, pairs' values, aliases). */
  maxNodes: 2_000_000,
  /** Nodes that aliases would add if expanded (what `toJS` would build beyond the file itself). */
  maxAliasExpansion: 100_000,
  /** Collection nesting depth. */
  maxDepth: 256,
};

/** Parser options for every analyzer: lenient about duplicate keys (JSON allows them), plain errors. */
function composerOptions(tags: Tags | undefined) {
  return {
    customTags: tags ?? [],
    prettyErrors: false,
    uniqueKeys: false,
    strict: false,
    keepSourceTokens: false,
  } as const;
}

/** One scalar reached by the walk, with where it sits. */
export interface Site {
  /** Path segments from the document root: map keys, list items' names (or indexes). */
  segments: readonly string[];
  /** The name the scalar is bound to: its map key, the `name` of a name/value item, or the key holding its list. */
  key: string;
  node: Scalar;
  /** True when the scalar is the value of its key itself (a map value or a name/value item's value), not a list element. */
  direct: boolean;
  /** True when bound through a `{name: K, value: V}` list item (Kubernetes env, CloudFormation Name/Value). */
  named: boolean;
  /** Tags of the collections enclosing the scalar (`!Join`, `!If`...), outermost first. */
  tags: readonly string[];
}

/** One parsed document handed to a format. */
export interface DocInfo {
  /** The document's root node (null for an empty document). */
  root: Node | null;
  index: number;
}

export interface BindOptions {
  /** The format says this place holds a secret (the value becomes sensitive when it is a real literal). */
  sensitive?: boolean;
  /** The value as a literal; null for a reference or a protected value. Omit to derive it from the scalar. */
  literal?: string | null;
  key?: string;
  /** Segments of the path when not the site's own. */
  segments?: readonly string[];
  encoding?: 'base64';
  /** Span in UTF-16 units of the decoded text when not the scalar's own. */
  span?: readonly [number, number];
}

/** What a format module tells the shared walker. */
export interface YamlFormatSpec {
  format: IacFormat;
  /** Custom tags the parser must accept (`!Ref`, `!vault`). */
  tags?: Tags;
  /** Before parsing: a whole-file answer (an Ansible Vault file), or null to go on. */
  preflight?(text: string, path: string): FileAnalysis | null;
  /** Format-specific references on top of the common ones (`$VAR` in compose and GitLab CI). */
  isReference?(value: string, site: Site): boolean;
  /** False to leave a subtree out of the walk (Kubernetes `valueFrom`). */
  enter?(segments: readonly string[], node: Node, doc: DocInfo): boolean;
  /** Decides each scalar: call `out.bind(site, ...)` (or `out.bind(site)` for a plain non-sensitive value). */
  visit(site: Site, out: Binder, doc: DocInfo): void;
}

const CFN_INTRINSICS = [
  'Ref', 'Sub', 'GetAtt', 'Join', 'If', 'ImportValue', 'FindInMap', 'Select', 'Base64', 'Cidr', 'GetAZs',
  'Split', 'Equals', 'And', 'Or', 'Not', 'Condition', 'Transform', 'Length', 'ToJsonString', 'ForEach',
];

/** `!Ref`, `!Sub`... as scalar, sequence and mapping tags, so CloudFormation short forms parse cleanly. */
export const CLOUDFORMATION_TAGS: Tags = CFN_INTRINSICS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => value },
  { tag: `!${name}`, collection: 'map' as const, resolve: (value: YAMLMap.Parsed | YAMLSeq.Parsed) => value },
]);

/** Ansible's `!vault` (encrypted) and `!unsafe` (not templated) scalars. */
export const ANSIBLE_TAGS: Tags = [
  { tag: '!vault', resolve: (value: string) => value },
  { tag: '!unsafe', resolve: (value: string) => value },
];

const CFN_TAG_SET = new Set(CFN_INTRINSICS.map((n) => `!${n}`));

/** True for a tag whose value is an expression or a protected payload, not a literal. */
export function isReferenceTag(tag: string | undefined): boolean {
  return !!tag && (CFN_TAG_SET.has(tag) || tag === '!vault');
}

const STORE_URI = /^(?:vault|ssm|ssm-secure|secretsmanager|aws-sm|sm|gcp-sm|azure-kv|keyvault|op|sops|ref\+[a-z0-9]+):/i;

/** References every YAML format shares: `{{ ... }}` templates, `${...}` interpolations, store URIs. */
export function isCommonReference(value: string): boolean {
  return /\{\{[\s\S]*?\}\}/.test(value) || /\$\{[^}]*\}/.test(value) || STORE_URI.test(value.trim());
}

/** `$VAR` or `${VAR}` as a shell-like interpolation (a doubled `$$` is an escaped dollar). */
export function hasDollarVariable(value: string): boolean {
  return /(?:^|[^$])(?:\$\$)*\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[^}]*\})/.test(value);
}

// ---------------------------------------------------------------------------------------------
// Node helpers (no toJS: documents are read as ASTs so aliases are never expanded).

/** The value node of `key` in a map node (undefined when absent or not a map). */
export function child(node: unknown, key: string): Node | undefined {
  if (!isMap(node)) return undefined;
  for (const pair of node.items) {
    if (isScalar(pair.key) && String(pair.key.value) === key) return (pair.value ?? undefined) as Node | undefined;
  }
  return undefined;
}

/** The value at a key path in nested maps. */
export function childAt(node: unknown, ...keys: string[]): Node | undefined {
  let at: unknown = node;
  for (const key of keys) {
    at = child(at, key);
    if (at === undefined) return undefined;
  }
  return at as Node;
}

/** The string of a string scalar node, else undefined. */
export function str(node: unknown): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** True for a scalar `true` (also the string `"true"`, as CloudFormation accepts). */
export function isTrue(node: unknown): boolean {
  if (!isScalar(node)) return false;
  return node.value === true || (typeof node.value === 'string' && node.value.toLowerCase() === 'true');
}

// ---------------------------------------------------------------------------------------------

/** Span of a scalar's text in UTF-16 units: without quotes; for block scalars, the content lines. */
export function scalarSpan(node: Scalar, text: string): [number, number] {
  const range = node.range;
  if (!range) return [0, 0];
  const [s, e] = [range[0], range[1]];
  switch (node.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return e - s >= 2 ? [s + 1, e - 1] : [s, e];
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      const nl = text.indexOf('\n', s);
      if (nl < 0 || nl >= e) return [e, e];
      let a = nl + 1;
      let b = e;
      while (a < b && /[ \t\r\n]/.test(text[a])) a++;
      while (b > a && /[ \t\r\n]/.test(text[b - 1])) b--;
      return [a, b];
    }
    default:
      return [s, e];
  }
}

/**
 * Span of the part of a scalar's value from `from` (UTF-16 index into the value) to its end,
 * exact when the scalar's text is its value (plain, or quoted without escapes); otherwise the whole scalar.
 */
export function valueSubSpan(node: Scalar, text: string, from: number): [number, number] {
  const [s, e] = scalarSpan(node, text);
  const value = typeof node.value === 'string' ? node.value : '';
  if (node.type !== 'BLOCK_LITERAL' && node.type !== 'BLOCK_FOLDED' && text.slice(s, e) === value) {
    return [s + from, e];
  }
  return [s, e];
}

/** Collects BoundValues for one file. */
export class Binder {
  readonly values: BoundValue[] = [];
  readonly notes: string[] = [];

  constructor(
    private readonly spec: YamlFormatSpec,
    private readonly decoded: DecodedText,
    readonly path: string,
  ) {}

  get text(): string {
    return this.decoded.text;
  }

  /** True when `value` is a reference in this format (templating, interpolation, a store URI). */
  isReference(value: string, site: Site): boolean {
    if (isCommonReference(value)) return true;
    return this.spec.isReference ? this.spec.isReference(value, site) : false;
  }

  /** The literal of a scalar as the format reads it, null for a reference; undefined when it is no string at all. */
  literalOf(site: Site, sensitive: boolean): string | null | undefined {
    const node = site.node;
    const v = node.value;
    if (typeof v === 'string') {
      if (isReferenceTag(node.tag)) {
        // `!Sub 'text'` without `${...}` is the literal text.
        if (node.tag === '!Sub' && !v.includes('${')) return v.trim() === '' ? null : v;
        return null;
      }
      if (v.trim() === '') return null;
      if (this.isReference(v, site)) return null;
      return v;
    }
    if (sensitive && (typeof v === 'number' || typeof v === 'bigint')) {
      // A numeric password (`POSTGRES_PASSWORD: 123456`) is still a literal: its text as written.
      const [s, e] = scalarSpan(node, this.decoded.text);
      return this.decoded.text.slice(s, e);
    }
    return undefined;
  }

  /** Records a scalar as a BoundValue (non-string scalars are skipped unless sensitive numbers). */
  bind(site: Site, opts: BindOptions = {}): void {
    const sensitivePlace = opts.sensitive === true;
    let literal: string | null | undefined;
    if ('literal' in opts) literal = opts.literal;
    else literal = this.literalOf(site, sensitivePlace);
    if (literal === undefined) return;
    const [s, e] = opts.span ?? scalarSpan(site.node, this.decoded.text);
    const context: LocationContext = {
      format: this.spec.format,
      path: (opts.segments ?? site.segments).join('.'),
      key: opts.key ?? site.key,
    };
    if (opts.encoding) context.encoding = opts.encoding;
    this.values.push({
      context,
      start: this.decoded.toByte(s),
      end: this.decoded.toByte(e),
      literal,
      sensitive: sensitivePlace && literal !== null && !isReferenceOrPlaceholder(literal),
    });
  }

  note(message: string): void {
    this.notes.push(`${this.path}: ${message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Bounds

class Refused extends Error {}

/** Counts a document's nodes as written and as aliases would expand them; throws Refused past the limits. */
function measure(root: unknown, totals: { nodes: number; expansion: number; aliases: number }): void {
  const anchors = new Map<string, number>();
  const size = (node: unknown, depth: number): number => {
    if (depth > YAML_LIMITS.maxDepth) throw new Refused(`nesting deeper than ${YAML_LIMITS.maxDepth} levels`);
    if (node === null || node === undefined) return 0;
    totals.nodes += 1;
    if (totals.nodes > YAML_LIMITS.maxNodes) throw new Refused(`more than ${YAML_LIMITS.maxNodes} nodes`);
    let n = 1;
    if (isAlias(node)) {
      totals.aliases += 1;
      const expanded = anchors.get(node.source) ?? 1;
      totals.expansion += expanded;
      if (totals.expansion > YAML_LIMITS.maxAliasExpansion || !Number.isFinite(totals.expansion)) {
        throw new Refused(
          `aliases expand to more than ${YAML_LIMITS.maxAliasExpansion} nodes (${totals.aliases} aliases; an alias bomb)`,
        );
      }
      return expanded;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        n += size(pair.key, depth + 1);
        n += size(pair.value, depth + 1);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) n += size(item, depth + 1);
    } else if (isPair(node)) {
      n += size(node.key, depth + 1) + size(node.value, depth + 1);
    }
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.set(anchor, n);
    return n;
  };
  size(root, 0);
}

// ---------------------------------------------------------------------------------------------
// The walk

const NAME_FIELDS = ['name', 'Name'];
const KEY_FIELDS = ['key', 'Key'];
const VALUE_FIELDS = ['value', 'Value'];

function scalarKey(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return undefined;
  return String(v);
}

function fieldPair(map: YAMLMap, names: readonly string[]): { name: string; value: unknown } | undefined {
  for (const pair of map.items) {
    const k = scalarKey(pair.key);
    if (k !== undefined && names.includes(k)) return { name: k, value: pair.value };
  }
  return undefined;
}

/** A list item's name: its `name`/`Name`, or the `key`/`Key` of a key/value item. */
function itemName(map: YAMLMap): { segment: string; valueField?: string } | undefined {
  const value = fieldPair(map, VALUE_FIELDS);
  const name = fieldPair(map, NAME_FIELDS);
  const nameText = name ? str(name.value) : undefined;
  if (nameText) return { segment: nameText, valueField: value && isScalar(value.value) ? value.name : undefined };
  const key = fieldPair(map, KEY_FIELDS);
  const keyText = key ? str(key.value) : undefined;
  if (keyText && value) return { segment: keyText, valueField: isScalar(value.value) ? value.name : undefined };
  return undefined;
}

class Walker {
  private truncated = false;

  constructor(
    private readonly spec: YamlFormatSpec,
    private readonly out: Binder,
    private readonly doc: DocInfo,
  ) {}

  run(): void {
    if (this.doc.root) this.node(this.doc.root, [], '', true, false, [], 0);
  }

  private node(
    node: unknown,
    segments: string[],
    key: string,
    direct: boolean,
    named: boolean,
    tags: string[],
    depth: number,
  ): void {
    if (node === null || node === undefined || isAlias(node)) return;
    if (depth > YAML_LIMITS.maxDepth) {
      if (!this.truncated) this.out.note(`nesting deeper than ${YAML_LIMITS.maxDepth} levels; deeper values not analyzed`);
      this.truncated = true;
      return;
    }
    if (isScalar(node)) {
      // A scalar bound to no name (a document that is one string, a top-level list's items) is no value.
      if (key === '') return;
      this.spec.visit({ segments, key, node, direct, named, tags }, this.out, this.doc);
      return;
    }
    if (!isMap(node) && !isSeq(node)) return;
    if (segments.length > 0 && this.spec.enter && !this.spec.enter(segments, node as Node, this.doc)) return;
    const tag = (node as { tag?: string }).tag;
    const inner = tag && tag.startsWith('!') && !tag.startsWith('!!') ? [...tags, tag] : tags;
    if (isMap(node)) {
      this.map(node, segments, inner, depth);
      return;
    }
    node.items.forEach((item, i) => {
      if (isMap(item)) {
        const named = itemName(item);
        const segs = [...segments, named?.segment ?? String(i)];
        if (named?.valueField) {
          // `{name: DB_PASSWORD, value: ...}`: the value is bound to the item's name.
          this.map(item, segs, inner, depth + 1, named.valueField, named.segment);
        } else {
          this.map(item, segs, inner, depth + 1);
        }
        return;
      }
      this.node(item, [...segments, String(i)], key, false, false, inner, depth + 1);
    });
  }

  private map(
    map: YAMLMap,
    segments: string[],
    tags: string[],
    depth: number,
    valueField?: string,
    boundName?: string,
  ): void {
    for (const pair of map.items) {
      const k = scalarKey(pair.key);
      if (k === undefined) continue; // complex keys bind nothing
      const value = pair.value;
      if (k === '<<') {
        // A merge key: an inline map merges into this one; aliases are not expanded.
        if (isMap(value)) this.map(value, segments, tags, depth + 1);
        continue;
      }
      if (valueField !== undefined && k === valueField && boundName !== undefined) {
        this.node(value, segments, boundName, true, true, tags, depth + 1);
        continue;
      }
      this.node(value, [...segments, k], k, true, false, tags, depth + 1);
    }
  }
}

// ---------------------------------------------------------------------------------------------

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Parses and walks one file for a format. Never throws. */
export function analyzeYaml(data: Buffer, path: string, spec: YamlFormatSpec): FileAnalysis {
  const format = spec.format;
  let out: Binder | undefined;
  try {
    const decoded = decodeUtf8(data);
    if (spec.preflight) {
      const early = spec.preflight(decoded.text, path);
      if (early) return early;
    }
    out = new Binder(spec, decoded, path);
    const text = decoded.text;
    const lines = new LineCounter();
    const parser = new Parser(lines.addNewLine);
    const composer = new Composer(composerOptions(spec.tags));
    const docs: Document.Parsed[] = [];
    let firstError: string | undefined;
    const totals = { nodes: 0, expansion: 0, aliases: 0 };
    try {
      for (const doc of composer.compose(parser.parse(text), false, text.length)) {
        if (docs.length >= YAML_LIMITS.maxDocuments) {
          throw new Refused(`more than ${YAML_LIMITS.maxDocuments} documents`);
        }
        if (doc.errors.length > 0) {
          const err = doc.errors[0];
          if (/call stack/i.test(err.message)) throw new Refused('nesting too deep');
          if (firstError === undefined) {
            // An error at the very end (an unclosed quote) is reported on the file's last line.
            const at = Math.max(0, Math.min(err.pos[0], text.length - 1));
            const line = lines.linePos(at).line;
            firstError = `not valid YAML (line ${line}): ${err.message.split('\n')[0]}; scanned as text`;
          }
          continue;
        }
        measure(doc.contents, totals);
        docs.push(doc);
      }
    } catch (err) {
      if (err instanceof Refused) {
        return { format, values: [], notes: [`${path}: YAML not analyzed: ${err.message}; scanned as text`] };
      }
      throw err;
    }
    if (firstError !== undefined) out.note(firstError);
    docs.forEach((doc, index) => {
      new Walker(spec, out as Binder, { root: (doc.contents as Node | null) ?? null, index }).run();
    });
    return { format, values: out.values, notes: out.notes };
  } catch (err) {
    const notes = out ? [...out.notes] : [];
    notes.push(`${path}: YAML analysis failed: ${errorMessage(err)}; scanned as text`);
    return { format, values: out ? out.values : [], notes };
  }
}
