import {
  CreateSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  type SecretsManagerClientConfig,
} from '@aws-sdk/client-secrets-manager';
import { createHash } from 'node:crypto';
import { isVaultTarget, type AwsTarget, type StoreTarget } from '../plan/schema.js';
import { conflictDecision, keyValue, StoreError, type SecretStore, type WriteOptions, type WriteOutcome } from './types.js';

export interface AwsConnection {
  region?: string;
  /** Overrides the endpoint (tests, VPC endpoints); the SDK also reads AWS_ENDPOINT_URL itself. */
  endpoint?: string;
  kmsKeyId?: string;
  tags: Record<string, string>;
}

interface StoredSecret {
  data: Record<string, unknown>;
}

/** The SDK's error name and HTTP status, without depending on its class hierarchy. */
function awsErrorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

/** A ClientRequestToken (32–64 characters) that is the same for the same write on every retry. */
export function requestTokenFor(seed: string, content: string): string {
  const hex = createHash('sha256').update(seed).update('\0').update(content).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * AWS Secrets Manager: each plan target is one key of a secret whose SecretString is a JSON
 * object. New secrets are created with the plan's tags and KMS key; existing ones get a new
 * version with the key merged in. Every write carries a ClientRequestToken derived from the plan
 * and the content, so a retry after a crash does not make a second version.
 */
export class AwsSecretsManagerStore implements SecretStore {
  readonly kind = 'aws-secrets-manager' as const;
  private readonly client: SecretsManagerClient;

  constructor(private readonly connection: AwsConnection) {
    // The SDK warns on every run that its 2027 releases will need Node 22: a note for us, not for users.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const config: SecretsManagerClientConfig = { maxAttempts: 3 };
    if (connection.region) config.region = connection.region;
    if (connection.endpoint) config.endpoint = connection.endpoint;
    this.client = new SecretsManagerClient(config);
  }

  describe(): string {
    const endpoint = this.connection.endpoint ?? process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? process.env.AWS_ENDPOINT_URL;
    return `AWS Secrets Manager${this.connection.region ? ` in ${this.connection.region}` : ''}${endpoint ? ` at ${endpoint}` : ''}`;
  }

  private fail(error: unknown, doing: string): StoreError {
    if (error instanceof StoreError) return error;
    const name = awsErrorName(error);
    const message = (error as Error).message;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (/region/i.test(message) && /missing/i.test(message)) return new StoreError(`no AWS region: set AWS_REGION or pass --region`, 'invalid');
    if (name === 'CredentialsProviderError' || /credential/i.test(name) || /Could not load credentials/i.test(message)) {
      return new StoreError(`no AWS credentials while ${doing}: ${message}`, 'auth');
    }
    if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) return new StoreError(`AWS refused ${doing}: ${message}. The credentials' IAM policy must allow it`, 'denied');
    if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || name === 'ExpiredTokenException') return new StoreError(`AWS did not accept the credentials while ${doing}: ${message}`, 'auth');
    if (status === undefined) return new StoreError(`cannot reach ${this.describe()} while ${doing}: ${(error as NodeJS.ErrnoException).code ?? message}`, 'unreachable');
    return new StoreError(`AWS Secrets Manager answered ${name || status} while ${doing}: ${message}`, status >= 500 ? 'server' : 'invalid');
  }

  async preflight(): Promise<void> {
    try {
      await this.client.send(new ListSecretsCommand({ MaxResults: 1 }));
    } catch (error) {
      throw this.fail(error, 'listing secrets (preflight)');
    }
  }

  private async readSecret(target: AwsTarget): Promise<StoredSecret | undefined> {
    let answer;
    try {
      answer = await this.client.send(new GetSecretValueCommand({ SecretId: target.name }));
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
      if (awsErrorName(error) === 'InvalidRequestException' && /deleted|deletion/i.test((error as Error).message)) {
        throw new StoreError(`the secret ${target.name} is scheduled for deletion: restore it (aws secretsmanager restore-secret) or choose another name`, 'conflict');
      }
      throw this.fail(error, `reading ${target.name}`);
    }
    if (answer.SecretString === undefined) {
      throw new StoreError(`the secret ${target.name} holds binary data, not a JSON object: choose another name in the plan`, 'conflict');
    }
    let data: unknown;
    try {
      data = JSON.parse(answer.SecretString);
    } catch {
      data = undefined;
    }
    if (!data || typeof data !== 'object' || Array.isArray(data)) {
      throw new StoreError(`the secret ${target.name} holds a plain string, not a JSON object of keys: vaultsweep will not replace it; choose another name in the plan`, 'conflict');
    }
    return { data: data as Record<string, unknown> };
  }

  async readKey(target: StoreTarget): Promise<string | undefined> {
    if (isVaultTarget(target)) throw new StoreError('a Vault target was given to the Secrets Manager backend', 'invalid');
    return keyValue((await this.readSecret(target))?.data, target.key);
  }

  async writeKey(target: StoreTarget, value: string, options: WriteOptions): Promise<WriteOutcome> {
    if (isVaultTarget(target)) throw new StoreError('a Vault target was given to the Secrets Manager backend', 'invalid');
    const current = await this.readSecret(target);
    const decision = conflictDecision(current?.data[target.key], value, options, target.name, target.key);
    if (decision !== 'write') return decision;
    const content = JSON.stringify({ ...(current?.data ?? {}), [target.key]: value });
    const token = requestTokenFor(options.requestToken, content);
    try {
      if (!current) {
        await this.client.send(
          new CreateSecretCommand({
            Name: target.name,
            SecretString: content,
            ClientRequestToken: token,
            KmsKeyId: this.connection.kmsKeyId,
            Description: 'Migrated by vaultsweep',
            Tags: Object.entries(this.connection.tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        return 'created';
      }
      await this.client.send(new PutSecretValueCommand({ SecretId: target.name, SecretString: content, ClientRequestToken: token }));
      return 'updated';
    } catch (error) {
      // Created by someone else between our read and write: merge into theirs on the next run.
      if (awsErrorName(error) === 'ResourceExistsException') {
        throw new StoreError(`${target.name} was created or changed by someone else while vaultsweep wrote it: run apply again to merge`, 'conflict');
      }
      throw this.fail(error, `writing ${target.name}`);
    }
  }
}
