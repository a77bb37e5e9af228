/**
 * HCL (`.tf`, `.tfvars`): walks the tree-sitter syntax tree (copied into a FlatTree) into bound
 * values. A reference, function call or other compound expression gives a null value over the
 * whole expression, then the literals inside it.
 */
import { isSecretName } from '../names.js';
import { FlatTree, parseHcl, type Tree } from '../tree-sitter.js';
import { hasInterpolation, join, MAX_DEPTH, stripIndent, unescapeQuoted, unescapeTemplate, type Binding, type Collector, type Place } from './shared.js';

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

export function analyzeHcl(c: Collector, path: string, config: boolean): void {
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
