import { Box, Text } from 'ink';
import type { Action, Decision, ListView, Row, Scope } from '../model.js';
import { colour, fit, SEVERITY_COLOUR, type Colour } from '../theme.js';
import { printable } from './ReviewScreen.js';

export interface ListScreenProps {
  /** Already filtered and sorted (visibleRows). */
  rows: Row[];
  total: number;
  decisions: ReadonlyMap<string, Decision>;
  cursor: number;
  selected: ReadonlySet<string>;
  view: ListView;
  searching: boolean;
  width: number;
  height: number;
}

const SCOPE_WORDS: Record<Scope, string> = { all: 'all', head: 'in HEAD', history: 'history only' };
const BADGES: Record<Action, string> = { migrate: 'M', 'false-positive': 'F', skip: 'S' };
const BADGE_COLOURS: Record<Action, Colour> = { migrate: 'green', 'false-positive': 'blue', skip: 'yellow' };

/** Lines above the rows: the summary line and the column titles. */
const HEADER_LINES = 2;

/** How many rows one screen shows (for PgUp/PgDn). */
export function listPageSize(height: number): number {
  return Math.max(1, height - HEADER_LINES);
}

/** The first row shown: the cursor stays in the middle of the window once the list scrolls. */
export function listWindowStart(count: number, cursor: number, pageSize: number): number {
  return Math.max(0, Math.min(cursor - Math.floor(pageSize / 2), count - pageSize));
}

interface Segment {
  text: string;
  colour?: Colour;
  bold?: boolean;
  inverse?: boolean;
}

/** Cuts a line made of segments to `width` columns; an ellipsis in the last column shows the cut. */
function fitSegments(segments: Segment[], width: number): Segment[] {
  if (segments.reduce((sum, s) => sum + s.text.length, 0) <= width) return segments;
  const out: Segment[] = [];
  let room = width;
  for (const segment of segments) {
    if (room <= 0) break;
    if (segment.text.length < room) {
      out.push(segment);
      room -= segment.text.length;
      continue;
    }
    out.push({ ...segment, text: `${segment.text.slice(0, room - 1)}…` });
    break;
  }
  return out;
}

/** A path is most useful by its end, from a folder boundary when one is near: `…/db/main.tf:12`. */
function fitEnd(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  const tail = text.slice(text.length - width + 1);
  const slash = tail.indexOf('/');
  return `…${slash > 0 && slash < tail.length / 3 ? tail.slice(slash) : tail}`;
}

function cell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const cut = fit(text, width);
  return align === 'right' ? cut.padStart(width) : cut.padEnd(width);
}

export interface ListColumns {
  rule: number;
  redacted: number;
  where: number;
  /** 0: the format column is left off. */
  format: number;
}

// `[x] M critical ` before the rule, ` LOCS` after the place: fixed whatever the width.
const FIXED_WIDTH = 4 + 2 + 9 + 5;
const LOCATIONS_WIDTH = 4;

/**
 * Column widths for a terminal width: each column as wide as its longest value (capped), then,
 * while the row is too wide, the format column shrinks and goes first, then where, rule, value.
 */
export function listColumns(rows: readonly Row[], width: number): ListColumns {
  const longest = (values: string[], title: string, cap: number) => Math.min(cap, Math.max(title.length, ...values.map((v) => v.length)));
  const columns: ListColumns = {
    rule: longest(rows.map((r) => r.rule), 'RULE', 32),
    redacted: longest(rows.map((r) => r.redacted), 'VALUE', 20),
    where: longest(rows.map((r) => r.where), 'WHERE', 60),
    format: longest(rows.map((r) => r.format ?? ''), 'FORMAT', 14),
  };
  const used = () => FIXED_WIDTH + columns.rule + 1 + columns.redacted + 1 + columns.where + (columns.format ? columns.format + 1 : 0);
  const steps: [keyof ListColumns, number][] = [
    ['format', 6],
    ['format', 0],
    ['where', 24],
    ['rule', 20],
    ['redacted', 12],
    ['where', 12],
    ['rule', 12],
    ['redacted', 8],
    ['where', 6],
    ['rule', 6],
    ['redacted', 4],
  ];
  for (const [column, floor] of steps) {
    const over = used() - width;
    if (over <= 0) break;
    if (floor === 0) columns[column] = 0;
    else columns[column] = Math.max(floor, Math.min(columns[column], columns[column] - over));
  }
  return columns;
}

