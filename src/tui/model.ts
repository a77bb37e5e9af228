import type { Severity } from '../detect/rule.js';
import type { Finding } from '../findings/types.js';
import type { StoreTarget } from '../migrate/plan/schema.js';

/**
 * What the interactive migrator shows and decides, apart from how it is drawn: one row per
 * unique secret, the user's decision for it, and the list's sort, filter and search.
 */

export type Action = 'migrate' | 'false-positive' | 'skip';

export interface Decision {
  action?: Action;
  /** Where it goes when migrated: the plan's default, edited by the user. */
  target: StoreTarget;
  /** Why it is a false positive (written to .vaultsweepignore). */
  reason?: string;
}

export interface Row {
  id: string;
  severity: Severity;
  rule: string;
  redacted: string;
  /** `file:line` of the first working-tree location, or `history only (<commit>)`. */
  where: string;
  inHead: boolean;
  locations: number;
  /** The format of the first location with a context (`terraform`, `dotenv`, `code`...). */
  format?: string;
  finding: Finding;
}

export type SortKey = 'severity' | 'rule' | 'path' | 'locations';
export const SORT_KEYS: SortKey[] = ['severity', 'rule', 'path', 'locations'];

export type Scope = 'all' | 'head' | 'history';
export const SCOPES: Scope[] = ['all', 'head', 'history'];

export interface ListView {
  sort: SortKey;
  scope: Scope;
  /** Only this severity, when set. */
  severity?: Severity;
  /** Case-insensitive text matched against rule, file paths, format and redacted value. */
  search: string;
}

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function rowOf(finding: Finding): Row {
  const head = finding.locations.filter((l) => l.commit === null);
  const first = head[0] ?? finding.locations[0];
  const where = head.length ? `${first.file}:${first.line}` : `history only (${(first?.commit ?? '').slice(0, 7)})`;
  const format = finding.locations.map((l) => (l.context as { format?: string } | undefined)?.format).find((f) => f && f !== 'text');
  return {
    id: finding.id,
    severity: finding.severity,
    rule: finding.rule,
    redacted: finding.redacted,
    where,
    inHead: head.length > 0,
    locations: finding.locations.length,
    format,
    finding,
  };
}

function matches(row: Row, search: string): boolean {
  if (!search) return true;
  const needle = search.toLowerCase();
  return [row.rule, row.where, row.format ?? '', row.redacted, ...row.finding.locations.map((l) => l.file)].some((text) => text.toLowerCase().includes(needle));
}

/** The rows the list shows, in order. */
export function visibleRows(rows: readonly Row[], view: ListView): Row[] {
  const shown = rows.filter(
    (row) => (view.scope === 'all' || (view.scope === 'head') === row.inHead) && (!view.severity || row.severity === view.severity) && matches(row, view.search),
  );
  const byPath = (a: Row, b: Row) => a.where.localeCompare(b.where);
  const compare: Record<SortKey, (a: Row, b: Row) => number> = {
    severity: (a, b) => (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) || byPath(a, b),
    rule: (a, b) => a.rule.localeCompare(b.rule) || byPath(a, b),
    path: byPath,
    locations: (a, b) => b.locations - a.locations || byPath(a, b),
  };
  return shown.sort(compare[view.sort]);
}

/** The next value in a cycle (sort keys, scopes, severities with "any"). */
export function cycle<T>(values: readonly T[], current: T): T {
  return values[(values.indexOf(current) + 1) % values.length];
}
