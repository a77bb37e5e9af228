import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { PlanBackend, RewriteOptions } from '../../../src/migrate/plan/schema.js';
import { kubernetesRewriter, remoteRef } from '../../../src/migrate/rewrite/kubernetes.js';
import type { RewriteEdit } from '../../../src/migrate/rewrite/types.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const defaults: RewriteOptions = { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' };

/** An edit for the first occurrence of `literal` in `text`, as apply would build it. */
function editOf(text: string, literal: string, path: string, target: RewriteEdit['target'], encoding?: 'base64'): RewriteEdit {
  const start = text.indexOf(literal);
  if (start < 0) throw new Error(`${literal} not in text`);
  const line = text.slice(0, start).split('\n').length;
  const column = start - text.lastIndexOf('\n', start - 1);
  const key = path.split('.').pop()!;
  return {
    secretId: path,
    start,
    end: start + literal.length,
    target,
    location: { file: 'k8s.yaml', line, column, endLine: line, endColumn: column + literal.length, commit: null, context: { format: 'kubernetes', path, key, ...(encoding ? { encoding } : {}) }, rewrite: 'kubernetes-external-secret' },
  };
}

function run(text: string, edits: RewriteEdit[], backend: PlanBackend = BACKENDS.vault, options: RewriteOptions = defaults) {
  return kubernetesRewriter.rewrite(text, edits, { backend, options, file: 'k8s.yaml', root: '/nonexistent' });
}

function parses(text: string): boolean {
  return parseAllDocuments(text).every((d) => d.errors.length === 0);
}

const vaultTarget = (key: string) => ({ mount: 'secret', path: 'webapp/k8s', key });

