import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReviewScreen, reviewLines, reviewMaxScroll, wrapText, type ReviewLine } from '../../../src/tui/components/ReviewScreen.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;

const before = ['# app settings', 'REGION=eu-west-1', 'DEBUG=0', 'NAME=app', 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'PORT=8080', 'HOST=0.0.0.0', 'A=1', 'B=2', 'C=3', 'D=4', ''].join('\n');
const after = before.replace('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '${AWS_SECRET_ACCESS_KEY}');

const input = {
  planInWords: ['Store 1 secret in Vault under secret/my-repo.', 'Rewrite 1 file to read it from the environment.'],
  diffs: [
    { file: 'config/app.env', before, after },
    { file: '.vaultsweepignore', before: '', after: '# false positives\nabc123\n' },
  ],
  warnings: ['infra/main.tf keeps the secret in Terraform state'],
};

describe('reviewLines', () => {
  it('lists the plan, the warnings, then a unified diff per file with 3 lines of context', () => {
    const lines = reviewLines(input);
    const kinds = (kind: ReviewLine['kind']) => lines.filter((l) => l.kind === kind).map((l) => l.text);
    expect(lines.slice(0, 3)).toEqual([
      { kind: 'heading', text: 'Plan' },
      { kind: 'text', text: 'Store 1 secret in Vault under secret/my-repo.' },
      { kind: 'text', text: 'Rewrite 1 file to read it from the environment.' },
    ]);
    expect(kinds('heading')).toEqual(['Plan', 'Warnings', 'Changes to 2 files']);
    expect(kinds('warning')).toEqual(['! infra/main.tf keeps the secret in Terraform state']);
    expect(kinds('file')).toEqual(['config/app.env  +1 -1', '.vaultsweepignore (new file)  +2 -0']);
    expect(kinds('hunk')).toEqual(['@@ -2,7 +2,7 @@', '@@ -0,0 +1,2 @@']);
    expect(kinds('remove')).toEqual(['-AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY']);
    expect(kinds('add')).toEqual(['+AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}', '+# false positives', '+abc123']);
    expect(kinds('context')).toEqual([' REGION=eu-west-1', ' DEBUG=0', ' NAME=app', ' PORT=8080', ' HOST=0.0.0.0', ' A=1']);
  });

  it('masks the given secret values before diffing', () => {
    const lines = reviewLines({ ...input, masks: [{ secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', shown: 'wJal…EKEY' }] });
    expect(lines.map((l) => l.text).join('\n')).not.toContain('wJalrXUtnFEMI');
    expect(lines).toContainEqual({ kind: 'remove', text: '-AWS_SECRET_ACCESS_KEY=wJal…EKEY' });
  });

  it('wraps plan sentences and warnings to a width; says when a file has no changes', () => {
    const lines = reviewLines({ planInWords: ['word '.repeat(30).trim()], diffs: [{ file: 'same.txt', before: 'a\n', after: 'a\n' }], width: 40 });
    const text = lines.filter((l) => l.kind === 'text' && l.text.trim().startsWith('word'));
    expect(text.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.text.length).toBeLessThanOrEqual(40);
    expect(lines.slice(-2)).toEqual([{ kind: 'file', text: 'same.txt  +0 -0' }, { kind: 'text', text: '  no changes' }]);
  });

  it('wrapText cuts words longer than the width', () => {
    expect(wrapText(`short ${'x'.repeat(25)}`, 10, '  ')).toEqual(['short', '  xxxxxxxx', '  xxxxxxxx', '  xxxxxxxx', '  x']);
  });

  it('draws controls in file content harmlessly', () => {
    const lines = reviewLines({ planInWords: [], diffs: [{ file: 'x', before: 'a\r\n', after: 'b\u001b[2J\tc\r\n' }] });
    expect(lines).toContainEqual({ kind: 'add', text: '+b\ufffd[2J   c' });
  });
});

describe('ReviewScreen', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows the lines and the footer', () => {
    const lines = reviewLines(input);
    const frame = strip(render(<ReviewScreen lines={lines} scroll={0} width={80} height={40} />).lastFrame()!).split('\n');
    expect(frame[0]).toBe('Plan');
    expect(frame).toContain('-AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY');
    expect(frame[frame.length - 1]).toBe('y apply · n back · ↑↓ PgUp PgDn scroll');
    expect(frame).toHaveLength(lines.length + 1);
  });

  it('scrolls within the height and shows the position', () => {
    const lines = reviewLines(input);
    expect(reviewMaxScroll(lines, 10)).toBe(lines.length - 9);
    const frame = strip(render(<ReviewScreen lines={lines} scroll={4} width={80} height={10} />).lastFrame()!).split('\n');
    expect(frame).toHaveLength(10);
    expect(frame[0]).toBe(lines[4].text || '');
    expect(frame[9]).toBe(`y apply · n back · ↑↓ PgUp PgDn scroll · 5–13 of ${lines.length}`);
    const end = strip(render(<ReviewScreen lines={lines} scroll={999} width={80} height={10} />).lastFrame()!).split('\n');
    expect(end[8]).toBe(lines[lines.length - 1].text);
  });

  it('cuts long lines to the width', () => {
    const lines: ReviewLine[] = [{ kind: 'add', text: `+${'x'.repeat(200)}` }];
    const frame = strip(render(<ReviewScreen lines={lines} scroll={0} width={50} height={5} />).lastFrame()!).split('\n');
    for (const line of frame) expect(line.length).toBeLessThanOrEqual(50);
    expect(frame[0]).toMatch(/^\+x+…$/);
  });

  it('colours additions and removals; under NO_COLOR the +/- prefixes remain', () => {
    const lines = reviewLines(input);
    const coloured = render(<ReviewScreen lines={lines} scroll={0} width={80} height={40} />).lastFrame()!;
    expect(coloured).toContain('\u001b[32m+AWS_SECRET_ACCESS_KEY');
    expect(coloured).toContain('\u001b[31m-AWS_SECRET_ACCESS_KEY');
    process.env.NO_COLOR = '1';
    const plain = render(<ReviewScreen lines={lines} scroll={0} width={80} height={40} />).lastFrame()!;
    expect(plain).not.toMatch(COLOUR_CODE);
    expect(strip(plain)).toContain('+AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}');
  });
});
