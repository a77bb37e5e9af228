import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseReference, referenceUri } from '../../src/migrate/references.js';
import { awsClient, runCli, uniqueName, vaultApi } from '../helpers/stores.js';

const PRINT = ['node', '-e', 'process.stdout.write(JSON.stringify({ db: process.env.DB_PASSWORD, api: process.env.API_KEY, plain: process.env.PLAIN }))'];

describe('vaultsweep run: store references resolved into a child process', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vaultsweep-run-'));
  const path = uniqueName('run');
  const name = uniqueName('run-aws');
  beforeAll(async () => {
    await vaultApi('POST', `secret/data/${path}`, { data: { DB_PASSWORD: 'p@ss word"quoted' } });
    await awsClient().send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ API_KEY: 'k-123' }) }));
    writeFileSync(join(dir, '.env'), `DB_PASSWORD="vault://secret/${path}#DB_PASSWORD"\nAPI_KEY="aws-sm://${name}#API_KEY"\nPLAIN=hello\n`);
  });

  it('hands the values to the command and prints none of them', async () => {
    const r = await runCli(['run', '--', ...PRINT], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ db: 'p@ss word"quoted', api: 'k-123', plain: 'hello' });
    expect(r.stderr).toBe('vaultsweep run: 2 variables from the store (DB_PASSWORD, API_KEY)\n');
  });

  it('lets the environment win over the env file, and resolves references in the environment too', async () => {
    const r = await runCli(['run', '-q', '--', ...PRINT], { cwd: dir, env: { PLAIN: 'from-env', DB_PASSWORD: `vault://secret/${path}#DB_PASSWORD` } });
    expect(JSON.parse(r.stdout)).toMatchObject({ plain: 'from-env', db: 'p@ss word"quoted' });
    expect(r.stderr).toBe('');
  });

  it('returns the command\'s exit code', async () => {
    expect((await runCli(['run', '-q', '--', 'node', '-e', 'process.exit(7)'], { cwd: dir })).code).toBe(7);
  });

  it('exits 2 naming the variable when a reference does not resolve, and runs nothing', async () => {
    const bad = join(dir, 'bad.env');
    writeFileSync(bad, `X="vault://secret/${path}#NOPE"\n`);
    const r = await runCli(['run', '--env-file', bad, '--', 'node', '-e', 'console.log("ran")'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`vaultsweep: X: vault://secret/${path}#NOPE does not exist in the store (no such secret or key)\n`);
  });

  it('exits 2 when the store is unreachable, or the command missing', async () => {
    const r = await runCli(['run', '--', 'true'], { cwd: dir, env: { VAULT_ADDR: 'http://127.0.0.1:1' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/DB_PASSWORD: cannot resolve vault:\/\/secret\/.*: cannot reach Vault at http:\/\/127\.0\.0\.1:1/);
    const missing = await runCli(['run', '-q', '--', 'no-such-command-here'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot run no-such-command-here: command not found/);
  });

  it('reads back every reference shape it writes', () => {
    expect(parseReference(referenceUri({ mount: 'team/kv', path: 'apps/web', key: 'a b#c' }, { type: 'vault', mount: 'team/kv', namespace: 'eng/payments' }))).toEqual({
      kind: 'vault',
      fullPath: 'team/kv/apps/web',
      key: 'a b#c',
      namespace: 'eng/payments',
    });
    expect(parseReference(referenceUri({ name: 'webapp/env', key: 'K' }, { type: 'aws-secrets-manager', tags: {} }))).toEqual({ kind: 'aws-secrets-manager', name: 'webapp/env', key: 'K' });
    expect(parseReference('https://example.com/#x')).toBeUndefined();
  });
});
