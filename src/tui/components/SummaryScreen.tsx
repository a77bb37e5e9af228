import { Box, Text } from 'ink';
import type { ApplyReport, SecretReport } from '../../migrate/apply/types.js';
import { colour, fit, type Colour } from '../theme.js';
import { printable, scrollPosition, wrapText } from './ReviewScreen.js';

export interface SummaryScreenProps {
  report: ApplyReport;
  falsePositives: number;
  planFile?: string;
  width: number;
  height: number;
  scroll: number;
}

interface SummaryLine {
  text: string;
  colour?: Colour;
  bold?: boolean;
  heading?: boolean;
}

const MOVED = new Set<SecretReport['status']>(['migrated', 'already-migrated', 'would-migrate']);
const STOPPED = new Set<SecretReport['status']>(['stopped', 'conflict-skipped']);

function secretName(secret: { rule: string; redacted?: string }): string {
  return printable([secret.rule, secret.redacted].filter(Boolean).join(' '));
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function movedWords(secret: SecretReport): string {
  if (secret.status === 'already-migrated') return 'already there, nothing to rewrite';
  const rewritten = plural(secret.rewritten.length, 'location');
  return secret.status === 'would-migrate' ? `would rewrite ${rewritten} (dry run)` : `rewrote ${rewritten}`;
}

function title(report: ApplyReport): SummaryLine {
  if (report.interrupted) return { text: 'Interrupted — this is what was done before it stopped', colour: 'yellow', bold: true };
  if (report.exitCode === 2) return { text: 'Done — some secrets need you: see Stopped', colour: 'yellow', bold: true };
  return { text: 'Done', colour: 'green', bold: true };
}

/** Every line of the summary, wrapped to `width`, before scrolling. */
export function summaryLines({ report, falsePositives, planFile, width }: Omit<SummaryScreenProps, 'height' | 'scroll'>): SummaryLine[] {
  const lines: SummaryLine[] = [title(report)];
  const wrapped = (text: string, indent: string, style: Omit<SummaryLine, 'text'> = {}) => {
    for (const line of wrapText(text, width, indent)) lines.push({ text: line, ...style });
  };
  const section = (name: string) => lines.push({ text: '' }, { text: name, bold: true, heading: true });

  section('What moved where');
  const moved = report.secrets.filter((s) => MOVED.has(s.status));
  if (!moved.length) lines.push({ text: '  nothing was moved' });
  for (const secret of moved) wrapped(`✓ ${secretName(secret)} → ${secret.target} · ${movedWords(secret)}`, '    ', { colour: 'green' });
  const skipped = report.secrets.filter((s) => s.status === 'skipped').length;
  if (skipped) lines.push({ text: `  ${plural(skipped, 'secret')} left in place (skip)` });

  const manual = report.secrets.filter((s) => s.manual.length);
  if (manual.length) {
    section('To do by hand');
    for (const secret of manual) {
      wrapped(`${secretName(secret)} → ${secret.target}`, '    ', { bold: true });
      for (const step of secret.manual) wrapped(`  - ${step.where}: ${step.what}`, '    ');
    }
  }

  const stopped = report.secrets.filter((s) => STOPPED.has(s.status));
  if (stopped.length) {
    section('Stopped');
    for (const secret of stopped) {
      wrapped(`✗ ${secretName(secret)} → ${secret.target}`, '    ', { colour: 'red' });
      const reason = secret.reason ?? (secret.status === 'conflict-skipped' ? 'the store holds another value under this key' : 'no reason given');
      wrapped(`  ${reason}`, '    ');
    }
  }

  if (report.notes.length) {
    section('Notes');
    for (const note of report.notes) wrapped(`- ${note}`, '  ');
  }

  if (report.rotation.length) {
    section('Rotate');
    wrapped('These values are in the git history, so anyone with a clone has them: issue new ones and revoke these.', '');
    for (const entry of report.rotation) {
      const commits = entry.commits.slice(0, 3).map((c) => c.slice(0, 7));
      const more = entry.commits.length > 3 ? ` (+${entry.commits.length - 3} more)` : '';
      const where = commits.length ? `in ${commits.join(', ')}${more}` : 'in the working tree';
      wrapped(`- ${secretName(entry)} · ${where} · ${entry.migrated ? 'migrated' : 'not migrated'}`, '    ', { colour: 'yellow' });
    }
  }

  if (falsePositives || planFile) lines.push({ text: '' });
  if (falsePositives) lines.push({ text: `${plural(falsePositives, 'false positive')} written to .vaultsweepignore` });
  if (planFile) wrapped(`Plan saved to ${planFile}`, '  ');
  return lines;
}

function rowsFor(height: number): number {
  return Math.max(1, height - 1);
}

/** The largest useful `scroll` (the footer takes the last row). */
export function summaryMaxScroll(props: Omit<SummaryScreenProps, 'scroll'>): number {
  return Math.max(0, summaryLines(props).length - rowsFor(props.height));
}

export function SummaryScreen(props: SummaryScreenProps) {
  const { width, height, scroll } = props;
  const lines = summaryLines(props);
  const rows = rowsFor(height);
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  const shown = lines.slice(start, start + rows);
  const position = scrollPosition(start, shown.length, lines.length);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((line, index) => (
        <Text key={start + index} wrap="truncate" bold={line.bold} underline={line.heading} color={line.colour ? colour(line.colour) : undefined}>
          {fit(line.text, width) || ' '}
        </Text>
      ))}
      <Text bold wrap="truncate">
        {fit(position ? `q quit · ↑↓ scroll · ${position}` : 'q quit', width)}
      </Text>
    </Box>
  );
}
