/**
 * Terraform: configuration (`.tf` in HCL, `.tf.json`), variable files (`.tfvars`, `.tfvars.json`)
 * and state (`terraform.tfstate`, backups).
 *
 * A secret-named attribute (`password`, `secret_key`, ...) holding a literal is sensitive whatever
 * its entropy; the same attribute holding a reference (`var.x`, `local.x`, `data.a.b.c`, a module
 * output, a function call, a `${...}` template or heredoc) is reported with `literal: null`. A
 * `variable` whose name is secret-like or that says `sensitive = true` makes its `default`
 * sensitive (context key: the variable's name). State holds every value in clear: attributes
 * named like secrets, the paths listed in `sensitive_attributes` and sensitive outputs.
 *
 * Every other string literal bound to a name is returned too (sensitive: false) so that regex
 * matches inside it get their context. Values are sorted by start; a compound expression
 * (`jsonencode({ password = "x" })`, `c ? "a" : "b"`) gives a null value over the whole expression
 * and the literals inside it, so the innermost span is the one that describes a match.
 */
import { basename } from 'node:path';
import type { BoundValue, FileAnalysis, FormatAnalyzer, IacFormat } from './types.js';
import { isReferenceOrPlaceholder, isSecretName } from './names.js';
import { decodeSource, FlatTree, loadHcl, parseHcl, type DecodedSource, type Tree } from './tree-sitter.js';

const MAX_DEPTH = 256;

class Collector {
  readonly values: BoundValue[] = [];
  readonly notes: string[] = [];
  constructor(
    readonly src: DecodedSource,
    readonly format: IacFormat,
  ) {}

  /** `start`/`end` are indices in the decoded text; they are stored as byte offsets. */
  add(path: string, key: string, start: number, end: number, literal: string | null, secret: boolean): void {
    this.values.push({
      context: { format: this.format, path, key },
      start: this.src.byteOffset(start),
      end: this.src.byteOffset(end),
      literal,
      sensitive: secret && literal !== null && !isReferenceOrPlaceholder(literal),
    });
  }
}

