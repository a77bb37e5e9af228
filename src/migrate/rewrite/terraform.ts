/**
 * Terraform configuration (`.tf`): a literal becomes an expression reading the store, through one
 * data source per store path placed after the block that first needs it:
 *
 *   password = data.vault_kv_secret_v2.webapp_aws_db_instance_ledger.data["password"]
 *   password = jsondecode(data.aws_secretsmanager_secret_version.webapp_aws_db_instance_ledger.secret_string)["password"]
 *
 * A secret inside a longer string becomes an interpolation (`"postgres://u:${…}@host"`). With
 * `terraformEphemeral`, ephemeral resources replace the data sources so that the value stays out
 * of the state; they can only feed write-only arguments (`password` → `password_wo` and
 * `password_wo_version = 1`), provider, provisioner and connection blocks: anything else is
 * manual. A `variable` default is removed (the variable becomes sensitive) and the value comes
 * from `TF_VAR_<name>`. `.tfvars` files: `terraformVarsRewriter` (terraform-vars.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { PlanBackend, PlanLocation, StoreTarget } from '../plan/schema.js';
import { referenceUri } from '../references.js';
import { loadGrammar, stillParses } from './syntax.js';
import { runCommand, tfVarEntry } from './terraform-env.js';
import {
  ancestors,
  applyTextEdits,
  attributeName,
  attributes,
  attributeValue,
  blockInfo,
  bodyEdits,
  escapeProblem,
  kid,
  kids,
  leftoverNotes,
  Lines,
  nodeAt,
  ownsRows,
  plainString,
  topBlocks,
  withHclTree,
  type BlockInfo,
  type BodyChanges,
  type SyntaxNode,
  type TextEdit,
} from './terraform-hcl.js';
import { blockText, describeBlock, referenceExpression, storeSource, writeOnlyFor, type Mode, type StoreSource } from './terraform-stores.js';
import type { RewriteContext, RewriteEdit, RewriteResult, Rewriter } from './types.js';

export { terraformVarsRewriter } from './terraform-vars.js';

/**
 * What to do by hand where no Terraform rewriter applies (`.tf.json`, state), for the registry's
 * manual text; undefined for other formats.
 */
export function terraformManualInstruction(location: PlanLocation, target: StoreTarget, backend: PlanBackend): string | undefined {
  const format = location.context?.format;
  if (format === 'terraform-state') {
    return `state is written by Terraform: make the configuration read ${referenceUri(target, backend)} (the .tf rewrite does), run terraform apply, and rotate the secret: earlier state versions keep it`;
  }
  if (format !== 'terraform' || !/\.tf\.json$/i.test(location.file)) return undefined;
  const source = storeSource(target, backend);
  const ref = referenceExpression('data', source, source.baseName, target.key);
  const args = source.args.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
  return `replace the string with ${JSON.stringify(`\${${ref}}`)} and declare the data source: "data": {"${source.type}": {"${source.baseName}": {${args}}}}`;
}

/** Blocks of a type already declared in the module: name → arguments (plain strings) and whether it can be reused. */
type Declared = Map<string, { args: Map<string, string | undefined>; reusable: boolean }>;

/** What one edit becomes. */
type Step =
  | { kind: 'manual'; edit: RewriteEdit; reason: string }
  | { kind: 'reference'; edit: RewriteEdit; source: StoreSource; whole: boolean; start: number; end: number; top: BlockInfo; writeOnly?: { attr: SyntaxNode; body: SyntaxNode; name: string; version: string }; sensitive?: { attr: SyntaxNode; body: SyntaxNode } }
  | { kind: 'variable'; edit: RewriteEdit; top: BlockInfo; attr: SyntaxNode; addSensitive: boolean; oneLine: boolean };

export const terraformRewriter: Rewriter = {
  name: 'terraform-data-source',
  async prepare() {
    await loadGrammar('hcl');
  },
  accepts(location) {
    return location.context?.format === 'terraform' && /\.tf$/i.test(location.file);
  },
  rewrite(text, edits, context): RewriteResult {
    return withHclTree(text, (root) => new TfRewrite(text, root, context).run(edits));
  },
};

class TfRewrite {
  readonly lines: Lines;
  readonly mode: Mode;
  /** `data vault_kv_secret_v2` → declared blocks (this file and its module's other files). */
  readonly declared = new Map<string, Declared>();
  /** Store path id → block name (reused or new). */
  readonly names = new Map<string, { name: string; exists: boolean }>();

