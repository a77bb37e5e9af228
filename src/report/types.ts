import type { Writable } from 'node:stream';
import type { Finding } from '../findings/types.js';
import type { Severity } from '../detect/rule.js';

export const REPORT_FORMATS = ['text', 'json', 'jsonl', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What a reporter knows of a rule besides the findings (SARIF lists the rules that fired). */
export interface RuleInfo {
  id: string;
  description: string;
  severity: Severity;
  provider?: string;
}

export interface ReportOptions {
  /** Colours (text only): true on a TTY unless NO_COLOR is set. */
  color: boolean;
  /** Findings carry `secret` when the user asked for secrets; reporters print it only then. */
  showSecrets: boolean;
  rules: ReadonlyMap<string, RuleInfo>;
  /** Notes from the scan (skipped files, submodules, parse failures), for formats that carry them. */
  notes: readonly string[];
  toolVersion: string;
  /** Repository root the finding paths are relative to (SARIF originalUriBaseIds). */
  root: string;
}

/** A reporter takes findings and a stream and knows nothing else. */
export type Reporter = (findings: readonly Finding[], out: Writable, options: ReportOptions) => Promise<void>;
