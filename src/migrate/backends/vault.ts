import nodeVault from 'node-vault';
import { isVaultTarget, type StoreTarget, type VaultTarget } from '../plan/schema.js';
import { conflictDecision, keyValue, StoreError, type SecretStore, type WriteOptions, type WriteOutcome } from './types.js';
import type { VaultConnection } from './vault-config.js';

type VaultClient = ReturnType<typeof nodeVault>;
type KvVersion = 1 | 2;

interface KvSecret {
  data: Record<string, unknown>;
  /** KV v2: the current version, for check-and-set (0 when the path has none). */
  version: number;
}

const CAS_RETRIES = 5;

function statusOf(error: unknown): number | undefined {
  return (error as { response?: { statusCode?: number } }).response?.statusCode;
}

/** A request's failure as something the user can act on. */
function storeError(error: unknown, address: string, doing: string): StoreError {
  if (error instanceof StoreError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  const status = statusOf(error);
  const message = (error as Error).message;
  if (status === undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|HOSTNAME/.test(code ?? '')) {
    return new StoreError(`the TLS certificate of Vault at ${address} is not trusted (${code}: ${message}) while ${doing}: give its CA with --ca-cert or VAULT_CACERT, or the name it was issued to with --tls-server-name`, 'unreachable');
  }
  if (status === undefined) {
    return new StoreError(`cannot reach Vault at ${address} while ${doing}: ${code ?? message}. Is VAULT_ADDR right and the server up?`, 'unreachable');
  }
  if (status === 403) return new StoreError(`Vault refused ${doing}: permission denied. The token's policies must allow it (${message})`, 'denied');
  if (status === 401) return new StoreError(`Vault refused the credentials while ${doing}: ${message}`, 'auth');
  if (status === 503) return new StoreError(`Vault at ${address} is sealed or in standby while ${doing}: ${message}`, 'unreachable');
  return new StoreError(`Vault answered ${status} while ${doing}: ${message}`, status >= 500 ? 'server' : 'invalid');
}

/**
 * HashiCorp Vault (or OpenBao) KV secrets engine: version 2 with check-and-set writes, or version 1
 * when the mount says so. Each plan target is one key inside the data of one KV path; writes merge.
 */
export class VaultKvStore implements SecretStore {
  readonly kind = 'vault' as const;
  private readonly client: VaultClient;
  private readonly versions = new Map<string, KvVersion>();
  private loggedIn = false;

  constructor(private readonly connection: VaultConnection) {
    const { tls } = connection;
    const options = {
      endpoint: connection.address,
      namespace: connection.namespace,
      token: connection.auth.method === 'token' ? connection.auth.token : undefined,
      requestOptions: {
        ...(tls.ca ? { ca: tls.ca } : {}),
        ...(tls.cert ? { cert: tls.cert, key: tls.key } : {}),
        strictSSL: !tls.skipVerify,
        ...(tls.serverName ? { agentOptions: { servername: tls.serverName } } : {}),
        timeout: 30_000,
      },
      // node-vault reads VAULT_SKIP_VERIFY as "any value disables checks"; ours is parsed like the Vault CLI's.
      rpDefaults: { strictSSL: !tls.skipVerify, timeout: 30_000 },
    };
    this.client = nodeVault(options as Parameters<typeof nodeVault>[0]);
  }

  describe(): string {
    return `Vault at ${this.connection.address}${this.connection.namespace ? ` (namespace ${this.connection.namespace})` : ''}`;
  }

  private async login(): Promise<void> {
    if (this.loggedIn) return;
    const auth = this.connection.auth;
    if (auth.method === 'approle') {
      try {
        await this.client.approleLogin({ role_id: auth.roleId, secret_id: auth.secretId, mount_point: auth.mount });
      } catch (error) {
        const status = statusOf(error);
        if (status === 400 || status === 403) throw new StoreError(`AppRole login at auth/${auth.mount} failed: ${(error as Error).message}. Check VAULT_ROLE_ID and VAULT_SECRET_ID`, 'auth');
        throw storeError(error, this.connection.address, `logging in with AppRole at auth/${auth.mount}`);
      }
    }
    this.loggedIn = true;
  }

  async preflight(): Promise<void> {
    await this.login();
    try {
      await this.client.tokenLookupSelf();
    } catch (error) {
      if (statusOf(error) === 403) {
        const source = this.connection.auth.method === 'token' ? this.connection.auth.source : 'AppRole';
        throw new StoreError(`Vault at ${this.connection.address} does not accept the token from ${source}: it is invalid or expired`, 'auth');
      }
      throw storeError(error, this.connection.address, 'checking the token');
    }
  }

  /** KV version of a mount, as the Vault CLI finds it (sys/internal/ui/mounts works for any token with access to the path). */
  async mountVersion(mount: string): Promise<KvVersion> {
    const known = this.versions.get(mount);
    if (known) return known;
    let version: KvVersion;
    try {
      const answer = (await this.client.read(`sys/internal/ui/mounts/${mount}`)) as { data?: { type?: string; options?: { version?: string } | null } };
      const type = answer.data?.type;
      if (type && type !== 'kv' && type !== 'generic') throw new StoreError(`the Vault mount ${mount}/ is a ${type} engine, not KV: choose a KV mount with --vault-mount or in the plan`, 'invalid');
      version = answer.data?.options?.version === '2' ? 2 : 1;
    } catch (error) {
      const status = statusOf(error);
      // Vault answers 403 for a mount that does not exist as for one the token may not see.
      if (status === 400 || status === 403 || status === 404) {
        throw new StoreError(`Vault has no mount ${mount}/ that this token can see: enable it (vault secrets enable -path=${mount} kv-v2), grant the token access, or choose another mount`, 'invalid');
      }
      throw storeError(error, this.connection.address, `reading the mount ${mount}/`);
    }
    this.versions.set(mount, version);
    return version;
  }

  private async readSecret(target: VaultTarget): Promise<KvSecret | undefined> {
    const version = await this.mountVersion(target.mount);
    const path = version === 2 ? `${target.mount}/data/${target.path}` : `${target.mount}/${target.path}`;
    try {
      const answer = (await this.client.read(path)) as { data?: { data?: Record<string, unknown> | null; metadata?: { version?: number } } & Record<string, unknown> };
      if (version === 1) return { data: (answer.data as Record<string, unknown>) ?? {}, version: 0 };
      return { data: answer.data?.data ?? {}, version: answer.data?.metadata?.version ?? 0 };
    } catch (error) {
      if (statusOf(error) === 404) {
        // KV v2 answers 404 for a deleted latest version too: its metadata still counts for check-and-set.
        const metadata = version === 2 ? await this.currentVersion(target) : 0;
        return metadata ? { data: {}, version: metadata } : undefined;
      }
      throw storeError(error, this.connection.address, `reading ${path}`);
    }
  }

  private async currentVersion(target: VaultTarget): Promise<number> {
    try {
      const answer = (await this.client.read(`${target.mount}/metadata/${target.path}`)) as { data?: { current_version?: number } };
      return answer.data?.current_version ?? 0;
    } catch {
      return 0;
    }
  }

  /**
   * Splits a full KV path (`team/kv/apps/web`) into its mount and the path inside it, asking the
   * server as the Vault CLI's `kv get` does, since a mount may have several segments.
   */
  async splitPath(fullPath: string): Promise<{ mount: string; path: string }> {
    await this.login();
    try {
      const answer = (await this.client.read(`sys/internal/ui/mounts/${fullPath}`)) as { data?: { path?: string; type?: string; options?: { version?: string } | null } };
      const mount = (answer.data?.path ?? '').replace(/\/+$/, '');
      if (!mount || !fullPath.startsWith(`${mount}/`)) throw new StoreError(`no KV mount holds ${fullPath} on Vault at ${this.connection.address}`, 'invalid');
      this.versions.set(mount, answer.data?.options?.version === '2' ? 2 : 1);
      return { mount, path: fullPath.slice(mount.length + 1) };
    } catch (error) {
      const status = statusOf(error);
      if (status === 400 || status === 403 || status === 404) throw new StoreError(`no KV mount that this token can see holds ${fullPath} on Vault at ${this.connection.address}`, 'invalid');
      throw storeError(error, this.connection.address, `finding the mount of ${fullPath}`);
    }
  }

  async readKey(target: StoreTarget): Promise<string | undefined> {
    if (!isVaultTarget(target)) throw new StoreError('a Secrets Manager target was given to the Vault backend', 'invalid');
    await this.login();
    return keyValue((await this.readSecret(target))?.data, target.key);
  }

  async writeKey(target: StoreTarget, value: string, options: WriteOptions): Promise<WriteOutcome> {
    if (!isVaultTarget(target)) throw new StoreError('a Secrets Manager target was given to the Vault backend', 'invalid');
    await this.login();
    const kv = await this.mountVersion(target.mount);
    for (let attempt = 0; attempt < CAS_RETRIES; attempt++) {
      const current = await this.readSecret(target);
      const decision = conflictDecision(current?.data[target.key], value, options, `${target.mount}/${target.path}`, target.key);
      if (decision !== 'write') return decision;
      const data = { ...(current?.data ?? {}), [target.key]: value };
      const path = kv === 2 ? `${target.mount}/data/${target.path}` : `${target.mount}/${target.path}`;
      try {
        await this.client.write(path, kv === 2 ? { options: { cas: current?.version ?? 0 }, data } : data);
        return current ? 'updated' : 'created';
      } catch (error) {
        // Someone wrote the path between our read and our write: read again and merge into theirs.
        if (kv === 2 && statusOf(error) === 400 && /check-and-set/i.test((error as Error).message)) continue;
        throw storeError(error, this.connection.address, `writing ${path}`);
      }
    }
    throw new StoreError(`${target.mount}/${target.path} kept changing while vaultsweep wrote it (${CAS_RETRIES} check-and-set attempts): try again`, 'conflict');
  }
}
