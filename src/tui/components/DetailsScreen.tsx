import { Box, Text } from 'ink';
import { describeTarget } from '../../migrate/plan/schema.js';
import type { Decision, Row } from '../model.js';
import { colour, fit, SEVERITY_COLOUR, type Colour } from '../theme.js';
import { printable, scrollPosition } from './ReviewScreen.js';

export interface Snippet {
  file: string;
  line: number;
  commit: string | null;
  author?: string;
  date?: string;
  /** The secret already masked by the caller. */
  lines: { number: number; text: string; hit: boolean }[];
}

export interface DetailsScreenProps {
  row: Row;
  decision: Decision;
  snippets: Snippet[];
  /** The clear value, only while the user has it revealed. */
  secret?: string;
  scroll: number;
  width: number;
  height: number;
}

interface DetailLine {
  text: string;
  colour?: Colour;
  bold?: boolean;
}

const LABEL_WIDTH = 11;

function labelled(label: string, value: string, style: Omit<DetailLine, 'text'> = {}): DetailLine {
  return { text: `${label.padEnd(LABEL_WIDTH)}${printable(value)}`, ...style };
}

/** `Jane Doe <jane@example.com>` → `Jane Doe`. */
function personName(author: string): string {
  return author.replace(/\s*<[^>]*>\s*$/, '') || author;
}

function day(date: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : date;
}

/** `commit 1a2b3c4 by Jane Doe on 2023-04-01`, leaving out what is not known. */
export function commitWords(commit: string, author?: string, date?: string): string {
  return [`commit ${commit.slice(0, 7)}`, author ? `by ${personName(author)}` : '', date ? `on ${day(date)}` : ''].filter(Boolean).join(' ');
}

function decisionWords(decision: Decision): string {
  switch (decision.action) {
    case 'migrate':
      return 'migrate';
    case 'false-positive':
      return decision.reason ? `false positive — ${decision.reason}` : 'false positive';
    case 'skip':
      return 'skip (leave it in place)';
    default:
      return 'undecided';
  }
}

/** A revealed secret is wrapped, not cut: the user asked to see all of it. */
function secretLines(secret: string, width: number): DetailLine[] {
  const room = Math.max(1, width - LABEL_WIDTH);
  const lines: DetailLine[] = [{ text: `${'value'.padEnd(LABEL_WIDTH)}(revealed — press r to hide)`, colour: 'yellow', bold: true }];
  // Nothing to show is said in words, not as a blank line that looks like a blank secret.
  if (!secret) return [...lines, { text: `${' '.repeat(LABEL_WIDTH)}(no value found)` }];
  for (const part of secret.split(/\r?\n/)) {
    const clean = printable(part);
    for (let at = 0; at === 0 || at < clean.length; at += room) lines.push({ text: `${' '.repeat(LABEL_WIDTH)}${clean.slice(at, at + room)}`, bold: true });
  }
  return lines;
}

function snippetLines(snippet: Snippet): DetailLine[] {
  const place = `${printable(snippet.file)}:${snippet.line}`;
  const lines: DetailLine[] = [{ text: snippet.commit ? `${place} · ${commitWords(snippet.commit, snippet.author, snippet.date)}` : place, bold: true }];
  const gutter = Math.max(...snippet.lines.map((l) => String(l.number).length), 1);
  for (const line of snippet.lines) {
    const text = `${line.hit ? '>' : ' '} ${String(line.number).padStart(gutter)} │ ${printable(line.text)}`;
    lines.push(line.hit ? { text, colour: 'yellow', bold: true } : { text });
  }
  return lines;
}

/** Every line of the details, before scrolling. */
export function detailsLines({ row, decision, snippets, secret, width }: Omit<DetailsScreenProps, 'scroll' | 'height'>): DetailLine[] {
  const finding = row.finding;
  const inTree = finding.locations.filter((l) => l.commit === null).length;
  const lines: DetailLine[] = [
    { text: printable(finding.description ? `${row.rule} — ${finding.description}` : row.rule), bold: true },
    labelled('severity', row.severity, { colour: SEVERITY_COLOUR[row.severity] }),
    ...(secret === undefined ? [labelled('value', row.redacted)] : secretLines(secret, width)),
    labelled('target', describeTarget(decision.target)),
    labelled('decision', decisionWords(decision)),
    labelled('found', `${row.locations} location${row.locations === 1 ? '' : 's'}, ${inTree} in the working tree`),
  ];
  if (finding.firstSeen) lines.push(labelled('first seen', commitWords(finding.firstSeen.commit, finding.firstSeen.author, finding.firstSeen.date)));
  if (!snippets.length) lines.push({ text: '' }, { text: 'No file lines to show.' });
  for (const snippet of snippets) lines.push({ text: '' }, ...snippetLines(snippet));
  return lines;
}

function scrollWindow(count: number, scroll: number, height: number): { start: number; rows: number } {
  const rows = count > height ? Math.max(1, height - 1) : height;
  return { start: Math.max(0, Math.min(scroll, count - rows)), rows };
}

/** The largest useful `scroll` for these props (the controller clamps with it). */
export function detailsMaxScroll(props: Omit<DetailsScreenProps, 'scroll'>): number {
  const count = detailsLines(props).length;
  return Math.max(0, count - scrollWindow(count, 0, props.height).rows);
}

export function DetailsScreen(props: DetailsScreenProps) {
  const { width, height, scroll } = props;
  const lines = detailsLines(props);
  const { start, rows } = scrollWindow(lines.length, scroll, height);
  const shown = lines.slice(start, start + rows);
  const position = scrollPosition(start, shown.length, lines.length);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((line, index) => (
        <Text key={start + index} wrap="truncate" bold={line.bold} color={line.colour ? colour(line.colour) : undefined}>
          {fit(line.text, width) || ' '}
        </Text>
      ))}
      {position ? <Text wrap="truncate">{fit(`${position} · ↑↓ scroll`, width)}</Text> : null}
    </Box>
  );
}
