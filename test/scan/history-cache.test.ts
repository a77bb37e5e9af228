import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/scan/scan.js';
import type { Finding } from '../../src/findings/types.js';
import { fake, TestRepo } from '../helpers/repo.js';

const base: Omit<ScanOptions, 'path'> = { history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 2 };
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vaultsweep.js');
const repos: TestRepo[] = [];
const caches: string[] = [];
afterAll(() => {
  repos.forEach((r) => r.cleanup());
  caches.forEach((c) => rmSync(c, { force: true }));
});

/** A repository with secrets in code, in history only, and in Terraform; and a cache file beside it. */
function newRepo() {
  const repo = new TestRepo();
  repos.push(repo);
  repo.commit('one', {
    'src/app.py': `GITHUB_TOKEN = "${fake.githubPat('a')}"\n`,
    'infra/main.tf': 'resource "aws_db_instance" "db" {\n  password = "letmein"\n}\n',
    'docs/readme.md': 'nothing to see here\n'.repeat(50),
  });
  repo.commit('two', { 'old.env': `GH_TOKEN=${fake.githubPat('z')}\n` });
  repo.remove('old.env');
  repo.commit('three');
  const cache = join(repo.dir, '..', `${repo.dir.split('/').pop()}.cache.json`);
  caches.push(cache);
  return { repo, cache };
}

/** What a report says, minus nothing: every field of every finding. */
const fullScan = async (dir: string) => (await scan({ ...base, path: dir })).findings;
const cachedScan = async (dir: string, cacheFile: string) => scan({ ...base, path: dir, cacheFile });
const secrets = (findings: Finding[]) => findings.map((f) => f.secret).sort();

