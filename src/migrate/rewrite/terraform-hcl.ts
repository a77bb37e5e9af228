/**
 * What the Terraform rewriters share: lines and line endings, the HCL syntax tree (tree-sitter,
 * positions in UTF-16 units like the edits), where a literal sits, HCL strings, and the `=`
 * alignment `terraform fmt` keeps, so that a file that passed `terraform fmt -check` still does.
 */
import type { Node as SyntaxNode } from 'web-tree-sitter';
import { describeTarget, type StoreTarget } from '../plan/schema.js';
import { parserFor } from './syntax.js';

export type { SyntaxNode };

/** One replacement in the original text. Never two overlapping ones in a batch. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies replacements given in original positions; undefined when two overlap (a bug upstream). */
export function applyTextEdits(text: string, edits: TextEdit[]): string | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i].start < sorted[i - 1].end) return undefined;
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Line positions of a text; a line ends at "\n" (a "\r" before it belongs to the ending). */
export class Lines {
  readonly starts: number[] = [0];
  /** The file's line ending, kept in every line added. */
  readonly eol: string;

  constructor(readonly text: string) {
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.starts.push(at + 1);
    const first = text.indexOf('\n');
    this.eol = first > 0 && text[first - 1] === '\r' ? '\r\n' : '\n';
  }

  get count(): number {
    return this.starts.length;
  }

  /** 0-based row of an offset. */
  row(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  start(row: number): number {
    return this.starts[row];
  }

  /** Where the row's content ends (before its line ending). */
  end(row: number): number {
    const next = row + 1 < this.starts.length ? this.starts[row + 1] : this.text.length;
    let end = next;
    if (end > this.starts[row] && this.text[end - 1] === '\n') end--;
    if (end > this.starts[row] && this.text[end - 1] === '\r') end--;
    return end;
  }

  /** Start of the next row (after the line ending), or the end of the text. */
  next(row: number): number {
    return row + 1 < this.starts.length ? this.starts[row + 1] : this.text.length;
  }

  content(row: number): string {
    return this.text.slice(this.starts[row], this.end(row));
  }

  indent(row: number): string {
    return /^[ \t]*/.exec(this.content(row))![0];
  }

  blank(row: number): boolean {
    return row < 0 || row >= this.starts.length || this.content(row).trim() === '';
  }

  commentOnly(row: number): boolean {
    const line = this.content(row).trim();
    return line.startsWith('#') || line.startsWith('//') || (line.startsWith('/*') && line.endsWith('*/'));
  }
}

/** Parses HCL (the grammar loaded by `loadGrammar('hcl')`) and hands the root to `use`; the tree is freed afterwards. */
export function withHclTree<T>(text: string, use: (root: SyntaxNode) => T): T {
  const tree = parserFor('hcl').parse(text);
  if (!tree) throw new Error('HCL parse failed');
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

export function kids(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

export function kid(node: SyntaxNode, type: string): SyntaxNode | undefined {
  return kids(node).find((c) => c.type === type);
}

/** The deepest node whose span holds [start, end]. */
export function nodeAt(root: SyntaxNode, start: number, end: number): SyntaxNode {
  let node = root;
  for (;;) {
    const child = kids(node).find((c) => c.startIndex <= start && end <= c.endIndex && c.endIndex > c.startIndex);
    if (!child) return node;
    node = child;
  }
}

export function ancestors(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let n = node.parent; n; n = n.parent) out.push(n);
  return out;
}

/** The attribute has its rows to itself (and a trailing comment): lines can go or follow. */
export function ownsRows(attr: SyntaxNode, lines: Lines): boolean {
  const before = lines.text.slice(lines.start(attr.startPosition.row), attr.startIndex);
  const after = lines.text.slice(attr.endIndex, lines.end(attr.endPosition.row)).trim();
  return before.trim() === '' && (after === '' || after.startsWith('#') || after.startsWith('//'));
}

export function attributeName(attr: SyntaxNode): string {
  return kid(attr, 'identifier')?.text ?? '';
}

/** The attributes of a body, by name (the first of each). */
export function attributes(body: SyntaxNode | undefined): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const c of body ? kids(body) : []) if (c.type === 'attribute' && !out.has(attributeName(c))) out.set(attributeName(c), c);
  return out;
}

