import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CODE_FILE, ENV_FILE, MigrationFixture, SECRETS } from '../helpers/migrate-fixture.js';
import { CuttingRelay, runCli, services, uniqueName, vaultApi } from '../helpers/stores.js';

describe('vaultsweep migrate + apply into a real OpenBao server', () => {
  let fx: MigrationFixture;
  let envPath: string;
  let codePath: string;
  beforeEach(() => {
    fx = new MigrationFixture();
    envPath = `${fx.prefix}/${basename(fx.repo.dir)}/env`;
    codePath = `${fx.prefix}/${basename(fx.repo.dir)}/src/config`;
  });
  afterEach(() => fx.cleanup());

  const migrate = (...extra: string[]) => runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--prefix', fx.prefix, '--quiet', ...extra]);
  const apply = (...extra: string[]) => runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes', ...extra]);
  const stored = async (path: string) => (await vaultApi('GET', `secret/data/${path}`)).json?.data?.data;
  const version = async (path: string) => (await vaultApi('GET', `secret/metadata/${path}`)).json?.data?.current_version;

  it('writes a plan without secret values, applies it, and a re-run changes nothing', async () => {
    const planned = await migrate();
    expect(planned.code).toBe(0);
    expect(planned.stderr).toMatch(/plan: 3 secrets to migrate into Vault \(mount secret\), 3 locations \(3 rewritten automatically, 0 manual\)/);
    expect(planned.stderr).toMatch(/1 only in git history: listed for rotation/);
    const text = readFileSync(fx.plan, 'utf8');
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    const plan = parse(text);
    expect(plan.secrets.map((s: { target: { path: string; key: string } }) => `${s.target.path}#${s.target.key}`)).toEqual([`${envPath}#DB_PASSWORD`, `${envPath}#STRIPE_KEY`, `${codePath}#githubToken`]);

    const first = await apply();
    expect(first.stderr).toMatch(/migrated +iac-secret-value Zq8v\*+ → secret\/.*#DB_PASSWORD \(created; 1 literal rewritten\)/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^3 migrated, 0 already in place, 0 stopped, 0 skipped\./);
    expect(first.stdout).not.toMatch(/To do by hand/);
    expect(first.stdout).toMatch(/src\/config\.js: reads GITHUB_TOKEN from the environment/);
    expect(first.stdout).toMatch(new RegExp(`Rotate: 4 secrets are still in git history[\\s\\S]*${fx.firstCommit.slice(0, 10)}`));
    expect(await stored(envPath)).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
    expect(await stored(codePath)).toEqual({ githubToken: SECRETS.github });
    const env = fx.read('.env');
    expect(env).toBe(
      ENV_FILE.replace(`"${SECRETS.dbPassword}"`, `"vault://secret/${envPath}#DB_PASSWORD"`).replace(SECRETS.stripe, `"vault://secret/${envPath}#STRIPE_KEY"`) +
        `GITHUB_TOKEN="vault://secret/${codePath}#githubToken"\n`,
    );
    expect(fx.read('.env.example')).toBe('DB_PASSWORD=\nSTRIPE_KEY=\nGITHUB_TOKEN=\n');
    expect(fx.read('src/config.js')).toBe(CODE_FILE.replace(`"${SECRETS.github}"`, 'process.env.GITHUB_TOKEN'));
    for (const secret of Object.values(SECRETS)) expect(first.stdout + first.stderr).not.toContain(secret);
    const journal = readFileSync(join(fx.repo.dir, '.vaultsweep', 'journal.jsonl'), 'utf8');
    for (const secret of Object.values(SECRETS)) expect(journal).not.toContain(secret);
    expect(readFileSync(join(fx.repo.dir, '.vaultsweep', '.gitignore'), 'utf8')).toBe('*\n');

    const versions = [await version(envPath), await version(codePath)];
    const again = await apply();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 migrated, 3 already in place, 0 stopped/);
    expect([await version(envPath), await version(codePath)]).toEqual(versions);
    expect(fx.read('.env')).toBe(env);
  });

  it('resumes after being killed between the store write and the file rewrite', async () => {
    await migrate();
    const killed = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { VAULTSWEEP_FAILPOINT: 'after-store' } });
    expect(killed.signal).toBe('SIGKILL');
    // Stored, but no file was touched.
    expect(await stored(envPath)).toEqual({ DB_PASSWORD: SECRETS.dbPassword });
    expect(fx.read('.env')).toBe(ENV_FILE);
    const journal = readFileSync(join(fx.repo.dir, '.vaultsweep', 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal.map((e) => e.step)).toEqual(['stored']);

    const resumed = await apply();
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/migrated +iac-secret-value .* \(unchanged; 1 literal rewritten\)/);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="vault://secret/${envPath}#DB_PASSWORD"`);
    expect(await version(envPath)).toBe(2); // DB_PASSWORD once, STRIPE_KEY once: no second write
    expect(await stored(envPath)).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
  });

  it('stops a secret whose file changed since the plan, and migrates the rest', async () => {
    await migrate();
    writeFileSync(join(fx.repo.dir, '.env'), ENV_FILE.replace(SECRETS.dbPassword, 'Ab3dE5gH7jK9mN1p'));
    const r = await apply();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STOPPED +iac-secret-value .*\n +\.env:3:14 no longer holds the planned secret \(the file changed since the plan was made\)/);
    expect(r.stdout).toMatch(/Some secrets were stopped: nothing was removed from their files/);
    const env = fx.read('.env');
    expect(env).toContain('DB_PASSWORD="Ab3dE5gH7jK9mN1p"');
    expect(env).toContain(`STRIPE_KEY="vault://secret/${envPath}#STRIPE_KEY"`);
    expect(await stored(envPath)).toEqual({ STRIPE_KEY: SECRETS.stripe });
  });

  it('stops on a conflicting value already stored; --on-conflict skip leaves it, overwrite replaces it', async () => {
    await migrate();
    await vaultApi('POST', `secret/data/${envPath}`, { data: { DB_PASSWORD: 'someone-elses' } });
    const stopped = await apply();
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toMatch(/already has a different value under "DB_PASSWORD": rerun with --on-conflict overwrite or skip/);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="${SECRETS.dbPassword}"`);

    const skipped = await apply('--on-conflict', 'skip');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/conflict, skipped +iac-secret-value/);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="${SECRETS.dbPassword}"`);
    expect((await stored(envPath)).DB_PASSWORD).toBe('someone-elses');

    const overwritten = await apply('--on-conflict', 'overwrite');
    expect(overwritten.code).toBe(0);
    expect((await stored(envPath)).DB_PASSWORD).toBe(SECRETS.dbPassword);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="vault://secret/${envPath}#DB_PASSWORD"`);
  });

  it('with a token that may only read: exit 2, permission denied, no file changed', async () => {
    await migrate();
    const policy = uniqueName('reader');
    await vaultApi('PUT', `sys/policies/acl/${policy}`, { policy: 'path "secret/*" { capabilities = ["read", "list"] }\npath "sys/internal/ui/mounts/*" { capabilities = ["read"] }' });
    const token = (await vaultApi('POST', 'auth/token/create', { policies: [policy], ttl: '10m' })).json.auth.client_token;
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { VAULT_TOKEN: token } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Vault refused writing secret\/data\/.*: permission denied/);
    expect(fx.read('.env')).toBe(ENV_FILE);
    expect(await stored(envPath)).toBeUndefined();
  });

  it('with the server unreachable before apply: exit 2 and nothing touched', async () => {
    await migrate();
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { VAULT_ADDR: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach Vault at http:\/\/127\.0\.0\.1:1 .*ECONNREFUSED/);
    expect(fx.read('.env')).toBe(ENV_FILE);
    expect(existsSync(join(fx.repo.dir, '.vaultsweep', 'journal.jsonl'))).toBe(false);
  });

  it('with the server going away during apply: what was stored is rewritten, the rest waits for a re-run', async () => {
    await migrate();
    const relay = new CuttingRelay(new URL(services().vaultAddr), /^POST \/v1\/secret\/data\//, 2);
    const address = await relay.start();
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { VAULT_ADDR: address } });
    await relay.stop();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STOPPED +stripe-live-secret-key .*\n +cannot reach Vault at http:\/\/127\.0\.0\.1:\d+ while writing secret\/data\//);
    const env = fx.read('.env');
    expect(env).toContain(`DB_PASSWORD="vault://secret/${envPath}#DB_PASSWORD"`);
    expect(env).toContain(`STRIPE_KEY=${SECRETS.stripe}`);

    const resumed = await apply();
    expect(resumed.code).toBe(0);
    expect(fx.read('.env')).toContain(`STRIPE_KEY="vault://secret/${envPath}#STRIPE_KEY"`);
    expect(await stored(envPath)).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
  });

  it('--dry-run reads files and store and changes neither', async () => {
    await migrate();
    const r = await apply('--dry-run');
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/would migrate +iac-secret-value .* \(would-create; 1 literal to rewrite\)/);
    expect(r.stdout).toMatch(/^dry run: 3 would be migrated, 0 already in place, 0 would stop, 0 skipped\. Nothing was written\./);
    expect(fx.read('.env')).toBe(ENV_FILE);
    expect(await stored(envPath)).toBeUndefined();
    expect(existsSync(join(fx.repo.dir, '.vaultsweep'))).toBe(false);
  });

  it('--include-history-only migrates a secret read from git, and --filter-repo-file lists every secret (0600)', async () => {
    await migrate('--include-history-only');
    const plan = parse(readFileSync(fx.plan, 'utf8'));
    const historic = plan.secrets.find((s: { locations: { commit: string | null }[] }) => s.locations[0].commit);
    expect(historic.locations[0]).toMatchObject({ file: 'scripts/deploy.sh', commit: fx.firstCommit, rewrite: 'none' });
    const filterFile = join(fx.out, 'replace.txt');
    const r = await apply('--filter-repo-file', filterFile);
    expect(r.code).toBe(0);
    const historicPath = `${fx.prefix}/${basename(fx.repo.dir)}/scripts/deploy`;
    expect(await stored(historicPath)).toEqual({ DEPLOY_TOKEN: SECRETS.oldToken });
    expect(statSync(filterFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(filterFile, 'utf8').trim().split('\n').sort()).toEqual(Object.values(SECRETS).sort());
  });

  it('migrates into a KV version 1 mount', async () => {
    const mount = uniqueName('kvone');
    await vaultApi('POST', `sys/mounts/${mount}`, { type: 'kv', options: { version: '1' } });
    await migrate('--vault-mount', mount);
    const r = await apply();
    expect(r.code).toBe(0);
    expect((await vaultApi('GET', `${mount}/${envPath}`)).json.data).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
    expect(fx.read('.env')).toContain(`DB_PASSWORD="vault://${mount}/${envPath}#DB_PASSWORD"`);
  });
});

