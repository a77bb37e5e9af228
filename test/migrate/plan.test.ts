import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding, FindingLocation } from '../../src/findings/types.js';
import { buildPlan } from '../../src/migrate/plan/build.js';
import { parsePlan, planToYaml } from '../../src/migrate/plan/file.js';
import { awsSafeName, segment } from '../../src/migrate/plan/names.js';
import { MigrationFixture } from '../helpers/migrate-fixture.js';
import { runCli } from '../helpers/stores.js';

const SHA = (c: string) => c.repeat(64);

function finding(id: string, sha: string, locations: Partial<FindingLocation>[], rule = 'generic-password'): Finding {
  return {
    id,
    rule,
    detector: 'regex',
    severity: 'high',
    description: 'd',
    secretSha256: sha,
    redacted: 'ab****',
    inWorktree: locations.some((l) => l.commit === null),
    firstSeen: null,
    locations: locations.map((l) => ({ file: 'a', line: 1, column: 1, endLine: l.line ?? 1, endColumn: 5, commit: null, ...l })),
  };
}

describe('default targets in a plan', () => {
  const vault = { type: 'vault' as const, mount: 'secret' };

  it('names the path after the resource or file and the key after the bound name', () => {
    const plan = buildPlan(
      [
        finding('1', SHA('a'), [{ file: 'infra/main.tf', context: { format: 'terraform', path: 'resource.aws_db_instance.ledger.password', key: 'password' } }]),
        finding('2', SHA('b'), [{ file: 'deploy/docker-compose.yml', context: { format: 'compose', path: 'services.db.environment.POSTGRES_PASSWORD', key: 'POSTGRES_PASSWORD' } }]),
        finding('3', SHA('c'), [{ file: 'config/.env.production', context: { format: 'dotenv', path: 'API_KEY', key: 'API_KEY' } }]),
        finding('4', SHA('d'), [{ file: 'src/app.py' }], 'slack-bot-token'),
      ],
      { backend: vault, repository: 'ledger', prefix: 'apps/payments', includeHistoryOnly: false },
    );
    expect(plan.secrets.map((s) => s.target)).toEqual([
      { mount: 'secret', path: 'apps/payments/ledger/config/env.production', key: 'API_KEY' },
      { mount: 'secret', path: 'apps/payments/ledger/db', key: 'POSTGRES_PASSWORD' },
      { mount: 'secret', path: 'apps/payments/ledger/aws_db_instance.ledger', key: 'password' },
      { mount: 'secret', path: 'apps/payments/ledger/src/app', key: 'slack_bot_token' },
    ]);
  });

  it('gives two different secrets bound to the same name in one file different keys', () => {
    const ctx = { format: 'dotenv', path: 'TOKEN', key: 'TOKEN' };
    const plan = buildPlan([finding('1', SHA('a'), [{ file: '.env', line: 1, context: ctx }]), finding('2', SHA('b'), [{ file: '.env', line: 2, context: ctx }])], { backend: vault, repository: 'r', includeHistoryOnly: false });
    expect(plan.secrets.map((s) => (s.target as { key: string }).key)).toEqual(['TOKEN', 'TOKEN_2']);
  });

  it('keeps Secrets Manager names valid and clear of the random-suffix shape', () => {
    expect(awsSafeName('webapp/config-secret')).toBe('webapp/config_secret');
    expect(awsSafeName('webapp/config-secrets')).toBe('webapp/config-secrets');
    expect(segment(' my app (prod) ')).toBe('my-app-prod');
  });

  it('lists history-only secrets for rotation unless asked to migrate them', () => {
    const history = finding('h', SHA('e'), [{ file: 'old.sh', commit: 'f'.repeat(40) }]);
    const plain = buildPlan([history], { backend: vault, repository: 'r', includeHistoryOnly: false });
    expect(plain.secrets).toEqual([]);
    expect(plain.historyOnly[0]).toMatchObject({ id: 'h', locations: [{ file: 'old.sh', commit: 'f'.repeat(40), line: 1 }] });
    const all = buildPlan([history], { backend: vault, repository: 'r', includeHistoryOnly: true });
    expect(all.secrets[0].locations[0]).toMatchObject({ commit: 'f'.repeat(40), rewrite: 'none' });
  });

  it('round-trips through YAML and validates', () => {
    const plan = buildPlan([finding('1', SHA('a'), [{ file: '.env', context: { format: 'dotenv', path: 'K', key: 'K' } }])], { backend: vault, repository: 'r', includeHistoryOnly: false });
    const again = parsePlan(planToYaml(plan));
    expect(again.secrets[0]).toEqual(plan.secrets[0]);
    expect(again.secrets[0].locations[0].rewrite).toBe('dotenv-reference');
  });
});