/** `"text"` with no interpolation: its text (escapes left as written), else undefined. */
export function plainString(expr: SyntaxNode | undefined): string | undefined {
  if (!expr) return undefined;
  let node = expr;
  while ((node.type === 'expression' || node.type === 'literal_value') && node.namedChildCount === 1) node = node.namedChildren[0]!;
  if (node.type !== 'string_lit') return undefined;
  const inner = kids(node).filter((c) => c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end');
  if (inner.length === 0) return '';
  return inner.length === 1 && inner[0].type === 'template_literal' ? inner[0].text : undefined;
}

/** The value of an attribute when it is a plain string or a bare keyword (`true`). */
export function attributeValue(attr: SyntaxNode | undefined): string | undefined {
  if (!attr) return undefined;
  const expr = kid(attr, 'expression');
  return plainString(expr) ?? expr?.text.trim();
}

export interface BlockInfo {
  node: SyntaxNode;
  type: string;
  labels: string[];
  body: SyntaxNode | undefined;
}

export function blockInfo(block: SyntaxNode): BlockInfo {
  const parts = kids(block);
  const type = parts.find((c) => c.type === 'identifier')?.text ?? '';
  const labels = parts.filter((c, i) => i > 0 && (c.type === 'string_lit' || c.type === 'identifier')).map((c) => (c.type === 'identifier' ? c.text : (plainString(c) ?? c.text)));
  return { node: block, type, labels, body: kid(block, 'body') };
}

/** The top-level blocks of a file. */
export function topBlocks(root: SyntaxNode): BlockInfo[] {
  const body = kid(root, 'body');
  return (body ? kids(body) : []).filter((c) => c.type === 'block').map(blockInfo);
}

/** An HCL quoted string holding `value` exactly. */
export function hclString(value: string): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\$\{/g, '$${')
    .replace(/%\{/g, '%%{');
  return `"${escaped}"`;
}

/**
 * Why the characters of a literal are not the string Terraform reads, or undefined: the store
 * holds the characters as written, so escapes (`\n`, `\"`, `$${`) would change the value.
 */
export function escapeProblem(raw: string, heredoc: boolean): string | undefined {
  if (!heredoc && raw.includes('\\')) return 'backslash escapes';
  if (/[$%]\{/.test(raw)) return 'template sequences (${ or %{)';
  return undefined;
}

/** `a_b`: a Terraform name (letters, digits, underscores; not starting with a digit). */
export function identifier(text: string): string {
  const id = text
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!id) return 'secret';
  return /^[0-9]/.test(id) ? `s_${id}` : id;
}

/** A line added to a body: `name = value`, `=` placed by `alignAttributes`. */
export interface AddedLine {
  /** Added after this attribute's last row (or in place of it when it is removed). */
  after: SyntaxNode;
  name: string;
  value: string;
}

export interface BodyChanges {
  /** Attributes whose line goes (with their trailing comment). */
  removed: Set<number>;
  /** Attributes renamed: attribute start → new name. */
  renamed: Map<number, string>;
  added: AddedLine[];
}

/**
 * Runs of single-line attributes on consecutive rows of a body, which `terraform fmt` aligns on
 * `=`: a blank line, a comment line, a block or a multi-line value ends a run.
 */
function alignmentRuns(body: SyntaxNode): SyntaxNode[][] {
  const runs: SyntaxNode[][] = [];
  let run: SyntaxNode[] = [];
  const close = () => {
    if (run.length) runs.push(run);
    run = [];
  };
  for (const c of kids(body)) {
    const last = run[run.length - 1];
    if (c.type === 'comment' && last && c.startPosition.row === last.endPosition.row) continue; // trailing comment
    if (c.type === 'attribute' && c.startPosition.row === c.endPosition.row) {
      if (last && c.startPosition.row !== last.startPosition.row + 1) close();
      run.push(c);
    } else {
      close();
    }
  }
  close();
  return runs;
}

/**
 * The edits that remove, rename and add attribute lines in one body, keeping `terraform fmt`'s
 * `=` alignment: a run that was aligned is realigned as `terraform fmt` would (whitespace only);
 * a run that was not is left as it is.
 */
export function bodyEdits(body: SyntaxNode, lines: Lines, changes: BodyChanges): TextEdit[] {
  const edits: TextEdit[] = [];
  const runs = alignmentRuns(body);
  const runOf = new Map<number, SyntaxNode[]>();
  for (const run of runs) for (const a of run) runOf.set(a.startIndex, run);
  const eqOf = (a: SyntaxNode) => kid(a, '=')!;
  const nameOf = (a: SyntaxNode) => kid(a, 'identifier')!;
  const touched = new Set<number>([...changes.removed, ...changes.renamed.keys(), ...changes.added.map((l) => l.after.startIndex)]);
  const handled = new Set<SyntaxNode[]>();
  const line = (indent: string, name: string, pad: number, value: string) => `${indent}${name}${' '.repeat(Math.max(1, pad))}= ${value}`;

  for (const key of touched) {
    const run = runOf.get(key);
    if (run && handled.has(run)) continue;
    if (run) handled.add(run);
    const members = run ?? [kids(body).find((c) => c.startIndex === key)!];
    const col = (a: SyntaxNode) => a.startPosition.column;
    const eqCol = (a: SyntaxNode) => eqOf(a).startPosition.column;
    const longest = Math.max(...members.map((a) => attributeName(a).length));
    const aligned = run !== undefined && members.every((a) => col(a) === col(members[0]) && eqCol(a) === col(a) + longest + 1);
    // The names of the run after the change: who stays (renamed or not) and what is added.
    const names: string[] = [];
    for (const a of members) {
      if (!changes.removed.has(a.startIndex)) names.push(changes.renamed.get(a.startIndex) ?? attributeName(a));
      for (const added of changes.added.filter((l) => l.after.startIndex === a.startIndex)) names.push(added.name);
    }
    const target = names.length ? Math.max(...names.map((n) => n.length)) + 1 : 0;
    for (const a of members) {
      const row = a.startPosition.row;
      const indent = lines.indent(row);
      const addedHere = changes.added.filter((l) => l.after.startIndex === a.startIndex);
      const addedText = (l: AddedLine) => line(indent, l.name, aligned ? target - l.name.length : 1, l.value);
      if (changes.removed.has(a.startIndex)) {
        const lastRow = a.endPosition.row;
        if (addedHere.length) {
          edits.push({ start: lines.start(row), end: lines.end(lastRow), text: addedHere.map(addedText).join(lines.eol) });
        } else {
          edits.push({ start: lines.start(row), end: lines.next(lastRow), text: '' });
        }
        continue;
      }
      const name = changes.renamed.get(a.startIndex);
      const nameNode = nameOf(a);
      const currentPad = eqOf(a).startIndex - nameNode.endIndex;
      if (name !== undefined) {
        const pad = aligned ? target - name.length : Math.max(1, eqCol(a) - col(a) - name.length);
        edits.push({ start: nameNode.startIndex, end: eqOf(a).startIndex, text: name + ' '.repeat(pad) });
      } else if (aligned && currentPad !== target - attributeName(a).length) {
        edits.push({ start: nameNode.endIndex, end: eqOf(a).startIndex, text: ' '.repeat(target - attributeName(a).length) });
      }
      if (addedHere.length) {
        const end = lines.end(a.endPosition.row);
        edits.push({ start: end, end, text: addedHere.map((l) => lines.eol + addedText(l)).join('') });
      }
    }
  }
  return edits;
}

/**
 * Places the scan did not report that still hold a secret just moved (the same value written
 * twice, once where no rule looks): one note each, naming the line, never the value. Places left
 * to the user (`manual`) are not repeated.
 */
export function leftoverNotes(file: string, before: string, after: string, applied: Span[], manual: Span[]): string[] {
  const notes: string[] = [];
  const seen = new Set<string>();
  const all = (text: string, value: string) => {
    const out: number[] = [];
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) out.push(at);
    return out;
  };
  const covers = (spans: Span[], at: number, length: number) => spans.some((s) => s.start <= at && at + length <= s.end);
  for (const edit of applied) {
    const value = before.slice(edit.start, edit.end);
    if (value.length < 8 || seen.has(value)) continue;
    seen.add(value);
    // Occurrences left in the new text are, in order, those of the old text that no applied edit replaced.
    const kept = all(before, value).filter((at) => !covers(applied, at, value.length));
    const now = all(after, value);
    if (kept.length !== now.length) continue;
    const line = kept.map((at, i) => (covers(manual, at, value.length) ? 0 : after.slice(0, now[i]).split('\n').length)).find((l) => l > 0);
    if (line) notes.push(`${file}:${line}: the secret moved to ${describeTarget(edit.target)} is written here too, where the scan did not report it: replace it by hand`);
  }
  return notes;
}

interface Span {
  start: number;
  end: number;
  target: StoreTarget;
}
