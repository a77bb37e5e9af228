import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SummaryScreen, summaryLines, summaryMaxScroll, type SummaryScreenProps } from '../../../src/tui/components/SummaryScreen.js';
import type { ApplyReport } from '../../../src/migrate/apply/types.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;

const report: ApplyReport = {
  secrets: [
    {
      id: 'a',
      rule: 'aws-secret-access-key',
      redacted: 'wJal…EKEY',
      target: 'secret/repo/aws#KEY',
      status: 'migrated',
      outcome: 'created',
      rewritten: ['config/app.env:3', 'deploy/.env:2'],
      manual: [{ where: 'scripts/deploy.sh:14', what: 'read AWS_SECRET_ACCESS_KEY from the environment instead of the literal' }],
    },
    { id: 'b', rule: 'github-pat', redacted: 'ghp_…x9Qz', target: 'secret/repo/gh#TOKEN', status: 'stopped', reason: 'config/ci.yml changed since the scan', rewritten: [], manual: [] },
    { id: 'c', rule: 'generic-password', target: 'secret/repo/db#PASSWORD', status: 'conflict-skipped', rewritten: [], manual: [] },
    { id: 'd', rule: 'slack-webhook', redacted: 'http…/T0', target: 'secret/repo/slack#URL', status: 'skipped', rewritten: [], manual: [] },
    { id: 'e', rule: 'stripe-key', redacted: 'sk_l…4242', target: 'secret/repo/stripe#KEY', status: 'already-migrated', rewritten: [], manual: [] },
  ],
  notes: ['Terraform state may still hold old values: run terraform apply.'],
  rotation: [
    {
      id: 'a',
      rule: 'aws-secret-access-key',
      redacted: 'wJal…EKEY',
      migrated: true,
      commits: ['1a2b3c4d5e6f7a8b9c0d', 'c0ffee00c0ffee00', 'aaaaaaaaaa', 'bbbbbbbbbb', 'cccccccccc'],
      firstSeen: { commit: '1a2b3c4d5e6f7a8b9c0d', date: '2023-04-01T10:20:30Z', author: 'Jane Doe <jane@example.com>' },
    },
  ],
  interrupted: false,
  exitCode: 2,
};

function props(overrides: Partial<SummaryScreenProps> = {}): SummaryScreenProps {
  return { report, falsePositives: 3, planFile: 'vaultsweep-plan.yaml', width: 80, height: 60, scroll: 0, ...overrides };
}

const text = (overrides: Partial<SummaryScreenProps> = {}) =>
  strip(render(<SummaryScreen {...props(overrides)} />).lastFrame()!)
    .split('\n')
    .map((line) => line.trimEnd());

describe('SummaryScreen', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('says what moved where, what to do by hand, what stopped, notes, what to rotate, false positives and the plan', () => {
    const lines = text();
    expect(lines[0]).toBe('Done — some secrets need you: see Stopped');
    const section = (name: string) => lines.slice(lines.indexOf(name) + 1, lines.indexOf('', lines.indexOf(name)));
    expect(section('What moved where')).toEqual([
      '✓ aws-secret-access-key wJal…EKEY → secret/repo/aws#KEY · rewrote 2 locations',
      '✓ stripe-key sk_l…4242 → secret/repo/stripe#KEY · already there, nothing to',
      '    rewrite',
      '  1 secret left in place (skip)',
    ]);
    expect(section('To do by hand')).toEqual([
      'aws-secret-access-key wJal…EKEY → secret/repo/aws#KEY',
      '  - scripts/deploy.sh:14: read AWS_SECRET_ACCESS_KEY from the environment',
      '    instead of the literal',
    ]);
    expect(section('Stopped')).toEqual([
      '✗ github-pat ghp_…x9Qz → secret/repo/gh#TOKEN',
      '  config/ci.yml changed since the scan',
      '✗ generic-password → secret/repo/db#PASSWORD',
      '  the store holds another value under this key',
    ]);
    expect(section('Notes')).toEqual(['- Terraform state may still hold old values: run terraform apply.']);
    expect(section('Rotate')).toContain('- aws-secret-access-key wJal…EKEY · in 1a2b3c4, c0ffee0, aaaaaaa (+2 more) ·');
    expect(lines).toContain('3 false positives written to .vaultsweepignore');
    expect(lines).toContain('Plan saved to vaultsweep-plan.yaml');
    expect(lines[lines.length - 1]).toBe('q quit');
  });

  it('says when nothing moved, and when the run was interrupted', () => {
    const empty: ApplyReport = { secrets: [], notes: [], rotation: [], interrupted: true, exitCode: 0 };
    const lines = text({ report: empty, falsePositives: 0, planFile: undefined });
    expect(lines).toEqual(['Interrupted — this is what was done before it stopped', '', 'What moved where', '  nothing was moved', 'q quit']);
    expect(text({ report: { ...empty, interrupted: false } })[0]).toBe('Done');
  });

  it('scrolls within the height with the position in the footer', () => {
    const all = summaryLines(props());
    expect(summaryMaxScroll(props({ height: 10 }))).toBe(all.length - 9);
    const lines = text({ height: 10, scroll: 3 });
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(all[3].text);
    expect(lines[9]).toBe(`q quit · ↑↓ scroll · 4–12 of ${all.length}`);
    expect(text({ height: 10, scroll: 999 })[8]).toBe(all[all.length - 1].text);
  });

  it('keeps every line within the width', () => {
    for (const line of text({ width: 40 })) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('uses no colour under NO_COLOR', () => {
    expect(render(<SummaryScreen {...props()} />).lastFrame()).toMatch(COLOUR_CODE);
    process.env.NO_COLOR = '1';
    const frame = render(<SummaryScreen {...props()} />).lastFrame()!;
    expect(frame).not.toMatch(COLOUR_CODE);
    expect(strip(frame)).toContain('✗ github-pat');
  });
});