  constructor(
    readonly text: string,
    readonly root: SyntaxNode,
    readonly context: RewriteContext,
  ) {
    this.lines = new Lines(text);
    this.mode = context.options.terraformEphemeral ? 'ephemeral' : 'data';
    collectDeclared(topBlocks(root), this.declared);
    for (const other of moduleFiles(context)) {
      try {
        if (other.endsWith('.json')) collectDeclaredJson(JSON.parse(readFileSync(other, 'utf8')), this.declared);
        else withHclTree(readFileSync(other, 'utf8'), (r) => collectDeclared(topBlocks(r), this.declared));
      } catch {
        // An unreadable neighbour only means fewer names known to be taken.
      }
    }
  }

  /** The block name for a store path in `mode`: an equal block already declared, else a free name. */
  nameFor(source: StoreSource, mode = this.mode): { name: string; exists: boolean } {
    const id = `${mode}\0${source.id}`;
    const known = this.names.get(id);
    if (known) return known;
    const declared = this.declared.get(`${mode} ${source.type}`) ?? new Map();
    this.declared.set(`${mode} ${source.type}`, declared);
    for (const [name, block] of declared) {
      if (block.reusable && source.args.every(([k, v]) => block.args.get(k) === v) && [...block.args.keys()].every((k) => source.args.some(([a]) => a === k))) {
        return this.remember(id, { name, exists: true });
      }
    }
    let name = source.baseName;
    for (let n = 2; declared.has(name); n++) name = `${source.baseName}_${n}`;
    declared.set(name, { args: new Map(source.args), reusable: false });
    return this.remember(id, { name, exists: false });
  }

  remember(id: string, value: { name: string; exists: boolean }): { name: string; exists: boolean } {
    this.names.set(id, value);
    return value;
  }

  ref(edit: RewriteEdit, mode = this.mode): string {
    const source = storeSource(edit.target, this.context.backend);
    return referenceExpression(mode, source, this.nameFor(source, mode).name, edit.target.key);
  }

  /** "write X in its place, reading it with data "…" "…" (mount = …)": the hand-made version of the rewrite. */
  howTo(edit: RewriteEdit, mode = this.mode): string {
    const source = storeSource(edit.target, this.context.backend);
    const { name, exists } = this.nameFor(source, mode);
    return `write ${this.ref(edit, mode)} in its place, reading it with ${exists ? 'the existing block ' : ''}${describeBlock(mode, source, name)}`;
  }

  run(edits: RewriteEdit[]): RewriteResult {
    const steps = [...edits].sort((a, b) => a.start - b.start).map((edit) => this.classify(edit));
    const built = this.build(steps);
    const manual = steps.filter((s): s is Extract<Step, { kind: 'manual' }> => s.kind === 'manual').map(({ edit, reason }) => ({ edit, reason }));
    const applied = steps.filter((s) => s.kind !== 'manual');
    if (!applied.length) return { text: this.text, manual, notes: [] };
    if (built === undefined || !stillParses('hcl', this.text, built)) {
      for (const step of applied) manual.push({ edit: step.edit, reason: `the rewritten file would not parse as HCL, so it was left as it is: ${step.kind === 'variable' ? 'remove the default by hand and set TF_VAR_ from the store' : this.howTo(step.edit)}` });
      return { text: this.text, manual, notes: [] };
    }
    const notes = [...this.notes(applied), ...leftoverNotes(this.context.file, this.text, built, applied.map((s) => s.edit), manual.map((m) => m.edit))];
    return { text: built, manual, notes, envEntries: this.envEntries(applied) };
  }

