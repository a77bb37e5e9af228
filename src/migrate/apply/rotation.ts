import type { Plan } from '../plan/schema.js';
import type { RotationEntry } from './types.js';

/**
 * Every secret that reached a commit is still in git history after the migration, readable by
 * anyone with a clone: it must be rotated. Secrets never committed (only in the working tree) are not listed.
 */
export function rotationList(plan: Plan, migrated: Set<string>): RotationEntry[] {
  const entries: RotationEntry[] = [];
  for (const secret of plan.secrets) {
    const commits = secret.history.commits;
    if (!commits.length && !secret.history.firstSeen) continue;
    entries.push({ id: secret.id, rule: secret.rule, redacted: secret.redacted, migrated: migrated.has(secret.id), commits, firstSeen: secret.history.firstSeen });
  }
  for (const secret of plan.historyOnly) {
    const commits = secret.history.commits.length ? secret.history.commits : [...new Set(secret.locations.map((l) => l.commit))];
    entries.push({ id: secret.id, rule: secret.rule, redacted: secret.redacted, migrated: false, commits, firstSeen: secret.history.firstSeen });
  }
  return entries;
}
