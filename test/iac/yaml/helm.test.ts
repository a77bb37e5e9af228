import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeText, at, checkInvariants, sensitiveOf } from './helpers.js';
import { isHelmSecretName } from '../../../src/iac/yaml/helm.js';

describe('helm values', () => {
  const file = analyzeFixture('helm/values.yaml', 'helm');

  it('finds secret-named literals by their dotted path, including extraEnv name/value items', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'helm');
    expect(sensitiveOf(file)).toEqual([
      { path: 'postgresql.auth.password', key: 'password', literal: 'pg-Ledger-Helm-5521', line: 12, column: 16, text: 'pg-Ledger-Helm-5521' },
      { path: 'ledger.apiToken', key: 'apiToken', literal: 'tok-ledger-Helm-8813', line: 26, column: 13, text: 'tok-ledger-Helm-8813' },
      { path: 'ledger.extraEnv.STRIPE_SECRET_KEY', key: 'STRIPE_SECRET_KEY', literal: 'sk_fake_helm_3Wq8Lm2Zx9', line: 31, column: 14, text: 'sk_fake_helm_3Wq8Lm2Zx9' },
    ]);
  });

  it('does not flag templates, empty strings, placeholders, existingSecret or secret key names', () => {
    expect(at(file, 'redis.auth.password')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'postgresql.auth.postgresPassword')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'ledger.oauth.clientSecret')).toMatchObject({ literal: 'changeme', sensitive: false });
    expect(at(file, 'postgresql.auth.existingSecret')).toMatchObject({ literal: 'ledger-postgres', sensitive: false });
    expect(at(file, 'postgresql.auth.secretKeys.userPasswordKey')).toMatchObject({ literal: 'password', sensitive: false });
  });

  it('knows which secret-like names only point at a secret', () => {
    for (const name of ['existingSecret', 'existingSecretPasswordKey', 'passwordKey', 'adminPasswordKey', 'tokenKey']) {
      expect(isHelmSecretName(name), name).toBe(false);
    }
    for (const name of ['password', 'secretKey', 'rootPassword', 'apiToken', 'clientSecret']) {
      expect(isHelmSecretName(name), name).toBe(true);
    }
  });

  it('maps positions to bytes when non-ASCII text precedes the value (same line and earlier lines)', () => {
    const file = analyzeFixture('helm/values-i18n.yaml', 'helm');
    expect(file.result.notes).toEqual([]);
    const values = file.result.values;
    const password = values.find((v) => v.context.path === 'app.auth.password');
    // Byte offsets computed independently from the file's bytes.
    expect(password).toMatchObject({ start: 155, end: 174, literal: 'päss-Wört-🔑-42', sensitive: true });
    const greeting = values.find((v) => v.context.path === 'app.greeting');
    expect(greeting).toMatchObject({ start: 96, end: 111, literal: 'Grüße, 世界', sensitive: false });
    // Line 4, UTF-16 column 41 (byte column 43: "ü" and "Ω" take two bytes each).
    expect(sensitiveOf(file)).toEqual([
      { path: 'app.auth.password', key: 'password', literal: 'päss-Wört-🔑-42', line: 4, column: 41, text: 'päss-Wört-🔑-42' },
      { path: 'app.token', key: 'token', literal: 'tök-Ω-block-\nsecond-line\n', line: 6, column: 5, text: 'tök-Ω-block-\n    second-line' },
    ]);
    const lineStart = file.data.lastIndexOf(10, 155) + 1;
    expect(155 - lineStart + 1).toBe(43);
  });

  it('spans a block scalar over its content lines', () => {
    const text = 'tls:\n  privateKey: |\n    -----BEGIN FAKE KEY-----\n    bm90IGEga2V5\n    -----END FAKE KEY-----\n\nnext: 1\n';
    const file = analyzeText(text, 'values.yaml', 'helm');
    expect(sensitiveOf(file)).toEqual([
      {
        path: 'tls.privateKey', key: 'privateKey',
        literal: '-----BEGIN FAKE KEY-----\nbm90IGEga2V5\n-----END FAKE KEY-----\n',
        line: 3, column: 5,
        text: '-----BEGIN FAKE KEY-----\n    bm90IGEga2V5\n    -----END FAKE KEY-----',
      },
    ]);
  });
});
