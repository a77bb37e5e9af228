import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { externalSecretManifest, helmRewriter } from '../../../src/migrate/rewrite/helm.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const FAKE = /pg-Ledger|r3dis-|tok-ledger|sm7p-|sk_fake_helm|b1lling-|whsec-Billing/;

describe('Helm values rewriter', () => {
  it('accepts Helm locations for both stores', () => {
    const location = { file: 'values.yaml', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'helm', path: 'a.password', key: 'password' } };
    expect(helmRewriter.accepts(location, BACKENDS.vault)).toBe(true);
    expect(helmRewriter.accepts(location, BACKENDS.aws)).toBe(true);
    expect(helmRewriter.accepts({ ...location, context: { format: 'kubernetes', path: 'x', key: 'x' } }, BACKENDS.vault)).toBe(false);
  });

  it('writes the ExternalSecret as one line of YAML', () => {
    const manifest = externalSecretManifest('ledger-redis-auth', [{ secretKey: 'password', target: { mount: 'secret', path: 'webapp/values', key: 'password' } }], { secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' });
    // Vault keys carry their mount, as the Kubernetes rewriter writes them.
    expect(parse(manifest)).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: 'ledger-redis-auth' },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'vaultsweep' },
        target: { name: 'ledger-redis-auth', creationPolicy: 'Owner' },
        data: [{ secretKey: 'password', remoteRef: { key: 'secret/webapp/values', property: 'password' } }],
      },
    });
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`empties passwords and points existingSecret at a Secret made from the store (${name})`, async () => {
      const { result, edits } = await rewriteFixture(helmRewriter, 'helm', 'values.yaml', backend);
      expect(edits.length).toBe(5);
      expectGolden(result.text, 'helm', `values.yaml.${name}.expected`);
      expect(parseAllDocuments(result.text).every((d) => d.errors.length === 0)).toBe(true);
      const values = parse(result.text);
      expect(values.postgresql.auth).toMatchObject({ password: '', existingSecret: 'ledger-postgres', secretKeys: { userPasswordKey: 'password' } });
      expect(values.redis.auth).toMatchObject({ password: '', existingSecret: 'ledger-redis-auth', existingSecretPasswordKey: 'password' });
      // The chart's own templates read ledger.smtp.existingSecret: the lines are added.
      expect(values.ledger.smtp).toEqual({ host: 'smtp.example.com', username: 'ledger', password: '', existingSecret: 'ledger-smtp', existingSecretPasswordKey: 'password' });

      expect(result.manual.map((m) => m.edit.location.context?.path)).toEqual(['ledger.apiToken', 'ledger.extraEnv.STRIPE_SECRET_KEY']);
      const [apiToken, extraEnv] = result.manual.map((m) => m.reason);
      const read = name === 'vault' ? 'vault kv get -mount=secret -field=apiToken webapp/values' : "aws secretsmanager get-secret-value --secret-id webapp/values --query SecretString --output text | jq -j .apiToken";
      expect(apiToken).toBe(`the chart has no existingSecret value beside ledger.apiToken: set it to "" here and pass the value at deploy time from the store (\`helm upgrade --install <release> <chart> -f values.yaml --set-file ledger.apiToken=<(${read})\`), or give the chart an existingSecret option`);
      expect(extraEnv).toMatch(/^replace `value:` of STRIPE_SECRET_KEY in ledger\.extraEnv with `valueFrom: \{secretKeyRef: \{name: ledger-extra-env, key: STRIPE_SECRET_KEY\}\}` \(when the chart copies ledger\.extraEnv into the container's env\) and create that Secret from the store, e\.g\. with this ExternalSecret: \{apiVersion: external-secrets\.io\/v1, kind: ExternalSecret, /);

      expect(result.notes).toHaveLength(4);
      const [postgres, redis, smtp, caution] = result.notes;
      expect(postgres).toMatch(/^values\.yaml: the chart already reads the Kubernetes Secret ledger-postgres: make it hold key password from the store in the release's namespace, e\.g\. with this External Secrets Operator ExternalSecret \(`kubectl apply -n <namespace> -f -`\): \{.+\}; it needs the External Secrets Operator \(v0\.17 or later\) and the ClusterSecretStore "vaultsweep" for /);
      expect(redis).toContain('create the Kubernetes Secret ledger-redis-auth with key password from the store');
      expect(smtp).toContain('create the Kubernetes Secret ledger-smtp with key password from the store');
      expect(caution).toBe('values.yaml: with postgresql.auth.existingSecret set, the chart reads postgresql.auth.postgresPassword (key postgres-password) from Secret ledger-postgres too: add that key to it (see the chart\'s documentation of existingSecret)');
      const manifest = JSON.stringify(parse(/ExternalSecret \(`kubectl apply -n <namespace> -f -`\): (\{.+\}); it needs/.exec(redis)![1]));
      // Three passwords share the file's store path: the plan numbers their keys.
      expect(manifest).toContain(`"data":[{"secretKey":"password","remoteRef":{"key":"${name === 'vault' ? 'secret/' : ''}webapp/values","property":"password_2"}}]`);
      expect(redis).toContain(name === 'vault' ? 'for Vault (provider.vault with path: secret, version: v2)' : 'for AWS Secrets Manager (provider.aws with service: SecretsManager)');
      for (const note of [...result.notes, ...result.manual.map((m) => m.reason)]) expect(note).not.toMatch(FAKE);
    });

    it(`leaves values of a chart without existingSecret support to the user, unchanged (${name})`, async () => {
      const { result, edits, input } = await rewriteFixture(helmRewriter, 'helm-plain', 'values.yaml', backend);
      expect(edits.length).toBe(2);
      expect(result.text).toBe(input);
      expect(result.notes).toEqual([]);
      expect(result.manual.map((m) => m.reason)).toEqual([
        expect.stringMatching(/^the chart has no existingSecret value beside billing\.database\.password: set it to "" here and pass the value at deploy time from the store \(`helm upgrade --install <release> <chart> -f values\.yaml --set-file billing\.database\.password=<\(.+\)`\), or give the chart an existingSecret option$/),
        expect.stringMatching(/^the chart has no existingSecret value beside billing\.webhookSecret: /),
      ]);
    });
  }
});

