import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/scan/scan.js';
import { fake, TestRepo } from '../helpers/repo.js';

const base: Omit<ScanOptions, 'path'> = { history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 1 };
const repos: TestRepo[] = [];
const newRepo = (options?: { bare?: boolean; init?: boolean }) => {
  const r = new TestRepo(options);
  repos.push(r);
  return r;
};
afterAll(() => repos.forEach((r) => r.cleanup()));

const secrets = async (path: string, extra: Partial<ScanOptions> = {}) => {
  const result = await scan({ ...base, path, ...extra });
  return { secrets: result.findings.map((f) => f.secret).sort(), files: result.findings.flatMap((f) => f.locations.map((l) => l.file)), notes: result.notes };
};

describe('files a scanner must survive', () => {
  it('skips binary files, in the tree and in history', async () => {
    const repo = newRepo();
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 0]), Buffer.from(`token=${fake.githubPat('c')}`)]);
    repo.commit('binary', { 'blob.bin': binary });
    expect((await secrets(repo.dir)).secrets).toEqual([]);
  });

  it('skips files over --max-file-size with a note', async () => {
    const repo = newRepo();
    repo.commit('big', { 'big.txt': `token=${fake.githubPat('d')}\n` + 'x'.repeat(4096) });
    const { secrets: found, notes } = await secrets(repo.dir, { maxFileSize: 1024 });
    expect(found).toEqual([]);
    expect(notes.join('\n')).toMatch(/over --max-file-size 1024/);
  });

  it('finds a secret in a very long minified line with the right column', async () => {
    const repo = newRepo();
    const token = fake.githubPat('e');
    const line = 'var a=1;'.repeat(200_000) + `t="${token}";` + 'b=2;'.repeat(100_000);
    repo.commit('minified', { 'app.min.js': line });
    const result = await scan({ ...base, path: repo.dir });
    expect(result.findings[0].locations[0]).toMatchObject({ line: 1, column: 1_600_000 + 4 });
  });

  it('scans files that are not valid UTF-8', async () => {
    const repo = newRepo();
    const token = fake.githubPat('f');
    repo.commit('latin1', { 'legacy.properties': Buffer.concat([Buffer.from('caf\xe9=1\n', 'latin1'), Buffer.from(`gh.token=${token}\n`)]) });
    expect((await secrets(repo.dir)).secrets).toEqual([token]);
  });

  it('reports odd path names (spaces, newline, non-ASCII) exactly', async () => {
    const repo = newRepo();
    const names = ['with space/my file.env', 'ünïcode/ключ.env', 'new\nline.env'];
    names.forEach((name, i) => repo.write(name, `TOKEN=${fake.githubPat(String(i))}\n`));
    repo.commit('odd names');
    const { files } = await secrets(repo.dir);
    expect([...new Set(files)].sort()).toEqual([...names].sort());
  });

  it('never follows a symlink out of the tree', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'vaultsweep-outside-'));
    writeFileSync(join(outside, 'creds.env'), `TOKEN=${fake.githubPat('g')}\n`);
    const repo = newRepo();
    symlinkSync(join(outside, 'creds.env'), join(repo.dir, 'link.env'));
    symlinkSync(outside, join(repo.dir, 'linkdir'));
    repo.commit('links');
    try {
      expect((await secrets(repo.dir)).secrets).toEqual([]);
      expect((await secrets(repo.dir, { includeIgnored: true })).secrets).toEqual([]);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('repositories of every shape', () => {
  it('an empty folder: nothing found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaultsweep-empty-'));
    expect((await secrets(dir)).secrets).toEqual([]);
    rmSync(dir, { recursive: true });
  });

  it('a repository without commits: its files are scanned', async () => {
    const repo = newRepo();
    const token = fake.githubPat('h');
    repo.write('new.env', `TOKEN=${token}\n`);
    expect((await secrets(repo.dir)).secrets).toEqual([token]);
  });

  it('a bare repository: history is scanned', async () => {
    const src = newRepo();
    const token = fake.githubPat('i');
    src.commit('c', { 'a.env': `TOKEN=${token}\n` });
    const bare = newRepo({ init: false });
    execFileSync('git', ['clone', '-q', '--bare', src.dir, join(bare.dir, 'r.git')]);
    expect((await secrets(join(bare.dir, 'r.git'))).secrets).toEqual([token]);
  });

  it('a shallow clone: what it holds is scanned, with a note', async () => {
    const src = newRepo();
    const old = fake.githubPat('j');
    const recent = fake.githubPat('k');
    src.commit('old', { 'a.env': `TOKEN=${old}\n` });
    src.commit('drop', { 'a.env': 'TOKEN=\n' });
    src.commit('recent', { 'b.env': `TOKEN=${recent}\n` });
    const holder = newRepo({ init: false });
    const clone = join(holder.dir, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${src.dir}`, clone]);
    const { secrets: found, notes } = await secrets(clone);
    expect(found).toEqual([recent]);
    expect(notes.join('\n')).toMatch(/shallow clone/);
  });

  it('a submodule is noted, not entered', async () => {
    const inner = newRepo();
    inner.commit('inner', { 'x.env': `TOKEN=${fake.githubPat('l')}\n` });
    const outer = newRepo();
    outer.commit('base', { 'README.md': 'x\n' });
    outer.git('-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', inner.dir, 'vendor/inner');
    outer.commit('add submodule');
    const { secrets: found, notes } = await secrets(outer.dir);
    expect(found).toEqual([]);
    expect(notes).toContain('submodule vendor/inner not entered');
  });
});

describe('a hostile repository', () => {
  it('runs nothing its config or attributes name', async () => {
    const repo = newRepo();
    const marker = join(repo.dir, '..', `pwned-${process.pid}-${Date.now()}`);
    const script = join(repo.dir, '.git', 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    mkdirSync(join(repo.dir, '.git', 'hooks'), { recursive: true });
    for (const hook of ['post-checkout', 'pre-commit', 'post-index-change', 'reference-transaction']) {
      writeFileSync(join(repo.dir, '.git', 'hooks', hook), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    }
    const token = fake.githubPat('m');
    repo.commit('c', { 'a.env': `TOKEN=${token}\n`, '.gitattributes': '* diff=evil filter=evil\n' });
    repo.write('a.env', `TOKEN=${token}\nMORE=1\n`); // a dirty file makes git look at the work tree
    for (const [key, value] of [
      ['core.fsmonitor', script],
      ['core.hooksPath', join(repo.dir, '.git', 'hooks')],
      ['diff.external', script],
      ['diff.evil.textconv', script],
      ['diff.evil.command', script],
      ['filter.evil.clean', script],
      ['filter.evil.smudge', script],
      ['filter.evil.process', script],
      ['core.pager', script],
      ['core.sshCommand', script],
      ['credential.helper', `!${script}`],
      ['core.askPass', script],
    ]) {
      repo.git('config', key, value);
    }
    const { secrets: found } = await secrets(repo.dir);
    expect(found).toEqual([token]);
    await secrets(repo.dir, { staged: true });
    await secrets(repo.dir, { range: 'HEAD~0' });
    expect(existsSync(marker)).toBe(false);
  });
});
