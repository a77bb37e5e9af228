/**
 * The imports an environment read needs: Python `import os`, Go `"os"`. Each is one insertion
 * into the original text, placed where a person (or isort/goimports) would put it.
 */
import { childrenOf, type SyntaxNode } from './code-tree.js';
import type { Replacement } from './code-languages.js';

function named(node: SyntaxNode): SyntaxNode[] {
  return childrenOf(node).filter((c) => c.isNamed);
}

/** The start of the line holding `at`. */
function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The start of the line after the one holding `at` (the end of the text when it has none). */
function nextLine(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl + 1;
}

function indentOf(text: string, at: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart(text, at), at))?.[0] ?? '';
}

/**
 * `text` with `line` inserted at a line start `at`, set off by blank lines from what is before
 * and after when `spaced` (a new group of imports), as a replacement.
 */
function insertLine(text: string, at: number, line: string, eol: string, spaced: boolean, bodyStart: number): Replacement {
  let before = '';
  let after = '';
  if (at === text.length && text.length > bodyStart && !text.endsWith('\n')) before = eol;
  if (spaced) {
    const head = text.slice(bodyStart, at) + before;
    if (head.length > 0 && !/\n[ \t]*\r?\n$/.test(`\n${head}`)) before += eol;
    const rest = text.slice(at);
    if (rest.length > 0 && !/^[ \t]*\r?\n/.test(rest)) after = eol;
  }
  return { start: at, end: at, text: `${before}${line}${eol}${after}` };
}

const PYTHON_IMPORTS = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** The first module an `import a.b, c` statement names. */
function importedModule(node: SyntaxNode): string {
  const first = named(node)[0];
  return (first?.type === 'aliased_import' ? named(first)[0]?.text : first?.text) ?? '';
}

/**
 * `import os` for a Python module that does not import it: into the first run of plain
 * `import x` lines (in alphabetical order), else before the first `from x import y`, else after the
 * module's docstring, `from __future__` imports and leading comments.
 */
