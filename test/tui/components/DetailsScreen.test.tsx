import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DetailsScreen, detailsMaxScroll, type DetailsScreenProps, type Snippet } from '../../../src/tui/components/DetailsScreen.js';
import { rowOf } from '../../../src/tui/model.js';
import { FIRST_COMMIT, secretFinding, SHOWN_SECRET, worktreeFinding } from '../../report/sample-findings.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;

const snippets: Snippet[] = [
  {
    file: 'config/app.env',
    line: 3,
    commit: null,
    lines: [
      { number: 2, text: 'REGION=eu-west-1', hit: false },
      { number: 3, text: 'AWS_SECRET_ACCESS_KEY=wJal…EKEY', hit: true },
      { number: 4, text: '\tDEBUG=1\u001b[2J', hit: false },
    ],
  },
  {
    file: 'config/app.env',
    line: 2,
    commit: FIRST_COMMIT,
    author: 'Jane Doe <jane@example.com>',
    date: '2023-04-01T10:20:30Z',
    lines: [{ number: 2, text: 'AWS_SECRET_ACCESS_KEY=wJal…EKEY', hit: true }],
  },
];

function props(overrides: Partial<DetailsScreenProps> = {}): DetailsScreenProps {
  return {
    row: rowOf(worktreeFinding),
    decision: { action: 'migrate', target: { mount: 'secret', path: 'my-repo/aws', key: 'AWS_SECRET_ACCESS_KEY' } },
    snippets,
    scroll: 0,
    width: 80,
    height: 24,
    ...overrides,
  };
}

const text = (overrides: Partial<DetailsScreenProps> = {}) =>
  strip(render(<DetailsScreen {...props(overrides)} />).lastFrame()!)
    .split('\n')
    .map((line) => line.trimEnd());

describe('DetailsScreen', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows the rule, severity, redacted value, target, decision and each snippet', () => {
    const lines = text();
    expect(lines[0]).toBe('aws-secret-access-key — AWS secret access key');
    expect(lines).toContain('severity   critical');
    expect(lines).toContain('value      wJal…EKEY');
    expect(lines).toContain('target     secret/my-repo/aws#AWS_SECRET_ACCESS_KEY');
    expect(lines).toContain('decision   migrate');
    expect(lines).toContain('config/app.env:3');
    expect(lines).toContain('  2 │ REGION=eu-west-1');
    expect(lines).toContain('> 3 │ AWS_SECRET_ACCESS_KEY=wJal…EKEY');
    expect(lines).toContain('config/app.env:2 · commit 1a2b3c4 by Jane Doe on 2023-04-01');
    expect(lines).toContain('first seen commit 1a2b3c4 by Jane Doe on 2023-04-01');
  });

  it('draws file lines safely: tabs expanded, terminal controls replaced', () => {
    const frame = render(<DetailsScreen {...props()} />).lastFrame()!;
    expect(frame).not.toContain('\u001b[2J');
    expect(strip(frame)).toContain('  4 │     DEBUG=1\ufffd[2J');
  });

  it('shows the secret only when given, with the way to hide it', () => {
    expect(render(<DetailsScreen {...props({ row: rowOf(secretFinding) })} />).lastFrame()).not.toContain(SHOWN_SECRET);
    const lines = text({ row: rowOf(secretFinding), secret: SHOWN_SECRET });
    expect(lines).toContain('value      (revealed — press r to hide)');
    expect(lines).toContain(`           ${SHOWN_SECRET}`);
    expect(text({ secret: '' })).toContain('           (no value found)');
  });

  it('wraps a long or multi-line revealed secret instead of cutting it', () => {
    const secret = `-----BEGIN KEY-----\n${'A'.repeat(100)}\n-----END KEY-----`;
    const lines = text({ secret, height: 40 });
    expect(lines).toContain(`           ${'A'.repeat(69)}`);
    expect(lines).toContain(`           ${'A'.repeat(31)}`);
    expect(lines).toContain('           -----END KEY-----');
  });

  it('names each decision', () => {
    const target = props().decision.target;
    expect(text({ decision: { target } })).toContain('decision   undecided');
    expect(text({ decision: { action: 'false-positive', reason: 'test data', target } })).toContain('decision   false positive — test data');
    expect(text({ decision: { action: 'skip', target } })).toContain('decision   skip (leave it in place)');
  });

  it('scrolls within the height and says where it is', () => {
    const many: Snippet[] = Array.from({ length: 6 }, (_, index) => ({ ...snippets[0], line: index + 1 }));
    const all = text({ snippets: many, height: 100 });
    const max = detailsMaxScroll({ ...props({ snippets: many }), height: 10 });
    expect(max).toBe(all.length - 9);
    const first = text({ snippets: many, height: 10 });
    expect(first).toHaveLength(10);
    expect(first[0]).toContain('aws-secret-access-key');
    expect(first[9]).toBe(`1–9 of ${all.length} · ↑↓ scroll`);
    const later = text({ snippets: many, height: 10, scroll: 5 });
    expect(later[0]).toBe(all[5]);
    const end = text({ snippets: many, height: 10, scroll: 1000 });
    expect(end[8]).toBe(all[all.length - 1]);
  });

  it('keeps every line within the width', () => {
    const long: Snippet[] = [{ ...snippets[0], file: 'a/'.repeat(50) + 'x.env', lines: [{ number: 1, text: 'X='.repeat(80), hit: true }] }];
    for (const line of text({ snippets: long, width: 60 })) expect(line.length).toBeLessThanOrEqual(60);
  });

  it('uses no colour under NO_COLOR; the hit line keeps its > mark', () => {
    expect(render(<DetailsScreen {...props()} />).lastFrame()).toMatch(COLOUR_CODE);
    process.env.NO_COLOR = '1';
    const frame = render(<DetailsScreen {...props()} />).lastFrame()!;
    expect(frame).not.toMatch(COLOUR_CODE);
    expect(strip(frame)).toContain('> 3 │');
  });
});
