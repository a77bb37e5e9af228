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
    } else if (provenance) {
      const current = entry.finding.locations[existing];
      if ((current.date ?? '') > provenance.date) entry.finding.locations[existing] = location;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Findings in a stable order, with inWorktree and firstSeen filled. */
  findings(options: { showSecrets: boolean }): Finding[] {
    const out: Finding[] = [];
    for (const { finding, secret } of this.entries.values()) {
      const locations = [...finding.locations].sort(compareLocations);
      const history = locations.filter((l) => l.commit !== null);
      const earliest = history.reduce<FindingLocation | null>((a, l) => (!a || (l.date ?? '') < (a.date ?? '') ? l : a), null);
      out.push({
        ...finding,
        ...(options.showSecrets ? { secret } : {}),
        inWorktree: locations.some((l) => l.commit === null),
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
    (a.date ?? '').localeCompare(b.date ?? '') ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column
  );
}