function join(prefix: string, segment: string | number): string {
  return prefix === '' ? String(segment) : `${prefix}.${segment}`;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

// ---------------------------------------------------------------------------------------------
// HCL (.tf, .tfvars)
// ---------------------------------------------------------------------------------------------

/** How a block binds one of its attributes to its own name: `variable "x" { default = ... }`. */
interface Binding {
  attribute: string;
  name: string;
  sensitive: boolean;
}

/** Where a value sits and what makes it secret. */
interface Place {
  path: string;
  key: string;
  /** The value itself is secret when it is a literal (by its name or place). */
  secret: boolean;
  /** Everything below is secret (a sensitive variable's default, a sensitive state path). */
  inherit: boolean;
}

/** Node types the walker reads from their text alone: their children are not copied. */
const HCL_LEAVES = new Set([
  'identifier',
  'literal_value',
  'string_lit',
  'template_expr',
  'variable_expr',
  'get_attr',
  'comment',
  'block_start',
  'block_end',
  'object_start',
  'object_end',
  'tuple_start',
  'tuple_end',
]);
/** Named nodes whose own span the walker never reads. */
const HCL_SPANLESS = new Set(['config_file', 'body', 'block', 'attribute', 'object_elem', 'collection_value', 'object', 'tuple', 'block_start', 'block_end', 'object_start', 'object_end', 'tuple_start', 'tuple_end', 'function_arguments']);
/** Node types holding no literal that a name is bound to. */
const NO_LITERALS = new Set(['identifier', 'variable_expr', 'get_attr', 'splat', 'template_expr', 'comment']);

class HclWalker {
  constructor(
    readonly c: Collector,
    readonly text: string,
    readonly t: FlatTree,
    /** `.tf`: top-level `variable`/`output` blocks bind their default/value to their name. */
    readonly config: boolean,
  ) {}

  src(n: number): string {
    const start = this.t.start[n];
    return start < 0 ? '' : this.text.slice(start, this.t.end[n]);
  }

  /** Named children, comments left out. */
  kids(n: number): number[] {
    const t = this.t;
    const out: number[] = [];
    for (let c = t.first[n]; c >= 0; c = t.next[c]) if (t.named(c) && t.type(c) !== 'comment') out.push(c);
    return out;
  }

  firstOfType(n: number, type: string): number {
    const t = this.t;
    for (let c = t.first[n]; c >= 0; c = t.next[c]) if (t.type(c) === type) return c;
    return -1;
  }

  file(): void {
    const t = this.t;
    for (let c = t.first[0]; c >= 0; c = t.next[c]) {
      const type = t.type(c);
      if (type === 'body') this.body(c, '', true, null, 0);
      else if (type === 'ERROR') this.error(c, '', 0);
      else if (type === 'attribute') this.attribute(c, '', null, 0);
      else if (type === 'block') this.block(c, '', true, 0);
    }
  }

  body(body: number, prefix: string, top: boolean, binding: Binding | null, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const t = this.t;
    for (let c = t.first[body]; c >= 0; c = t.next[c]) {
      const type = t.type(c);
      if (type === 'attribute') this.attribute(c, prefix, binding, depth + 1);
      else if (type === 'block') this.block(c, prefix, top, depth + 1);
      else if (type === 'ERROR') this.error(c, prefix, depth + 1);
    }
  }

  block(block: number, prefix: string, top: boolean, depth: number): void {
    const t = this.t;
    const segments: string[] = [];
    const bodies: number[] = [];
    for (let c = t.first[block]; c >= 0; c = t.next[c]) {
      const type = t.type(c);
      if (type === 'identifier' || type === 'string_lit') {
        if (bodies.length === 0) segments.push(type === 'identifier' ? this.src(c) : this.quoted(c).literal ?? this.src(c));
      } else if (type === 'body' || type === 'ERROR') {
        bodies.push(c);
      }
    }
    const path = [prefix, ...segments].filter((s) => s !== '').join('.');
    let binding: Binding | null = null;
    if (top && this.config && segments.length === 2 && (segments[0] === 'variable' || segments[0] === 'output')) {
      const name = segments[1];
      const flagged = bodies.some((b) => t.type(b) === 'body' && this.isSensitiveFlagged(b));
      binding = { attribute: segments[0] === 'variable' ? 'default' : 'value', name, sensitive: flagged || isSecretName(name) };
    }
    for (const b of bodies) {
      if (t.type(b) === 'body') this.body(b, path, false, binding, depth + 1);
      else this.error(b, path, depth + 1);
    }
  }

  /** `sensitive = true` among a body's attributes. */
  isSensitiveFlagged(body: number): boolean {
    const t = this.t;
    for (let c = t.first[body]; c >= 0; c = t.next[c]) {
      if (t.type(c) !== 'attribute') continue;
      const name = this.firstOfType(c, 'identifier');
      const expr = this.firstOfType(c, 'expression');
      if (name >= 0 && expr >= 0 && this.src(name) === 'sensitive' && this.src(expr).trim() === 'true') return true;
    }
    return false;
  }

  attribute(attr: number, prefix: string, binding: Binding | null, depth: number): void {
    const name = this.firstOfType(attr, 'identifier');
    const expr = this.firstOfType(attr, 'expression');
    if (name < 0 || expr < 0) return;
    this.assign(this.src(name), expr, prefix, binding, depth);
  }

  assign(name: string, expr: number, prefix: string, binding: Binding | null, depth: number): void {
    const path = join(prefix, name);
    const place: Place =
      binding && name === binding.attribute
        ? { path, key: binding.name, secret: binding.sensitive, inherit: binding.sensitive }
        : { path, key: name, secret: isSecretName(name), inherit: false };
    this.expression(expr, place, true, depth);
  }

  /**
   * A value. `bound`: the value is the one bound to `place.key` (not an argument of a function
   * or a condition), so a literal here is secret when the place is. `quiet`: inside a compound
   * expression already reported as a whole; report only the literals in it.
   */
  expression(node: number, place: Place, bound: boolean, depth: number, quiet = false): void {
    if (depth > MAX_DEPTH) return;
    const t = this.t;
    const text = this.text;
    const secret = bound && place.secret;
    let inner = node;
    if (t.type(node) === 'expression') {
      const kids = this.kids(node);
      if (kids.length !== 1) {
        // A traversal (`var.x`, `data.a.b.c`, `module.m.out`, `f(x)[0]`): a reference.
        if (!quiet) this.c.add(place.path, place.key, t.start[node], t.end[node], null, false);
        this.nested(node, place, depth);
        return;
      }
      inner = kids[0];
    }
    const type = t.type(inner);
    const start = t.start[inner];
    const end = t.end[inner];
    switch (type) {
      case 'literal_value': {
        const first = text.charCodeAt(start);
        if (first === 0x22) this.addQuoted(inner, place, secret, false);
        else if (bound && (first === 0x2d || first === 0x2e || (first >= 0x30 && first <= 0x39))) this.c.add(place.path, place.key, start, end, text.slice(start, end), secret);
        return; // true, false, null
      }
      case 'string_lit':
        this.addQuoted(inner, place, secret, false);
        return;
      case 'template_expr':
        if (text.startsWith('<<', start)) this.heredoc(inner, place, secret, quiet);
        else this.addQuoted(inner, place, secret, quiet);
        return;
      case 'collection_value': {
        const coll = this.kids(inner)[0] ?? -1;
        const collType = coll >= 0 ? t.type(coll) : '';
        if (collType === 'object') this.object(coll, place, depth + 1);
        else if (collType === 'tuple') this.tuple(coll, place, bound, depth + 1, quiet);
        return;
      }
      case 'conditional': {
        // cond ? a : b — the branches are what the name is bound to.
        if (!quiet) this.c.add(place.path, place.key, start, end, null, false);
        const parts = this.kids(inner).filter((n) => t.type(n) === 'expression');
        parts.forEach((p, i) => this.expression(p, place, bound && i > 0, depth + 1, true));
        return;
      }
      case 'expression': // ( expr )
        this.expression(inner, place, bound, depth + 1, quiet);
        return;
      case 'ERROR':
        this.error(inner, place.path, depth + 1);
        return;
      default:
        // variable_expr, function_call, operation, for_expr...: not a literal.
        if (!quiet) this.c.add(place.path, place.key, start, end, null, false);
        if (type !== 'variable_expr') this.nested(inner, place, depth);
    }
  }

  /** Literals and objects inside a compound expression (function arguments, operands, indexes). */
  nested(node: number, place: Place, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const t = this.t;
    for (let c = t.first[node]; c >= 0; c = t.next[c]) {
      if (!t.named(c)) continue;
      const type = t.type(c);
      if (NO_LITERALS.has(type)) continue;
      if (type === 'expression' || type === 'literal_value') this.expression(c, place, false, depth + 1, true);
      else this.nested(c, place, depth + 1);
    }
  }

  object(obj: number, place: Place, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const t = this.t;
    for (let c = t.first[obj]; c >= 0; c = t.next[c]) {
      const type = t.type(c);
      if (type === 'object_elem') this.objectElem(c, place, depth + 1);
      else if (type === 'ERROR') this.error(c, place.path, depth + 1);
    }
  }

  objectElem(elem: number, place: Place, depth: number): void {
    const t = this.t;
    const exprs = this.kids(elem).filter((n) => t.type(n) === 'expression');
    if (exprs.length < 2) return;
    const key = this.objectKey(exprs[0]);
    const secret = place.inherit || isSecretName(key);
    this.expression(exprs[1], { path: join(place.path, key), key, secret, inherit: place.inherit }, true, depth);
  }

  objectKey(expr: number): string {
    const kids = this.kids(expr);
    if (kids.length === 1) {
      const inner = kids[0];
      const type = this.t.type(inner);
      if (type === 'variable_expr') return this.src(inner);
      if (type === 'literal_value' && this.text.charCodeAt(this.t.start[inner]) === 0x22) return this.quoted(inner).literal ?? this.src(inner);
    }
    return this.src(expr);
  }

  tuple(tuple: number, place: Place, bound: boolean, depth: number, quiet: boolean): void {
    const t = this.t;
    let index = 0;
    for (let c = t.first[tuple]; c >= 0; c = t.next[c]) {
      if (t.type(c) !== 'expression') continue;
      this.expression(c, { ...place, path: join(place.path, index++) }, bound, depth + 1, quiet);
    }
  }

  /** `"..."`: the raw span between the quotes, and the decoded literal unless it interpolates. */
  quoted(node: number): { start: number; end: number; literal: string | null } {
    const s = this.t.start[node];
    const e = this.t.end[node];
    const start = this.text.charCodeAt(s) === 0x22 ? s + 1 : s;
    const end = e - 1 >= start && this.text.charCodeAt(e - 1) === 0x22 ? e - 1 : e;
    const raw = this.text.slice(start, end);
    return { start, end, literal: hasInterpolation(raw) ? null : unescapeQuoted(raw) };
  }

  addQuoted(node: number, place: Place, secret: boolean, quiet: boolean): void {
    const q = this.quoted(node);
    if (q.literal === null && quiet) return;
    this.c.add(place.path, place.key, q.start, q.end, q.literal, secret);
  }

  /** `<<EOT` / `<<-EOT`: the lines between the markers (with the last newline). */
  heredoc(node: number, place: Place, secret: boolean, quiet: boolean): void {
    const text = this.text;
    const s = this.t.start[node];
    const e = this.t.end[node];
    const intro = /<<(-?)([A-Za-z_][A-Za-z0-9_-]*)/y;
    intro.lastIndex = s;
    const m = intro.exec(text);
    if (!m) return;
    const newline = text.indexOf('\n', s);
    const start = newline === -1 || newline >= e ? e : newline + 1;
    const lastLine = text.lastIndexOf('\n', e - 1) + 1;
    let end = lastLine >= start && text.slice(lastLine, e).trim() === m[2] ? lastLine : e;
    if (end < start) end = start;
    const raw = text.slice(start, end);
    const dynamic = hasInterpolation(raw);
    if (dynamic && quiet) return;
    const literal = dynamic ? null : unescapeTemplate(m[1] === '-' ? stripIndent(raw) : raw);
    this.c.add(place.path, place.key, start, end, literal, secret);
  }

  /** What parsed inside an ERROR node: attributes, blocks, object elements, `name = value` runs. */
  error(node: number, prefix: string, depth: number): void {
    if (depth > MAX_DEPTH) return;
    const t = this.t;
    const children = t.children(node);
    const none: Place = { path: prefix, key: '', secret: false, inherit: false };
    for (let i = 0; i < children.length; i++) {
      const c = children[i];
      switch (t.type(c)) {
        case 'attribute':
          this.attribute(c, prefix, null, depth + 1);
          break;
        case 'block':
          this.block(c, prefix, false, depth + 1);
          break;
        case 'body':
          this.body(c, prefix, false, null, depth + 1);
          break;
        case 'ERROR':
          this.error(c, prefix, depth + 1);
          break;
        case 'object_elem':
          this.objectElem(c, none, depth + 1);
          break;
        case 'identifier':
          if (i + 2 < children.length && t.type(children[i + 1]) === '=' && t.type(children[i + 2]) === 'expression') {
            this.assign(this.src(c), children[i + 2], prefix, null, depth + 1);
            i += 2;
          }
          break;
        case 'expression': {
          const coll = this.kids(c)[0] ?? -1;
          const obj = coll >= 0 && t.type(coll) === 'collection_value' ? (this.kids(coll)[0] ?? -1) : -1;
          if (obj >= 0 && t.type(obj) === 'object') this.object(obj, none, depth + 1);
          break;
        }
      }
    }
  }
}

/** HCL quoted-string escapes: `\n \r \t \" \\ \uNNNN \UNNNNNNNN`, and `$${` / `%%{`. */
function unescapeQuoted(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('${') && !raw.includes('%{')) return raw;
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|([\s\S]))|\$\$\{|%%\{/g, (m, u4?: string, u8?: string, ch?: string) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (u4) return String.fromCharCode(parseInt(u4, 16));
    if (u8) {
      const cp = parseInt(u8, 16);
      return cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    switch (ch) {
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case '"':
        return '"';
      case '\\':
        return '\\';
      default:
        return m;
    }
  });
}