function listHeader(shown: number, total: number, view: ListView, searching: boolean): Segment[] {
  const summary = `${shown} of ${total} secrets · sort: ${view.sort} · scope: ${SCOPE_WORDS[view.scope]} · severity: ${view.severity ?? 'any'}`;
  const segments: Segment[] = [{ text: summary, bold: true }];
  if (view.search || searching) segments.push({ text: ` · /${printable(view.search)}` });
  if (searching) segments.push({ text: ' ', inverse: true });
  return segments;
}

function rowSegments(row: Row, decision: Decision | undefined, selected: boolean, columns: ListColumns): Segment[] {
  const action = decision?.action;
  const segments: Segment[] = [
    { text: selected ? '[x] ' : '[ ] ' },
    { text: action ? BADGES[action] : '·', colour: action ? BADGE_COLOURS[action] : undefined, bold: Boolean(action) },
    { text: ' ' },
    { text: cell(row.severity, 8), colour: SEVERITY_COLOUR[row.severity] },
    { text: ` ${cell(row.rule, columns.rule)} ${cell(printable(row.redacted), columns.redacted)} ${fitEnd(printable(row.where), columns.where).padEnd(columns.where)} ` },
    { text: cell(String(row.locations), LOCATIONS_WIDTH, 'right') },
  ];
  if (columns.format) segments.push({ text: ` ${cell(row.format ?? '', columns.format)}` });
  return segments;
}

function titleLine(columns: ListColumns): string {
  const titles = `      SEVERITY ${cell('RULE', columns.rule)} ${cell('VALUE', columns.redacted)} ${cell('WHERE', columns.where)} ${cell('LOCS', LOCATIONS_WIDTH, 'right')}`;
  return columns.format ? `${titles} ${cell('FORMAT', columns.format)}` : titles;
}

function Line({ segments, width, inverse = false }: { segments: Segment[]; width: number; inverse?: boolean }) {
  const fitted = fitSegments(segments, width);
  const used = fitted.reduce((sum, s) => sum + s.text.length, 0);
  // The cursor bar spans the whole width, so it reads as a bar without colour too.
  if (inverse && used < width) fitted.push({ text: ' '.repeat(width - used) });
  return (
    <Text wrap="truncate" inverse={inverse}>
      {fitted.map((segment, index) => (
        <Text key={index} color={segment.colour ? colour(segment.colour) : undefined} bold={segment.bold} inverse={segment.inverse}>
          {segment.text}
        </Text>
      ))}
    </Text>
  );
}

function emptyMessage(total: number, view: ListView): string {
  if (total === 0) return 'No secrets found.';
  if (view.search) return `No secrets match /${printable(view.search)} — Esc clears the search.`;
  return 'No secrets match the scope and severity filter — v and l change them.';
}

export function ListScreen({ rows, total, decisions, cursor, selected, view, searching, width, height }: ListScreenProps) {
  const header = <Line segments={listHeader(rows.length, total, view, searching)} width={width} />;
  if (!rows.length) {
    return (
      <Box flexDirection="column" width={width}>
        {header}
        <Text wrap="truncate">{fit(emptyMessage(total, view), width)}</Text>
      </Box>
    );
  }
  const columns = listColumns(rows, width);
  const pageSize = listPageSize(height);
  const at = Math.max(0, Math.min(cursor, rows.length - 1));
  const start = listWindowStart(rows.length, at, pageSize);
  const shown = rows.slice(start, start + pageSize);
  return (
    <Box flexDirection="column" width={width}>
      {header}
      <Line segments={[{ text: titleLine(columns), bold: true }]} width={width} />
      {shown.map((row, index) => (
        <Line
          key={row.id}
          segments={rowSegments(row, decisions.get(row.id), selected.has(row.id), columns)}
          width={width}
          inverse={start + index === at}
        />
      ))}
    </Box>
  );
}
