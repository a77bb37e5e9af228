import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApplyScreen, type ApplyItem } from '../../../src/tui/components/ApplyScreen.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;

const items: ApplyItem[] = [
  { id: 'a', rule: 'aws-secret-access-key', redacted: 'wJal…EKEY', target: 'secret/repo/aws#KEY', state: 'done' },
  { id: 'b', rule: 'github-pat', redacted: 'ghp_…x9Qz', target: 'secret/repo/gh#TOKEN', state: 'failed', detail: 'permission denied: the token cannot write secret/repo/gh' },
  { id: 'c', rule: 'generic-password', redacted: 'Tr0…ing', target: 'secret/repo/db#PASSWORD', state: 'running' },
  { id: 'd', rule: 'slack-webhook', redacted: 'http…/T0', target: 'secret/repo/slack#URL', state: 'pending' },
  { id: 'e', rule: 'stripe-key', redacted: 'sk_l…4242', target: 'secret/repo/stripe#KEY', state: 'skipped', detail: 'conflict' },
];

const lines = (frame: string | undefined) => strip(frame ?? '').split('\n');

describe('ApplyScreen', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows a count line and one line per secret with its state mark; a failure has its detail below', () => {
    const shown = lines(render(<ApplyScreen items={items} width={80} height={24} />).lastFrame());
    expect(shown).toEqual([
      '1 of 5 done · 1 failed · 1 skipped · 1 running · 1 pending',
      '✓ aws-secret-access-key wJal…EKEY → secret/repo/aws#KEY',
      '✗ github-pat ghp_…x9Qz → secret/repo/gh#TOKEN',
      '    permission denied: the token cannot write secret/repo/gh',
      '… generic-password Tr0…ing → secret/repo/db#PASSWORD',
      '· slack-webhook http…/T0 → secret/repo/slack#URL',
      '- stripe-key sk_l…4242 → secret/repo/stripe#KEY (conflict)',
    ]);
  });

  it('follows the running secret when the list is taller than the screen', () => {
    const many: ApplyItem[] = Array.from({ length: 40 }, (_, index) => ({
      id: String(index),
      rule: `rule-${index}`,
      redacted: 'x…y',
      target: `secret/t#${index}`,
      state: index < 30 ? 'done' : index === 30 ? 'running' : 'pending',
    }));
    const shown = lines(render(<ApplyScreen items={many} width={80} height={8} />).lastFrame());
    expect(shown).toHaveLength(8);
    expect(shown[0]).toBe('30 of 40 done · 1 running · 9 pending');
    expect(shown[6]).toBe('… rule-30 x…y → secret/t#30');
    expect(shown[7]).toBe('· rule-31 x…y → secret/t#31');
    const start = lines(render(<ApplyScreen items={many.map((item) => ({ ...item, state: 'pending' as const }))} width={80} height={8} />).lastFrame());
    expect(start[1]).toBe('· rule-0 x…y → secret/t#0');
  });

  it('wraps a long failure detail and keeps every line within the width', () => {
    const failed: ApplyItem[] = [{ ...items[1], detail: 'the store refused the write: '.repeat(6) }];
    const shown = lines(render(<ApplyScreen items={failed} width={50} height={24} />).lastFrame());
    expect(shown.length).toBeGreaterThan(3);
    for (const line of shown) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('colours the marks, and under NO_COLOR the marks alone tell the states apart', () => {
    expect(render(<ApplyScreen items={items} width={80} height={24} />).lastFrame()).toMatch(COLOUR_CODE);
    process.env.NO_COLOR = '1';
    const frame = render(<ApplyScreen items={items} width={80} height={24} />).lastFrame()!;
    expect(frame).not.toMatch(COLOUR_CODE);
    expect(strip(frame)).toContain('✗ github-pat');
  });
});
