import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ListScreen, listColumns, type ListScreenProps } from '../../../src/tui/components/ListScreen.js';
import type { Finding } from '../../../src/findings/types.js';
import { rowOf, type Decision, type Row } from '../../../src/tui/model.js';
import { historyFinding, secretFinding, SHOWN_SECRET, worktreeFinding } from '../../report/sample-findings.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;
const INVERSE = '\u001b[7m';

function finding(index: number, overrides: Partial<Finding> = {}): Finding {
  return {
    ...worktreeFinding,
    id: `f-${index}`,
    rule: `rule-${index}`,
    locations: [{ file: `src/file-${index}.ts`, line: index + 1, column: 1, endLine: index + 1, endColumn: 9, commit: null }],
    ...overrides,
  };
}

const vaultTarget = { mount: 'secret', path: 'repo/x', key: 'K' };

function props(overrides: Partial<ListScreenProps> = {}): ListScreenProps {
  const rows = [worktreeFinding, historyFinding, secretFinding].map(rowOf);
  return {
    rows,
    total: 5,
    decisions: new Map<string, Decision>([
      [worktreeFinding.id, { action: 'migrate', target: vaultTarget }],
      [historyFinding.id, { action: 'false-positive', target: vaultTarget, reason: 'test fixture' }],
    ]),
    cursor: 0,
    selected: new Set([historyFinding.id]),
    view: { sort: 'severity', scope: 'all', search: '' },
    searching: false,
    width: 80,
    height: 24,
    ...overrides,
  };
}

function lines(frame: string | undefined): string[] {
  return strip(frame ?? '').split('\n').map((line) => line.trimEnd());
}

