import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway git repository that tests write commits into with fixed authors and dates. */
export class TestRepo {
  readonly dir: string;
  private tick = 0;

  constructor(options: { bare?: boolean; init?: boolean } = {}) {
    this.dir = mkdtempSync(join(tmpdir(), 'vaultsweep-test-'));
    if (options.init !== false) this.git('init', '-q', '-b', 'main', ...(options.bare ? ['--bare'] : []));
  }

  git(...args: string[]): string {
    const date = `2024-01-${String(1 + (this.tick % 28)).padStart(2, '0')}T10:00:00Z`;
    return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.dir,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: this.dir,
        GIT_AUTHOR_NAME: 'Test Author',
        GIT_AUTHOR_EMAIL: 'author@example.test',
        GIT_COMMITTER_NAME: 'Test Author',
        GIT_COMMITTER_EMAIL: 'author@example.test',
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
  }

  write(path: string, content: string | Buffer): this {
    const abs = join(this.dir, path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
    return this;
  }

  remove(path: string): this {
    unlinkSync(join(this.dir, path));
    return this;
  }

  /** Stages everything and commits; returns the new commit's sha. */
  commit(message: string, files: Record<string, string | Buffer> = {}): string {
    for (const [path, content] of Object.entries(files)) this.write(path, content);
    this.tick++;
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Fake tokens of real shapes, built at run time so this file holds no literal secret. */
export const fake = {
  /** A distinct classic GitHub token per seed character. */
  githubPat: (seed = 'a') => 'ghp_' + 'Zx9Qw3Er7Ty1Ui5Op2As8Df4Gh6Jk0Lz'.replace(/[0-9]/g, seed) + 'Mn3B',
  awsKeyId: (n = 1) => 'AKIA' + 'Q7ZL3WN5XK' + 'BCDEFGHIJK'[n % 10] + 'RTPV3Z',
  stripeLive: () => 'sk_live_' + '51Hx8LqJ2mK9vN3pR7tW4yZ6aB1cD5eF0gH8iJ2kL4mN6oP',
};
