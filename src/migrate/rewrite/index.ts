import { describeTarget, type PlanBackend, type PlanLocation, type StoreTarget } from '../plan/schema.js';
import { ansibleRewriter } from './ansible.js';
import { cloudformationRewriter } from './cloudformation.js';
import { codeRewriter } from './code.js';
import { composeRewriter } from './compose.js';
import { dockerfileRewriter } from './dockerfile.js';
import { dotenvRewriter } from './dotenv.js';
import { githubActionsRewriter } from './github-actions.js';
import { helmRewriter } from './helm.js';
import { kubernetesRewriter } from './kubernetes.js';
import { propertiesRewriter } from './properties.js';
import { terraformManualInstruction, terraformRewriter, terraformVarsRewriter } from './terraform.js';
import type { Rewriter } from './types.js';

export type { RewriteEdit, RewriteResult, Rewriter } from './types.js';

/** Every rewriter, most specific first. A location no rewriter accepts is `manual`. */
export const REWRITERS: readonly Rewriter[] = [
  dotenvRewriter,
  terraformRewriter,
  terraformVarsRewriter,
  cloudformationRewriter,
  kubernetesRewriter,
  ansibleRewriter,
  githubActionsRewriter,
  composeRewriter,
  helmRewriter,
  dockerfileRewriter,
  propertiesRewriter,
  codeRewriter,
];

export const MANUAL = 'manual';
/** A location only in history: nothing in the working tree to rewrite. */
export const HISTORY_ONLY = 'none';

export function rewriteStrategy(location: PlanLocation, backend: PlanBackend): string {
  if (location.commit) return HISTORY_ONLY;
  return REWRITERS.find((r) => r.accepts(location, backend))?.name ?? MANUAL;
}

export function rewriterNamed(name: string): Rewriter | undefined {
  return REWRITERS.find((r) => r.name === name);
}

/** What to do by hand for a location no rewriter handles, by format. */
export function manualInstruction(location: PlanLocation, secret: { target: StoreTarget }, backend: PlanBackend): string {
  const target = describeTarget(secret.target);
  const terraform = terraformManualInstruction(location, secret.target, backend);
  if (terraform) return terraform;
  const key = location.context?.key || 'the variable';
  switch (location.context?.format) {
    case 'gitlab-ci':
      return `delete the literal and define ${key} as a masked, protected CI/CD variable (Settings > CI/CD > Variables) holding the value of ${target}, or read it with the job's secrets: keyword`;
    case 'pulumi':
      return `run \`pulumi config set --secret ${key}\` with the value of ${target}: Pulumi replaces the literal with an encrypted secure: value`;
    case 'serverless':
      return `replace the literal with a variable that reads the store, e.g. \${ssm:/aws/reference/secretsmanager/<name>} for ${target}`;
    default:
      return `replace the literal with a reference to ${target} (no automatic rewrite for ${location.context?.format ?? 'this file'})`;
  }
}
