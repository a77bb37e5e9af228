import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { Finding } from '../../src/findings/types.js';
import { artifactLocation, pascalCase, sarifReporter } from '../../src/report/sarif.js';
import type { ReportOptions } from '../../src/report/types.js';
import {
  CapturedOutput,
  FIRST_COMMIT,
  LATER_COMMIT,
  SHOWN_SECRET,
  historyFinding,
  reportOptions,
  sampleFindings,
  worktreeFinding,
} from './sample-findings.js';

// The OASIS SARIF 2.1.0 schema (errata01, oasis-tcs/sarif-spec Schemata/sarif-schema-2.1.0.json),
// vendored verbatim: nothing is downloaded at test time. It is a draft-04 schema.
const schema = JSON.parse(readFileSync(new URL('./sarif-schema-2.1.0.json', import.meta.url), 'utf8'));
// Both packages are CommonJS whose module.exports also carries itself as `.default`, the one
// spelling that type-checks under NodeNext and runs under Node and Vite alike.
const ajv = new AjvDraft04.default({ allErrors: true });
ajvFormats.default(ajv);
const validateSarif = ajv.compile(schema);

function expectValidSarif(log: unknown): void {
  const valid = validateSarif(log);
  expect(validateSarif.errors ?? [], ajv.errorsText(validateSarif.errors)).toEqual([]);
  expect(valid).toBe(true);
}

async function render(findings: readonly Finding[] = sampleFindings, overrides: Partial<ReportOptions> = {}): Promise<{ text: string; log: any }> {
  const out = new CapturedOutput();
  await sarifReporter(findings, out, reportOptions(overrides));
  return { text: out.text, log: JSON.parse(out.text) };
}

describe('sarif reporter', () => {
  it('writes a log that the SARIF 2.1.0 schema accepts', async () => {
    const { text, log } = await render();
    expectValidSarif(log);
    expect(text.endsWith('}\n')).toBe(true);
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
  });

  it('is still valid with no findings, with notes and with secrets shown', async () => {
    expectValidSarif((await render([])).log);
    expectValidSarif((await render(sampleFindings, { notes: ['skipped vendor/big.bin: larger than 10 MB'] })).log);
    expectValidSarif((await render(sampleFindings, { showSecrets: true })).log);
  });

  it('the vendored schema really validates: it rejects a result without a message or with a bad level', () => {
    const broken = (result: object) => ({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [result] }] });
    expect(validateSarif(broken({ ruleId: 'r' }))).toBe(false);
    expect(validateSarif(broken({ message: { text: 'm' }, level: 'critical' }))).toBe(false);
    expect(validateSarif(broken({ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b' } } }] }))).toBe(false);
  });

  it('describes the tool and only the rules that fired, sorted by id', async () => {
    const { log } = await render();
    const driver = log.runs[0].tool.driver;
    expect(driver.name).toBe('vaultsweep');
    expect(driver.version).toBe('0.1.0');
    expect(driver.informationUri).toBeUndefined();
    expect(driver.rules.map((r: { id: string }) => r.id)).toEqual(['aws-secret-access-key', 'generic-password', 'github-pat']);
    expect(driver.rules[0]).toEqual({
      id: 'aws-secret-access-key',
      name: 'AwsSecretAccessKey',
      shortDescription: { text: 'AWS secret access key' },
      fullDescription: { text: 'AWS secret access key (provider: aws).' },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['security', 'secret'], 'security-severity': '9.5', precision: 'high' },
    });
    expect(driver.rules[2].properties['security-severity']).toBe('8.0');
  });

  it('maps severities to SARIF levels and GitHub security-severity scores', async () => {
    const severities = ['critical', 'high', 'medium', 'low', 'info'] as const;
    const findings = severities.map((severity) => ({ ...historyFinding, id: `f-${severity}`, rule: `rule-${severity}`, severity }));
    const { log } = await render(findings, { rules: new Map() });
    expectValidSarif(log);
    const byRule = Object.fromEntries(log.runs[0].tool.driver.rules.map((r: any) => [r.id, r]));
    const expected = { critical: ['error', '9.5'], high: ['error', '8.0'], medium: ['warning', '5.5'], low: ['note', '3.0'], info: ['note', '1.0'] };
    for (const severity of severities) {
      const rule = byRule[`rule-${severity}`];
      expect([rule.defaultConfiguration.level, rule.properties['security-severity']]).toEqual(expected[severity]);
      const result = log.runs[0].results.find((r: any) => r.ruleId === `rule-${severity}`);
      expect(result.level).toBe(expected[severity][0]);
      expect(Number(rule.properties['security-severity'])).not.toBeNaN();
    }
  });

  it('writes one result per location, each with a physical location and our own fingerprint', async () => {
    const { log } = await render();
    const run = log.runs[0];
    expect(run.results).toHaveLength(4);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(Object.keys(result.partialFingerprints)).toEqual(['vaultsweep/v1']);
      expect(result.locations).toHaveLength(1);
    }
    const [historyOnly] = run.results.filter((r: any) => r.ruleId === 'github-pat');
    expect(historyOnly).toEqual({
      ruleId: 'github-pat',
      ruleIndex: 2,
      level: 'error',
      message: { text: `github-pat: GitHub personal access token (ghp_…x9Qz) in commit ${LATER_COMMIT.slice(0, 12)}.` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'infra/main.tf', uriBaseId: '%SRCROOT%' },
            region: { startLine: 12, startColumn: 11, endLine: 12, endColumn: 51 },
          },
        },
      ],
      partialFingerprints: { 'vaultsweep/v1': `f-ghp-51c0:${createHash('sha256').update('infra/main.tf').digest('hex').slice(0, 16)}` },
      properties: {
        findingId: 'f-ghp-51c0',
        secretSha256: 'b'.repeat(64),
        inWorktree: false,
        commit: LATER_COMMIT,
        author: 'Bob <bob@example.org>',
        date: '2024-02-29T23:59:00+01:00',
        context: { format: 'terraform', path: 'provider.github.token', key: 'token' },
      },
    });
    const aws = run.results.filter((r: any) => r.ruleId === 'aws-secret-access-key');
    expect(aws.map((r: any) => r.message.text)).toEqual([
      'aws-secret-access-key: AWS secret access key (wJal…EKEY) in the working tree.',
      `aws-secret-access-key: AWS secret access key (wJal…EKEY) in commit ${FIRST_COMMIT.slice(0, 12)}.`,
    ]);
    expect(aws[0].properties).toEqual({ findingId: 'f-aws-7d1e', secretSha256: 'a'.repeat(64), inWorktree: true, commit: null });
  });

  it('never carries the secret unless showSecrets, and then only in the result properties', async () => {
    expect((await render()).text).not.toContain(SHOWN_SECRET);
    const { log } = await render(sampleFindings, { showSecrets: true });
    const [result] = log.runs[0].results.filter((r: any) => r.ruleId === 'generic-password');
    expect(result.properties.secret).toBe(SHOWN_SECRET);
    expect(result.message.text).not.toContain(SHOWN_SECRET);
  });

  it('anchors relative paths at %SRCROOT%, the scanned root as a file URL with a trailing slash', async () => {
    expect((await render([], { root: '/work/my repo' })).log.runs[0].originalUriBaseIds).toEqual({
      '%SRCROOT%': { uri: 'file:///work/my%20repo/' },
    });
    expect((await render([], { root: '/' })).log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe('file:///');
  });

  it('lists scan notes as tool execution notifications, and has no invocations without notes', async () => {
    expect((await render()).log.runs[0].invocations).toBeUndefined();
    const { log } = await render(sampleFindings, { notes: ['skipped submodule vendor/lib', 'could not parse a.tf'] });
    expect(log.runs[0].invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          { level: 'note', message: { text: 'skipped submodule vendor/lib' } },
          { level: 'note', message: { text: 'could not parse a.tf' } },
        ],
      },
    ]);
  });
});

