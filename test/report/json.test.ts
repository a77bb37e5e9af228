import { describe, it, expect } from 'vitest';
import { jsonReporter } from '../../src/report/json.js';
import {
  CapturedOutput,
  FIRST_COMMIT,
  LATER_COMMIT,
  SHOWN_SECRET,
  historyFinding,
  reportOptions,
  sampleFindings,
  secretFinding,
  worktreeFinding,
} from './sample-findings.js';

async function render(findings = sampleFindings, showSecrets = false): Promise<string> {
  const out = new CapturedOutput();
  await jsonReporter(findings, out, reportOptions({ showSecrets }));
  return out.text;
}

const FINDING_KEYS = ['id', 'rule', 'detector', 'severity', 'description', 'secretSha256', 'redacted', 'inWorktree', 'firstSeen', 'locations'];

describe('json reporter', () => {
  it('prints the contract objects, in the order given, as one array pretty-printed with 2 spaces', async () => {
    const expected = [
      {
        id: 'f-pwd-09ab',
        rule: 'generic-password',
        detector: 'keyword',
        severity: 'high',
        description: 'Password assigned to a password-like name',
        secretSha256: 'c'.repeat(64),
        redacted: 'Tr0…ing',
        inWorktree: true,
        firstSeen: null,
        locations: [{ file: 'deploy/.env', line: 7, column: 13, endLine: 7, endColumn: 32, commit: null }],
      },
      {
        id: 'f-ghp-51c0',
        rule: 'github-pat',
        detector: 'regex',
        severity: 'high',
        description: 'GitHub personal access token',
        secretSha256: 'b'.repeat(64),
        redacted: 'ghp_…x9Qz',
        inWorktree: false,
        firstSeen: { commit: LATER_COMMIT, date: '2024-02-29T23:59:00+01:00', author: 'Bob <bob@example.org>' },
        locations: [
          {
            file: 'infra/main.tf',
            line: 12,
            column: 11,
            endLine: 12,
            endColumn: 51,
            commit: LATER_COMMIT,
            date: '2024-02-29T23:59:00+01:00',
            author: 'Bob <bob@example.org>',
            context: { format: 'terraform', path: 'provider.github.token', key: 'token' },
          },
        ],
      },
      {
        id: 'f-aws-7d1e',
        rule: 'aws-secret-access-key',
        detector: 'regex',
        severity: 'critical',
        description: 'AWS secret access key',
        secretSha256: 'a'.repeat(64),
        redacted: 'wJal…EKEY',
        inWorktree: true,
        firstSeen: { commit: FIRST_COMMIT, date: '2023-04-01T10:20:30Z', author: 'Jane Doe <jane@example.com>' },
        locations: [
          { file: 'config/app.env', line: 3, column: 23, endLine: 3, endColumn: 63, commit: null },
          {
            file: 'config/app.env',
            line: 2,
            column: 23,
            endLine: 2,
            endColumn: 63,
            commit: FIRST_COMMIT,
            date: '2023-04-01T10:20:30Z',
            author: 'Jane Doe <jane@example.com>',
          },
        ],
      },
    ];
    // Byte-for-byte: same text (so same key order and indentation) as JSON.stringify would give.
    expect(await render()).toBe(`${JSON.stringify(expected, null, 2)}\n`);
  });

  it('keeps the contract field order for findings and locations', async () => {
    const parsed = JSON.parse(await render());
    for (const finding of parsed) expect(Object.keys(finding)).toEqual(FINDING_KEYS);
    expect(Object.keys(parsed[1].locations[0])).toEqual([
      'file', 'line', 'column', 'endLine', 'endColumn', 'commit', 'date', 'author', 'context',
    ]);
    expect(Object.keys(parsed[2].locations[0])).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'commit']);
    expect(Object.keys(parsed[1].firstSeen)).toEqual(['commit', 'date', 'author']);
  });

  it('leaves the secret out unless showSecrets is set, even when the finding carries it', async () => {
    const text = await render();
    expect(text).not.toContain(SHOWN_SECRET);
    expect(text).not.toContain('"secret"');
  });

  it('prints the secret right after redacted with showSecrets, and only for findings that carry one', async () => {
    const parsed = JSON.parse(await render(sampleFindings, true));
    expect(parsed[0].secret).toBe(SHOWN_SECRET);
    expect(Object.keys(parsed[0])).toEqual([...FINDING_KEYS.slice(0, 7), 'secret', ...FINDING_KEYS.slice(7)]);
    expect(Object.keys(parsed[1])).toEqual(FINDING_KEYS);
    expect(Object.keys(parsed[2])).toEqual(FINDING_KEYS);
  });

  it('prints an empty array for no findings', async () => {
    expect(await render([])).toBe('[]\n');
  });

  it('matches JSON.stringify for a single finding and for awkward strings', async () => {
    const awkward = { ...historyFinding, description: 'quote " backslash \\ newline \n tab \t ✓', locations: [{ ...historyFinding.locations[0], context: { nested: { list: [1, 'two', null] } } }] };
    const text = await render([awkward]);
    expect(text.endsWith('}\n]\n')).toBe(true);
    expect(JSON.parse(text)[0].description).toBe(awkward.description);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    const pair = await render([worktreeFinding, secretFinding]);
    expect(pair).toBe(`${JSON.stringify(JSON.parse(pair), null, 2)}\n`);
  });
});