describe('Helm values rewriter, direct', () => {
  it('fills an empty existingSecret of a values file kept apart from its chart, and says the key is a guess', () => {
    const text = 'app:\r\n  auth:\r\n    password: "s3cret-Ledger-Value-1"\r\n    existingSecret: ""\r\n';
    const start = text.indexOf('s3cret');
    const edit = {
      secretId: 'a',
      location: { file: 'deploy/values-prod.yaml', line: 3, column: 16, endLine: 3, endColumn: 37, commit: null, rewrite: 'helm-existing-secret', context: { format: 'helm', path: 'app.auth.password', key: 'password' } },
      target: { name: 'webapp/deploy/values-prod', key: 'password' },
      start,
      end: start + 's3cret-Ledger-Value-1'.length,
    };
    const result = helmRewriter.rewrite(text, [edit], { backend: BACKENDS.aws, file: 'deploy/values-prod.yaml', root: '/nonexistent', options: { terraformEphemeral: false, secretStore: 'aws', secretStoreKind: 'SecretStore' } });
    expect(result.manual).toEqual([]);
    expect(result.text).toBe('app:\r\n  auth:\r\n    password: ""\r\n    existingSecret: "app-auth"\r\n');
    expect(result.notes).toEqual([
      'deploy/values-prod.yaml: create the Kubernetes Secret app-auth with key password from the store in the release\'s namespace, e.g. with this External Secrets Operator ExternalSecret (`kubectl apply -n <namespace> -f -`): {apiVersion: external-secrets.io/v1, kind: ExternalSecret, metadata: {name: app-auth}, spec: {refreshInterval: 1h, secretStoreRef: {kind: SecretStore, name: aws}, target: {name: app-auth, creationPolicy: Owner}, data: [{secretKey: password, remoteRef: {key: webapp/deploy/values-prod, property: password}}]}}; it needs the External Secrets Operator (v0.17 or later) and the SecretStore "aws" for AWS Secrets Manager (provider.aws with service: SecretsManager); the values name no key for it: if the chart\'s documentation of existingSecret gives another key name, use that as secretKey',
    ]);
  });
});
