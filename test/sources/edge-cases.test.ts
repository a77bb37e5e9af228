import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/scan/scan.js';
import { compileRules } from '../../src/detect/compile.js';
import { loadRuleDir, parseRulePack } from '../../src/detect/load-rules.js';
import { checkRuleExamples } from '../../src/detect/rule-examples.js';
import { scanBuffer } from '../../src/detect/scan-buffer.js';
import { fake, TestRepo } from '../helpers/repo.js';

const base: Omit<ScanOptions, 'path'> = { history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 1 };
const repos: TestRepo[] = [];
const newRepo = () => {
  const r = new TestRepo();
  repos.push(r);
  return r;
};
afterAll(() => repos.forEach((r) => r.cleanup()));
const secretsOf = async (path: string, extra: Partial<ScanOptions> = {}) => (await scan({ ...base, path, ...extra })).findings;

describe('history parsing a hostile repository cannot fool', () => {
  it('a \\x01 at the start of an author name or a path hides nothing', async () => {
    const repo = newRepo();
    repo.commit('base', { 'a.txt': 'x\n' });
    repo.write('leak.env', `TOKEN=${fake.githubPat('t')}\n`);
    repo.git('add', '-A');
    const tree = repo.git('write-tree').trim();
    const parent = repo.git('rev-parse', 'HEAD').trim();
    const raw = `tree ${tree}\nparent ${parent}\nauthor \x01Eve <e@x> 1700000000 +0000\ncommitter Eve <e@x> 1700000000 +0000\n\nx\n`;
    const commit = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--literally', '--stdin'], { cwd: repo.dir, input: raw }).toString().trim();
    repo.git('update-ref', 'refs/heads/main', commit);
    repo.git('reset', '-q', '--hard');
    repo.commit('odd path', { '\x01odd.env': `TOKEN=${fake.githubPat('u')}\n` });
    repo.git('rm', '-q', '-r', '--', '.');
    repo.commit('remove all');
    const found = await secretsOf(repo.dir);
    expect(found.map((f) => f.secret).sort()).toEqual([fake.githubPat('t'), fake.githubPat('u')].sort());
  });

  it('log.showRoot=false and a UTF-16 log encoding in the repository config change nothing', async () => {
    const repo = newRepo();
    const root = repo.commit('root', { 'r.env': `TOKEN=${fake.githubPat('v')}\n` });
    repo.commit('rm', { 'r.env': 'TOKEN=\n' });
    repo.git('config', 'log.showRoot', 'false');
    repo.git('config', 'i18n.logOutputEncoding', 'UTF-16');
    const [f] = await secretsOf(repo.dir);
    expect(f.firstSeen).toMatchObject({ commit: root, author: 'Test Author <author@example.test>' });
  });

  it('compares commit dates as instants, not as strings with offsets', async () => {
    const repo = newRepo();
    repo.commit('base', { 'a.txt': 'x\n' });
    const token = fake.githubPat('w');
    repo.git('checkout', '-q', '-b', 'tokyo');
    repo.write('cfg.env', `T=${token}\n`).git('add', '-A');
    execFileSync('git', ['commit', '-qm', 'tokyo'], { cwd: repo.dir, env: { ...process.env, GIT_AUTHOR_DATE: '2024-03-01T01:00:00+09:00', GIT_COMMITTER_DATE: '2024-03-01T01:00:00+09:00' } });
    const tokyo = repo.git('rev-parse', 'HEAD').trim();
    repo.git('checkout', '-q', 'main');
    repo.write('cfg.env', `T=${token}\nx\n`).git('add', '-A');
    execFileSync('git', ['commit', '-qm', 'london'], { cwd: repo.dir, env: { ...process.env, GIT_AUTHOR_DATE: '2024-02-29T20:00:00+00:00', GIT_COMMITTER_DATE: '2024-02-29T20:00:00+00:00' } });
    const [f] = await secretsOf(repo.dir);
    expect(f.firstSeen?.commit).toBe(tokyo); // 16:00Z on Feb 29, before 20:00Z
  });

  it('scans work-tree files whose names are not UTF-8', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaultsweep-latin1-'));
    writeFileSync(Buffer.concat([Buffer.from(dir + '/caf'), Buffer.from([0xe9]), Buffer.from('.env')]) as unknown as string, `T=${fake.githubPat('x')}\n`);
    const found = await secretsOf(dir);
    rmSync(dir, { recursive: true, force: true });
    expect(found.map((f) => f.secret)).toEqual([fake.githubPat('x')]);
  });
});

describe('slices of history report only what they added', () => {
  it('a file moved in the range does not re-report its old secret, and inWorktree tells the truth', async () => {
    const repo = newRepo();
    repo.commit('base', { 'a.txt': 'x\n' });
    const token = fake.githubPat('y');
    repo.commit('old', { 'old.env': `T=${token}\n` });
    repo.git('tag', 'b1');
    repo.git('mv', 'old.env', 'moved.env');
    repo.commit('rename');
    expect(await secretsOf(repo.dir, { range: 'b1..HEAD' })).toEqual([]);
    const added = fake.githubPat('z');
    repo.commit('new', { 'moved.env': `T=${token}\nU=${added}\n` });
    const found = await secretsOf(repo.dir, { range: 'b1..HEAD' });
    expect(found.map((f) => [f.secret, f.inWorktree])).toEqual([[added, true]]);
  });

  it('--staged judges a blob staged at two paths at each path', async () => {
    const repo = newRepo();
    repo.commit('base', { 'a.txt': 'x\n' });
    repo.write('s.env', 'DB_PASSWORD=Hx7#kLm2Qp9z\n').write('s.py', 'DB_PASSWORD=Hx7#kLm2Qp9z\n').git('add', '-A');
    const [f] = await secretsOf(repo.dir, { staged: true });
    expect(f.locations.map((l) => l.file)).toEqual(['s.env']);
  });

  it('a bad --range is an error, and --range on a repository without commits too', async () => {
    const repo = newRepo();
    await expect(secretsOf(repo.dir, { range: 'a..b' })).rejects.toThrow(/has no commits/);
  });

  it('PATH inside a repository reports only files under it', async () => {
    const repo = newRepo();
    repo.commit('two', { 'svc/a.env': `T=${fake.githubPat('A')}\n`, 'other/b.env': `T=${fake.githubPat('B')}\n` });
    const found = await secretsOf(join(repo.dir, 'svc'));
    expect(found.flatMap((f) => f.locations.map((l) => l.file))).toEqual(['svc/a.env', 'svc/a.env']);
  });
});