describe('vaultsweep scan --cache (incremental full-history scans)', () => {
  it('reads only what the cache cannot vouch for, and reports exactly what a full scan reports', async () => {
    const { repo, cache } = newRepo();
    const expected = await fullScan(repo.dir);
    expect(secrets(expected)).toEqual([fake.githubPat('z'), fake.githubPat('a'), 'letmein'].sort());

    const first = await cachedScan(repo.dir, cache);
    expect(first.findings).toEqual(expected);
    expect(first.notes).toContain('history cache not used (no cache yet): full scan');
    expect(statSync(cache).mode & 0o777).toBe(0o600);

    const second = await cachedScan(repo.dir, cache);
    expect(second.findings).toEqual(expected);
    const note = second.notes.find((n) => n.startsWith('history cache:'));
    expect(note).toMatch(/^history cache: [1-9]\d* blob\(s\) not read .*, 3 read; 0 new commit\(s\) walked$/);
  });

  it('holds no secret, nor a hash of one: not even the id of a blob that holds one', async () => {
    const { repo, cache } = newRepo();
    const { findings } = await cachedScan(repo.dir, cache);
    const text = readFileSync(cache, 'utf8');
    // A blob id is a SHA-1 of the file's bytes: for a one-line file, a hash of the secret.
    for (const file of ['src/app.py', 'infra/main.tf']) expect(text).not.toContain(repo.git('rev-parse', `HEAD:${file}`).trim());
    expect(text).not.toContain(repo.git('rev-parse', 'HEAD~1:old.env').trim());
    for (const f of findings) {
      expect(text).not.toContain(f.secret!);
      expect(text).not.toContain(f.secretSha256);
      expect(text).not.toContain(createHash('sha256').update(f.secret!).digest('hex').slice(0, 16));
    }
  });

  it('finds what new commits bring, also an old secret at a new path', async () => {
    const { repo, cache } = newRepo();
    await cachedScan(repo.dir, cache);
    repo.commit('four', { 'lib/copy.py': readFileSync(join(repo.dir, 'src/app.py'), 'utf8'), 'new.env': `TOKEN=${fake.githubPat('b')}\n` });
    const incremental = await cachedScan(repo.dir, cache);
    expect(incremental.notes.find((n) => n.startsWith('history cache:'))).toMatch(/1 new commit\(s\) walked/);
    expect(incremental.findings).toEqual(await fullScan(repo.dir));
    const moved = incremental.findings.find((f) => f.secret === fake.githubPat('a'))!;
    expect([...new Set(moved.locations.map((l) => l.file))].sort()).toEqual(['lib/copy.py', 'src/app.py']);
  });

  it('scans a blob it knew as harmless text once a commit puts it where its format tells more', async () => {
    const { repo, cache } = newRepo();
    const terraform = 'resource "aws_db_instance" "ledger" {\n  password = "opensesame"\n}\n';
    repo.commit('notes', { 'notes/db.txt': terraform });
    expect(secrets(await fullScan(repo.dir))).not.toContain('opensesame');
    await cachedScan(repo.dir, cache);
    repo.commit('use it', { 'infra/ledger.tf': terraform });
    const incremental = await cachedScan(repo.dir, cache);
    expect(secrets(incremental.findings)).toContain('opensesame');
    expect(incremental.findings).toEqual(await fullScan(repo.dir));
  });

  it('picks the same first commit as a full scan when two commits share a date', async () => {
    const { repo, cache } = newRepo();
    // A cherry-pick keeps its author date: two commits bring the same token in on the same day.
    repo.git('checkout', '-q', '-b', 'other');
    repo.write('tie.txt', `x\ntoken = "${fake.githubPat('t')}"\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'B');
    repo.git('checkout', '-q', 'main');
    repo.write('tie.txt', `token = "${fake.githubPat('t')}"\ny\n`);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'A');
    const full = await fullScan(repo.dir);
    await cachedScan(repo.dir, cache);
    expect((await cachedScan(repo.dir, cache)).findings).toEqual(full);
  });

  it('finds the commits of a bare repository whose HEAD names a branch with no commits', async () => {
    const { repo, cache } = newRepo();
    const bare = new TestRepo({ init: false });
    repos.push(bare);
    bare.git('init', '-q', '--bare', '-b', 'master');
    repo.git('push', '-q', bare.dir, 'main');
    await cachedScan(bare.dir, cache);
    repo.commit('copy', { 'd.txt': readFileSync(join(repo.dir, 'src/app.py'), 'utf8') });
    repo.git('push', '-q', bare.dir, 'main');
    const incremental = await cachedScan(bare.dir, cache);
    expect(incremental.notes.find((n) => n.startsWith('history cache:'))).toMatch(/1 new commit\(s\) walked/);
    expect(incremental.findings).toEqual(await fullScan(bare.dir));
  });

  it('is not used in a partial clone, whose blobs may arrive later', async () => {
    const { repo, cache } = newRepo();
    repo.git('config', 'uploadpack.allowFilter', 'true');
    const clone = new TestRepo({ init: false });
    repos.push(clone);
    clone.git('clone', '-q', '--filter=blob:none', `file://${repo.dir}`, clone.dir);
    const first = await cachedScan(clone.dir, cache);
    expect(first.notes).toContain('history cache not used (a partial clone: blobs fetched later may belong to old commits): full scan');
    expect(existsSync(cache)).toBe(false);
  });

  it('is not written when commits name blobs the object store lacks', async () => {
    const { repo, cache } = newRepo();
    const blob = repo.git('rev-parse', 'HEAD~1:old.env').trim();
    rmSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    const result = await cachedScan(repo.dir, cache);
    expect(result.notes).toContain('1 blob(s) named by commits are missing from the object store; not scanned');
    expect(result.notes).toContain('history cache not written: blobs are missing from the object store');
    expect(existsSync(cache)).toBe(false);
  });

  it('walks the whole history again when a ref was rewritten', async () => {
    const { repo, cache } = newRepo();
    repo.git('checkout', '-q', '-b', 'feature');
    repo.commit('feature secret', { 'feature.env': `KEY=${fake.githubPat('c')}\n` });
    repo.git('checkout', '-q', 'main');
    await cachedScan(repo.dir, cache);
    repo.git('branch', '-q', '-D', 'feature');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    const after = await cachedScan(repo.dir, cache);
    expect(after.notes).toContain('history cache not used (a commit it saw is no longer reachable (rewritten or deleted ref)): full scan');
    expect(after.findings).toEqual(await fullScan(repo.dir));
  });

  it('copes with more ref tips than a command line holds (a mirror with every pull request)', async () => {
    const { repo, cache } = newRepo();
    // 60,000 commits, each the tip of its own ref: their ids alone are 2.4 MB, over ARG_MAX. The
    // refs go straight into packed-refs, as a clone has them (60,000 loose files take minutes here).
    const stream: string[] = [];
    for (let i = 1; i <= 60_000; i++) {
      stream.push('commit refs/heads/scratch', `mark :${i}`, `committer T <t@example.test> ${1_700_000_000 + i} +0000`, 'data 0', 'from refs/heads/main', '');
    }
    const marks = join(repo.dir, '..', `${repo.dir.split('/').pop()}.marks`);
    caches.push(marks);
    execFileSync('git', ['-C', repo.dir, 'fast-import', '--quiet', `--export-marks=${marks}`], { input: stream.join('\n') + '\n' });
    execFileSync('git', ['-C', repo.dir, 'update-ref', '-d', 'refs/heads/scratch']);
    execFileSync('git', ['-C', repo.dir, 'pack-refs', '--all']);
    const pulls = readFileSync(marks, 'utf8').trim().split('\n').map((line) => {
      const [mark, sha] = line.split(' ');
      return `${sha} refs/pull/${mark.slice(1).padStart(5, '0')}/head`;
    });
    const packed = join(repo.dir, '.git', 'packed-refs');
    const refs = [...readFileSync(packed, 'utf8').trim().split('\n').filter((l) => !l.startsWith('#')), ...pulls];
    refs.sort((a, b) => (a.slice(41) < b.slice(41) ? -1 : 1));
    writeFileSync(packed, `# pack-refs with: peeled fully-peeled sorted \n${refs.join('\n')}\n`);
    expect(execFileSync('git', ['-C', repo.dir, 'rev-list', '--no-walk', '--count', '--all'], { encoding: 'utf8' }).trim()).toBe('60001');
    await cachedScan(repo.dir, cache);
    repo.commit('after', { 'late.env': `TOKEN=${fake.githubPat('d')}\n` });
    const incremental = await cachedScan(repo.dir, cache);
    expect(incremental.notes.find((n) => n.startsWith('history cache:'))).toMatch(/1 new commit\(s\) walked/);
    expect(secrets(incremental.findings)).toContain(fake.githubPat('d'));
  }, 60_000);

  it('is ignored when the rules or options differ, and rebuilt when damaged', async () => {
    const { repo, cache } = newRepo();
    await cachedScan(repo.dir, cache);
    const other = await scan({ ...base, path: repo.dir, cacheFile: cache, maxFileSize: 4096 });
    expect(other.notes).toContain('history cache not used (written by another version or with other rules or options): full scan');
    writeFileSync(cache, readFileSync(cache, 'utf8').slice(0, 60));
    const damaged = await cachedScan(repo.dir, cache);
    expect(damaged.notes).toContain('history cache not used (the cache file is damaged): full scan');
    expect(damaged.findings).toEqual(await fullScan(repo.dir));
    expect(JSON.parse(readFileSync(cache, 'utf8')).format).toBe('vaultsweep-history-cache');
  });

  it('refuses a file that is not a cache, and flags it cannot apply to (exit 2, file untouched)', () => {
    const { repo } = newRepo();
    const precious = join(repo.dir, 'notes.md');
    writeFileSync(precious, '# my notes\n');
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'scan', repo.dir, '-q', ...args], { encoding: 'utf8' });
    const notACache = run(['--cache', precious]);
    expect(notACache.status).toBe(2);
    expect(notACache.stderr).toContain('not a vaultsweep cache; refusing to overwrite it');
    expect(readFileSync(precious, 'utf8')).toBe('# my notes\n');
    const noFolder = run(['--cache', join(repo.dir, 'no/such/folder/cache.json')]);
    expect(noFolder.status).toBe(2);
    expect(noFolder.stderr).toContain('the folder does not exist');
    const sliced = run(['--cache', join(repo.dir, 'c.json'), '--no-history']);
    expect(sliced.status).toBe(2);
    expect(sliced.stderr).toContain('--cache applies to full-history scans');
    expect(existsSync(join(repo.dir, 'c.json'))).toBe(false);
  });
});