describe('ListScreen', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows the header, the column titles and one line per secret with mark, badge and columns', () => {
    const shown = lines(render(<ListScreen {...props()} />).lastFrame());
    expect(shown[0]).toBe('3 of 5 secrets · sort: severity · scope: all · severity: any');
    expect(shown[1]).toMatch(/^ {6}SEVERITY RULE +VALUE +WHERE +LOCS$/);
    expect(shown[2]).toMatch(/^\[ \] M critical aws-secret-access-key wJal…EKEY config\/app\.env:3 +2$/);
    expect(shown[3]).toMatch(/^\[x\] F high +github-pat +ghp_…x9Qz +history only \(c0ffee0\) +1$/);
    expect(shown[4]).toMatch(/^\[ \] · high +generic-password +Tr0…ing +deploy\/\.env:7 +1$/);
    expect(shown).toHaveLength(5);
  });

  it('shows the format column when the width allows', () => {
    const shown = lines(render(<ListScreen {...props({ width: 100 })} />).lastFrame());
    expect(shown[1]).toMatch(/ LOCS FORMAT$/);
    expect(shown[3]).toMatch(/history only \(c0ffee0\) +1 terraform$/);
  });

  it('names the scope, severity filter and search, with a cursor while typing', () => {
    const view = { sort: 'rule' as const, scope: 'history' as const, severity: 'high' as const, search: 'gh' };
    const header = render(<ListScreen {...props({ view, searching: true })} />).lastFrame()!.split('\n')[0];
    expect(strip(header)).toBe('3 of 5 secrets · sort: rule · scope: history only · severity: high · /gh ');
    expect(header).toContain(`${INVERSE} `);
    const done = lines(render(<ListScreen {...props({ view: { ...view, scope: 'head' } })} />).lastFrame())[0];
    expect(done).toBe('3 of 5 secrets · sort: rule · scope: in HEAD · severity: high · /gh');
  });

  it('marks the cursor row with inverse across the whole width', () => {
    const frame = render(<ListScreen {...props({ cursor: 1 })} />).lastFrame()!;
    const rows = frame.split('\n');
    expect(rows[3].startsWith(INVERSE)).toBe(true);
    expect(strip(rows[3])).toHaveLength(80);
    expect(rows[2]).not.toContain(INVERSE);
  });

  it('fits 80 columns by shortening and then dropping the format column first', () => {
    const long = finding(1, {
      rule: 'long-rule-name-for-tokens',
      redacted: 'abcd…wxyz',
      locations: [{ file: 'infrastructure/modules/db/main.tf', line: 120, column: 1, endLine: 120, endColumn: 5, commit: null, context: { format: 'github-actions' } }],
    });
    const rows: Row[] = [rowOf(long)];
    expect(listColumns(rows, 140).format).toBe(14);
    expect(listColumns(rows, 80).format).toBe(0);
    const shown = lines(render(<ListScreen {...props({ rows, width: 80 })} />).lastFrame());
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(80);
    expect(shown[1]).not.toContain('FORMAT');
    expect(shown[2]).toContain('long-rule-name-for-tokens');
    expect(shown[2]).toMatch(/ …\/modules\/db\/main\.tf:120 +1$/);
    // ink-testing-library's terminal is 100 columns wide
    const wider = lines(render(<ListScreen {...props({ rows, width: 100 })} />).lastFrame());
    expect(wider[2]).toMatch(/ infrastructure\/modules\/db\/main\.tf:120 +1 githu…$/);
    expect(wider[2]).toHaveLength(100);
  });

  it('keeps every line within a narrow width', () => {
    const shown = lines(render(<ListScreen {...props({ width: 40, view: { sort: 'severity', scope: 'all', search: 'x'.repeat(60) } })} />).lastFrame());
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('scrolls so the cursor row stays within the height', () => {
    const rows = Array.from({ length: 60 }, (_, index) => rowOf(finding(index)));
    for (const cursor of [0, 7, 30, 59]) {
      const frame = render(<ListScreen {...props({ rows, total: 60, cursor, height: 10, decisions: new Map(), selected: new Set() })} />).lastFrame()!;
      const frameLines = frame.split('\n');
      expect(frameLines).toHaveLength(10);
      const cursorLine = frameLines.find((line) => line.startsWith(INVERSE));
      expect(strip(cursorLine!)).toContain(`rule-${cursor} `);
    }
    const top = lines(render(<ListScreen {...props({ rows, total: 60, cursor: 2, height: 10 })} />).lastFrame());
    expect(top[2]).toContain('rule-0 ');
    const bottom = lines(render(<ListScreen {...props({ rows, total: 60, cursor: 59, height: 10 })} />).lastFrame());
    expect(bottom[9]).toContain('rule-59 ');
  });

  it('says when nothing matches and how to clear the search', () => {
    const searched = lines(render(<ListScreen {...props({ rows: [], view: { sort: 'severity', scope: 'all', search: 'zzz' } })} />).lastFrame());
    expect(searched[0]).toContain('0 of 5 secrets');
    expect(searched[1]).toBe('No secrets match /zzz — Esc clears the search.');
    const filtered = lines(render(<ListScreen {...props({ rows: [], view: { sort: 'severity', scope: 'head', search: '' } })} />).lastFrame());
    expect(filtered[1]).toContain('No secrets match');
    const none = lines(render(<ListScreen {...props({ rows: [], total: 0 })} />).lastFrame());
    expect(none[1]).toBe('No secrets found.');
  });

  it('never shows a secret value', () => {
    expect(render(<ListScreen {...props()} />).lastFrame()).not.toContain(SHOWN_SECRET);
  });

  it('colours severities, and under NO_COLOR keeps only inverse and bold', () => {
    expect(render(<ListScreen {...props()} />).lastFrame()).toMatch(COLOUR_CODE);
    process.env.NO_COLOR = '1';
    const frame = render(<ListScreen {...props()} />).lastFrame()!;
    expect(frame).not.toMatch(COLOUR_CODE);
    expect(frame).toContain(INVERSE);
    expect(strip(frame)).toContain('critical');
  });
});