describe('apply: stopping, namespaces, links and machine-readable output', () => {
  let fx: MigrationFixture;
  let envPath: string;
  beforeEach(() => {
    fx = new MigrationFixture();
    envPath = `${fx.prefix}/${basename(fx.repo.dir)}/env`;
  });
  afterEach(() => fx.cleanup());

  const migrate = (...extra: string[]) => runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--prefix', fx.prefix, '--quiet', ...extra]);

  it('on Ctrl-C finishes the secret at hand, stops, and a re-run goes on', async () => {
    await migrate();
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { VAULTSWEEP_FAILPOINT: 'after-store:SIGINT' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stopping after the current secret/);
    expect(r.stdout).toMatch(/Interrupted: run the same apply again/);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="vault://secret/${envPath}#DB_PASSWORD"`);
    expect(fx.read('.env')).toContain(`STRIPE_KEY=${SECRETS.stripe}`);
    const again = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes', '--format', 'json']);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.secrets.map((s: { status: string }) => s.status)).toEqual(['already-migrated', 'migrated', 'migrated']);
    expect(report.rotation).toHaveLength(4);
    expect(again.stdout).not.toContain(SECRETS.stripe);
  });

  it('migrates into a Vault namespace', async () => {
    const namespace = uniqueName('team');
    expect((await vaultApi('POST', `sys/namespaces/${namespace}`)).status).toBeLessThan(300);
    expect((await vaultApi('POST', 'sys/mounts/secret', { type: 'kv', options: { version: '2' } }, undefined, namespace)).status).toBe(204);
    await migrate('--vault-namespace', namespace);
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes']);
    expect(r.code).toBe(0);
    expect((await vaultApi('GET', `secret/data/${envPath}`, undefined, undefined, namespace)).json.data.data).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
    expect((await vaultApi('GET', `secret/data/${envPath}`)).status).toBe(404);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="vault://secret/${envPath}?namespace=${namespace}#DB_PASSWORD"`);
  });

  it('does not rewrite through a symbolic link that leaves the repository', async () => {
    await migrate();
    const outside = join(fx.out, 'elsewhere.env');
    writeFileSync(outside, ENV_FILE);
    unlinkSync(join(fx.repo.dir, '.env'));
    symlinkSync(outside, join(fx.repo.dir, '.env'));
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\.env: .*symbolic link/);
    expect(readFileSync(outside, 'utf8')).toBe(ENV_FILE);
  });

  it('a plan can mark a false positive: apply lists it in .vaultsweepignore and later scans leave it out', async () => {
    await migrate();
    const plan = readFileSync(fx.plan, 'utf8').replace(/action: migrate\n(\s+)rule: stripe-live-secret-key/, 'action: false-positive\n$1reason: test key from the docs\n$1rule: stripe-live-secret-key');
    writeFileSync(fx.plan, plan);
    const id = parse(plan).secrets.find((s: { rule: string }) => s.rule === 'stripe-live-secret-key').id;
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 migrated, 0 already in place, 0 stopped, 0 skipped, 1 false positive\./);
    expect(fx.read('.vaultsweepignore')).toBe(`${id}  # test key from the docs\n`);
    expect(fx.read('.env')).toContain(`STRIPE_KEY=${SECRETS.stripe}`);
    const scan = await runCli(['scan', fx.repo.dir, '--no-history', '-f', 'json', '--quiet']);
    expect(JSON.parse(scan.stdout).map((f: { rule: string }) => f.rule)).not.toContain('stripe-live-secret-key');
  });

  it('refuses a second apply while one runs', async () => {
    await migrate();
    mkdirSync(join(fx.repo.dir, '.vaultsweep'), { recursive: true });
    writeFileSync(join(fx.repo.dir, '.vaultsweep', 'apply.lock'), `${process.pid}\n`);
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`another vaultsweep apply \\(pid ${process.pid}\\) is running`));
    expect(fx.read('.env')).toBe(ENV_FILE);
    // A lock left by a process that is gone is taken over.
    writeFileSync(join(fx.repo.dir, '.vaultsweep', 'apply.lock'), '999999\n');
    expect((await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'])).code).toBe(0);
  });
});