  classify(edit: RewriteEdit): Step {
    const manual = (reason: string): Step => ({ kind: 'manual', edit, reason });
    const { text } = this;
    const node = nodeAt(this.root, edit.start, edit.end);
    if (node.type === 'comment') return manual('the secret is in a comment: delete it from the comment');
    const template = [node, ...ancestors(node)].find((n) => n.type === 'string_lit' || n.type === 'quoted_template' || n.type === 'heredoc_template');
    if (!template || kids(template).some((c) => (c.type === 'template_interpolation' || c.type === 'template_directive') && c.startIndex < edit.end && edit.start < c.endIndex)) {
      return manual(`the secret is not inside a string Terraform reads as text: replace it by hand; ${this.howTo(edit)}`);
    }
    const heredoc = template.type === 'heredoc_template';
    const whole = template.type === 'string_lit' && template.startIndex === edit.start - 1 && template.endIndex === edit.end + 1;
    const escapes = escapeProblem(text.slice(edit.start, edit.end), heredoc) ?? (!whole && /[$%]$/.test(text.slice(0, edit.start)) ? 'a $ or % right before it' : undefined);
    const uri = referenceUri(edit.target, this.context.backend);
    if (heredoc && text.slice(edit.start, edit.end).includes('\n')) {
      const close = kids(template).filter((c) => c.type === 'heredoc_identifier').pop();
      if (/^<<-/.test(template.text) || (close && this.lines.row(edit.end) === close.startPosition.row)) {
        return manual(`the secret spans several lines of a heredoc whose indentation or closing line Terraform reads differently: replace it by hand; ${this.howTo(edit)}`);
      }
    }
    if (escapes) {
      return manual(`the literal is written with ${escapes}, so the store holds its characters as written, not the string Terraform reads: store that string at ${uri}, then ${this.howTo(edit)}`);
    }
    const up = ancestors(template);
    const blocks = up.filter((n) => n.type === 'block').map(blockInfo).reverse();
    const top = blocks[0];
    const attr = up.find((n) => n.type === 'attribute');
    const elem = up.find((n) => n.type === 'object_elem');
    if (!top || !attr || template.parent?.type === 'block' || (elem && kids(elem)[0]?.startIndex <= template.startIndex && template.endIndex <= kids(elem)[0]?.endIndex)) {
      return manual(`the secret is not a value Terraform reads (a block label or an object key): replace it by hand; ${this.howTo(edit)}`);
    }
    const inner = blocks.slice(1).map((b) => b.type);
    const argument = attributeName(attr);
    const where = (edit.location.context?.path ?? `${[top.type, ...top.labels].join('.')}.${argument}`).replace(/^resource\./, '');
    const source = storeSource(edit.target, this.context.backend);

    if (top.type === 'terraform') {
      return manual(`${where}: the terraform block (backend, cloud) cannot use expressions: delete the argument and pass the value at init time (terraform init -backend-config=..., or the backend's environment variable) from ${uri}`);
    }
    if (top.type === 'variable') {
      const isDefault = inner.length === 0 && argument === 'default' && whole && plainString(kid(attr, 'expression')) !== undefined;
      const name = top.labels[0] ?? '';
      if (!isDefault) {
        return manual(`the secret is part of the ${argument} of variable "${name}", and a variable cannot read from the store: move it into a variable of its own without a default and set that variable's TF_VAR_ from ${uri} (vaultsweep run)`);
      }
      const oneLine = top.node.startPosition.row === top.node.endPosition.row && kids(top.body!).length === 1;
      if (!oneLine && !ownsRows(attr, this.lines)) return manual(`variable "${name}" shares a line with other code: delete its default by hand and set TF_VAR_${name} from ${uri} (vaultsweep run)`);
      return { kind: 'variable', edit, top, attr, addSensitive: !attributes(top.body).has('sensitive'), oneLine };
    }
    if (top.type === 'provider' && top.labels[0] === source.provider && !attributes(top.body).has('alias')) {
      return manual(`provider "${source.provider}" would need its own credentials to read them from the store: delete ${argument} and give the provider the value through its environment (credential variables or profile) instead, from ${uri}`);
    }
    const step: Extract<Step, { kind: 'reference' }> = { kind: 'reference', edit, source, whole, start: whole ? template.startIndex : edit.start, end: whole ? template.endIndex : edit.end, top };
    if (this.mode === 'data') {
      if (top.type === 'output') {
        const flag = attributeValue(attributes(top.body).get('sensitive'));
        if (flag === 'false') return manual(`output "${top.labels[0]}" says sensitive = false, and a value read from the store is sensitive: set sensitive = true, then ${this.howTo(edit)}`);
        if (flag !== 'true') {
          if (inner.length || !ownsRows(attr, this.lines)) return manual(`output "${top.labels[0]}" needs sensitive = true once it reads the store: add it, then ${this.howTo(edit)}`);
          step.sensitive = { attr, body: top.body! };
        }
      }
      return step;
    }
    // Ephemeral values: only where Terraform accepts them.
    if (top.type === 'provider' || top.type === 'ephemeral') return step;
    if (top.type === 'resource' && (inner[0] === 'connection' || inner[0] === 'provisioner')) return step;
    const resourceType = top.labels[0] ?? '';
    const writeOnly = top.type === 'resource' ? writeOnlyFor(resourceType, inner, argument) : undefined;
    const alreadyWriteOnly = top.type === 'resource' && /_wo$/.test(argument) && writeOnlyFor(resourceType, inner, argument.replace(/_wo$/, ''))?.argument === argument;
    const body = attr.parent!;
    if (alreadyWriteOnly) {
      if (attributes(body).has(`${argument}_version`)) return step;
      if (!ownsRows(attr, this.lines)) return manual(`${where} shares its line with other code: add ${argument}_version = 1 after it, then ${this.howTo(edit)}`);
      return { ...step, writeOnly: { attr, body, name: argument, version: `${argument}_version` } };
    }
    if (!writeOnly) {
      return manual(`${where} cannot take an ephemeral value (only write-only arguments, provider, provisioner and connection blocks and other ephemeral resources can): ${this.howTo(edit, 'data')} instead (the value is then stored in the state)`);
    }
    if (attributes(body).has(writeOnly.argument)) return manual(`${where} and ${writeOnly.argument} are both set: keep only ${writeOnly.argument}, then ${this.howTo(edit)}`);
    if (!ownsRows(attr, this.lines)) return manual(`${where} shares its line with other code: rename it ${writeOnly.argument}, add ${writeOnly.version} = 1, then ${this.howTo(edit)}`);
    return { ...step, writeOnly: { attr, body, name: writeOnly.argument, version: writeOnly.version } };
  }

