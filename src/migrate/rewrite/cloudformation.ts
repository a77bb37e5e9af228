/**
 * CloudFormation templates (YAML with short-form tags, and JSON): a literal in a resource property
 * becomes the dynamic reference `{{resolve:secretsmanager:<name>:SecretString:<key>}}`, which
 * CloudFormation resolves while it deploys (./cloudformation-dynamic-reference.ts). A parameter's
 * literal `Default` is deleted and every `!Ref` / `{"Ref": ...}` of that parameter in resource
 * properties takes the dynamic reference instead, so the secret leaves the template and no deploy
 * has to pass it (./cloudformation-parameters.ts). Where a reference may go is decided in
 * ./cloudformation-places.ts.
 *
 * CloudFormation cannot read Vault: with the Vault backend every edit is manual, with the exact
 * steps (copy the secret into Secrets Manager, or pass it as a NoEcho parameter from a pipeline
 * that reads Vault).
 */
import { isMap, type Document, type YAMLMap } from 'yaml';
import { CLOUDFORMATION_TAGS } from '../../iac/yaml/walk.js';
import { isVaultTarget, type AwsTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import { referenceUri } from '../references.js';
import { dynamicReference, referenceProblem, replaceLiteral, type Planned } from './cloudformation-dynamic-reference.js';
import { planParameter, usagesOf, vaultDefaultReason } from './cloudformation-parameters.js';
import { displayPath, placeOf, placeProblem } from './cloudformation-places.js';
import { applySplices, shiftedOffset, splicesOverlap, type Splice } from './splices.js';
import type { RewriteContext, RewriteEdit, RewriteResult, Rewriter } from './types.js';
import { locateScalar, mapChildAt, parseYaml, parseYamlDocuments, scalarStartingAt } from './yaml-edit.js';

export { dynamicReference };

/** CloudFormation refuses a template with more dynamic references than this. */
export const MAX_DYNAMIC_REFERENCES = 60;

function describe(target: StoreTarget, backend: PlanBackend): string {
  return referenceUri(target, backend);
}

function vaultReasons(text: string, edits: RewriteEdit[], context: RewriteContext): RewriteResult {
  const docs = parseYamlDocuments(text, CLOUDFORMATION_TAGS);
  const manual = edits.map((edit) => {
    const uri = describe(edit.target, context.backend);
    const located = docs.length === 1 ? locateScalar(docs, text, edit.start, edit.end) : undefined;
    const path = located?.steps.map((s) => s.key) ?? (edit.location.context?.path ?? '').split('.');
    if (path[0] === 'Parameters' && path[2] === 'Default' && path.length === 3 && isVaultTarget(edit.target)) {
      return { edit, reason: vaultDefaultReason(located?.doc.contents, path[1], edit.target, uri, context.backend) };
    }
    return {
      edit,
      reason:
        `CloudFormation cannot read Vault: copy the secret from ${uri} into AWS Secrets Manager and write '{{resolve:secretsmanager:<name>:SecretString:<key>}}' here ` +
        `(or migrate this template with the aws-secrets-manager backend), or pass it in as a NoEcho parameter from a deploy pipeline that reads Vault`,
    };
  });
  return { text, manual, notes: [] };
}

function looksLikeJson(text: string): boolean {
  if (!/^\s*[{[]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export const cloudformationRewriter: Rewriter = {
  name: 'cloudformation-dynamic-reference',
  accepts(location) {
    // Also with Vault: the rewrite then says exactly how to get the secret to CloudFormation.
    return location.context?.format === 'cloudformation';
  },
  rewrite(text, edits, context): RewriteResult {
    if (context.backend.type === 'vault') return vaultReasons(text, edits, context);
    const manual: RewriteResult['manual'] = [];
    const allManual = (reason: string): RewriteResult => ({ text, manual: edits.map((edit) => ({ edit, reason })), notes: [] });
    const json = looksLikeJson(text);
    const docs = parseYaml(text, CLOUDFORMATION_TAGS);
    if (!docs || docs.length !== 1 || !isMap(docs[0].contents)) {
      return allManual(`the template does not parse as ${json ? 'JSON' : 'YAML'}: fix it, then run vaultsweep migrate again`);
    }
    const doc: Document.Parsed = docs[0];
    const root = doc.contents as YAMLMap;

    interface Change extends Planned {
      edits: RewriteEdit[];
      /** Where the secret now comes from, for the notes. */
      paths: string[];
      parameter?: string;
      target: AwsTarget;
    }
    const changes: Change[] = [];
    const byParameter = new Map<string, RewriteEdit[]>();

    for (const edit of edits) {
      if (isVaultTarget(edit.target)) {
        manual.push({ edit, reason: `the plan sends this secret to Vault (${describe(edit.target, context.backend)}), which CloudFormation cannot read: give it a Secrets Manager target in the plan` });
        continue;
      }
      const target = edit.target;
      const problem = referenceProblem(target);
      if (problem) {
        manual.push({ edit, reason: problem });
        continue;
      }
      const located = locateScalar(docs, text, edit.start, edit.end);
      if (!located) {
        manual.push({ edit, reason: 'the literal is not a value of the template (a key, or inside an alias): replace it by hand' });
        continue;
      }
      const path = located.steps.map((s) => s.key);
      if (path[0] === 'Parameters' && path.length === 3 && path[2] === 'Default') {
        byParameter.set(path[1], [...(byParameter.get(path[1]) ?? []), edit]);
        continue;
      }
      const place = placeOf(root, located.node) ?? { path, enclosing: [] };
      const where = placeProblem(root, place, target.name);
      if (where) {
        manual.push({ edit, reason: where });
        continue;
      }
      const ref = dynamicReference(target);
      const planned = replaceLiteral(located.node, edit, ref, text, json);
      if (typeof planned === 'string') {
        manual.push({ edit, reason: planned });
        continue;
      }
      changes.push({ ...planned, edits: [edit], paths: [displayPath(root, path)], target });
    }

    for (const [parameter, paramEdits] of byParameter) {
      const planned = planParameter(root, parameter, paramEdits, text, json);
      if (typeof planned === 'string') {
        paramEdits.forEach((edit) => manual.push({ edit, reason: planned }));
        continue;
      }
      changes.push({ ...planned, edits: paramEdits, parameter, target: paramEdits[0].target as AwsTarget });
    }

    // Two changes touching the same text (a literal inside a parameter's use) cannot both be made.
    const accepted: Change[] = [];
    for (const change of changes) {
      if (splicesOverlap([...accepted.flatMap((c) => c.splices), ...change.splices])) {
        change.edits.forEach((edit) => manual.push({ edit, reason: 'another replacement in this template touches the same text: replace this literal by hand' }));
      } else accepted.push(change);
    }
    const splices = accepted.flatMap((c) => c.splices);
    const out = applySplices(text, splices);

    const total = (out.match(/\{\{resolve:/g) ?? []).length;
    if (total > MAX_DYNAMIC_REFERENCES) {
      return {
        text,
        manual: [
          ...manual,
          ...accepted.flatMap((c) => c.edits.map((edit) => ({ edit, reason: `the template would hold ${total} dynamic references and CloudFormation allows ${MAX_DYNAMIC_REFERENCES}: split the stack, then run vaultsweep migrate again` }))),
        ],
        notes: [],
      };
    }
    if (!verify(out, json, accepted, splices)) {
      return {
        text,
        manual: [...manual, ...accepted.flatMap((c) => c.edits.map((edit) => ({ edit, reason: `the rewritten template would not parse as ${json ? 'JSON' : 'YAML'}: replace the literal with '${dynamicReference(c.target)}' by hand` })))],
        notes: [],
      };
    }
    return { text: out, manual, notes: notesFor(context.file, accepted, out) };
  },
};

/** Re-parses the result and checks that every replaced value reads back as written and every removed Default is gone. */
function verify(out: string, json: boolean, changes: Planned[], splices: readonly Splice[]): boolean {
  if (json) {
    try {
      JSON.parse(out);
    } catch {
      return false;
    }
  }
  const docs = parseYaml(out, CLOUDFORMATION_TAGS);
  if (!docs || docs.length !== 1) return false;
  for (const change of changes) {
    for (const { at, value } of change.expect) {
      const found = scalarStartingAt(docs[0].contents, shiftedOffset(at, splices));
      if (found?.value !== value) return false;
    }
    for (const path of change.gone ?? []) if (mapChildAt(docs[0].contents, ...path) !== undefined) return false;
  }
  return true;
}

function notesFor(file: string, changes: { paths: string[]; parameter?: string; target: AwsTarget }[], out: string): string[] {
  if (!changes.length) return [];
  const notes: string[] = [];
  const names = [...new Set(changes.map((c) => c.target.name))];
  notes.push(
    `${file}: CloudFormation resolves the dynamic references with the permissions of whoever deploys the stack (or its service role): it needs secretsmanager:GetSecretValue on ${names.join(', ')} ` +
      `(and kms:Decrypt for a customer-managed key). A changed secret reaches a resource only when a stack update changes that resource.`,
  );
  const docs = parseYamlDocuments(out, CLOUDFORMATION_TAGS);
  const root = docs[0]?.contents;
  for (const change of changes) {
    if (!change.parameter) continue;
    const p = change.parameter;
    const stillUsed = root ? usagesOf(root, p, out).length > 0 : true;
    notes.push(
      stillUsed
        ? `${file}: Parameters.${p} has no Default any more: every deploy must now pass a value for it.`
        : `${file}: Parameters.${p} is no longer used and has no Default: delete it from Parameters (until then every deploy must pass a value for it). ` +
            `A value that a deploy passes for ${p} (--parameter-overrides, samconfig.toml, a pipeline) is ignored now: every environment reads ${change.target.name}#${change.target.key}.`,
    );
  }
  const env = changes.flatMap((c) => c.paths).filter((p) => /(?:^|\.)Environment(?:\.|$)/.test(p));
  if (env.length) {
    notes.push(
      `${file}: ${env.join(', ')} ${env.length > 1 ? 'are environment variables: their' : 'is an environment variable: its'} resolved value shows in the Lambda or ECS console and API to anyone who may read the function or task definition; ` +
        `for ECS prefer the container's Secrets (ValueFrom: the secret's ARN), for Lambda read the secret at run time.`,
    );
  }
  return notes;
}
