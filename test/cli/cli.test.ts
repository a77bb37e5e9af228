import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fake, TestRepo } from '../helpers/repo.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vaultsweep.js');

function run(args: string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd, input: options.input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('vaultsweep scan (the command line)', () => {
  const repo = new TestRepo();
  const token = fake.githubPat('n');
  const other = fake.githubPat('o');
  beforeAll(() => {
    repo.commit('c', { 'app.env': `TOKEN=${token}\n`, 'docs/notes.md': `old token ${other}\n` });
  });
  afterAll(() => repo.cleanup());

  it('exits 1 with findings and prints them redacted', () => {
    const r = run(['scan', repo.dir, '--format', 'json']);
    expect(r.code).toBe(1);
    const findings = JSON.parse(r.stdout);
    expect(findings).toHaveLength(2);
    expect(r.stdout).not.toContain(token);
    expect(findings[0]).toHaveProperty('redacted');
  });

  it('prints secrets only with --show-secrets', () => {
    const r = run(['scan', repo.dir, '--format', 'jsonl', '--show-secrets']);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((f) => f.secret).sort()).toEqual([token, other].sort());
  });

  it('exits 0 when nothing is found', () => {
    const clean = new TestRepo();
    clean.commit('c', { 'a.txt': 'hello\n' });
    const r = run(['scan', clean.dir, '--quiet']);
    clean.cleanup();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('no secrets found');
  });

  it('exits 2 with a clear message for a path that does not exist', () => {
    const r = run(['scan', join(repo.dir, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/path does not exist/);
  });

  it('exits 2 for unknown flags and bad values', () => {
    expect(run(['scan', repo.dir, '--format', 'xml']).code).toBe(2);
    expect(run(['scan', repo.dir, '--bogus']).code).toBe(2);
    expect(run(['scan', repo.dir, '--threads', '0']).code).toBe(2);
    expect(run(['scan', repo.dir, '--max-file-size', 'lots']).stderr).toMatch(/not a size/);
  });

  it('exits 2 for --range outside a git repository and for a bad revision', () => {
    const r = run(['scan', join(repo.dir, 'docs', 'notes.md'), '--range', 'a..b']);
    expect(r.code).toBe(2);
    const bad = run(['scan', repo.dir, '--range', 'nosuchref..HEAD']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/git log failed/);
  });

  it('reads stdin for -', () => {
    const r = run(['scan', '-', '--format', 'json'], { input: `x=${token}\n` });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)[0].locations[0].file).toBe('<stdin>');
  });

  it('writes SARIF to --output', () => {
    const out = join(repo.dir, '..', `report-${process.pid}.sarif`);
    const r = run(['scan', repo.dir, '--format', 'sarif', '--output', out]);
    expect(r.code).toBe(1);
    const log = JSON.parse(readFileSync(out, 'utf8'));
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results.length).toBeGreaterThanOrEqual(2);
  });

  it('a baseline hides what it recorded and reports what is new', () => {
    const baseline = join(repo.dir, '..', `baseline-${process.pid}.json`);
    expect(run(['baseline', repo.dir, '--output', baseline, '--quiet']).code).toBe(0);
    expect(run(['scan', repo.dir, '--baseline', baseline, '--quiet']).code).toBe(0);
    repo.commit('new', { 'new.env': `TOKEN=${fake.githubPat('p')}\n` });
    const r = run(['scan', repo.dir, '--baseline', baseline, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '-q', '--prune=now');
  });

  it('exits 2 for a malformed baseline', () => {
    const bad = join(repo.dir, '..', `bad-baseline-${process.pid}.json`);
    writeFileSync(bad, '{"not": "an array"}');
    const r = run(['scan', repo.dir, '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/must be a JSON array/);
  });
});

describe('allow-listing', () => {
  const repo = new TestRepo();
  const token = fake.githubPat('q');
  const second = fake.githubPat('r');
  afterAll(() => repo.cleanup());

  it('.vaultsweepignore drops findings by id', () => {
    repo.commit('c', { 'a.env': `TOKEN=${token}\n`, 'b.env': `TOKEN=${second}\n` });
    const [first] = JSON.parse(run(['scan', repo.dir, '--format', 'json', '--show-secrets']).stdout).filter((f: { secret: string }) => f.secret === token);
    repo.write('.vaultsweepignore', `# test fixture, revoked\n${first.id}  # reason: revoked\n`);
    const left = JSON.parse(run(['scan', repo.dir, '--format', 'json', '--show-secrets']).stdout);
    expect(left.map((f: { secret: string }) => f.secret)).toEqual([second]);
  });

  it('.vaultsweep.yaml skips paths, disables rules, adds rules and stopwords', () => {
    repo.write(
      '.vaultsweep.yaml',
      [
        'skipPaths: ["b.env"]',
        'rules:',
        '  - id: acme-internal-key',
        '    description: ACME internal key',
        '    keywords: [acme_]',
        "    regex: '\\b(acme_[a-z0-9]{24})\\b'",
        '    secretGroup: 1',
        '    severity: high',
        '    examples: { positive: ["acme_k3j5h7g9f1d3s5a7q9w1e3r5"] }',
      ].join('\n'),
    );
    repo.write('c.txt', 'key acme_k3j5h7g9f1d3s5a7q9w1e3r5\n');
    const found = JSON.parse(run(['scan', repo.dir, '--no-history', '--format', 'json']).stdout).map((f: { rule: string }) => f.rule);
    expect(found).toEqual(['acme-internal-key']);
  });

  it('a malformed config is a usage error naming the file', () => {
    repo.write('.vaultsweep.yaml', 'disabledRules: [no-such-rule]\n');
    const r = run(['scan', repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no rule "no-such-rule"/);
    repo.write('.vaultsweep.yaml', 'skipPaths: [unclosed\n');
    expect(run(['scan', repo.dir]).stderr).toMatch(/\.vaultsweep\.yaml: not valid YAML/);
    repo.write('.vaultsweep.yaml', 'skipPath: []\n');
    expect(run(['scan', repo.dir]).stderr).toMatch(/Unrecognized key\(s\) in object: 'skipPath'/);
  });
});

describe('vaultsweep rules', () => {
  it('lists the rules', () => {
    const r = run(['rules']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/generic-password\s+high/);
  });

  it('rules test checks a custom rule file and fails on a bad example', () => {
    const repo = new TestRepo();
    const file = join(repo.dir, 'mine.yaml');
    writeFileSync(
      file,
      "rules:\n  - id: mine\n    description: mine\n    keywords: [mine_]\n    regex: 'mine_[0-9]{8}'\n    severity: low\n    examples:\n      positive: ['mine_12345678', 'mine_123']\n      negative: ['mine_1234']\n",
    );
    const r = run(['rules', 'test', file]);
    repo.cleanup();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAIL mine positive example "mine_123": not found');
    expect(r.stdout).toContain('1 rule(s), 3 example(s): 1 failed');
  });
});
