import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fake, TestRepo } from '../helpers/repo.js';
import { BIN, services, uniqueName, vaultApi } from '../helpers/stores.js';

/**
 * The interactive migrator driven as a person would: the real CLI in a tmux pane (a real
 * pseudo-terminal, 100×30), keys sent with send-keys, the screen read with capture-pane, and
 * the real OpenBao server behind it.
 */

const DB_PASSWORD = 'Qv7nR2xT9wLm4Kp8';
const STRIPE = fake.stripeLive();
const GITHUB = fake.githubPat('4');

class Pane {
  readonly name = uniqueName('vaultsweep-tui');

  constructor(cwd: string, command: string, env: Record<string, string>, size: [number, number] = [100, 30]) {
    const exports = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
    execFileSync('tmux', ['new-session', '-d', '-x', String(size[0]), '-y', String(size[1]), '-s', this.name, '-c', cwd, `env ${exports} ${command}; echo "[exit $?]"; sleep 30`]);
  }

  screen(): string {
    return execFileSync('tmux', ['capture-pane', '-p', '-t', this.name], { encoding: 'utf8' });
  }

  keys(...keys: string[]): void {
    for (const key of keys) execFileSync('tmux', ['send-keys', '-t', this.name, key]);
  }

  /** Types text literally (no key names). */
  type(text: string): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, '-l', text]);
  }

  async waitFor(pattern: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = this.screen();
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the screen never showed ${pattern}; it shows:\n${last}`);
  }

  close(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

describe('the interactive migrator in a terminal, against a real OpenBao server', () => {
  let repo: TestRepo;
  let pane: Pane | undefined;
  const prefix = uniqueName('tui');
  beforeEach(() => {
    repo = new TestRepo();
    repo.commit('app', {
      '.env': `# settings\nDB_PASSWORD="${DB_PASSWORD}"\nSTRIPE_KEY=${STRIPE}\n`,
      'src/config.js': `const githubToken = "${GITHUB}";\nmodule.exports = { githubToken };\n`,
    });
  });
  afterEach(() => {
    pane?.close();
    repo.cleanup();
  });

  const start = (args = '', size?: [number, number]) => {
    const { vaultAddr, rootToken } = services();
    pane?.close();
    pane = new Pane(repo.dir, `node ${BIN} migrate --prefix ${prefix} ${args}`, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: rootToken, NO_COLOR: '1' }, size);
    return pane;
  };

  it('navigate, mark one false positive, migrate two secrets, confirm: store, files and .vaultsweepignore change', async () => {
    const p = start();
    await p.waitFor(/3 of 3 secrets/);
    // The GitHub token in code is a false positive here.
    p.keys('/');
    p.type('config.js');
    await p.waitFor(/1 of 3 secrets .*\/config\.js/);
    p.keys('Enter');
    p.keys('f');
    await p.waitFor(/Why is github-pat-classic .* not a secret/);
    p.type('fixture token for the docs');
    await p.waitFor(/fixture token for the docs/);
    p.keys('Enter');
    await p.waitFor(/1 marked as false positive/);
    // The two in .env are migrated.
    p.keys('/');
    p.type('.env');
    await p.waitFor(/2 of 3 secrets .*\/\.env/);
    p.keys('Enter');
    p.keys('a', 'm');
    await p.waitFor(/2 secrets: migrate/);
    p.keys('Escape');
    await p.waitFor(/3 of 3 secrets/);
    p.keys('r');
    const review = await p.waitFor(/Migrate 2 secrets into Vault/);
    expect(review).toMatch(/Mark 1 as false positive/);
    expect(review).not.toContain(DB_PASSWORD);
    p.keys('y');
    const summary = await p.waitFor(/q quit/, 60_000);
    expect(summary).not.toContain(DB_PASSWORD);
    p.keys('q');
    await p.waitFor(/\[exit 0\]/);

    const path = `${prefix}/${basename(repo.dir)}/env`;
    expect((await vaultApi('GET', `secret/data/${path}`)).json.data.data).toEqual({ DB_PASSWORD, STRIPE_KEY: STRIPE });
    const env = readFileSync(join(repo.dir, '.env'), 'utf8');
    expect(env).toContain(`DB_PASSWORD="vault://secret/${path}#DB_PASSWORD"`);
    expect(env).toContain(`STRIPE_KEY="vault://secret/${path}#STRIPE_KEY"`);
    expect(readFileSync(join(repo.dir, 'src/config.js'), 'utf8')).toContain(GITHUB);
    expect(readFileSync(join(repo.dir, '.vaultsweepignore'), 'utf8')).toMatch(/^[0-9a-f]{16} {2}# fixture token for the docs\n$/);
    expect(readFileSync(join(repo.dir, 'vaultsweep-plan.yaml'), 'utf8')).toMatch(/action: false-positive/);
  });

  it('q at the list leaves everything as it was', async () => {
    const p = start();
    await p.waitFor(/3 of 3 secrets/);
    p.keys('a', 'm', 'q');
    await p.waitFor(/nothing changed[\s\S]*\[exit 0\]/);
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect((await vaultApi('GET', `secret/data/${prefix}/${basename(repo.dir)}/env`)).status).toBe(404);
  });

  it('in 80×24: reveals a secret only on request and masks it again; w saves the plan and --resume takes it up', async () => {
    let p = start('', [80, 24]);
    await p.waitFor(/3 of 3 secrets/);
    p.keys('/');
    p.type('.env:2');
    await p.waitFor(/1 of 3 secrets/);
    p.keys('Enter', 'Enter');
    let details = await p.waitFor(/iac-secret-value/);
    expect(details).not.toContain(DB_PASSWORD);
    expect(details.split('\n').every((line) => line.length <= 80)).toBe(true);
    p.keys('r');
    details = await p.waitFor(/revealed/);
    expect(details).toContain(DB_PASSWORD);
    p.keys('Escape');
    await p.waitFor(/1 of 3 secrets/);
    p.keys('Enter');
    details = await p.waitFor(/iac-secret-value/);
    expect(details).not.toContain(DB_PASSWORD);
    p.keys('m', 'Escape');
    await p.waitFor(/1 secret: migrate/);
    p.keys('w');
    await p.waitFor(/plan saved to [\s\S]*\[exit 0\]/);
    expect(readFileSync(join(repo.dir, 'vaultsweep-plan.yaml'), 'utf8')).toMatch(/action: migrate/);
    p = start('--resume vaultsweep-plan.yaml', [80, 24]);
    const list = await p.waitFor(/3 of 3 secrets/);
    expect(list.match(/ M /g)?.length).toBe(1);
    p.keys('q');
    await p.waitFor(/\[exit 0\]/);
  });
});