describe('sarif artifact URIs', () => {
  const cases: [string, string][] = [
    ['config/app.env', 'config/app.env'],
    ['docs/my notes/read me.txt', 'docs/my%20notes/read%20me.txt'],
    ['naïve/café.env', 'na%C3%AFve/caf%C3%A9.env'],
    ['secrets/#1.env', 'secrets/%231.env'],
    ['100%.txt', '100%25.txt'],
    ['a:b/c?d.txt', 'a%3Ab/c%3Fd.txt'],
    ['back\\slash.txt', 'back%5Cslash.txt'],
    ['日本/鍵.pem', '%E6%97%A5%E6%9C%AC/%E9%8D%B5.pem'],
  ];

  it.each(cases)('percent-encodes %j as %j', (file, uri) => {
    expect(artifactLocation(file)).toEqual({ uri, uriBaseId: '%SRCROOT%' });
  });

  it.each(cases)('resolves %j against the root back to the same file', (file) => {
    const url = new URL(artifactLocation(file).uri, 'file:///work/repo/');
    expect(decodeURIComponent(url.pathname)).toBe(`/work/repo/${file}`);
    expect(url.hash).toBe('');
    expect(url.search).toBe('');
  });

  it('keeps odd paths valid for the schema (uri-reference format) end to end', async () => {
    const odd = cases.map(([file], i) => ({ ...worktreeFinding, id: `f-${i}`, locations: [{ ...worktreeFinding.locations[0], file }] }));
    const { log } = await render(odd);
    expectValidSarif(log);
    expect(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(cases.map(([, uri]) => uri));
  });

  it('gives an absolute path a file URL of its own, without a base', () => {
    expect(artifactLocation('/tmp/some dir/x.env')).toEqual({ uri: 'file:///tmp/some%20dir/x.env' });
  });

  it('replaces a lone surrogate from an undecodable file name instead of throwing', () => {
    expect(artifactLocation('bad\uD800name').uri).toBe('bad%EF%BF%BDname');
  });

  it('names rules in PascalCase', () => {
    expect(pascalCase('aws-access-key-id')).toBe('AwsAccessKeyId');
    expect(pascalCase('github-pat-v2')).toBe('GithubPatV2');
    expect(pascalCase('slack')).toBe('Slack');
  });
});
