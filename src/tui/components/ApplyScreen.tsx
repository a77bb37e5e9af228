import { Box, Text } from 'ink';
import { colour, fit, type Colour } from '../theme.js';
import { printable, wrapText } from './ReviewScreen.js';

export type ApplyState = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface ApplyItem {
  id: string;
  rule: string;
  redacted: string;
  target: string;
  state: ApplyState;
  detail?: string;
}

const MARKS: Record<ApplyState, { mark: string; colour?: Colour }> = {
  done: { mark: '✓', colour: 'green' },
  failed: { mark: '✗', colour: 'red' },
  running: { mark: '…', colour: 'cyan' },
  pending: { mark: '·', colour: 'gray' },
  skipped: { mark: '-', colour: 'yellow' },
};

interface ApplyLine {
  item: number;
  text: string;
  state: ApplyState;
  isDetail: boolean;
}

/** One line per secret; a failure's detail goes on the next lines (wrapped), other details after the target. */
function applyLines(items: ApplyScreenProps['items'], width: number): ApplyLine[] {
  return items.flatMap((item, index) => {
    const detail = item.detail ? printable(item.detail) : '';
    const head = `${MARKS[item.state].mark} ${item.rule} ${item.redacted} → ${item.target}`;
    if (item.state === 'failed' && detail) {
      const details = wrapText(detail, Math.max(8, width - 4)).map((text) => ({ item: index, text: `    ${text}`, state: item.state, isDetail: true }));
      return [{ item: index, text: head, state: item.state, isDetail: false }, ...details];
    }
    return [{ item: index, text: detail ? `${head} (${detail})` : head, state: item.state, isDetail: false }];
  });
}

export function applyCounts(items: ApplyScreenProps['items']): string {
  const count = (state: ApplyState) => items.filter((item) => item.state === state).length;
  const parts = [`${count('done')} of ${items.length} done`];
  for (const state of ['failed', 'skipped', 'running', 'pending'] as const) if (count(state)) parts.push(`${count(state)} ${state}`);
  return parts.join(' · ');
}

export interface ApplyScreenProps {
  items: ApplyItem[];
  width: number;
  height: number;
}

export function ApplyScreen({ items, width, height }: ApplyScreenProps) {
  const lines = applyLines(items, width);
  const rows = Math.max(1, height - 1);
  // Follow the work: the last item that has started stays in view, with the one after it.
  const current = items.reduce((last, item, index) => (item.state === 'pending' ? last : index), 0);
  const currentEnd = lines.reduce((last, line, index) => (line.item === current ? index : last), 0);
  const start = Math.max(0, Math.min(currentEnd + 2 - rows, lines.length - rows));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {fit(applyCounts(items), width)}
      </Text>
      {lines.slice(start, start + rows).map((line, index) => {
        const { colour: markColour } = MARKS[line.state];
        const text = fit(line.text, width);
        if (line.isDetail)
          return (
            <Text key={start + index} color={colour('red')} wrap="truncate">
              {text}
            </Text>
          );
        return (
          <Text key={start + index} wrap="truncate" bold={line.state === 'running'}>
            <Text color={markColour ? colour(markColour) : undefined}>{text.slice(0, 1)}</Text>
            {text.slice(1)}
          </Text>
        );
      })}
    </Box>
  );
}
