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
import type { FileAnalysis, FormatAnalyzer, IacFormat } from '../types.js';
import { decodeSource, loadHcl } from '../tree-sitter.js';
import { analyzeHcl } from './hcl.js';
import { walkJson, walkTfJson } from './json.js';
import { parseJson } from './json-tree.js';
import { Collector, lineOf } from './shared.js';
import { walkState } from './state.js';

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
