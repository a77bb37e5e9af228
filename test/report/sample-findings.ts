import { Writable } from 'node:stream';
import type { Finding } from '../../src/findings/types.js';
import type { ReportOptions, RuleInfo } from '../../src/report/types.js';

export const FIRST_COMMIT = '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b';
export const LATER_COMMIT = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
export const SHOWN_SECRET = 'Tr0ub4dor&3-Staging';

/** Still in the working tree, and also committed earlier: two locations, no clear secret. */
export const worktreeFinding: Finding = {
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
};

/** Only in history, in an IaC file with structural context. */
export const historyFinding: Finding = {
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
};

/** Carries the clear secret (the scan ran with --show-secrets); reporters print it only then. */
export const secretFinding: Finding = {
  id: 'f-pwd-09ab',
  rule: 'generic-password',
  detector: 'keyword',
  severity: 'high',
  description: 'Password assigned to a password-like name',
  secretSha256: 'c'.repeat(64),
  redacted: 'Tr0…ing',
  secret: SHOWN_SECRET,
  inWorktree: true,
  firstSeen: null,
  locations: [{ file: 'deploy/.env', line: 7, column: 13, endLine: 7, endColumn: 32, commit: null }],
};

/** In the order a scan might hand them over (not the text reporter's order). */
export const sampleFindings: readonly Finding[] = [secretFinding, historyFinding, worktreeFinding];

export const sampleRules: ReadonlyMap<string, RuleInfo> = new Map<string, RuleInfo>([
  ['aws-secret-access-key', { id: 'aws-secret-access-key', description: 'AWS secret access key', severity: 'critical', provider: 'aws' }],
  ['github-pat', { id: 'github-pat', description: 'GitHub personal access token', severity: 'high', provider: 'github' }],
  ['generic-password', { id: 'generic-password', description: 'Password assigned to a password-like name', severity: 'high' }],
  ['slack-webhook', { id: 'slack-webhook', description: 'Slack incoming webhook URL', severity: 'medium', provider: 'slack' }],
]);

export function reportOptions(overrides: Partial<ReportOptions> = {}): ReportOptions {
  return {
    color: false,
    showSecrets: false,
    rules: sampleRules,
    notes: [],
    toolVersion: '0.1.0',
    root: '/work/repo',
    ...overrides,
  };
}

/** A Writable that keeps what it was given. */
export class CapturedOutput extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}