  /** The new text, or undefined when the edits collide. */
  build(steps: Step[]): string | undefined {
    const edits: TextEdit[] = [];
    const bodies = new Map<number, { body: SyntaxNode; changes: BodyChanges }>();
    const changesOf = (body: SyntaxNode): BodyChanges => {
      let entry = bodies.get(body.startIndex);
      if (!entry) bodies.set(body.startIndex, (entry = { body, changes: { removed: new Set(), renamed: new Map(), added: [] } }));
      return entry.changes;
    };
    const added = new Set<number>();
    const inserted = new Set<string>();
    const addOnce = (attr: SyntaxNode, body: SyntaxNode, name: string, value: string) => {
      if (added.has(attr.startIndex)) return;
      added.add(attr.startIndex);
      changesOf(body).added.push({ after: attr, name, value });
    };
    // Blocks to add, after the top-level block of the first edit reading each store path.
    const newBlocks = new Map<number, { top: BlockInfo; texts: string[] }>();
    for (const step of steps) {
      if (step.kind === 'manual') continue;
      if (step.kind === 'variable' && step.oneLine) {
        // `variable "x" { default = "…" }` → `variable "x" { sensitive = true }`: one argument fits a one-line block.
        edits.push({ start: step.attr.startIndex, end: step.attr.endIndex, text: 'sensitive = true' });
        continue;
      }
      if (step.kind === 'variable') {
        const changes = changesOf(step.attr.parent!);
        changes.removed.add(step.attr.startIndex);
        if (step.addSensitive) addOnce(step.attr, step.attr.parent!, 'sensitive', 'true');
        continue;
      }
      const ref = this.ref(step.edit);
      edits.push({ start: step.start, end: step.end, text: step.whole ? ref : `\${${ref}}` });
      if (step.writeOnly) {
        const { attr, body, name, version } = step.writeOnly;
        if (attributeName(attr) !== name) changesOf(body).renamed.set(attr.startIndex, name);
        if (!attributes(body).has(version)) addOnce(attr, body, version, '1');
      }
      if (step.sensitive) addOnce(step.sensitive.attr, step.sensitive.body, 'sensitive', 'true');
      const { name, exists } = this.nameFor(step.source);
      if (!exists && !inserted.has(step.source.id)) {
        inserted.add(step.source.id);
        const entry = newBlocks.get(step.top.node.startIndex) ?? { top: step.top, texts: [] };
        entry.texts.push(blockText(this.mode, step.source, name, this.lines.eol));
        newBlocks.set(step.top.node.startIndex, entry);
      }
    }
    for (const { body, changes } of bodies.values()) edits.push(...bodyEdits(body, this.lines, changes));
    for (const { top, texts } of newBlocks.values()) {
      const at = this.lines.end(top.node.endPosition.row);
      edits.push({ start: at, end: at, text: texts.map((t) => this.lines.eol + this.lines.eol + t).join('') });
    }
    return applyTextEdits(this.text, edits);
  }

