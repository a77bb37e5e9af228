import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeText, at, checkInvariants, sensitiveOf } from './helpers.js';

describe('kubernetes', () => {
  const file = analyzeFixture('kubernetes/ledger.yaml', 'kubernetes');

  it('finds Secret data (decoded), stringData, ConfigMap secrets and literal secret env values across documents', () => {
    checkInvariants(file, 'kubernetes');
    expect(sensitiveOf(file)).toEqual([
      { path: 'data.username', key: 'username', encoding: 'base64', literal: 'ledger', line: 9, column: 13, text: 'bGVkZ2Vy' },
      { path: 'data.password', key: 'password', encoding: 'base64', literal: 'hunter2-Ledger!', line: 10, column: 13, text: 'aHVudGVyMi1MZWRnZXIh' },
      { path: 'data.broken', key: 'broken', literal: 'not*base64!', line: 11, column: 11, text: 'not*base64!' },
      { path: 'stringData.api-key', key: 'api-key', literal: 'sk_fake_ledger_4Qm9Zt2Lw8Xc', line: 13, column: 13, text: 'sk_fake_ledger_4Qm9Zt2Lw8Xc' },
      { path: 'data.SMTP_PASSWORD', key: 'SMTP_PASSWORD', literal: 'smtp-Ledger-7781', line: 22, column: 18, text: 'smtp-Ledger-7781' },
      { path: 'spec.template.spec.initContainers.migrate.env.MIGRATION_TOKEN', key: 'MIGRATION_TOKEN', literal: 'mig-7Hq2-Ledger-tok', line: 46, column: 23, text: 'mig-7Hq2-Ledger-tok' },
      { path: 'spec.template.spec.containers.api.env.JWT_SECRET', key: 'JWT_SECRET', literal: 'jwt-Ledger-signing-0042', line: 59, column: 22, text: 'jwt-Ledger-signing-0042' },
      { path: 'spec.jobTemplate.spec.template.spec.containers.report.env.SMTP_PASSWORD', key: 'SMTP_PASSWORD', literal: 'cron-Smtp-Pass-31', line: 81, column: 27, text: 'cron-Smtp-Pass-31' },
    ]);
  });

  it('notes invalid base64 and scans its text as the literal', () => {
    expect(file.result.notes).toEqual(['kubernetes/ledger.yaml: data.broken is not valid base64; its text scanned as the value']);
  });

  it('binds nothing for valueFrom.secretKeyRef, and treats templates, $(VAR) and empty values as non-literals', () => {
    expect(file.result.values.filter((v) => v.context.path.includes('env.DB_PASSWORD'))
      .map((v) => v.context.path)).toEqual(['spec.template.spec.containers.api.env.DB_PASSWORD.name']);
    expect(at(file, 'stringData.webhook')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'spec.template.spec.containers.api.env.API_TOKEN')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'spec.template.spec.containers.api.env.REDIS_PASSWORD')).toMatchObject({ literal: null, sensitive: false });
  });

  it('keeps non-secret env values and ConfigMap keys as context only', () => {
    expect(at(file, 'spec.template.spec.containers.api.env.DB_USER')).toMatchObject({ key: 'DB_USER', literal: 'ledger', sensitive: false, line: 52 });
    expect(at(file, 'data.LOG_LEVEL')).toMatchObject({ literal: 'info', sensitive: false });
    expect(at(file, 'data.DATABASE_PASSWORD_FILE')).toMatchObject({ sensitive: false });
  });

  it('decodes strictly: missing padding is not base64, binary data stays encoded', () => {
    const doc = analyzeText(
      'apiVersion: v1\nkind: Secret\ndata:\n  short: YWJj\n  unpadded: YWJjZA\n  bin: //79\n  empty: ""\n',
      'secret.yaml',
      'kubernetes',
    );
    expect(sensitiveOf(doc).map((s) => [s.key, s.literal, s.encoding ?? null])).toEqual([
      ['short', 'abc', 'base64'],
      ['unpadded', 'YWJjZA', null],
      ['bin', '//79', null],
    ]);
    expect(at(doc, 'data.empty')).toMatchObject({ literal: null, sensitive: false });
    expect(doc.result.notes).toHaveLength(2);
  });

  it('measures offsets in the whole file for later documents (Pod spec in the third document)', () => {
    const text = '---\nkind: ConfigMap\ndata: {a: b}\n---\n# é\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - name: app\n      env:\n        - {name: API_KEY, value: "pod-Ключ-Key-1"}\n';
    const doc = analyzeText(text, 'pod.yaml', 'kubernetes');
    expect(sensitiveOf(doc)).toEqual([
      { path: 'spec.containers.app.env.API_KEY', key: 'API_KEY', literal: 'pod-Ключ-Key-1', line: 13, column: 35, text: 'pod-Ключ-Key-1' },
    ]);
  });
});

describe('SealedSecret', () => {
  it('treats encryptedData as protected ciphertext, not a literal', () => {
    const text = [
      'apiVersion: bitnami.com/v1alpha1',
      'kind: SealedSecret',
      'metadata:',
      '  name: db',
      'spec:',
      '  encryptedData:',
      '    password: AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq7Xk2mQz9vR4tL8nP1wE6uH3jF5sK0aD2gB7cN9x',
      '',
    ].join('\n');
    const { result } = analyzeText(text, 'k8s/sealed.yaml', 'kubernetes');
    const value = result.values.find((v) => v.context.path === 'spec.encryptedData.password');
    expect(value).toMatchObject({ literal: null, sensitive: false });
  });
});
