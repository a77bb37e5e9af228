import type { WriteOutcome } from '../backends/types.js';

export type SecretStatus =
  /** Stored, read back equal, and every automatic location rewritten. */
  | 'migrated'
  /** A re-run: the store already held it and its files were already rewritten. */
  | 'already-migrated'
  /** Dry run: what apply would do. */
  | 'would-migrate'
  /** The plan says `action: skip`. */
  | 'skipped'
  /** The plan says `action: false-positive`: its id is in `.vaultsweepignore`. */
  | 'false-positive'
  /** The store holds another value under the key and --on-conflict skip was given. */
  | 'conflict-skipped'
  /** Something the user must look at: the reason says what. Nothing was removed from a file. */
  | 'stopped';

export interface ManualStep {
  where: string;
  what: string;
}

export interface SecretReport {
  id: string;
  rule: string;
  redacted?: string;
  target: string;
  status: SecretStatus;
  outcome?: WriteOutcome | 'would-create' | 'would-update' | 'would-conflict' | 'unchanged';
  reason?: string;
  /** `file:line` of every literal replaced in this run (or that a dry run would replace). */
  rewritten: string[];
  manual: ManualStep[];
}

export interface RotationEntry {
  id: string;
  rule: string;
  redacted?: string;
  migrated: boolean;
  commits: string[];
  firstSeen: { commit: string; date: string; author: string } | null;
}

export interface ApplyReport {
  secrets: SecretReport[];
  notes: string[];
  rotation: RotationEntry[];
  interrupted: boolean;
  /** 0: done; 2: at least one secret needs the user (stopped, conflict). */
  exitCode: 0 | 2;
}

/** What apply reports while it works (the CLI prints it, the TUI draws it). */
export type ApplyEvent =
  | { type: 'secret-start'; id: string; target: string }
  | { type: 'secret-end'; report: SecretReport }
  | { type: 'file-rewritten'; file: string; literals: number }
  | { type: 'note'; message: string };
