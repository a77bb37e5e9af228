import type { PlanBackend, PlanLocation } from '../plan/schema.js';
import { dotenvRewriter } from './dotenv.js';
import type { Rewriter } from './types.js';

export type { RewriteEdit, RewriteResult, Rewriter } from './types.js';

/** Every rewriter, most specific first. A location no rewriter accepts is `manual`. */
export const REWRITERS: readonly Rewriter[] = [dotenvRewriter];

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
export function manualInstruction(location: PlanLocation, target: string): string {
  return `replace the literal with a reference to ${target} (no automatic rewrite for ${location.context?.format ?? 'this file'} yet)`;
}
