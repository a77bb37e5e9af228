/**
 * Terraform variable files (`.tfvars`, `.tfvars.json`) hold values, never expressions: the
 * assignment of a secret goes, and Terraform gets the value from `TF_VAR_<name>`, which
 * `vaultsweep run` sets from the store (the env entry this rewriter returns).
 *
 * The line goes with its trailing comment. Comment lines right above it go too when they stand
 * alone with it (a blank line or the end of the file follows it): they described it and nothing
 * else. No two blank lines are left in a row, and a run of aligned `=` stays aligned.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type Node as JsonNode } from 'jsonc-parser';
import { referenceUri } from '../references.js';
import { loadGrammar, stillParses } from './syntax.js';
import { runCommand, tfVarEntry } from './terraform-env.js';
import { ancestors, applyTextEdits, attributeName, bodyEdits, escapeProblem, kid, leftoverNotes, Lines, nodeAt, ownsRows, plainString, withHclTree, type SyntaxNode, type TextEdit } from './terraform-hcl.js';
import type { RewriteContext, RewriteEdit, RewriteResult, Rewriter } from './types.js';

type Manual = RewriteResult['manual'];

export const terraformVarsRewriter: Rewriter = {
  name: 'terraform-vars',
  async prepare() {
    await loadGrammar('hcl');
  },
  accepts(location) {
    return location.context?.format === 'terraform-vars' && /\.tfvars(?:\.json)?$/i.test(location.file);
  },
  rewrite(text, edits, context): RewriteResult {
    return /\.json$/i.test(context.file) ? rewriteJson(text, edits, context) : withHclTree(text, (root) => rewriteHcl(text, root, edits, context));
  },
};

/** Why an edit cannot become TF_VAR_, or undefined. `raw`: the literal's characters as written. */
function problem(edit: RewriteEdit, name: string, whole: boolean, nested: boolean, raw: string, context: RewriteContext, json: boolean): string | undefined {
  const uri = referenceUri(edit.target, context.backend);
  if (nested) return `the secret is inside the value of ${name} (an object or a list), and a variables file cannot read from the store: move it into a variable of its own, then remove it here and set that variable's TF_VAR_ from ${uri} (vaultsweep run)`;
  if (!whole) return `the secret is part of the value of ${name}, and a variables file cannot read from the store: move it into a variable of its own, then remove it here and set that variable's TF_VAR_ from ${uri} (vaultsweep run)`;
  const escapes = json ? (raw.includes('\\') ? 'backslash escapes' : undefined) : escapeProblem(raw, false);
  if (escapes) return `the value of ${name} is written with ${escapes}, so the store holds its characters as written, not the string Terraform reads: store that string at ${uri}, then remove ${name} here and set TF_VAR_${name} from it (vaultsweep run)`;
  return undefined;
}

function rewriteHcl(text: string, root: SyntaxNode, edits: RewriteEdit[], context: RewriteContext): RewriteResult {
  const lines = new Lines(text);
  const manual: Manual = [];
  const removed = new Map<number, { attr: SyntaxNode; name: string; edit: RewriteEdit }>();
  const body = kid(root, 'body');
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const node = nodeAt(root, edit.start, edit.end);
    const attr = [node, ...ancestors(node)].find((n) => n.type === 'attribute' && n.parent?.equals(body!));
    if (!attr || !body) {
      manual.push({ edit, reason: `the secret is not in a variable's value: remove it by hand and set the variable's TF_VAR_ from ${referenceUri(edit.target, context.backend)} (vaultsweep run)` });
      continue;
    }
    const name = attributeName(attr);
    const expr = kid(attr, 'expression');
    const plain = plainString(expr);
    const whole = plain !== undefined && expr!.startIndex === edit.start - 1 && expr!.endIndex === edit.end + 1;
    const nested = !whole && expr !== undefined && /^[[{]/.test(expr.text.trim());
    const why = problem(edit, name, whole, nested, text.slice(edit.start, edit.end), context, false) ?? (removed.has(attr.startIndex) ? `${name} holds two secrets: remove it by hand` : undefined) ?? (ownsRows(attr, lines) ? undefined : `${name} shares its line with other code: remove it by hand and set TF_VAR_${name} from the store (vaultsweep run)`);
    if (why) manual.push({ edit, reason: why });
    else removed.set(attr.startIndex, { attr, name, edit });
  }
  if (!removed.size) return { text, manual, notes: [] };
  const edits2: TextEdit[] = bodyEdits(body!, lines, { removed: new Set(removed.keys()), renamed: new Map(), added: [] });
  edits2.push(...paragraphEdits([...removed.values()].map((r) => r.attr), lines));
  let out = mergeRemovals(text, edits2);
  // A file that did not end with a line ending still does not.
  if (out && !text.endsWith('\n') && out.endsWith('\n')) out = out.slice(0, out.endsWith('\r\n') ? -2 : -1);
  if (out === undefined || !stillParses('hcl', text, out)) {
    return { text, manual: [...manual, ...[...removed.values()].map(({ edit, name }) => ({ edit, reason: `the file would not parse as HCL without ${name}: remove it by hand and set TF_VAR_${name} from the store (vaultsweep run)` }))], notes: [] };
  }
  return done(text, out, manual, [...removed.values()], context);
}

/**
 * What goes with removed assignments besides their lines: the comment lines right above one
 * that stands alone (a blank line or the end of the file after it), and a blank line when
 * removing would leave two in a row (or one at the end of the file).
 */
function paragraphEdits(attrs: SyntaxNode[], lines: Lines): TextEdit[] {
  const gone = new Set<number>();
  for (const a of attrs) for (let r = a.startPosition.row; r <= a.endPosition.row; r++) gone.add(r);
  const edits: TextEdit[] = [];
  // Bottom up, so that an assignment right above a removed one sees past it.
  for (const a of [...attrs].sort((x, y) => y.startPosition.row - x.startPosition.row)) {
    let next = a.endPosition.row + 1;
    while (gone.has(next)) next++;
    if (!lines.blank(next)) continue;
    let first = a.startPosition.row;
    while (first > 0 && !gone.has(first - 1) && !lines.blank(first - 1) && lines.commentOnly(first - 1)) first--;
    for (let r = first; r < a.startPosition.row; r++) {
      gone.add(r);
      edits.push({ start: lines.start(r), end: lines.next(r), text: '' });
    }
  }
  // Blank lines: a removed stretch between two blank lines (or a blank line and the end) leaves one.
  const rows = [...gone].sort((x, y) => x - y);
  for (let i = 0; i < rows.length; i++) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j] + 1) j++;
    const before = rows[i] - 1;
    const after = rows[j] + 1;
    const atEnd = after >= lines.count || (after === lines.count - 1 && lines.content(after) === '');
    if ((before < 0 || lines.blank(before)) && lines.blank(after) && !gone.has(after) && after < lines.count && !atEnd) {
      edits.push({ start: lines.start(after), end: lines.next(after), text: '' });
    } else if (before >= 0 && lines.blank(before) && !gone.has(before) && atEnd) {
      edits.push({ start: lines.start(before), end: lines.next(before), text: '' });
    }
    i = j;
  }
  return edits;
}

