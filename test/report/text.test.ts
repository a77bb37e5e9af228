import { describe, it, expect } from 'vitest';
import type { Finding } from '../../src/findings/types.js';
import { printable, summaryLine, textReporter } from '../../src/report/text.js';
import type { ReportOptions } from '../../src/report/types.js';
import { CapturedOutput, SHOWN_SECRET, historyFinding, reportOptions, sampleFindings, secretFinding, worktreeFinding } from './sample-findings.js';

async function render(findings: readonly Finding[] = sampleFindings, overrides: Partial<ReportOptions> = {}): Promise<string> {
  const out = new CapturedOutput();
  await textReporter(findings, out, reportOptions(overrides));
  return out.text;
}

const ESC = '\x1b';
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

const PLAIN_SAMPLE = [
  'CRITICAL  aws-secret-access-key  wJal…EKEY  (2 locations)',
  '  AWS secret access key (in working tree)',
  '    config/app.env:3:23',
  '    config/app.env:2:23  commit 1a2b3c4d 2023-04-01 Jane Doe <jane@example.com>',
  '',
  'HIGH      generic-password  Tr0…ing  (1 location)',
  '  Password assigned to a password-like name (in working tree)',
  '    deploy/.env:7:13',
  '',
  'HIGH      github-pat  ghp_…x9Qz  (1 location)',
  '  GitHub personal access token (history only)',
  '    infra/main.tf:12:11  commit c0ffee00 2024-02-29 Bob <bob@example.org>  terraform provider.github.token',
  '',
  '3 secrets (1 critical, 2 high) in 4 locations; 2 in the working tree, 1 only in history',
  '',
].join('\n');

describe('text reporter', () => {
  it('prints one block per secret, its locations with provenance, then a summary', async () => {
    expect(await render()).toBe(PLAIN_SAMPLE);
  });

  it('orders by severity (critical first), then rule id, then first location', async () => {
    const at = (file: string, line: number): Finding => ({
      ...secretFinding,
      id: `${file}:${line}`,
      redacted: `${file}:${line}`,
      locations: [{ ...secretFinding.locations[0], file, line }],
    });
    const info: Finding = { ...historyFinding, severity: 'info', rule: 'aaa-first-by-name' };
    const text = await render([info, at('b.env', 1), at('a.env', 9), at('a.env', 2), historyFinding, worktreeFinding]);
    const headers = text.split('\n').filter((line) => /^[A-Z]/.test(line) && !line.includes(' secrets ('));
    expect(headers.map((line) => line.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'CRITICAL aws-secret-access-key wJal…EKEY',
      'HIGH generic-password a.env:2',
      'HIGH generic-password a.env:9',
      'HIGH generic-password b.env:1',
      'HIGH github-pat ghp_…x9Qz',
      'INFO aaa-first-by-name ghp_…x9Qz',
    ]);
  });

  it('shows the redacted form unless showSecrets, and then the secret itself', async () => {
    expect(await render()).not.toContain(SHOWN_SECRET);
    const shown = await render(sampleFindings, { showSecrets: true });
    expect(shown).toContain(`HIGH      generic-password  ${SHOWN_SECRET}  (1 location)`);
    expect(shown).toContain('aws-secret-access-key  wJal…EKEY'); // no secret carried: still redacted
  });

  it('writes no escape codes with colour off', async () => {
    const text = await render(sampleFindings, { notes: ['skipped vendor/big.bin'] });
    expect(text).not.toContain(ESC);
  });

  it('colours severities and dims provenance and notes with colour on, same text underneath', async () => {
    const text = await render(sampleFindings, { color: true, notes: ['skipped vendor/big.bin'] });
    expect(text).toContain(`${ESC}[1;31mCRITICAL${ESC}[0m  `);
    expect(text).toContain(`${ESC}[31mHIGH    ${ESC}[0m  `);
    expect(text).toContain(`${ESC}[2mcommit 1a2b3c4d 2023-04-01 Jane Doe <jane@example.com>${ESC}[0m`);
    expect(text).toContain(`${ESC}[2mnote: skipped vendor/big.bin${ESC}[0m\n`);
    expect(stripAnsi(text)).toBe(`${PLAIN_SAMPLE}note: skipped vendor/big.bin\n`);
  });

  it('uses yellow for medium, cyan for low and blue for info', async () => {
    const text = await render(
      (['medium', 'low', 'info'] as const).map((severity) => ({ ...historyFinding, severity })),
      { color: true },
    );
    for (const code of ['33m', '36m', '34m']) expect(text).toContain(`${ESC}[${code}`);
  });

  it('prints "no secrets found" when there is nothing, then the notes', async () => {
    expect(await render([])).toBe('no secrets found\n');
    expect(await render([], { notes: ['skipped 2 binary files', 'submodule lib/ not scanned'] })).toBe(
      'no secrets found\nnote: skipped 2 binary files\nnote: submodule lib/ not scanned\n',
    );
  });

  it('escapes control characters from the repository so they never reach the terminal', async () => {
    const hostile: Finding = {
      ...historyFinding,
      locations: [{ ...historyFinding.locations[0], file: 'evil\x1b[2J.tf', author: 'Mallory\x07 <m@x>', context: undefined }],
    };
    const text = await render([hostile], { notes: ['odd name \x1b]0;title\x07'] });
    expect(text).not.toContain(ESC);
    expect(text).not.toContain('\x07');
    expect(text).toContain('evil\\x1b[2J.tf:12:11');
    expect(text).toContain('Mallory\\x07 <m@x>');
    expect(printable('tab\there\x7f\x9b')).toBe('tab\\x09here\\x7f\\x9b');
  });
});

describe('text summary line', () => {
  it('counts secrets by severity, locations, and where the secrets still are', () => {
    expect(summaryLine(sampleFindings)).toBe('3 secrets (1 critical, 2 high) in 4 locations; 2 in the working tree, 1 only in history');
  });

  it('uses the singular for one secret in one location', () => {
    expect(summaryLine([secretFinding])).toBe('1 secret (1 high) in 1 location; 1 in the working tree, 0 only in history');
  });

  it('lists severities most severe first, whatever the input order', () => {
    const findings: Finding[] = [
      { ...historyFinding, severity: 'low' },
      { ...historyFinding, severity: 'medium' },
      { ...historyFinding, severity: 'low' },
      { ...worktreeFinding },
    ];
    expect(summaryLine(findings)).toBe('4 secrets (1 critical, 1 medium, 2 low) in 5 locations; 1 in the working tree, 3 only in history');
  });
});
