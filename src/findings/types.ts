import type { DetectorKind, Severity } from '../detect/rule.js';

/** Where a chunk of bytes came from. `commit` is null for the working tree, stdin and plain files. */
export interface Provenance {
  commit: string;
  date: string; // ISO 8601
  author: string; // "Name <email>"
}

/** One occurrence of a secret: 1-based positions of the secret itself in that file version. */
export interface FindingLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  commit: string | null;
  date?: string;
  author?: string;
  /** Structural context in IaC files (filled by src/iac). */
  context?: Record<string, unknown>;
}

/** One unique secret (rule + secret bytes) with every place it lives. */
export interface Finding {
  id: string;
  rule: string;
  detector: DetectorKind;
  severity: Severity;
  description: string;
  secretSha256: string;
  redacted: string;
  /** Only present when the user asked for secrets (`--show-secrets`). */
  secret?: string;
  inWorktree: boolean;
  firstSeen: Provenance | null;
  locations: FindingLocation[];
}