describe('detection details', () => {
  const ruleSet = compileRules(loadRuleDir());
  const found = (text: string, path = 'settings.env') => scanBuffer(Buffer.from(text), ruleSet, path).map((m) => `${ruleSet.rules[m.rule].id}:${m.secret.toString()}`);

  it('a quoted generic value runs to its closing quote', () => {
    expect(found('SECRET_KEY = "django-insecure-8f$k2l@9x!q3z&w7m#n5p"\n', 'settings.txt')).toEqual(['generic-secret:django-insecure-8f$k2l@9x!q3z&w7m#n5p']);
    expect(found('smtp_password: "p@ss;w0rd,X1y"\n')).toEqual(['generic-password:p@ss;w0rd,X1y']);
  });

  it('labels are not passwords', () => {
    expect(found('{ "confirmPassword": "Confirm password", "forgotPassword": "Forgot password?" }\n', 'en.json')).toEqual([]);
  });

  it('a password-like name wins over randomness for the same value', () => {
    expect(found('DB_PASSWORD=Xk9vLq2mZr7TbW4nPc8s\n')).toEqual(['generic-password:Xk9vLq2mZr7TbW4nPc8s']);
  });

  it.each(['signingKey', 'masterKey', 'encryption-key', 'private.key', 'api.key', 'authKey', 'access-key'])('generic-secret reaches %s through its keywords', (name) => {
    expect(found(`${name}: "Zk8f2Lq9Vx3Bn7Mw1Rt5Yp0aQe4"\n`, 'k.yaml')).toEqual(['generic-secret:Zk8f2Lq9Vx3Bn7Mw1Rt5Yp0aQe4']);
  });

  it('a leading \\b before a top-level alternation binds the first alternative only', () => {
    const rules = parseRulePack(
      "rules:\n  - id: acme\n    description: d\n    keywords: [acme_, tok_]\n    regex: '\\bacme_[a-z0-9]{24}|tok_[a-z0-9]{24}'\n    severity: high\n    examples: { positive: [xtok_k3j5h7g9f1d3s5a7q9w1e3r5], negative: [xacme_k3j5h7g9f1d3s5a7q9w1e3r5] }\n",
      'x.yaml',
    );
    expect(checkRuleExamples(rules)).toEqual([]);
  });
});

describe('the command line, at its edges', () => {
  const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vaultsweep.js');
  const run = (args: string[], cwd?: string) => spawnSync('bash', ['-c', `node ${BIN} ${args.join(' ')}`], { cwd, encoding: 'utf8' });

  it('a closed pipe ends the scan quietly', () => {
    const repo = newRepo();
    repo.commit('c', Object.fromEntries(Array.from({ length: 26 }, (_, i) => [`f${i}.env`, `T=${fake.githubPat(String.fromCharCode(97 + i))}\n`])));
    const r = run(['scan', repo.dir, '| head -1; echo "exit=${PIPESTATUS[0]}"']);
    expect(r.stderr).not.toMatch(/EPIPE|Error/);
    expect(r.stdout).toMatch(/exit=1/);
  });

  it('--output is readable by its owner only, even when it existed', () => {
    const repo = newRepo();
    repo.commit('c', { 'a.env': `T=${fake.githubPat('C')}\n` });
    const out = join(repo.dir, '..', `out-${process.pid}.json`);
    writeFileSync(out, '', { mode: 0o644 });
    run(['scan', repo.dir, '-q', '--show-secrets', '-f', 'json', '-o', out]);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    rmSync(out);
  });

  it('PATH after -- is honoured, and --since must be a date', () => {
    expect(run(['scan', '-q', '--', '/nonexistent-vaultsweep']).status).toBe(2);
    const r = run(['scan', '--since', 'garbage', '.']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not a date/);
  });
});

describe('working tree against the index', () => {
  it('a tracked file changed after the commit is read, even at the same size', async () => {
    const repo = newRepo();
    const committed = fake.githubPat('D');
    const edited = fake.githubPat('E');
    repo.commit('c', { 'a.env': `T=${committed}\n` });
    repo.write('a.env', `T=${edited}\n`);
    const found = await secretsOf(repo.dir);
    const where = Object.fromEntries(found.map((f) => [f.secret, f.locations.map((l) => (l.commit ? 'history' : 'worktree'))]));
    expect(where).toEqual({ [committed]: ['history'], [edited]: ['worktree'] });
  });
});

describe('ignored files', () => {
  it('are skipped unless --include-ignored', async () => {
    const repo = newRepo();
    repo.commit('c', { '.gitignore': 'local/\n', 'a.txt': 'x\n' });
    repo.write('local/creds.env', `T=${fake.githubPat('F')}\n`);
    expect(await secretsOf(repo.dir)).toEqual([]);
    const found = await secretsOf(repo.dir, { includeIgnored: true });
    expect(found.map((f) => f.locations[0].file)).toEqual(['local/creds.env']);
  });
});