/** Template escapes only (heredocs and `.tf.json` strings): `$${` → `${`, `%%{` → `%{`. */
function unescapeTemplate(raw: string): string {
  return raw.includes('${') || raw.includes('%{') ? raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{') : raw;
}

/** `${...}` or `%{...}` not escaped as `$${` / `%%{`. */
function hasInterpolation(value: string): boolean {
  return /(?:^|[^$])\$\{|(?:^|[^%])%\{/.test(value);
}

/** `<<-` heredocs: the smallest indentation of the non-blank lines is removed from every line. */
function stripIndent(raw: string): string {
  const lines = raw.split('\n');
  let min = Infinity;
  for (const line of lines) {
    if (line.trim() === '') continue;
    const indent = /^[ \t]*/.exec(line)![0].length;
    if (indent < min) min = indent;
  }
  if (min === Infinity || min === 0) return raw;
  return lines.map((line) => line.slice(Math.min(min, /^[ \t]*/.exec(line)![0].length))).join('\n');
}

/** The 1-based line of the first syntax error (or missing token) in a tree. */
function firstErrorLine(tree: Tree): number {
  let node = tree.rootNode;
  for (let guard = 0; guard < 10_000; guard++) {
    if (node.isError || node.isMissing) break;
    const next = node.children.find((c) => c !== null && (c.isError || c.isMissing || c.hasError));
    if (!next) break;
    node = next;
  }
  return node.startPosition.row + 1;
}

function analyzeHcl(c: Collector, path: string, config: boolean): void {
  const text = c.src.text;
  const tree = parseHcl(text);
  try {
    new HclWalker(c, text, FlatTree.from(tree, { leaves: HCL_LEAVES, spanless: HCL_SPANLESS }), config).file();
    if (tree.rootNode.hasError) {
      c.notes.push(`${path}: HCL parse errors near line ${firstErrorLine(tree)}; analysed what parsed`);
    }
  } finally {
    tree.delete();
  }
}

// ---------------------------------------------------------------------------------------------
// JSON (.tf.json, .tfvars.json, state) with positions
// ---------------------------------------------------------------------------------------------

type JNode = JObject | JArray | JString | JPrimitive;
interface JObject {
  t: 'o';
  entries: Array<[string, JNode]>;
}
interface JArray {
  t: 'a';
  items: JNode[];
}
/** `start`/`end`: the string's text between its quotes. */
interface JString {
  t: 's';
  start: number;
  end: number;
  value: string;
}
interface JPrimitive {
  t: 'p';
  raw: string;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly index: number,
  ) {
    super(message);
  }
}

/**
 * A small JSON reader that keeps string positions. Containers are attached to their parent
 * before their contents are read, so a truncated or broken file still yields what came before
 * the error. (The `yaml` package gives positions too, but read state files at about 3 MB/s.)
 */
function parseJson(text: string): { root: JNode | null; error: JsonSyntaxError | null } {
  const n = text.length;
  let i = 0;
  let root: JNode | null = null;
  const primitive = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const string = (): JString => {
    const start = i + 1;
    let from = start;
    let end: number;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q === -1) throw new JsonSyntaxError('unterminated string', i);
      let k = q - 1;
      while (k >= start && text.charCodeAt(k) === 0x5c) k--;
      if ((q - 1 - k) % 2 === 0) {
        end = q;
        break;
      }
      from = q + 1;
    }
    const raw = text.slice(start, end);
    let value = raw;
    if (raw.includes('\\')) {
      try {
        value = JSON.parse(`"${raw}"`) as string;
      } catch {
        throw new JsonSyntaxError('invalid string escape', i);
      }
    }
    i = end + 1;
    return { t: 's', start, end, value };
  };
  const value = (sink: (node: JNode) => void, depth: number): void => {
    if (depth > MAX_DEPTH) throw new JsonSyntaxError('nested too deeply', i);
    ws();
    if (i >= n) throw new JsonSyntaxError('unexpected end of input', i);
    const c = text.charCodeAt(i);
    if (c === 0x7b) {
      const obj: JObject = { t: 'o', entries: [] };
      sink(obj);
      i++;
      ws();
      if (text.charCodeAt(i) === 0x7d) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text.charCodeAt(i) !== 0x22) throw new JsonSyntaxError('expected a property name', i);
        const key = string().value;
        ws();
        if (text.charCodeAt(i) !== 0x3a) throw new JsonSyntaxError('expected ":"', i);
        i++;
        value((v) => obj.entries.push([key, v]), depth + 1);
        ws();
        const d = text.charCodeAt(i);
        i++;
        if (d === 0x2c) continue;
        if (d === 0x7d) return;
        throw new JsonSyntaxError('expected "," or "}"', i - 1);
      }
    }
    if (c === 0x5b) {
      const arr: JArray = { t: 'a', items: [] };
      sink(arr);
      i++;
      ws();
      if (text.charCodeAt(i) === 0x5d) {
        i++;
        return;
      }
      for (;;) {
        value((v) => arr.items.push(v), depth + 1);
        ws();
        const d = text.charCodeAt(i);
        i++;
        if (d === 0x2c) continue;
        if (d === 0x5d) return;
        throw new JsonSyntaxError('expected "," or "]"', i - 1);
      }
    }
    if (c === 0x22) {
      sink(string());
      return;
    }
    primitive.lastIndex = i;
    const m = primitive.exec(text);
    if (!m) throw new JsonSyntaxError('unexpected character', i);
    i += m[0].length;
    sink({ t: 'p', raw: m[0] });
  };

  try {
    value((v) => (root = v), 0);
    ws();
    if (i < n) throw new JsonSyntaxError('unexpected text after the JSON value', i);
    return { root, error: null };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { root, error };
    if (error instanceof RangeError) return { root, error: new JsonSyntaxError('nested too deeply', i) };
    throw error;
  }
}

