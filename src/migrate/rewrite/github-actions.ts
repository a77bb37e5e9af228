/**
 * GitHub Actions workflows: a literal in `env` (workflow, job, step, container or service level),
 * a step's `with:` input, a container's `credentials` or a reusable workflow call's `secrets:`
 * becomes `${{ secrets.NAME }}`, NAME being the key upper-snake-cased. The repository secret
 * itself is created from the store by the user (`… | gh secret set NAME`), which the notes give.
 */
import { isScalar, type YAMLMap } from 'yaml';
import type { PlanBackend, StoreTarget } from '../plan/schema.js';
import type { Splice } from './splices.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';
import { isBlockScalar, mapPair, parseYaml } from './yaml-edit.js';
import {
  REPARSE_FAILED,
  UNPARSABLE,
  allManual,
  coversWholeValue,
  firstFreeName,
  replaceScalar,
  sameTarget,
  scalarSiteAt,
  spliceAndCheck,
  storeReadCommand,
  upperSnake,
  type ScalarCheck,
} from './yaml-scalars.js';

/**
 * A valid secret name for a key: letters, digits and underscores, not starting with a digit or
 * with `GITHUB_` (reserved): `api_token` → `API_TOKEN`, `GITHUB_PAT` → `GH_PAT`.
 */
export function secretNameFor(key: string): string {
  let name = upperSnake(key) || 'SECRET';
  if (name.startsWith('GITHUB_')) name = `GH_${name.slice('GITHUB_'.length)}`;
  else if (name === 'GITHUB') name = 'GH';
  if (/^\d/.test(name)) name = `_${name}`;
  return name;
}

/** Where in a workflow a key sits: whether `${{ secrets.X }}` may be written there. */
function placeOf(keys: readonly (string | number)[]): 'env' | 'step-with' | 'credentials' | 'call-secrets' | 'call-with' | 'other' {
  const parent = keys[keys.length - 2];
  if (parent === 'env') return 'env';
  if (keys[0] === 'jobs' && keys.length === 4 && parent === 'secrets') return 'call-secrets';
  if (keys[0] === 'jobs' && keys.length === 4 && parent === 'with') return 'call-with';
  if (parent === 'with' && keys[0] === 'jobs' && keys[2] === 'steps') return 'step-with';
  if (parent === 'credentials') return 'credentials';
  return 'other';
}

/** A step's `id` or `name`, to name a secret found in its script. */
function stepLabel(step: YAMLMap | undefined): string | undefined {
  if (!step) return undefined;
  for (const field of ['id', 'name']) {
    const value = mapPair(step, field)?.value;
    if (isScalar(value) && typeof value.value === 'string' && value.value.trim()) return value.value;
  }
  return undefined;
}

/** `secrets.NAME` and `secrets['NAME']` already read by the workflow. */
function secretsInUse(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/\bsecrets\s*(?:\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\[\s*'([^']+)'\s*\])/g)) names.add((m[1] ?? m[2]).toUpperCase());
  return names;
}

/** The step that creates repository secret NAME from the store. */
export function ghSecretSetCommand(name: string, target: StoreTarget, backend: PlanBackend): string {
  return `${storeReadCommand(target, backend)} | gh secret set ${name}`;
}

export const githubActionsRewriter: Rewriter = {
  name: 'github-actions-secret',
  accepts(location) {
    return location.context?.format === 'github-actions';
  },
  rewrite(text, edits, context): RewriteResult {
    const docs = parseYaml(text);
    if (!docs) return allManual(text, edits, UNPARSABLE);
    const manual: RewriteResult['manual'] = [];
    const splices: Splice[] = [];
    const checks: ScalarCheck[] = [];
    const applied: { edit: RewriteEdit; name: string }[] = [];
    const inUse = secretsInUse(text);
    const taken = new Map<string, StoreTarget>();
    /** NAME, else `<JOB>_NAME`, else numbered: never a secret the workflow already reads, never one name for two values. */
    const allocate = (base: string, job: string | undefined, target: StoreTarget): string => {
      const name = firstFreeName([base, ...(job ? [`${secretNameFor(job)}_${base}`] : [])], (candidate) => {
        const held = taken.get(candidate);
        return held ? sameTarget(held, target) : !inUse.has(candidate);
      });
      taken.set(name, target);
      return name;
    };
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const site = scalarSiteAt(docs, edit.start, edit.end);
      if (!site) {
        manual.push({ edit, reason: 'the literal is not a YAML value of this file: replace it by hand' });
        continue;
      }
      const keys = site.keys;
      const key = String(keys[keys.length - 1]);
      const job = keys[0] === 'jobs' && typeof keys[1] === 'string' ? keys[1] : undefined;
      const path = edit.location.context?.path || keys.join('.');
      const place = placeOf(keys);
      const script = key === 'run';
      const base =
        script ? `${secretNameFor(stepLabel(site.map) ?? job ?? 'workflow')}_SECRET`
        // `container.credentials.password`: a registry's password.
        : place === 'credentials' ? secretNameFor(`registry_${key}`)
        : secretNameFor(typeof keys[keys.length - 1] === 'number' ? (edit.location.context?.key ?? 'SECRET') : key);
      const hint = `create that secret: \`${ghSecretSetCommand(base, edit.target, context.backend)}\``;
      if (script) {
        manual.push({ edit, reason: `the secret is in the script of ${path}: add ${base}: \${{ secrets.${base} }} to this step's env:, write \${${base}} in place of the literal (shell), and ${hint}` });
        continue;
      }
      if (place === 'call-with') {
        manual.push({ edit, reason: `${path} is an input of a reusable workflow, where secrets cannot be read: declare ${key} under on.workflow_call.secrets in the called workflow, pass it under this job's secrets: as \${{ secrets.${base} }}, and ${hint}` });
        continue;
      }
      if (place === 'other') {
        manual.push({ edit, reason: `${path} cannot read secrets: move the value to the env: of the job or step that uses it as ${base}: \${{ secrets.${base} }}, and ${hint}` });
        continue;
      }
      if (!coversWholeValue(site, text, edit)) {
        manual.push({ edit, reason: `the secret is part of a longer value in ${path}: replace only the secret inside it with \${{ secrets.${base} }} and ${hint}` });
        continue;
      }
      if (isBlockScalar(site.node)) {
        manual.push({ edit, reason: `${path} is a multi-line block value: replace the whole block with \${{ secrets.${base} }} and ${hint}` });
        continue;
      }
      const name = allocate(base, job, edit.target);
      const value = `\${{ secrets.${name} }}`;
      // The quotes stay as they were; a plain expression is valid YAML outside flow collections.
      const splice = replaceScalar(site, text, value, true);
      splices.push(splice);
      checks.push({ at: splice.from, value });
      applied.push({ edit, name });
    }
    if (!applied.length) return { text, manual, notes: [] };
    const out = spliceAndCheck(text, docs.length, splices, checks);
    if (out === undefined) return allManual(text, applied.map((a) => a.edit), REPARSE_FAILED, manual);
    const notes = [...new Map(applied.map((a) => [a.name, a.edit.target])).entries()].map(
      ([name, target]) => `${context.file}: create the repository secret ${name} from the store (before the workflow runs again): \`${ghSecretSetCommand(name, target, context.backend)}\``,
    );
    return { text: out, manual, notes };
  },
};