describe('Kubernetes rewriter', () => {
  it('accepts Kubernetes locations with either backend, nothing else', () => {
    const location = { file: 'k.yaml', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'kubernetes', path: 'data.password', key: 'password' } };
    expect(kubernetesRewriter.accepts(location, BACKENDS.aws)).toBe(true);
    expect(kubernetesRewriter.accepts(location, BACKENDS.vault)).toBe(true);
    expect(kubernetesRewriter.accepts({ ...location, context: { format: 'cloudformation', path: 'x', key: 'x' } }, BACKENDS.aws)).toBe(false);
    expect(kubernetesRewriter.name).toBe('kubernetes-external-secret');
  });

  it('reads Vault KV as <mount>/<path> and Secrets Manager by name, the key as property', () => {
    expect(remoteRef({ mount: 'secret', path: 'webapp/k8s', key: 'password' })).toEqual({ key: 'secret/webapp/k8s', property: 'password' });
    expect(remoteRef({ name: 'webapp/k8s', key: 'password' })).toEqual({ key: 'webapp/k8s', property: 'password' });
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`turns a Secret (data, stringData and a plain key) into an ExternalSecret reading ${name}`, async () => {
      const { result, edits } = await rewriteFixture(kubernetesRewriter, 'kubernetes', 'secret.yaml', backend);
      expect(edits.length).toBe(2);
      expect(result.manual).toEqual([]);
      expectGolden(result.text, 'kubernetes', `secret.yaml.${name}.expected`);
      expect(parses(result.text)).toBe(true);
      expect(result.text.startsWith('# Database credentials for the ledger service (fake values for tests)\napiVersion: external-secrets.io/v1\nkind: ExternalSecret\n')).toBe(true);
      // The plain key survives through the template; no secret is left in the file.
      expect(result.text).toContain('        username: ledger_app\n');
      expect(result.text).not.toMatch(/aHVudGVy|sk_fake_ledger/);
      expect(result.notes[0]).toContain('create the ClusterSecretStore "vaultsweep"');
      for (const note of result.notes) expect(note).not.toMatch(/hunter2|sk_fake/);
    });

    it(`replaces a Secret in a multi-document file in place and leaves the other documents alone (${name})`, async () => {
      const { result, edits, input } = await rewriteFixture(kubernetesRewriter, 'kubernetes', 'stack.yaml', backend);
      expect(edits.length).toBe(2);
      expect(result.manual).toEqual([]);
      expectGolden(result.text, 'kubernetes', `stack.yaml.${name}.expected`);
      const before = input.split('\n---\n');
      const after = result.text.split('\n---\n');
      expect(after.length).toBe(4);
      expect([after[0], after[2], after[3]]).toEqual([before[0], before[2], before[3]]);
      expect(after[1].startsWith('# Credentials the API reads through secretKeyRef\napiVersion: external-secrets.io/v1\n')).toBe(true);
      // The file's own list style (dashes at the key's column) is kept in the new document.
      expect(after[1]).toContain('  data:\n  - secretKey: DB_PASSWORD\n');
    });

    it(`moves workload env literals to secretKeyRef and appends one ExternalSecret per workload (${name})`, async () => {
      const { result, edits } = await rewriteFixture(kubernetesRewriter, 'kubernetes', 'workloads.yaml', backend);
      expect(edits.length).toBe(4);
      expectGolden(result.text, 'kubernetes', `workloads.yaml.${name}.expected`);
      expect(parses(result.text)).toBe(true);
      expect(result.manual.map((m) => m.edit.location.context?.key)).toEqual(['DATABASE_URL']);
      const ref = remoteRef(result.manual[0].edit.target);
      expect(result.manual[0].reason).toBe(
        'the secret is part of the longer value of DATABASE_URL: add an env entry before it (e.g. DATABASE_URL_SECRET) with valueFrom.secretKeyRef to a Secret that an ExternalSecret fills from ' +
          `remoteRef key ${ref.key}, property ${ref.property}, and write $(DATABASE_URL_SECRET) in place of the secret`,
      );
      const docs = parseAllDocuments(result.text).map((d) => d.toJS());
      expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['Deployment/ledger-worker', 'CronJob/ledger-report', 'ExternalSecret/ledger-worker-secrets', 'ExternalSecret/ledger-report-secrets']);
      expect(docs[2].spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(['MIGRATION_TOKEN', 'QUEUE_PASSWORD']);
      expect(docs[0].spec.template.spec.containers[0].env[1]).toEqual({ name: 'QUEUE_PASSWORD', valueFrom: { secretKeyRef: { name: 'ledger-worker-secrets', key: 'QUEUE_PASSWORD' } } });
      expect(result.notes.some((n) => n.includes('Deployment ledger-worker reads MIGRATION_TOKEN, QUEUE_PASSWORD from the Secret ledger-worker-secrets'))).toBe(true);
    });
  }

  it('leaves a Secret alone when one of its secret-looking keys is not migrated', () => {
    const text = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'stringData:', '  password: pw-Ledger-2024-x', '  api_token: tok-Ledger-2024-y', ''].join('\n');
    const edit = editOf(text, 'pw-Ledger-2024-x', 'stringData.password', vaultTarget('password'));
    const result = run(text, [edit]);
    expect(result.text).toBe(text);
    expect(result.manual).toEqual([
      {
        edit,
        reason:
          'Secret app: stringData.api_token looks like a secret but is not being migrated, and the whole Secret becomes one ExternalSecret: ' +
          'migrate it too (action: migrate in the plan) or move it out of this Secret, then run vaultsweep migrate again',
      },
    ]);
  });

  it('uses the store named in the options, keeps the Secret type, immutability and CRLF, and decodes binary data', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x9c, 0x10, 0x22, 0x80]).toString('base64');
    const text = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: tls-app # served by ingress', 'type: kubernetes.io/tls', 'immutable: true', 'data:', `  tls.key: ${binary}`, '  tls.crt: Y2VydA==', ''].join('\r\n');
    const edit = editOf(text, binary, 'data.tls.key', { name: 'webapp/tls', key: 'tls.key' });
    const result = run(text, [edit], BACKENDS.aws, { ...defaults, secretStore: 'aws-team', secretStoreKind: 'SecretStore' });
    expect(result.manual).toEqual([]);
    expect(result.text).toBe(
      [
        'apiVersion: external-secrets.io/v1',
        'kind: ExternalSecret',
        'metadata:',
        '  name: tls-app # served by ingress',
        'spec:',
        '  refreshInterval: 1h',
        '  secretStoreRef:',
        '    name: aws-team',
        '    kind: SecretStore',
        '  target:',
        '    name: tls-app',
        '    creationPolicy: Owner',
        '    immutable: true',
        '    template:',
        '      type: kubernetes.io/tls',
        '      engineVersion: v2',
        '      mergePolicy: Merge',
        '      data:',
        '        tls.crt: cert',
        '  data:',
        '    - secretKey: tls.key',
        '      remoteRef:',
        '        key: webapp/tls',
        '        property: tls.key',
        '        decodingStrategy: Base64',
        '',
      ].join('\r\n'),
    );
    expect(result.notes[0]).toContain('create the SecretStore "aws-team" in <the namespace you deploy to> for AWS Secrets Manager');
  });

  it('says why a Secret with invalid base64 or a "{{" value stays as it is', () => {
    const text = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'data:', '  password: not*base64!', ''].join('\n');
    const edit = editOf(text, 'not*base64!', 'data.password', vaultTarget('password'));
    expect(run(text, [edit]).manual[0].reason).toBe(
      'Secret app: data.password is not valid base64, so Kubernetes rejects this Secret as written: fix the value (or move it to stringData), then run vaultsweep migrate again',
    );
    const templated = ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: app', 'stringData:', '  password: pw-Ledger-2024-x', "  webhook: '{{ .Values.webhook }}'", ''].join('\n');
    const r2 = run(templated, [editOf(templated, 'pw-Ledger-2024-x', 'stringData.password', vaultTarget('password'))]);
    expect(r2.text).toBe(templated);
    expect(r2.manual[0].reason).toContain('stringData.webhook holds "{{", which the ExternalSecret\'s template would evaluate');
  });

  it('writes valueFrom in flow style for a flow env item, and refuses a name already taken', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: probe',
      '  namespace: ops',
      'spec:',
      '  containers:',
      '    - name: probe',
      '      image: probe:1',
      '      env:',
      '        - {name: API_TOKEN, value: tok-Ledger-2024-z}',
      '',
    ].join('\n');
    const edit = editOf(text, 'tok-Ledger-2024-z', 'spec.containers.probe.env.API_TOKEN', vaultTarget('API_TOKEN'));
    const result = run(text, [edit]);
    expect(result.manual).toEqual([]);
    expect(result.text).toContain('        - {name: API_TOKEN, valueFrom: {secretKeyRef: {name: probe-secrets, key: API_TOKEN}}}\n---\napiVersion: external-secrets.io/v1\n');
    expect(result.text).toContain('metadata:\n  name: probe-secrets\n  namespace: ops\nspec:\n');

    const taken = `${text}---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: probe-secrets\n  namespace: ops\n`;
    const r2 = run(taken, [editOf(taken, 'tok-Ledger-2024-z', 'spec.containers.probe.env.API_TOKEN', vaultTarget('API_TOKEN'))]);
    expect(r2.text).toBe(taken);
    expect(r2.manual[0].reason).toBe('this file already defines a Secret or ExternalSecret named probe-secrets: add the variables to it by hand (valueFrom.secretKeyRef to probe-secrets)');
  });

  it('fills an empty last document instead of adding another separator', () => {
    const text = ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: probe', 'spec:', '  containers:', '  - name: probe', '    env:', '    - name: API_TOKEN', '      value: tok-Ledger-2024-z', '---', ''].join('\n');
    const result = run(text, [editOf(text, 'tok-Ledger-2024-z', 'spec.containers.probe.env.API_TOKEN', vaultTarget('API_TOKEN'))]);
    expect(result.manual).toEqual([]);
    expect(result.text).toContain('      valueFrom:\n        secretKeyRef:\n          name: probe-secrets\n          key: API_TOKEN\n---\napiVersion: external-secrets.io/v1\n');
    expect(result.text.match(/^---$/gm)?.length).toBe(1);
    expect(result.text.endsWith('  data:\n  - secretKey: API_TOKEN\n    remoteRef:\n      key: secret/webapp/k8s\n      property: API_TOKEN\n')).toBe(true);
  });

  it('sends ConfigMap secrets to manual with what to do', () => {
    const text = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: cfg', 'data:', '  SMTP_PASSWORD: smtp-Ledger-7781', ''].join('\n');
    const edit = editOf(text, 'smtp-Ledger-7781', 'data.SMTP_PASSWORD', vaultTarget('SMTP_PASSWORD'));
    const result = run(text, [edit]);
    expect(result.text).toBe(text);
    expect(result.manual[0].reason).toBe(
      'ConfigMap cfg holds a secret at data.SMTP_PASSWORD: move the key into an ExternalSecret (remoteRef key secret/webapp/k8s, property SMTP_PASSWORD) and point its consumers (configMapKeyRef, envFrom, volumes) at the Secret it creates',
    );
  });
});