function entry(obj: JNode | undefined, key: string): JNode | undefined {
  if (obj?.t !== 'o') return undefined;
  for (const [k, v] of obj.entries) if (k === key) return v;
  return undefined;
}

function stringOf(node: JNode | undefined): string | undefined {
  return node?.t === 's' ? node.value : undefined;
}

function isTrue(node: JNode | undefined): boolean {
  return node?.t === 'p' && node.raw === 'true';
}

interface JsonWalkOptions {
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
function walkJson(c: Collector, node: JNode, place: Place, options: JsonWalkOptions, depth: number): void {
  if (depth > MAX_DEPTH) return;
  const sensitivePaths = options.sensitivePaths;
  const rel = options.rel;
  const marked = sensitivePaths !== undefined && rel !== undefined && sensitivePaths.has(rel);
  switch (node.t) {
    case 's': {
      let literal: string | null = node.value;
      if (options.template) literal = hasInterpolation(literal) ? null : unescapeTemplate(literal);
      c.add(place.path, place.key, node.start, node.end, literal, place.secret || marked);
      return;
    }
    case 'o': {
      const inherit = place.inherit || marked;
      for (const [k, v] of node.entries) {
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
    case 'a': {
      const inherit = place.inherit || marked;
      node.items.forEach((v, index) => {
        const indexed = options.indexObjectLists || (v.t !== 'o' && v.t !== 'a');
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

function walkTfJson(c: Collector, root: JNode): void {
  const options: JsonWalkOptions = { template: true, indexObjectLists: false };
  if (root.t !== 'o') {
    walkJson(c, root, { path: '', key: '', secret: false, inherit: false }, options, 0);
    return;
  }
  for (const [type, value] of root.entries) {
    const labels = BLOCK_LABELS[type] ?? 0;
    walkTfJsonBlock(c, value, type, type, labels, [], options, 0);
  }
}

function walkTfJsonBlock(
  c: Collector,
  node: JNode,
  type: string,
  path: string,
  remaining: number,
  labels: string[],
  options: JsonWalkOptions,
  depth: number,
): void {
  if (depth > MAX_DEPTH) return;
  if (node.t === 'a') {
    // Several blocks of the same type or labels (`"provider": {"aws": [{...}, {alias...}]}`).
    for (const item of node.items) walkTfJsonBlock(c, item, type, path, remaining, labels, options, depth + 1);
    return;
  }
  if (remaining > 0 && node.t === 'o') {
    for (const [label, v] of node.entries) walkTfJsonBlock(c, v, type, join(path, label), remaining - 1, [...labels, label], options, depth + 1);
    return;
  }
  if (node.t !== 'o') {
    walkJson(c, node, { path, key: labels[labels.length - 1] ?? type, secret: false, inherit: false }, options, depth + 1);
    return;
  }
  let binding: Binding | null = null;
  if ((type === 'variable' || type === 'output') && labels.length === 1) {
    const name = labels[0];
    binding = { attribute: type === 'variable' ? 'default' : 'value', name, sensitive: isTrue(entry(node, 'sensitive')) || isSecretName(name) };
  }
  for (const [k, v] of node.entries) {
    const place: Place =
      binding && k === binding.attribute
        ? { path: join(path, k), key: binding.name, secret: binding.sensitive, inherit: binding.sensitive }
        : { path: join(path, k), key: k, secret: isSecretName(k), inherit: false };
    walkJson(c, v, place, options, depth + 1);
  }
}

/** `sensitive_attributes`: `[[{"type":"get_attr","value":"password"}], ...]` → `password`. */
function sensitivePathsOf(node: JNode | undefined): Set<string> {
  const paths = new Set<string>();
  if (node?.t !== 'a') return paths;
  const step = (s: JNode): string | null => {
    if (s.t === 's') return s.value;
    if (s.t === 'p') return s.raw;
    if (s.t === 'o') {
      const v = entry(s, 'value');
      if (!v) return null;
      if (v.t === 'o') return step(entry(v, 'value') ?? v);
      return step(v);
    }
    return null;
  };
  for (const p of node.items) {
    const steps = p.t === 'a' ? p.items : [p];
    const segments = steps.map(step);
    if (segments.length > 0 && segments.every((s): s is string => s !== null)) paths.add(segments.join('.'));
  }
  return paths;
}

/** Attributes secret by their resource type although not by their name. */
const SECRET_ATTRIBUTES: Record<string, string[]> = {
  random_password: ['result'],
};

function walkState(c: Collector, root: JNode): void {
  const generic: JsonWalkOptions = { template: false, indexObjectLists: true };
  if (root.t !== 'o') {
    walkJson(c, root, { path: '', key: '', secret: false, inherit: false }, generic, 0);
    return;
  }
  for (const [k, v] of root.entries) {
    if (k === 'resources' && v.t === 'a') {
      v.items.forEach((r, index) => walkStateResource(c, r, index));
    } else if (k === 'outputs' && v.t === 'o') {
      for (const [name, out] of v.entries) {
        const sensitive = isTrue(entry(out, 'sensitive')) || isSecretName(name);
        if (out.t !== 'o') continue;
        // `type` is the output's type description, `sensitive` a flag: only the value is data.
        const value = entry(out, 'value');
        if (value) walkJson(c, value, { path: `outputs.${name}.value`, key: name, secret: sensitive, inherit: sensitive }, generic, 2);
      }
    } else {
      walkJson(c, v, { path: k, key: k, secret: isSecretName(k), inherit: false }, generic, 1);
    }
  }
}

function walkStateResource(c: Collector, r: JNode, index: number): void {
  const generic: JsonWalkOptions = { template: false, indexObjectLists: true };
  const type = stringOf(entry(r, 'type'));
  const name = stringOf(entry(r, 'name'));
  if (r.t !== 'o' || !type || !name) {
    walkJson(c, r, { path: `resources.${index}`, key: 'resources', secret: false, inherit: false }, generic, 1);
    return;
  }
  const module = stringOf(entry(r, 'module'));
  const mode = stringOf(entry(r, 'mode'));
  const address = [module, mode === 'data' ? 'data' : undefined, type, name].filter((s) => s).join('.');
  const base = `resources.${address}`;
  const typeSecrets = SECRET_ATTRIBUTES[type] ?? [];
  for (const [k, v] of r.entries) {
    if (k !== 'instances' || v.t !== 'a') {
      walkJson(c, v, { path: `${base}.${k}`, key: k, secret: false, inherit: false }, generic, 2);
      continue;
    }
    v.items.forEach((inst, i) => {
      const path = `${base}.instances.${i}`;
      if (inst.t !== 'o') return;
      const sensitivePaths = sensitivePathsOf(entry(inst, 'sensitive_attributes'));
      for (const [ik, iv] of inst.entries) {
        if (ik === 'sensitive_attributes') continue; // paths, not values
        if (ik === 'attributes' && iv.t === 'o') {
          for (const [ak, av] of iv.entries) {
            const secret = isSecretName(ak) || typeSecrets.includes(ak);
            walkJson(
              c,
              av,
              { path: `${path}.attributes.${ak}`, key: ak, secret, inherit: false },
              { ...generic, sensitivePaths, rel: ak },
              4,
            );
          }
        } else {
          const secret = ik === 'attributes_flat' ? false : isSecretName(ik);
          walkJson(c, iv, { path: `${path}.${ik}`, key: ik, secret, inherit: false }, generic, 4);
        }
      }
    });
  }
}

function analyzeJson(c: Collector, path: string, kind: 'config' | 'vars' | 'state'): void {
  const { root, error } = parseJson(c.src.text);
  if (root) {
    if (kind === 'config') walkTfJson(c, root);
    else if (kind === 'state') walkState(c, root);
    else walkJson(c, root, { path: '', key: '', secret: false, inherit: false }, { template: false, indexObjectLists: true }, 0);
  }
  if (error) {
    c.notes.push(`${path}: JSON parse error near line ${lineOf(c.src.text, error.index)} (${error.message}); analysed what parsed`);
  }
}

// ---------------------------------------------------------------------------------------------

function analyze(data: Buffer, path: string, format: IacFormat): FileAnalysis {
  const fmt: IacFormat = format === 'terraform-vars' || format === 'terraform-state' ? format : 'terraform';
  let c: Collector | null = null;
  try {
    if (data.includes(0)) return { format: fmt, values: [], notes: [`${path}: binary content (NUL bytes); not analysed as Terraform`] };
    c = new Collector(decodeSource(data), fmt);
    const json = /\.json$/i.test(basename(path));
    if (fmt === 'terraform-state') analyzeJson(c, path, 'state');
    else if (json) analyzeJson(c, path, fmt === 'terraform-vars' ? 'vars' : 'config');
    else analyzeHcl(c, path, fmt === 'terraform');
    c.values.sort((a, b) => a.start - b.start || b.end - a.end);
    return { format: fmt, values: c.values, notes: c.notes };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { format: fmt, values: c?.values ?? [], notes: [...(c?.notes ?? []), `${path}: Terraform analysis failed: ${message}`] };
  }
}

export const terraformAnalyzer: FormatAnalyzer = {
  formats: ['terraform', 'terraform-vars', 'terraform-state'],
  init: loadHcl,
  analyze,
};