describe('loading a plan a person edited', () => {
  const valid = () =>
    planToYaml(
      buildPlan([finding('1', SHA('a'), [{ file: '.env', context: { format: 'dotenv', path: 'K', key: 'K' } }]), finding('2', SHA('b'), [{ file: 'b.env', line: 3 }])], {
        backend: { type: 'vault', mount: 'secret' },
        repository: 'r',
        includeHistoryOnly: false,
      }),
    );

  const errorOf = (text: string) => {
    try {
      parsePlan(text, 'plan.yaml');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('the plan was accepted');
  };

  it('says where a field is wrong', () => {
    const text = valid().replace(`secretSha256: ${SHA('a')}`, 'secretSha256: abc');
    const line = text.split('\n').findIndex((l) => l.includes('secretSha256: abc')) + 1;
    expect(errorOf(text)).toBe(`invalid plan:\nplan.yaml:${line}:19: secrets[0].secretSha256: must be 64 lowercase hex digits (a SHA-256)`);
  });

  it('refuses paths that leave the repository and store paths Vault cannot hold', () => {
    expect(errorOf(valid().replace('file: .env', 'file: ../../etc/passwd'))).toMatch(/plan\.yaml:\d+:\d+: secrets\[0\]\.locations\[0\]\.file: must not leave the repository/);
    expect(errorOf(valid().replace('file: .env', 'file: /etc/passwd'))).toMatch(/file: must be relative to the repository root/);
    expect(errorOf(valid().replace(/path: r\/env/, 'path: r/../../sys'))).toMatch(/target\.path: must not contain "\." or "\.\." segments|target/);
  });

  it('refuses one store key for two different secrets', () => {
    const text = valid().replace(/path: r\/b\n(\s+)key: generic_password/, 'path: r/env\n$1key: K');
    expect(errorOf(text)).toMatch(/secrets\[1\]\.target: secret\/r\/env#K is also the target of secrets\[0\], a different secret/);
  });

  it('explains broken YAML, unknown fields and a wrong version', () => {
    expect(errorOf('version: 1\nsecrets: [\n')).toMatch(/^plan\.yaml:\d+:\d+: not valid YAML/);
    expect(errorOf(valid().replace('version: 1', 'version: 7'))).toMatch(/plan\.yaml:4:10: version: Invalid literal value, expected 1/);
    expect(errorOf(valid().replace('action: migrate', 'action: migrate\n    colour: blue'))).toMatch(/Unrecognized key\(s\) in object: 'colour'/);
  });
});

describe('the migrate and apply commands', () => {
  let fx: MigrationFixture;
  beforeEach(() => (fx = new MigrationFixture()));
  afterEach(() => fx.cleanup());

  it('apply exits 2 on an invalid plan, naming the line', async () => {
    writeFileSync(fx.plan, 'version: 1\nrepository: r\nbackend:\n  type: consul\n');
    const r = await runCli(['apply', fx.plan, '--yes', '--repo', fx.repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plan\.yaml:4:9: backend\.type: Invalid discriminator value\. Expected 'vault' \| 'aws-secrets-manager'/);
  });

  it('apply without --yes and without a terminal refuses, changing nothing', async () => {
    expect((await runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--quiet'])).code).toBe(0);
    const r = await runCli(['apply', fx.plan, '--repo', fx.repo.dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/pass --yes to apply without a prompt/);
  });

  it('migrate will not replace an existing plan without --force', async () => {
    writeFileSync(fx.plan, 'mine\n');
    const r = await runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists: pass --force/);
    expect((await runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--quiet', '--force'])).code).toBe(0);
  });

  it('a plan file is not itself a finding (its secretSha256 values are hashes)', async () => {
    expect((await runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--quiet'])).code).toBe(0);
    const r = await runCli(['scan', fx.out, '--no-history', '-f', 'json', '--quiet']);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
  });

  it('migrate keeps the rewrite options in the plan', async () => {
    const r = await runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--quiet', '--terraform-ephemeral', '--secret-store', 'payments-vault', '--secret-store-kind', 'SecretStore']);
    expect(r.code).toBe(0);
    expect(parsePlan(readFileSync(fx.plan, 'utf8')).rewriteOptions).toEqual({ terraformEphemeral: true, secretStore: 'payments-vault', secretStoreKind: 'SecretStore' });
  });

  it('migrate refuses tags for Vault and a tag without =', async () => {
    expect((await runCli(['migrate', fx.repo.dir, '--plan-out', join(fx.out, 'p1.yaml'), '--quiet', '--tag', 'a=b'])).stderr).toMatch(/--tag is for Secrets Manager/);
    expect((await runCli(['migrate', fx.repo.dir, '--backend', 'aws-secrets-manager', '--plan-out', join(fx.out, 'p2.yaml'), '--quiet', '--tag', 'ab'])).stderr).toMatch(/--tag "ab" is not key=value/);
  });
});

describe('apply finds the repository the plan is for', () => {
  it('refuses to run from another repository without --repo', async () => {
    const fx = new MigrationFixture();
    const other = new MigrationFixture();
    try {
      expect((await runCli(['migrate', fx.repo.dir, '--plan-out', fx.plan, '--quiet'])).code).toBe(0);
      const r = await runCli(['apply', fx.plan, '--yes'], { cwd: other.repo.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/the plan is for the repository "vaultsweep-test-\w+", but the current folder is in "vaultsweep-test-\w+": run apply inside/);
    } finally {
      fx.cleanup();
      other.cleanup();
    }
  });
});
