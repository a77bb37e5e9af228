import { structuredPatch } from 'diff';
import { Box, Text } from 'ink';
import { colour, fit, type Colour } from '../theme.js';

export type ReviewLine = { kind: 'heading' | 'text' | 'add' | 'remove' | 'hunk' | 'context' | 'file' | 'warning'; text: string };

export interface ReviewInput {
  planInWords: string[];
  diffs: { file: string; before: string; after: string }[];
  warnings?: string[];
  /** Wrap plan sentences and warnings to this many columns (diff lines are cut, not wrapped). */
  width?: number;
  /** Secret values to replace in `before`/`after` before diffing, in case the caller has not. */
  masks?: { secret: string; shown: string }[];
}

// C0/C1 controls (an escape in a file would drive the terminal) and bidi overrides (would reorder the line).
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** A line of file content safe to draw: tabs expanded to stops of 4, CR dropped, controls replaced. */
export function printable(text: string): string {
  let out = '';
  for (const char of text.replace(/\r/g, '').replace(/\n/g, ' ').replace(UNPRINTABLE, '\ufffd')) {
    out += char === '\t' ? ' '.repeat(4 - (out.length % 4)) : char;
  }
  return out;
}

/** Word-wraps text to `width` columns, keeping its leading spaces; later lines start with `indent`. Long words are cut. */
export function wrapText(text: string, width: number, indent = ''): string[] {
  const clean = printable(text);
  const lead = /^ */.exec(clean)![0];
  const lines: string[] = [];
  let line = lead;
  let hasWord = false;
  for (const word of clean.slice(lead.length).split(/ +/).filter(Boolean)) {
    const candidate = hasWord ? `${line} ${word}` : `${line}${word}`;
    if (candidate.length <= width || !hasWord) {
      line = candidate;
    } else {
      lines.push(line);
      line = `${indent}${word}`;
    }
    hasWord = true;
    while (line.length > width && width > indent.length + 1) {
      lines.push(line.slice(0, width));
      line = indent + line.slice(width);
    }
  }
  lines.push(line);
  return lines;
}

function masked(text: string, masks: ReviewInput['masks']): string {
  return (masks ?? []).reduce((out, { secret, shown }) => (secret ? out.split(secret).join(shown) : out), text);
}

const DIFF_KINDS: Record<string, ReviewLine['kind']> = { '+': 'add', '-': 'remove', ' ': 'context', '\\': 'context' };

/** The review screen's lines: the plan in words, warnings, then a unified diff (3 lines of context) per file. */
export function reviewLines({ planInWords, diffs, warnings = [], width = Infinity, masks }: ReviewInput): ReviewLine[] {
  const wrap = (text: string, indent: string) => (Number.isFinite(width) ? wrapText(text, width, indent) : [printable(text)]);
  const lines: ReviewLine[] = [{ kind: 'heading', text: 'Plan' }];
  for (const sentence of planInWords) for (const text of wrap(sentence, '  ')) lines.push({ kind: 'text', text });
  if (warnings.length) {
    lines.push({ kind: 'text', text: '' }, { kind: 'heading', text: 'Warnings' });
    for (const warning of warnings) for (const text of wrap(`! ${warning}`, '  ')) lines.push({ kind: 'warning', text });
  }
  if (diffs.length) lines.push({ kind: 'text', text: '' }, { kind: 'heading', text: `Changes to ${diffs.length === 1 ? '1 file' : `${diffs.length} files`}` });
  for (const { file, before, after } of diffs) {
    const patch = structuredPatch(file, file, masked(before, masks), masked(after, masks), '', '', { context: 3 });
    const changed = patch.hunks.flatMap((hunk) => hunk.lines);
    const added = changed.filter((l) => l.startsWith('+')).length;
    const removed = changed.filter((l) => l.startsWith('-')).length;
    const label = before === '' ? ' (new file)' : after === '' ? ' (emptied)' : '';
    lines.push({ kind: 'text', text: '' }, { kind: 'file', text: `${printable(file)}${label}  +${added} -${removed}` });
    if (!patch.hunks.length) lines.push({ kind: 'text', text: '  no changes' });
    for (const hunk of patch.hunks) {
      // As `diff -u` writes it: an empty side starts at the line before (`@@ -0,0 +1,2 @@`).
      const oldStart = hunk.oldLines ? hunk.oldStart : hunk.oldStart - 1;
      const newStart = hunk.newLines ? hunk.newStart : hunk.newStart - 1;
      lines.push({ kind: 'hunk', text: `@@ -${oldStart},${hunk.oldLines} +${newStart},${hunk.newLines} @@` });
      // Tabs expand from the file's own first column, after the one-character prefix.
      for (const line of hunk.lines) lines.push({ kind: DIFF_KINDS[line[0]] ?? 'context', text: `${line[0]}${printable(line.slice(1))}` });
    }
  }
  return lines;
}

const KIND_COLOURS: Partial<Record<ReviewLine['kind'], Colour>> = { add: 'green', remove: 'red', hunk: 'cyan', warning: 'yellow' };

/** Rows of lines one screen shows (the footer takes the last row), for PgUp/PgDn and clamping `scroll`. */
export function reviewPageSize(height: number): number {
  return Math.max(1, height - 1);
}

/** `12–34 of 80` when the lines do not all fit, else ''. */
export function scrollPosition(start: number, shown: number, total: number): string {
  return total > shown ? `${start + 1}–${start + shown} of ${total}` : '';
}

export function ReviewScreen({ lines, scroll, width, height }: { lines: ReviewLine[]; scroll: number; width: number; height: number }) {
  const rows = reviewPageSize(height);
  const start = Math.max(0, Math.min(scroll, lines.length - rows));
  const shown = lines.slice(start, start + rows);
  const position = scrollPosition(start, shown.length, lines.length);
  const footer = `y apply · n back · ↑↓ PgUp PgDn scroll${position ? ` · ${position}` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((line, index) => {
        const kindColour = KIND_COLOURS[line.kind];
        return (
          <Text
            key={start + index}
            wrap="truncate"
            color={kindColour ? colour(kindColour) : undefined}
            bold={line.kind === 'heading' || line.kind === 'file'}
            underline={line.kind === 'heading'}
          >
            {fit(line.text, width) || ' '}
          </Text>
        );
      })}
      <Text bold wrap="truncate">
        {fit(footer, width)}
      </Text>
    </Box>
  );
}

/** The largest useful `scroll` for these lines. */
export function reviewMaxScroll(lines: readonly ReviewLine[], height: number): number {
  return Math.max(0, lines.length - reviewPageSize(height));
}
