import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { AwsSecretsManagerStore, requestTokenFor } from '../../src/migrate/backends/aws-secrets-manager.js';
import { awsClient, awsVersionCount, services, uniqueName, expectStoreError } from '../helpers/stores.js';

const OPTS = { onConflict: 'fail' as const, requestToken: 'plan-secret-1' };

function store(): AwsSecretsManagerStore {
  return new AwsSecretsManagerStore({ region: 'us-east-1', endpoint: services().awsEndpoint, tags: { 'managed-by': 'vaultsweep', 'vaultsweep:repository': 'webapp', team: 'payments' } });
}

describe('AWS Secrets Manager backend against a real moto server', () => {
  it('creates a JSON secret with the tags, merges a second key, and reads both back', async () => {
    const name = `webapp/${uniqueName('db')}`;
    const s = store();
    await s.preflight();
    expect(await s.writeKey({ name, key: 'DB_PASSWORD' }, 'first', OPTS)).toBe('created');
    expect(await s.writeKey({ name, key: 'API_KEY' }, 'second', { ...OPTS, requestToken: 'plan-secret-2' })).toBe('updated');
    const value = await awsClient().send(new GetSecretValueCommand({ SecretId: name }));
    expect(JSON.parse(value.SecretString!)).toEqual({ DB_PASSWORD: 'first', API_KEY: 'second' });
    const described = await awsClient().send(new DescribeSecretCommand({ SecretId: name }));
    expect(Object.fromEntries(described.Tags!.map((t) => [t.Key, t.Value]))).toEqual({ 'managed-by': 'vaultsweep', 'vaultsweep:repository': 'webapp', team: 'payments' });
    expect(await s.readKey({ name, key: 'API_KEY' })).toBe('second');
    expect(await s.readKey({ name: `${name}-missing`, key: 'x' })).toBeUndefined();
  });

  it('makes no new version when the key already holds the value', async () => {
    const name = uniqueName('same');
    const s = store();
    await s.writeKey({ name, key: 'k' }, 'v', OPTS);
    const before = await awsVersionCount(name);
    expect(await s.writeKey({ name, key: 'k' }, 'v', OPTS)).toBe('unchanged');
    expect(await awsVersionCount(name)).toBe(before);
  });

  it('derives the same ClientRequestToken for the same write, a different one for other content', () => {
    const a = requestTokenFor('seed', '{"k":"v"}');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(requestTokenFor('seed', '{"k":"v"}')).toBe(a);
    expect(requestTokenFor('seed', '{"k":"w"}')).not.toBe(a);
  });

  it('stops on a different value under the same key unless told to overwrite or skip', async () => {
    const name = uniqueName('conflict');
    await awsClient().send(new CreateSecretCommand({ Name: name, SecretString: JSON.stringify({ k: 'theirs', other: 'kept' }) }));
    const s = store();
    await expectStoreError(s.writeKey({ name, key: 'k' }, 'ours', OPTS), 'conflict', /already has a different value under "k"/);
    expect(await s.writeKey({ name, key: 'k' }, 'ours', { ...OPTS, onConflict: 'skip' })).toBe('skipped-conflict');
    expect(await s.writeKey({ name, key: 'k' }, 'ours', { ...OPTS, onConflict: 'overwrite' })).toBe('updated');
    const value = await awsClient().send(new GetSecretValueCommand({ SecretId: name }));
    expect(JSON.parse(value.SecretString!)).toEqual({ k: 'ours', other: 'kept' });
  });

  it('will not merge into a secret that holds a plain string', async () => {
    const name = uniqueName('plain');
    await awsClient().send(new CreateSecretCommand({ Name: name, SecretString: 'just-a-password' }));
    await expectStoreError(store().writeKey({ name, key: 'k' }, 'v', OPTS), 'conflict', /holds a plain string, not a JSON object/);
    const value = await awsClient().send(new GetSecretValueCommand({ SecretId: name }));
    expect(value.SecretString).toBe('just-a-password');
  });

  it('creates new secrets with the plan\'s KMS key', async () => {
    const name = uniqueName('kms');
    const s = new AwsSecretsManagerStore({ region: 'us-east-1', endpoint: services().awsEndpoint, kmsKeyId: 'alias/payments-secrets', tags: {} });
    expect(await s.writeKey({ name, key: 'k' }, 'v', OPTS)).toBe('created');
    expect((await awsClient().send(new DescribeSecretCommand({ SecretId: name }))).KmsKeyId).toBe('alias/payments-secrets');
  });

  it('reports an unreachable endpoint as such', async () => {
    const s = new AwsSecretsManagerStore({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', tags: {} });
    await expectStoreError(s.preflight(), 'unreachable', /cannot reach AWS Secrets Manager in us-east-1 at http:\/\/127\.0\.0\.1:1/);
  });
});