export function pythonOsImport(root: SyntaxNode, text: string, eol: string): Replacement | null {
  const top = named(root);
  for (const node of top) {
    if (node.type !== 'import_statement') continue;
    // `import os`, `import os.path`: both bind `os`; `import os as x` does not.
    if (named(node).some((c) => c.type === 'dotted_name' && named(c)[0]?.text === 'os')) return null;
  }
  const bodyStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let headerEnd = bodyStart;
  let i = 0;
  // Leading comments: the shebang and encoding lines, and blocks set off by a blank line (a licence).
  for (; i < top.length && top[i].type === 'comment'; i++) {
    const next = top[i + 1];
    const row = top[i].endPosition.row;
    const docstring = next?.type === 'expression_statement' && named(next).length === 1 && named(next)[0].type === 'string';
    if (/^#!|coding[:=]/.test(top[i].text) || !next || next.startPosition.row > row + 1 || docstring) headerEnd = nextLine(text, top[i].endIndex);
  }
  const first = top[i];
  if (first?.type === 'expression_statement' && named(first).length === 1 && named(first)[0].type === 'string') {
    headerEnd = nextLine(text, first.endIndex);
    i++;
  }
  const area: SyntaxNode[] = [];
  for (; i < top.length && (top[i].type === 'comment' || PYTHON_IMPORTS.has(top[i].type)); i++) {
    if (top[i].type === 'future_import_statement') headerEnd = nextLine(text, top[i].endIndex);
    else area.push(top[i]);
  }
  const imports = area.filter((n) => n.type !== 'comment');
  if (imports.length === 0) return insertLine(text, headerEnd, 'import os', eol, true, bodyStart);
  const firstPlain = area.findIndex((n) => n.type === 'import_statement');
  if (firstPlain === -1) {
    const from = imports[0];
    return insertLine(text, lineStart(text, from.startIndex), 'import os', eol, false, bodyStart);
  }
  // The run of `import x` statements on consecutive lines (a trailing comment stays with its line).
  const run: SyntaxNode[] = [area[firstPlain]];
  for (let k = firstPlain + 1; k < area.length; k++) {
    const last = run[run.length - 1];
    const node = area[k];
    if (node.type === 'comment' && node.startPosition.row === last.endPosition.row) continue;
    if (node.type !== 'import_statement' || node.startPosition.row !== last.endPosition.row + 1) break;
    run.push(node);
  }
  const after = run.find((n) => importedModule(n).toLowerCase() > 'os');
  const at = after ? lineStart(text, after.startIndex) : nextLine(text, run[run.length - 1].endIndex);
  return insertLine(text, at, 'import os', eol, false, bodyStart);
}

/** A standard-library import path: its first element has no dot. */
function isStandard(path: string): boolean {
  return !path.replace(/^"|"$/g, '').split('/')[0].includes('.');
}

function specPath(spec: SyntaxNode): string {
  return named(spec).find((c) => c.type === 'interpreted_string_literal' || c.type === 'raw_string_literal')?.text ?? '';
}

/**
 * `"os"` for a Go file that does not import it, in gofmt style: into the standard-library group
 * of the import block (sorted), a single `import "fmt"` becomes a block, else an `import "os"`
 * line after the package clause.
 */
export function goOsImport(root: SyntaxNode, text: string, eol: string): Replacement | null {
  const decls = named(root).filter((n) => n.type === 'import_declaration');
  const specsOf = (decl: SyntaxNode): SyntaxNode[] => {
    const list = named(decl).find((c) => c.type === 'import_spec_list');
    return named(list ?? decl).filter((c) => c.type === 'import_spec');
  };
  for (const decl of decls) {
    for (const spec of specsOf(decl)) {
      const alias = named(spec).find((c) => c.type !== 'interpreted_string_literal' && c.type !== 'raw_string_literal');
      if (specPath(spec) === '"os"' && !alias) return null;
    }
  }
  const block = decls.find((d) => named(d).some((c) => c.type === 'import_spec_list'));
  if (block) {
    const specs = specsOf(block);
    const groups: SyntaxNode[][] = [];
    for (const spec of specs) {
      const last = groups[groups.length - 1]?.at(-1);
      if (last && spec.startPosition.row <= last.endPosition.row + 1) groups[groups.length - 1].push(spec);
      else groups.push([spec]);
    }
    const standard = groups.find((g) => g.every((s) => isStandard(specPath(s))));
    if (!standard) {
      const first = specs[0];
      const indent = first ? indentOf(text, first.startIndex) : '\t';
      const at = first ? lineStart(text, first.startIndex) : nextLine(text, named(block).find((c) => c.type === 'import_spec_list')?.startIndex ?? block.startIndex);
      return { start: at, end: at, text: `${indent}"os"${eol}${first ? eol : ''}` };
    }
    const after = standard.find((s) => specPath(s).slice(1, -1) > 'os');
    const anchor = after ?? standard[standard.length - 1];
    const at = after ? lineStart(text, after.startIndex) : nextLine(text, anchor.endIndex);
    return { start: at, end: at, text: `${indentOf(text, anchor.startIndex)}"os"${eol}` };
  }
  if (decls.length === 1) {
    const spec = specsOf(decls[0])[0];
    if (spec) {
      const own = spec.text;
      const lines = isStandard(specPath(spec)) ? [own, '"os"'].sort((a, b) => (a.replace(/^\S+\s+/, '') < b.replace(/^\S+\s+/, '') ? -1 : 1)) : ['"os"', '', own];
      const body = lines.map((l) => (l ? `\t${l}` : '')).join(eol);
      return { start: decls[0].startIndex, end: decls[0].endIndex, text: `import (${eol}${body}${eol})` };
    }
  }
  if (decls.length > 0) {
    const last = decls[decls.length - 1];
    return { start: last.endIndex, end: last.endIndex, text: `${eol}import "os"` };
  }
  const pkg = named(root).find((n) => n.type === 'package_clause');
  const at = pkg ? pkg.endIndex : 0;
  return { start: at, end: at, text: pkg ? `${eol}${eol}import "os"` : `import "os"${eol}${eol}` };
}