/** Whole-line removals may be produced twice (by alignment and by paragraphs): keep one of each. */
function mergeRemovals(text: string, edits: TextEdit[]): string | undefined {
  const seen = new Set<string>();
  return applyTextEdits(
    text,
    edits.filter((e) => {
      const key = `${e.start}:${e.end}:${e.text}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

function rewriteJson(text: string, edits: RewriteEdit[], context: RewriteContext): RewriteResult {
  const manual: Manual = [];
  const tree = parseTree(text);
  const removed: { name: string; edit: RewriteEdit }[] = [];
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    const property = tree?.type === 'object' ? tree.children?.find((p) => p.offset <= edit.start && edit.end <= p.offset + p.length) : undefined;
    const key = property?.children?.[0];
    const value: JsonNode | undefined = property?.children?.[1];
    if (!property || !key || !value) {
      manual.push({ edit, reason: `the secret is not in a variable's value: remove it by hand and set the variable's TF_VAR_ from ${referenceUri(edit.target, context.backend)} (vaultsweep run)` });
      continue;
    }
    const name = String(key.value);
    const whole = value.type === 'string' && value.offset === edit.start - 1 && value.offset + value.length === edit.end + 1;
    const why = problem(edit, name, whole, value.type === 'object' || value.type === 'array', text.slice(edit.start, edit.end), context, true) ?? (removed.some((r) => r.name === name) ? `${name} holds two secrets: remove it by hand` : undefined);
    if (why) manual.push({ edit, reason: why });
    else removed.push({ name, edit });
  }
  if (!removed.length) return { text, manual, notes: [] };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /\n([ \t]+)"/.exec(text)?.[1] ?? '  ';
  let out = text;
  for (const { name } of removed) {
    out = applyEdits(out, modify(out, [name], undefined, { formattingOptions: { insertSpaces: !indent.includes('\t'), tabSize: indent.includes('\t') ? 1 : indent.length, eol } }));
  }
  const check = parseTree(out);
  if (!check || check.type !== 'object' || removed.some(({ name }) => findNodeAtLocation(check, [name]))) {
    return { text, manual: [...manual, ...removed.map(({ edit, name }) => ({ edit, reason: `the file would not parse as JSON without ${name}: remove it by hand and set TF_VAR_${name} from the store (vaultsweep run)` }))], notes: [] };
  }
  return done(text, out, manual, removed, context);
}

function done(before: string, text: string, manual: Manual, removed: { name: string; edit: RewriteEdit }[], context: RewriteContext): RewriteResult {
  const notes = removed.map(({ name }) => `${context.file}: ${name} removed; \`${runCommand(context.file)}\` sets TF_VAR_${name} from the store`);
  notes.push(...leftoverNotes(context.file, before, text, removed.map((r) => r.edit), manual.map((m) => m.edit)));
  const envEntries = removed.map(({ name, edit }) => tfVarEntry(context.file, name, referenceUri(edit.target, context.backend)));
  return { text, manual, notes, envEntries };
}
