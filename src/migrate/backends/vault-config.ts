import { readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../../detect/load-rules.js';

/** How to reach and authenticate to Vault, from the same variables and flags the Vault CLI reads. */
export interface VaultConnection {
  address: string;
  namespace?: string;
  auth: { method: 'token'; token: string; source: string } | { method: 'approle'; roleId: string; secretId?: string; mount: string };
  tls: { ca?: string[]; cert?: string; key?: string; skipVerify: boolean; serverName?: string };
}

export interface VaultFlags {
  address?: string;
  namespace?: string;
  caCert?: string;
  caPath?: string;
  clientCert?: string;
  clientKey?: string;
  tlsSkipVerify?: boolean;
  tlsServerName?: string;
}

function truthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|t|true|yes|y)$/i.test(value.trim());
}

function readPem(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Token: VAULT_TOKEN; else AppRole when VAULT_ROLE_ID is set (an explicit choice beats a
 * leftover token file); else ~/.vault-token as the Vault CLI's token helper writes it.
 */
export function vaultConnection(flags: VaultFlags, env: NodeJS.ProcessEnv = process.env, home = homedir()): VaultConnection {
  const address = (flags.address ?? env.VAULT_ADDR ?? 'https://127.0.0.1:8200').replace(/\/+$/, '');
  if (!/^https?:\/\/[^/]+/.test(address)) throw new InputError(`VAULT_ADDR "${address}" is not an http(s) URL`);
  let auth: VaultConnection['auth'];
  if (env.VAULT_TOKEN) {
    auth = { method: 'token', token: env.VAULT_TOKEN.trim(), source: 'VAULT_TOKEN' };
  } else if (env.VAULT_ROLE_ID) {
    auth = { method: 'approle', roleId: env.VAULT_ROLE_ID, secretId: env.VAULT_SECRET_ID, mount: env.VAULT_APPROLE_MOUNT ?? 'approle' };
  } else {
    let token = '';
    try {
      token = readFileSync(join(home, '.vault-token'), 'utf8').trim();
    } catch {
      // no token file
    }
    if (!token) {
      throw new InputError('no Vault credentials: set VAULT_TOKEN, or VAULT_ROLE_ID and VAULT_SECRET_ID for AppRole, or log in with `vault login` (~/.vault-token)');
    }
    auth = { method: 'token', token, source: '~/.vault-token' };
  }
  const ca: string[] = [];
  const caCert = flags.caCert ?? env.VAULT_CACERT;
  if (caCert) ca.push(readPem(caCert, 'CA certificate'));
  const caPath = flags.caPath ?? env.VAULT_CAPATH;
  if (caPath) {
    let names: string[];
    try {
      names = readdirSync(caPath);
    } catch (error) {
      throw new InputError(`cannot read CA folder ${caPath}: ${(error as NodeJS.ErrnoException).code}`);
    }
    for (const name of names.filter((n) => /\.(pem|crt)$/i.test(n)).sort()) ca.push(readPem(join(caPath, name), 'CA certificate'));
  }
  const certFile = flags.clientCert ?? env.VAULT_CLIENT_CERT;
  const keyFile = flags.clientKey ?? env.VAULT_CLIENT_KEY;
  if ((certFile === undefined) !== (keyFile === undefined)) throw new InputError('a client certificate needs both --client-cert and --client-key (VAULT_CLIENT_CERT, VAULT_CLIENT_KEY)');
  return {
    address,
    namespace: flags.namespace ?? (env.VAULT_NAMESPACE || undefined),
    auth,
    tls: {
      ca: ca.length ? ca : undefined,
      cert: certFile ? readPem(certFile, 'client certificate') : undefined,
      key: keyFile ? readPem(keyFile, 'client key') : undefined,
      skipVerify: flags.tlsSkipVerify ?? truthy(env.VAULT_SKIP_VERIFY),
      serverName: flags.tlsServerName ?? (env.VAULT_TLS_SERVER_NAME || undefined),
    },
  };
}
