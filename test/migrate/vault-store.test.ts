import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VaultKvStore } from '../../src/migrate/backends/vault.js';
import { vaultConnection } from '../../src/migrate/backends/vault-config.js';
import { services, uniqueName, vaultApi, expectStoreError } from '../helpers/stores.js';

const OPTS = { onConflict: 'fail' as const, requestToken: 'test' };

function store(env: NodeJS.ProcessEnv = {}): VaultKvStore {
  const { vaultAddr, rootToken } = services();
  return new VaultKvStore(vaultConnection({}, { VAULT_ADDR: vaultAddr, VAULT_TOKEN: rootToken, ...env }, '/nonexistent'));
}

describe('Vault KV backend against a real OpenBao server', () => {
  const kv1 = uniqueName('kv1');
  beforeAll(async () => {
    expect((await vaultApi('POST', `sys/mounts/${kv1}`, { type: 'kv', options: { version: '1' } })).status).toBe(204);
  });

  it('creates a KV v2 secret, merges a second key into it, and reads both back', async () => {
    const path = uniqueName('app');
    const s = store();
    expect(await s.mountVersion('secret')).toBe(2);
    expect(await s.writeKey({ mount: 'secret', path, key: 'DB_PASSWORD' }, 'first-value', OPTS)).toBe('created');
    expect(await s.writeKey({ mount: 'secret', path, key: 'API_KEY' }, 'second-value', OPTS)).toBe('updated');
    const { json } = await vaultApi('GET', `secret/data/${path}`);
    expect(json.data.data).toEqual({ DB_PASSWORD: 'first-value', API_KEY: 'second-value' });
    expect(json.data.metadata.version).toBe(2);
    expect(await s.readKey({ mount: 'secret', path, key: 'API_KEY' })).toBe('second-value');
    expect(await s.readKey({ mount: 'secret', path, key: 'MISSING' })).toBeUndefined();
  });

  it('writes nothing when the key already holds the value (no new version)', async () => {
    const path = uniqueName('same');
    const s = store();
    await s.writeKey({ mount: 'secret', path, key: 'k' }, 'v', OPTS);
    expect(await s.writeKey({ mount: 'secret', path, key: 'k' }, 'v', OPTS)).toBe('unchanged');
    expect((await vaultApi('GET', `secret/metadata/${path}`)).json.data.current_version).toBe(1);
  });

  it('keeps keys someone else wrote between our read and our write (check-and-set)', async () => {
    const path = uniqueName('race');
    await vaultApi('POST', `secret/data/${path}`, { data: { theirs: 'x' } });
    const s = store();
    expect(await s.writeKey({ mount: 'secret', path, key: 'ours' }, 'y', OPTS)).toBe('updated');
    expect((await vaultApi('GET', `secret/data/${path}`)).json.data.data).toEqual({ theirs: 'x', ours: 'y' });
  });

  it('stops on a different value under the same key unless told to overwrite or skip', async () => {
    const path = uniqueName('conflict');
    await vaultApi('POST', `secret/data/${path}`, { data: { k: 'someone-else' } });
    const s = store();
    await expectStoreError(s.writeKey({ mount: 'secret', path, key: 'k' }, 'ours', OPTS), 'conflict', /already has a different value under "k".*--on-conflict/);
    expect(await s.writeKey({ mount: 'secret', path, key: 'k' }, 'ours', { ...OPTS, onConflict: 'skip' })).toBe('skipped-conflict');
    expect(await s.readKey({ mount: 'secret', path, key: 'k' })).toBe('someone-else');
    expect(await s.writeKey({ mount: 'secret', path, key: 'k' }, 'ours', { ...OPTS, onConflict: 'overwrite' })).toBe('updated');
    expect(await s.readKey({ mount: 'secret', path, key: 'k' })).toBe('ours');
  });

  it('detects a KV v1 mount and writes without versions', async () => {
    const s = store();
    expect(await s.mountVersion(kv1)).toBe(1);
    const path = uniqueName('v1');
    expect(await s.writeKey({ mount: kv1, path, key: 'a' }, '1', OPTS)).toBe('created');
    expect(await s.writeKey({ mount: kv1, path, key: 'b' }, '2', OPTS)).toBe('updated');
    expect((await vaultApi('GET', `${kv1}/${path}`)).json.data).toEqual({ a: '1', b: '2' });
  });

  it('says which mount is missing', async () => {
    await expectStoreError(store().writeKey({ mount: 'no-such-mount', path: 'x', key: 'k' }, 'v', OPTS), 'invalid', /no mount no-such-mount\/.*secrets enable/);
  });

  it('refuses a token whose policy only reads, and says so', async () => {
    const policy = uniqueName('read-only');
    await vaultApi('PUT', `sys/policies/acl/${policy}`, { policy: 'path "secret/*" { capabilities = ["read", "list"] }\npath "sys/internal/ui/mounts/*" { capabilities = ["read"] }' });
    const token = (await vaultApi('POST', 'auth/token/create', { policies: [policy], ttl: '10m' })).json.auth.client_token as string;
    const s = store({ VAULT_TOKEN: token });
    await s.preflight();
    await expectStoreError(s.writeKey({ mount: 'secret', path: uniqueName('denied'), key: 'k' }, 'v', OPTS), 'denied', /permission denied/);
  });

  it('refuses an invalid token at preflight', async () => {
    await expectStoreError(store({ VAULT_TOKEN: 'not-a-token' }).preflight(), 'auth', /does not accept the token from VAULT_TOKEN/);
  });

  it('reports an unreachable server as such', async () => {
    const s = new VaultKvStore(vaultConnection({}, { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: 'x' }, '/nonexistent'));
    await expectStoreError(s.preflight(), 'unreachable', /cannot reach Vault at http:\/\/127\.0\.0\.1:1.*ECONNREFUSED/);
  });

  it('logs in with AppRole', async () => {
    const mount = uniqueName('approle');
    await vaultApi('POST', `sys/auth/${mount}`, { type: 'approle' });
    const policy = uniqueName('writer');
    await vaultApi('PUT', `sys/policies/acl/${policy}`, { policy: 'path "secret/*" { capabilities = ["create", "read", "update"] }\npath "sys/internal/ui/mounts/*" { capabilities = ["read"] }' });
    await vaultApi('POST', `auth/${mount}/role/ci`, { token_policies: [policy] });
    const roleId = (await vaultApi('GET', `auth/${mount}/role/ci/role-id`)).json.data.role_id as string;
    const secretId = (await vaultApi('POST', `auth/${mount}/role/ci/secret-id`)).json.data.secret_id as string;
    const s = store({ VAULT_TOKEN: '', VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: secretId, VAULT_APPROLE_MOUNT: mount });
    await s.preflight();
    const path = uniqueName('approle-app');
    expect(await s.writeKey({ mount: 'secret', path, key: 'k' }, 'v', OPTS)).toBe('created');
    const bad = store({ VAULT_TOKEN: '', VAULT_ROLE_ID: roleId, VAULT_SECRET_ID: 'wrong', VAULT_APPROLE_MOUNT: mount });
    await expectStoreError(bad.preflight(), 'auth', /AppRole login .* failed/);
  });

  it('reads the token from ~/.vault-token when VAULT_TOKEN is not set', () => {
    const home = mkdtempSync(join(tmpdir(), 'vaultsweep-home-'));
    writeFileSync(join(home, '.vault-token'), `${services().rootToken}\n`);
    const connection = vaultConnection({}, { VAULT_ADDR: services().vaultAddr }, home);
    expect(connection.auth).toEqual({ method: 'token', token: services().rootToken, source: '~/.vault-token' });
    expect(() => vaultConnection({}, { VAULT_ADDR: services().vaultAddr }, '/nonexistent')).toThrow(/no Vault credentials/);
  });
});
