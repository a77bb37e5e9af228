import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/scan/scan.js';
import type { Finding } from '../../src/findings/types.js';
import { fake, TestRepo } from '../helpers/repo.js';

const base: Omit<ScanOptions, 'path'> = { history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 1 };

const byRule = (findings: Finding[], rule: string) => findings.filter((f) => f.rule === rule);
const bySecret = (findings: Finding[], secret: string) => findings.find((f) => f.secret === secret);

describe('full history scan', () => {
  const repo = new TestRepo();
  const removed = fake.githubPat('1');
  const onBranch = fake.githubPat('2');
  const inDeletedFile = fake.githubPat('3');
  const twice = fake.githubPat('4');
  const uncommitted = fake.githubPat('5');
  const onTagOnly = fake.githubPat('6');
  let commits: Record<string, string> = {};

  beforeAll(() => {
    commits.first = repo.commit('add config', { 'config/app.env': `# app\nGITHUB_TOKEN=${removed}\n`, 'README.md': 'hello\n' });
    commits.second = repo.commit('remove token', { 'config/app.env': '# app\nGITHUB_TOKEN=${GITHUB_TOKEN}\n' });
    commits.deleted = repo.commit('ci script', { 'ci/deploy.sh': `#!/bin/sh\nexport GH_TOKEN="${inDeletedFile}"\n` });
    repo.remove('ci/deploy.sh');
    repo.commit('drop ci script');
    commits.twice = repo.commit('two copies', { 'a/one.yaml': `token: ${twice}\n`, 'b/two.yaml': `\n\nother: 1\ntoken: ${twice}\n` });
    repo.git('checkout', '-q', '-b', 'feature');
    commits.branch = repo.commit('feature work', { 'feature.py': `TOKEN = "${onBranch}"\n` });
    repo.git('checkout', '-q', '--detach', 'main');
    commits.tagged = repo.commit('release only', { 'release.txt': `token=${onTagOnly}\n` });
    repo.git('tag', 'v1-detached');
    repo.git('checkout', '-q', 'main');
    repo.write('local.env', `GITHUB_TOKEN=${uncommitted}\n`);
  });
  afterAll(() => repo.cleanup());

  let findings: Finding[];
  beforeAll(async () => {
    findings = (await scan({ ...base, path: repo.dir })).findings;
  });

  it('finds a secret that was removed, as history only, with the commit that introduced it', () => {
    const f = bySecret(findings, removed)!;
    expect(f.rule).toBe('github-pat-classic');
    expect(f.inWorktree).toBe(false);
    expect(f.firstSeen).toMatchObject({ commit: commits.first, author: 'Test Author <author@example.test>' });
    expect(f.locations).toEqual([
      expect.objectContaining({ file: 'config/app.env', line: 2, column: 14, commit: commits.first }),
    ]);
  });

  it('finds a secret on an unmerged branch and on a commit only a tag reaches', () => {
    expect(bySecret(findings, onBranch)?.locations[0]).toMatchObject({ file: 'feature.py', commit: commits.branch });
    expect(bySecret(findings, onTagOnly)?.locations[0]).toMatchObject({ file: 'release.txt', commit: commits.tagged });
  });

  it('finds a secret in a file that was deleted', () => {
    expect(bySecret(findings, inDeletedFile)?.locations).toEqual([expect.objectContaining({ file: 'ci/deploy.sh', line: 2 })]);
  });

  it('reports one finding with every location for a secret in two files, in history and in the working tree', () => {
    const f = bySecret(findings, twice)!;
    expect(f.inWorktree).toBe(true);
    const places = f.locations.map((l) => `${l.file}:${l.line}:${l.commit ? 'history' : 'worktree'}`).sort();
    expect(places).toEqual(['a/one.yaml:1:history', 'a/one.yaml:1:worktree', 'b/two.yaml:4:history', 'b/two.yaml:4:worktree']);
  });

  it('finds an uncommitted secret in the working tree only', () => {
    const f = bySecret(findings, uncommitted)!;
    expect(f).toMatchObject({ inWorktree: true, firstSeen: null });
    expect(f.locations).toEqual([expect.objectContaining({ file: 'local.env', commit: null })]);
  });

  it('gives each unique secret a stable id', async () => {
    const again = (await scan({ ...base, path: repo.dir, threads: 2 })).findings;
    expect(again.map((f) => f.id).sort()).toEqual(findings.map((f) => f.id).sort());
    expect(byRule(again, 'github-pat-classic')).toHaveLength(6);
  });

  it('with --no-history scans the working tree only', async () => {
    const { findings: wt } = await scan({ ...base, path: repo.dir, history: false });
    expect(wt.map((f) => f.secret).sort()).toEqual([twice, uncommitted].sort());
  });

  it('with --range reports only what the range added', async () => {
    const { findings: ranged } = await scan({ ...base, path: repo.dir, range: `${commits.deleted}..feature` });
    expect(ranged.map((f) => f.secret).sort()).toEqual([twice, onBranch].sort());
  });

  it('with --since reports only commits since the date', async () => {
    const { findings: recent } = await scan({ ...base, path: repo.dir, since: '2024-01-06T00:00:00Z' });
    expect(recent.map((f) => f.secret).sort()).toEqual([onBranch, onTagOnly, twice].sort());
  });
});

describe('staged changes (pre-commit)', () => {
  const repo = new TestRepo();
  const existing = fake.githubPat('7');
  const added = fake.githubPat('8');
  afterAll(() => repo.cleanup());

  it('reports a secret being added, not one the file already had', async () => {
    repo.commit('base', { 'app.env': `OLD_TOKEN=${existing}\n` });
    repo.write('app.env', `OLD_TOKEN=${existing}\nNEW_TOKEN=${added}\n`);
    repo.write('unstaged.env', `X_TOKEN=${fake.githubPat('9')}\n`);
    repo.git('add', 'app.env');
    const { findings } = await scan({ ...base, path: repo.dir, staged: true });
    expect(findings.map((f) => f.secret)).toEqual([added]);
    expect(findings[0].locations[0]).toMatchObject({ file: 'app.env', line: 2, commit: null });
  });
});

describe('stdin', () => {
  it('scans what is piped in', async () => {
    const token = fake.githubPat('b');
    const { findings } = await scan({ ...base, path: '-', stdin: async () => Buffer.from(`x\ntoken ${token}\n`) });
    expect(findings).toHaveLength(1);
    expect(findings[0].locations[0]).toMatchObject({ file: '<stdin>', line: 2, column: 7 });
  });
});
