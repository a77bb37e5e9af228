import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VaultKvStore } from '../../src/migrate/backends/vault.js';
import { vaultConnection } from '../../src/migrate/backends/vault-config.js';
import { expectStoreError, uniqueName } from '../helpers/stores.js';

const ROOT = join(import.meta.dirname, '..', '..');
const OPTS = { onConflict: 'fail' as const, requestToken: 't' };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A second OpenBao dev server, this one serving TLS with a CA of its own (`-dev-tls`). */
describe('Vault over TLS, as the Vault CLI configures it', () => {
  const certs = mkdtempSync(join(tmpdir(), 'vaultsweep-tls-'));
  let server: ChildProcess;
  let address: string;
  const token = `tls-${process.pid}`;

  beforeAll(async () => {
    const bin = execFileSync('bash', [join(ROOT, 'scripts', 'services.sh'), 'openbao-bin'], { encoding: 'utf8' }).trim();
    const port = await freePort();
    address = `https://127.0.0.1:${port}`;
    server = spawn(bin, ['server', '-dev', '-dev-tls', `-dev-tls-cert-dir=${certs}`, '-dev-no-store-token', `-dev-listen-address=127.0.0.1:${port}`], {
      env: { ...process.env, VAULT_DEV_ROOT_TOKEN_ID: token },
      stdio: 'ignore',
    });
    const ca = join(certs, 'vault-ca.pem');
    for (let i = 0; i < 300; i++) {
      try {
        await vaultStore({ VAULT_CACERT: ca }).preflight();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error('the TLS OpenBao server did not start');
  });
  afterAll(() => {
    server?.kill('SIGTERM');
    rmSync(certs, { recursive: true, force: true });
  });

  function vaultStore(env: NodeJS.ProcessEnv, flags = {}): VaultKvStore {
    return new VaultKvStore(vaultConnection(flags, { VAULT_ADDR: address, VAULT_TOKEN: token, ...env }, '/nonexistent'));
  }

  it('trusts the server through VAULT_CACERT (or --ca-cert) and writes', async () => {
    const path = uniqueName('tls');
    expect(await vaultStore({ VAULT_CACERT: join(certs, 'vault-ca.pem') }).writeKey({ mount: 'secret', path, key: 'k' }, 'v', OPTS)).toBe('created');
    expect(await vaultStore({}, { caCert: join(certs, 'vault-ca.pem') }).readKey({ mount: 'secret', path, key: 'k' })).toBe('v');
    expect(await vaultStore({}, { caPath: certs }).readKey({ mount: 'secret', path, key: 'k' })).toBe('v');
  });

  it('refuses a server it cannot verify, and says what to give', async () => {
    await expectStoreError(vaultStore({}).preflight(), 'unreachable', /TLS certificate of Vault at https:\/\/127\.0\.0\.1:\d+ is not trusted .*--ca-cert or VAULT_CACERT/);
  });

  it('checks the name the certificate was issued to (--tls-server-name)', async () => {
    const ca = join(certs, 'vault-ca.pem');
    await vaultStore({ VAULT_CACERT: ca, VAULT_TLS_SERVER_NAME: 'localhost' }).preflight();
    await expectStoreError(vaultStore({ VAULT_CACERT: ca }, { tlsServerName: 'elsewhere.invalid' }).preflight(), 'unreachable', /not trusted/);
  });

  it('skips verification only when VAULT_SKIP_VERIFY says true', async () => {
    await vaultStore({ VAULT_SKIP_VERIFY: 'true' }).preflight();
    await expectStoreError(vaultStore({ VAULT_SKIP_VERIFY: 'false' }).preflight(), 'unreachable', /not trusted/);
  });
});
