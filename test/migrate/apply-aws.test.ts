import { DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_FILE, MigrationFixture, SECRETS } from '../helpers/migrate-fixture.js';
import { awsClient, awsVersionCount, CuttingRelay, runCli, services } from '../helpers/stores.js';

describe('vaultsweep migrate + apply into a real moto Secrets Manager', () => {
  let fx: MigrationFixture;
  let envName: string;
  beforeEach(() => {
    fx = new MigrationFixture();
    envName = `${fx.prefix}/${basename(fx.repo.dir)}/env`;
  });
  afterEach(() => fx.cleanup());

  const migrate = (...extra: string[]) => runCli(['migrate', fx.repo.dir, '--backend', 'aws-secrets-manager', '--plan-out', fx.plan, '--prefix', fx.prefix, '--quiet', ...extra]);
  const apply = (...extra: string[]) => runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes', ...extra]);
  const stored = async (name: string) => JSON.parse((await awsClient().send(new GetSecretValueCommand({ SecretId: name }))).SecretString!);

  it('creates tagged JSON secrets, rewrites .env to aws-sm:// references, and a re-run makes no new version', async () => {
    const planned = await migrate('--tag', 'team=payments', '--region', 'us-east-1');
    expect(planned.code).toBe(0);
    const plan = parse(readFileSync(fx.plan, 'utf8'));
    expect(plan.backend).toEqual({ type: 'aws-secrets-manager', region: 'us-east-1', tags: { team: 'payments' } });
    expect(plan.secrets[0].target).toEqual({ name: envName, key: 'DB_PASSWORD' });

    const first = await apply();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^3 migrated/);
    expect(first.stderr).not.toMatch(/NodeVersionSupportWarning/);
    expect(await stored(envName)).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
    const tags = (await awsClient().send(new DescribeSecretCommand({ SecretId: envName }))).Tags!;
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).toEqual({ 'managed-by': 'vaultsweep', 'vaultsweep:repository': basename(fx.repo.dir), team: 'payments' });
    expect(fx.read('.env')).toBe(
      ENV_FILE.replace(`"${SECRETS.dbPassword}"`, `"aws-sm://${envName}#DB_PASSWORD"`).replace(SECRETS.stripe, `"aws-sm://${envName}#STRIPE_KEY"`) +
        `GITHUB_TOKEN="aws-sm://${envName.replace(/env$/, 'src/config')}#githubToken"\n`,
    );

    const versions = await awsVersionCount(envName);
    const again = await apply();
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^0 migrated, 3 already in place/);
    expect(await awsVersionCount(envName)).toBe(versions);
  });

  it('resumes after a kill between the store write and the rewrite without a second version', async () => {
    await migrate();
    const killed = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { VAULTSWEEP_FAILPOINT: 'after-store' } });
    expect(killed.signal).toBe('SIGKILL');
    expect(fx.read('.env')).toBe(ENV_FILE);
    expect(await awsVersionCount(envName)).toBe(1);
    const resumed = await apply();
    expect(resumed.code).toBe(0);
    expect(await awsVersionCount(envName)).toBe(2); // created with DB_PASSWORD, then STRIPE_KEY merged in
    expect(fx.read('.env')).toContain(`DB_PASSWORD="aws-sm://${envName}#DB_PASSWORD"`);
  });

  it('with the endpoint going away during apply: the first secret is done, a re-run does the rest', async () => {
    await migrate();
    // Preflight, then three calls per secret (read, write, read back): the 6th is the second write.
    const relay = new CuttingRelay(new URL(services().awsEndpoint), /^POST \//, 6);
    const address = await relay.start();
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { AWS_ENDPOINT_URL: address } });
    await relay.stop();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/STOPPED +stripe-live-secret-key .*\n +cannot reach AWS Secrets Manager/);
    expect(fx.read('.env')).toContain(`DB_PASSWORD="aws-sm://${envName}#DB_PASSWORD"`);
    expect(fx.read('.env')).toContain(`STRIPE_KEY=${SECRETS.stripe}`);
    const resumed = await apply();
    expect(resumed.code).toBe(0);
    expect(await stored(envName)).toEqual({ DB_PASSWORD: SECRETS.dbPassword, STRIPE_KEY: SECRETS.stripe });
  });

  it('with the endpoint unreachable: exit 2, nothing touched', async () => {
    await migrate();
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir, '--yes'], { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot reach AWS Secrets Manager/);
    expect(fx.read('.env')).toBe(ENV_FILE);
  });
});
