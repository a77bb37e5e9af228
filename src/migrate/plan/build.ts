import type { Finding, FindingLocation } from '../../findings/types.js';
import { rewriteStrategy } from '../rewrite/index.js';
import { awsSafeName, defaultKey, resourceSegments, segment, TargetAllocator } from './names.js';
import { PLAN_VERSION, RewriteOptionsSchema, type RewriteOptions, type Plan, type PlanBackend, type PlanLocation, type PlanSecret, type HistoryOnlySecret } from './schema.js';

export interface PlanOptions {
  backend: PlanBackend;
  /** The repository's name: the second segment of default store paths. */
  repository: string;
  /** First segment(s) of default store paths, e.g. `apps` or `team/payments`. */
  prefix?: string;
  /** Also migrate secrets found only in history (their values are read from git). */
  includeHistoryOnly: boolean;
  rewriteOptions?: Partial<RewriteOptions>;
}

function planLocation(location: FindingLocation, backend: PlanBackend): PlanLocation {
  const base = {
    file: location.file,
    line: location.line,
    column: location.column,
    endLine: location.endLine,
    endColumn: location.endColumn,
    commit: location.commit,
    ...(location.context ? { context: location.context as PlanLocation['context'] } : {}),
    rewrite: 'manual',
  };
  return { ...base, rewrite: rewriteStrategy(base as PlanLocation, backend) };
}

function historyOf(finding: Finding): PlanSecret['history'] {
  const commits = [...new Set(finding.locations.filter((l) => l.commit).map((l) => l.commit as string))];
  return { firstSeen: finding.firstSeen, commits };
}

/** Where a secret goes by default: from its first working-tree location (or its first at all). */
function defaultTarget(finding: Finding, options: PlanOptions, allocator: TargetAllocator): PlanSecret['target'] {
  const anchor = [...finding.locations].sort((a, b) => Number(a.commit !== null) - Number(b.commit !== null) || a.file.localeCompare(b.file) || a.line - b.line)[0];
  const prefix = (options.prefix ?? '').split('/').map(segment).filter(Boolean);
  const path = [...prefix, segment(options.repository) || 'repository', ...resourceSegments(anchor)].join('/');
  if (options.backend.type === 'vault') {
    const key = allocator.allocate(`${options.backend.mount}/${path}`, defaultKey(anchor, finding.rule), finding.secretSha256);
    return { mount: options.backend.mount, path, key };
  }
  const name = awsSafeName(path);
  return { name, key: allocator.allocate(name, defaultKey(anchor, finding.rule), finding.secretSha256) };
}

/**
 * A plan from scan findings: every secret still in the working tree is migrated (history-only
 * ones only when asked), each to a default target a person can edit; history-only secrets are
 * listed for rotation. No value goes into the plan.
 */
export function buildPlan(findings: Finding[], options: PlanOptions): Plan {
  const allocator = new TargetAllocator();
  const secrets: PlanSecret[] = [];
  const historyOnly: HistoryOnlySecret[] = [];
  const ordered = [...findings].sort((a, b) => {
    const fa = a.locations[0];
    const fb = b.locations[0];
    return (fa?.file ?? '').localeCompare(fb?.file ?? '') || (fa?.line ?? 0) - (fb?.line ?? 0) || a.id.localeCompare(b.id);
  });
  for (const finding of ordered) {
    const inTree = finding.locations.filter((l) => l.commit === null);
    if (!inTree.length && !options.includeHistoryOnly) {
      historyOnly.push({
        id: finding.id,
        rule: finding.rule,
        secretSha256: finding.secretSha256,
        redacted: finding.redacted,
        locations: finding.locations
          .filter((l) => l.commit)
          .slice(0, 20)
          .map((l) => ({ file: l.file, commit: l.commit as string, line: l.line, column: l.column, endLine: l.endLine, endColumn: l.endColumn, ...(l.context ? { context: l.context as PlanLocation['context'] } : {}) })),
        history: historyOf(finding),
      });
      continue;
    }
    // Worktree secrets: only their working-tree locations are rewritten; history is listed for rotation.
    const locations = inTree.length ? inTree : finding.locations.filter((l) => l.commit).slice(0, 1);
    secrets.push({
      id: finding.id,
      action: 'migrate',
      rule: finding.rule,
      description: finding.description,
      secretSha256: finding.secretSha256,
      redacted: finding.redacted,
      target: defaultTarget(finding, options, allocator),
      locations: locations.map((l) => planLocation(l, options.backend)),
      history: historyOf(finding),
    });
  }
  return {
    version: PLAN_VERSION,
    createdAt: new Date().toISOString(),
    repository: options.repository,
    backend: options.backend,
    rewriteOptions: RewriteOptionsSchema.parse(options.rewriteOptions ?? {}),
    secrets,
    historyOnly,
  };
}
