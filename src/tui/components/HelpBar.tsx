import { Box, Text } from 'ink';
import { fit } from '../theme.js';

export type HelpScreen = 'list' | 'details' | 'edit' | 'reason' | 'review' | 'applying' | 'summary' | 'scanning';

type KeyHint = [keys: string, what: string];

/** The main keys per screen, most useful first: hints that do not fit the width are left off whole. */
const MAIN_KEYS: Record<HelpScreen, KeyHint[]> = {
  list: [
    ['enter', 'details'],
    ['m', 'migrate'],
    ['f', 'false pos.'],
    ['s', 'skip'],
    ['r', 'review'],
    ['?', 'keys'],
    ['q', 'quit'],
    ['space', 'select'],
    ['/', 'search'],
    ['e', 'edit target'],
    ['w', 'save plan'],
  ],
  details: [
    ['esc', 'back'],
    ['r', 'reveal/hide'],
    ['m', 'migrate'],
    ['f', 'false pos.'],
    ['s', 'skip'],
    ['e', 'edit target'],
    ['↑↓', 'scroll'],
  ],
  edit: [
    ['tab', 'next field'],
    ['shift-tab', 'previous'],
    ['enter', 'save'],
    ['esc', 'cancel'],
  ],
  reason: [
    ['enter', 'confirm (may be empty)'],
    ['esc', 'cancel'],
  ],
  review: [
    ['y', 'apply'],
    ['n', 'back'],
    ['↑↓ PgUp PgDn', 'scroll'],
  ],
  applying: [['', 'applying — wait until it finishes']],
  summary: [
    ['↑↓', 'scroll'],
    ['q', 'quit'],
  ],
  scanning: [['ctrl-c', 'quit']],
};

const SEPARATOR = ' · ';

function hintText([keys, what]: KeyHint): string {
  return keys ? `${keys} ${what}` : what;
}

/** One line of the main keys for a screen. */
export function HelpBar({ screen, width }: { screen: HelpScreen; width: number }) {
  const shown: KeyHint[] = [];
  let used = 0;
  for (const hint of MAIN_KEYS[screen]) {
    const cost = hintText(hint).length + (shown.length ? SEPARATOR.length : 0);
    if (used + cost > width) break;
    shown.push(hint);
    used += cost;
  }
  if (!shown.length) return <Text wrap="truncate">{fit(hintText(MAIN_KEYS[screen][0]), width)}</Text>;
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {shown.map(([keys, what], index) => (
          <Text key={keys + what}>
            {index ? SEPARATOR : ''}
            {keys ? <Text bold>{keys}</Text> : null}
            {keys ? ' ' : ''}
            {what}
          </Text>
        ))}
      </Text>
    </Box>
  );
}

interface KeySection {
  title: string;
  keys: KeyHint[];
}

/** Every key the migrator understands, by screen. */
export const KEY_SECTIONS: KeySection[] = [
  {
    title: 'List',
    keys: [
      ['↑↓ k j', 'move'],
      ['PgUp PgDn', 'page'],
      ['enter', 'details'],
      ['space', 'select'],
      ['a', 'select all shown'],
      ['m', 'migrate'],
      ['f', 'false positive'],
      ['s', 'skip'],
      ['u', 'undecide'],
      ['e', 'edit target'],
      ['b', 'store: Vault or AWS SM'],
      ['o', 'sort'],
      ['v', 'scope: all/in HEAD/history'],
      ['l', 'severity filter'],
      ['/', 'search (esc clears)'],
      ['r', 'review & apply'],
      ['w', 'save plan and quit'],
      ['?', 'keys'],
      ['q', 'quit without changes'],
    ],
  },
  {
    title: 'Details',
    keys: [
      ['r', 'reveal/hide secret'],
      ['m', 'migrate'],
      ['f', 'false positive'],
      ['s', 'skip'],
      ['e', 'edit target'],
      ['↑↓', 'scroll'],
      ['esc', 'back'],
    ],
  },
  {
    title: 'Review',
    keys: [
      ['y', 'apply'],
      ['n esc', 'back'],
      ['↑↓ PgUp PgDn', 'scroll'],
    ],
  },
  {
    title: 'Summary',
    keys: [
      ['↑↓', 'scroll'],
      ['q', 'quit'],
    ],
  },
  {
    title: 'Editing a target or reason',
    keys: [
      ['tab ↑↓', 'next/previous field'],
      ['enter', 'save'],
      ['esc', 'cancel'],
    ],
  },
];

type KeyMapLine = { kind: 'title'; text: string } | { kind: 'key'; keys: string; what: string } | { kind: 'blank' };

/**
 * Sections flow into columns of `rows` lines; a section that fits a fresh column is not split.
 * Columns that do not fit the width are left off (the last shown line then says so).
 */
function layoutColumns(rows: number): KeyMapLine[][] {
  const columns: KeyMapLine[][] = [[]];
  for (const section of KEY_SECTIONS) {
    const block: KeyMapLine[] = [{ kind: 'title', text: section.title }, ...section.keys.map(([keys, what]) => ({ kind: 'key' as const, keys, what }))];
    let column = columns[columns.length - 1];
    const needed = block.length + (column.length ? 1 : 0);
    if (column.length && column.length + needed > rows && block.length <= rows) {
      column = [];
      columns.push(column);
    }
    if (column.length) column.push({ kind: 'blank' });
    for (const line of block) {
      if (column.length >= rows) {
        column = [];
        columns.push(column);
      }
      column.push(line);
    }
  }
  return columns;
}

const KEY_COLUMN = 13;
const MIN_COLUMN_WIDTH = 30;

/** The full key map, in as many columns as the height needs and the width allows. */
export function KeyMap({ width, height }: { width: number; height: number }) {
  const rows = Math.max(1, height - 1);
  const columns = layoutColumns(rows);
  const fitting = Math.max(1, Math.min(columns.length, Math.floor(width / MIN_COLUMN_WIDTH)));
  const shown = columns.slice(0, fitting);
  const columnWidth = Math.floor(width / shown.length);
  const cut = fitting < columns.length;
  const keyWidth = Math.min(KEY_COLUMN, Math.floor(columnWidth / 2));
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {fit(cut ? 'Keys (more than fits this terminal)' : 'Keys', width)}
      </Text>
      <Box>
        {shown.map((column, index) => (
          <Box key={index} flexDirection="column" width={columnWidth}>
            {column.map((line, row) => {
              if (line.kind === 'blank') return <Text key={row}> </Text>;
              if (line.kind === 'title')
                return (
                  <Text key={row} bold underline wrap="truncate">
                    {fit(line.text, columnWidth - 1)}
                  </Text>
                );
              return (
                <Text key={row} wrap="truncate">
                  <Text bold>{fit(line.keys, keyWidth - 1).padEnd(keyWidth)}</Text>
                  {fit(line.what, columnWidth - keyWidth - 1)}
                </Text>
              );
            })}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
