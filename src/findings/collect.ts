import type { CompiledRule } from '../detect/compile.js';
import type { RawMatch } from '../detect/scan-buffer.js';
import { findingId, redact, sha256Hex } from './fingerprint.js';
import type { Finding, FindingLocation, Provenance } from './types.js';

interface Entry {
  finding: Finding;
  secret: string;
  /** location key → index in finding.locations, to keep one location per place. */
  places: Map<string, number>;
}

/**
 * Deduplicates matches into findings: one per rule + secret bytes, with every place it lives.
 * History locations keep one entry per file: the earliest commit that brought the secret there.
 */
export class FindingCollector {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly rules: readonly CompiledRule[]) {}

  add(match: RawMatch, file: string, provenance: Provenance | null, context?: Record<string, unknown>): void {
    const rule = this.rules[match.rule];
    const secretSha256 = sha256Hex(match.secret);
    const id = findingId(rule.id, secretSha256);
    let entry = this.entries.get(id);
    if (!entry) {
      const secret = match.secret.toString('utf8');
      entry = {
        secret,
        places: new Map(),
        finding: {
          id,
          rule: rule.id,
          detector: rule.detector,
          severity: rule.severity,
          description: rule.description,
          secretSha256,
          redacted: redact(secret),
          inWorktree: false,
          firstSeen: null,
          locations: [],
        },
      };
      this.entries.set(id, entry);
    }
    const location: FindingLocation = {
      file,
      line: match.line,
      column: match.column,
      endLine: match.endLine,
      endColumn: match.endColumn,
      commit: provenance ? provenance.commit : null,
    };
    if (provenance) {
      location.date = provenance.date;
      location.author = provenance.author;
    }
    if (context) location.context = context;
    const place = provenance ? `h\0${file}` : `w\0${file}\0${match.line}\0${match.column}`;
    const existing = entry.places.get(place);
    if (existing === undefined) {
      entry.places.set(place, entry.finding.locations.length);
      entry.finding.locations.push(location);
    } else if (provenance && introducedEarlier(location, entry.finding.locations[existing])) {
      entry.finding.locations[existing] = location;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Findings in a stable order, with inWorktree and firstSeen filled. `stillPresent` answers for
   * scans that do not read the working tree (a commit range): is this secret still in one of
   * these files?
   */
  findings(options: { showSecrets: boolean; stillPresent?: (secret: string, files: string[]) => boolean }): Finding[] {
    const out: Finding[] = [];
    for (const { finding, secret } of this.entries.values()) {
      const locations = [...finding.locations].sort(compareLocations);
      const history = locations.filter((l) => l.commit !== null);
      const earliest = history.reduce<FindingLocation | null>((a, l) => (!a || epoch(l.date) < epoch(a.date) ? l : a), null);
      const inWorktree =
        locations.some((l) => l.commit === null) || (options.stillPresent?.(secret, [...new Set(locations.map((l) => l.file))]) ?? false);
      out.push({
        ...finding,
        ...(options.showSecrets ? { secret } : {}),
        inWorktree,
        firstSeen: earliest ? { commit: earliest.commit!, date: earliest.date ?? '', author: earliest.author ?? '' } : null,
        locations,
      });
    }
    return out.sort((a, b) => compareLocations(a.locations[0], b.locations[0]) || a.rule.localeCompare(b.rule) || a.id.localeCompare(b.id));
  }
}

/** Working tree first, then history by date; within each by file and position. */
function compareLocations(a: FindingLocation, b: FindingLocation): number {
  if ((a.commit === null) !== (b.commit === null)) return a.commit === null ? -1 : 1;
  return (
    epoch(a.date) - epoch(b.date) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column
  );
}

/**
 * Whether `a` brought the secret in before `b`: the earlier date, and on the same date (a
 * cherry-pick or a rebase keeps its author date) the smaller commit id, then the earlier place,
 * so that the choice never depends on the order the history was walked in.
 */
function introducedEarlier(a: FindingLocation, b: FindingLocation): boolean {
  return (
    epoch(a.date) - epoch(b.date) ||
    (a.commit! < b.commit! ? -1 : a.commit! > b.commit! ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column
  ) < 0;
}

/** Dates carry their author's UTC offset: compare instants, not strings. */
function epoch(date: string | undefined): number {
  const t = date ? Date.parse(date) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
