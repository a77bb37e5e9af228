import { SEVERITIES, type Severity } from '../detect/rule.js';
import type { Finding, FindingLocation } from '../findings/types.js';
import { writeChunks } from './output.js';
import type { Reporter, ReportOptions } from './types.js';

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const DIM = '\x1b[2m';
const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '\x1b[1;31m', // bold red
  high: '\x1b[31m', // red
  medium: '\x1b[33m', // yellow
  low: '\x1b[36m', // cyan
  info: '\x1b[34m', // blue
};

/**
 * Control characters from the scanned repository (an escape sequence in a file name, an author or
 * a secret) are shown as `\xNN`, never sent to the terminal.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function compareLocations(a: FindingLocation | undefined, b: FindingLocation | undefined): number {
  if (!a || !b) return (a ? 0 : 1) - (b ? 0 : 1);
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return a.line - b.line || a.column - b.column;
}

/** Critical first, then by rule id, then by where the secret first appears. */
export function compareFindings(a: Finding, b: Finding): number {
  const bySeverity = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  if (bySeverity !== 0) return bySeverity;
  if (a.rule !== b.rule) return a.rule < b.rule ? -1 : 1;
  return compareLocations(a.locations[0], b.locations[0]);
}

/** `terraform resource.aws_db_instance.ledger.password`, `kubernetes data.DB_PASSWORD (base64)`, `python API_KEY`. */
function formatContext(context: Record<string, unknown>): string {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const format = str(context.format);
  const where = str(context.path) || str(context.key);
  const kind = format === 'code' ? str(context.language) || 'code' : format === 'text' ? '' : format;
  const encoded = context.encoding ? ` (${str(context.encoding)})` : '';
  return [kind, where].filter(Boolean).join(' ') + (kind || where ? encoded : '');
}

function findingBlock(finding: Finding, options: ReportOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${RESET}` : text);
  const shown = options.showSecrets && finding.secret !== undefined ? finding.secret : finding.redacted;
  const count = plural(finding.locations.length, 'location');
  const lines = [
    `${paint(SEVERITY_COLOR[finding.severity], finding.severity.toUpperCase().padEnd(8))}  ` +
      `${paint(BOLD, printable(finding.rule))}  ${printable(shown)}  (${count})`,
    `  ${printable(finding.description)} (${finding.inWorktree ? 'in working tree' : 'history only'})`,
  ];
  for (const location of finding.locations) {
    let line = `    ${printable(location.file)}:${location.line}:${location.column}`;
    if (location.commit !== null) {
      const when = location.date;
      const date = when && /^\d{4}-\d{2}-\d{2}/.test(when) ? when.slice(0, 10) : when;
      const provenance = ['commit', location.commit.slice(0, 8), date, location.author].filter(Boolean).join(' ');
      line += `  ${paint(DIM, printable(provenance))}`;
    }
    const context = location.context ? formatContext(location.context) : '';
    if (context) line += `  ${paint(DIM, printable(context))}`;
    lines.push(line);
  }
  return `${lines.join('\n')}\n\n`;
}

/** `3 secrets (1 critical, 2 high) in 5 locations; 2 in the working tree, 1 only in history` */
export function summaryLine(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no secrets found';
  const bySeverity = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const locations = findings.reduce((sum, f) => sum + f.locations.length, 0);
  const inWorktree = findings.filter((f) => f.inWorktree).length;
  return (
    `${plural(findings.length, 'secret')} (${bySeverity.join(', ')}) in ${plural(locations, 'location')}; ` +
    `${inWorktree} in the working tree, ${findings.length - inWorktree} only in history`
  );
}

function* textChunks(findings: readonly Finding[], options: ReportOptions): Generator<string> {
  for (const finding of [...findings].sort(compareFindings)) yield findingBlock(finding, options);
  yield `${options.color ? `${BOLD}${summaryLine(findings)}${RESET}` : summaryLine(findings)}\n`;
  for (const note of options.notes) {
    const line = `note: ${printable(note)}`;
    yield `${options.color ? `${DIM}${line}${RESET}` : line}\n`;
  }
}

/** `--format text`: for a person at a terminal, one block per secret, most severe first. */
export const textReporter: Reporter = (findings, out, options) => writeChunks(out, textChunks(findings, options));