  notes(applied: Step[]): string[] {
    const { file } = this.context;
    const notes: string[] = [];
    const references = applied.filter((s): s is Extract<Step, { kind: 'reference' }> => s.kind === 'reference');
    if (references.length && this.mode === 'data') {
      const vault = references.some((s) => s.source.provider === 'vault');
      const aws = references.some((s) => s.source.provider === 'aws');
      if (vault) notes.push(`${file}: secrets are read with data "vault_kv_secret_v2" (a KV version 2 mount; for version 1 use data "vault_kv_secret" with path = "<mount>/<path>"): Terraform needs VAULT_ADDR and a Vault token with read access when it runs`);
      if (aws) notes.push(`${file}: secrets are read with data "aws_secretsmanager_secret_version": Terraform's AWS credentials need secretsmanager:GetSecretValue (and kms:Decrypt for a customer-managed key)${this.context.backend.type === 'aws-secrets-manager' && this.context.backend.region ? `; the secrets are in ${this.context.backend.region}: if the aws provider here uses another region, give the data sources a provider alias for that region` : ''}`);
      notes.push(`${file}: values read by data sources are still written to the Terraform state: keep the state encrypted and access-controlled, or rewrite with ephemeral resources and write-only arguments (Terraform ≥ 1.11)`);
    }
    if (references.length && this.mode === 'ephemeral') {
      notes.push(`${file}: ephemeral resources need Terraform ≥ 1.10 and write-only arguments Terraform ≥ 1.11 (and provider releases that have them): set required_version accordingly`);
      const writeOnly = [...new Set(references.filter((s) => s.writeOnly).map((s) => `${s.top.labels.join('.')}.${s.writeOnly!.version}`))];
      if (writeOnly.length) notes.push(`${file}: Terraform does not see a new value of a write-only argument: raise ${writeOnly.join(', ')} whenever the secret changes in the store`);
    }
    for (const step of applied) {
      if (step.kind !== 'variable') continue;
      const name = step.top.labels[0];
      const child = posix.dirname(file).split('/').includes('modules') ? ` (if this is a child module, the calling module must pass ${name} instead: TF_VAR_ only reaches the root module)` : '';
      notes.push(`${file}: variable "${name}" has no default any more; \`${runCommand(file)}\` sets TF_VAR_${name} from the store${child}`);
    }
    return notes;
  }

  envEntries(applied: Step[]): RewriteResult['envEntries'] {
    return applied.filter((s) => s.kind === 'variable').map((s) => tfVarEntry(this.context.file, s.top.labels[0] ?? '', referenceUri(s.edit.target, this.context.backend)));
  }
}

/** The other Terraform files of the module (same directory): their block names are taken too. */
function moduleFiles(context: RewriteContext): string[] {
  const dir = join(context.root, posix.dirname(context.file));
  const self = posix.basename(context.file);
  try {
    return readdirSync(dir)
      .filter((f) => f !== self && /\.tf(?:\.json)?$/i.test(f))
      .map((f) => join(dir, f))
      .filter((f) => {
        const stat = statSync(f);
        return stat.isFile() && stat.size < 4 * 1024 * 1024;
      });
  } catch {
    return [];
  }
}

function collectDeclared(blocks: BlockInfo[], into: Map<string, Declared>): void {
  for (const block of blocks) {
    if ((block.type !== 'data' && block.type !== 'ephemeral') || block.labels.length !== 2) continue;
    const key = `${block.type} ${block.labels[0]}`;
    const declared = into.get(key) ?? new Map();
    into.set(key, declared);
    const attrs = attributes(block.body);
    const args = new Map<string, string | undefined>();
    for (const [name, attr] of attrs) if (name !== 'depends_on') args.set(name, plainString(kid(attr, 'expression')));
    const nested = block.body ? kids(block.body).some((c) => c.type === 'block') : false;
    declared.set(block.labels[1], { args, reusable: !nested && !attrs.has('count') && !attrs.has('for_each') });
  }
}

function collectDeclaredJson(json: unknown, into: Map<string, Declared>): void {
  if (!json || typeof json !== 'object') return;
  for (const kind of ['data', 'ephemeral'] as const) {
    const byType = (json as Record<string, unknown>)[kind];
    if (!byType || typeof byType !== 'object') continue;
    for (const [type, byName] of Object.entries(byType as Record<string, unknown>)) {
      const declared = into.get(`${kind} ${type}`) ?? new Map();
      into.set(`${kind} ${type}`, declared);
      for (const name of Object.keys((byName ?? {}) as object)) if (!declared.has(name)) declared.set(name, { args: new Map(), reusable: false });
    }
  }
}
