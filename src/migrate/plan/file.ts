import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument, stringify, type Document } from 'yaml';
import type { ZodIssue } from 'zod';
import { InputError } from '../../detect/load-rules.js';
import { writeFileAtomic } from '../atomic-write.js';
import { PlanSchema, describeTarget, type Plan } from './schema.js';

const HEADER = [
  'vaultsweep migration plan. Review it, edit targets or set `action: skip`, then run:',
  '  vaultsweep apply <this file>',
  'It holds no secret values: apply reads them from the files and checks them against secretSha256.',
];

/** The plan as YAML, with a header comment saying what to do with it. */
export function planToYaml(plan: Plan): string {
  const body = stringify(plan, { lineWidth: 0, aliasDuplicateObjects: false });
  return `${HEADER.map((l) => `# ${l}`).join('\n')}\n${body}`;
}

export function writePlan(file: string, plan: Plan): void {
  writeFileAtomic(file, planToYaml(plan), 0o644);
}

/** Where a zod issue points in the YAML file, as `line:column`. */
function placeOf(doc: Document, lines: LineCounter, issuePath: (string | number)[]): string {
  for (let n = issuePath.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(issuePath.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `${line}:${col}`;
    }
  }
  return '1:1';
}

function describeIssue(issue: ZodIssue): string {
  const where = issue.path.length ? issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') : 'plan';
  return `${where}: ${issue.message}`;
}

/** Checks a schema-valid plan cannot express: one store key holding two different secrets, repeated ids. */
function crossCheck(plan: Plan): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const ids = new Map<string, number>();
  const targets = new Map<string, { index: number; sha: string }>();
  const expected = plan.backend.type === 'vault' ? 'mount' : 'name';
  plan.secrets.forEach((secret, index) => {
    if (ids.has(secret.id)) problems.push({ path: ['secrets', index, 'id'], message: `repeats the id of secrets[${ids.get(secret.id)}]` });
    ids.set(secret.id, index);
    if (!(expected in secret.target)) {
      problems.push({
        path: ['secrets', index, 'target'],
        message: plan.backend.type === 'vault' ? 'a Vault target needs mount, path and key' : 'a Secrets Manager target needs name and key',
      });
      return;
    }
    if (secret.action !== 'migrate') return;
    const where = describeTarget(secret.target);
    const other = targets.get(where);
    if (other && other.sha !== secret.secretSha256) {
      problems.push({ path: ['secrets', index, 'target'], message: `${where} is also the target of secrets[${other.index}], a different secret: give one of them another key` });
    }
    if (!other) targets.set(where, { index, sha: secret.secretSha256 });
  });
  return problems;
}

/** Reads and validates a plan; every problem is reported with its line and column in the file. */
export function loadPlan(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read plan ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parsePlan(text, file);
}

export function parsePlan(text: string, file = 'plan'): Plan {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const first = doc.errors[0];
    const { line, col } = lines.linePos(first.pos[0]);
    throw new InputError(`${file}:${line}:${col}: not valid YAML: ${first.message.split('\n')[0]}`);
  }
  const parsed = PlanSchema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (!parsed.success) {
    const messages = parsed.error.issues.slice(0, 20).map((issue) => `${file}:${placeOf(doc, lines, issue.path)}: ${describeIssue(issue)}`);
    const more = parsed.error.issues.length > 20 ? `\n(and ${parsed.error.issues.length - 20} more)` : '';
    throw new InputError(`invalid plan:\n${messages.join('\n')}${more}`);
  }
  const problems = crossCheck(parsed.data);
  if (problems.length) {
    const messages = problems.map((p) => `${file}:${placeOf(doc, lines, p.path)}: ${p.path.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '')}: ${p.message}`);
    throw new InputError(`invalid plan:\n${messages.join('\n')}`);
  }
  return parsed.data;
}
