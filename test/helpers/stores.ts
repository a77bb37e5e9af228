import { spawn } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect } from 'vitest';
import { StoreError } from '../../src/migrate/backends/types.js';

/** Helpers for tests against the real OpenBao and moto servers that the global setup started. */

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vaultsweep.js');

export function services(): { vaultAddr: string; rootToken: string; awsEndpoint: string } {
  const vaultAddr = process.env.VAULT_ADDR;
  const rootToken = process.env.VAULT_TOKEN;
  const awsEndpoint = process.env.AWS_ENDPOINT_URL;
  if (!vaultAddr || !rootToken || !awsEndpoint) throw new Error('the test servers are not running (test/setup/services.ts)');
  return { vaultAddr, rootToken, awsEndpoint };
}

/** A raw Vault HTTP call with the root token, for setting up and checking what vaultsweep did. */
export async function vaultApi(method: string, path: string, body?: unknown, token = services().rootToken, namespace?: string): Promise<{ status: number; json: any }> {
  const response = await fetch(`${services().vaultAddr}/v1/${path}`, {
    method,
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json', ...(namespace ? { 'X-Vault-Namespace': namespace } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

/** A unique name per test so tests never see each other's secrets. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export function awsClient(): SecretsManagerClient {
  return new SecretsManagerClient({ region: 'us-east-1', endpoint: services().awsEndpoint });
}

export async function awsVersionCount(name: string): Promise<number> {
  const answer = await awsClient().send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
  return answer.Versions?.length ?? 0;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a child process (async, so servers in this process keep answering). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/**
 * A loopback TCP relay in front of a real server that drops every connection, and refuses new
 * ones, as soon as a request line matches `cutWhen`: the server going away in the middle of a run.
 */
export class CuttingRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  cut = false;

  private matches = 0;

  /** Cuts at the `nth` request whose request line matches `cutWhen`. */
  constructor(
    private readonly target: URL,
    private readonly cutWhen: RegExp,
    private readonly nth = 1,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((client) => {
      if (this.cut) return client.destroy();
      const upstream = connect(Number(this.target.port), this.target.hostname);
      this.sockets.add(client).add(upstream);
      client.on('data', (data: Buffer) => {
        if (this.cut) return;
        if (this.cutWhen.test(data.toString('latin1').split('\r\n', 1)[0]) && ++this.matches >= this.nth) return this.cutAll();
        upstream.write(data);
      });
      upstream.on('data', (data) => client.write(data));
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }

  private cutAll(): void {
    this.cut = true;
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.cutAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** Awaits a store call that must fail with this kind of StoreError and a message a user can act on. */
export async function expectStoreError(promise: Promise<unknown>, kind: StoreError['kind'], message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).kind).toBe(kind);
  expect((error as StoreError).message).toMatch(message);
}
