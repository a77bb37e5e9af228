import { describe, expect, it } from 'vitest';
import { analyze, analyzeFixture, byKey, sensitive } from './helpers.js';

const at = (key: string) => ({ format: 'dotenv', path: key, key });

describe('dotenv analyzer', () => {
  it('reports the literal secrets of a development .env', () => {
    const { values, analysis } = analyzeFixture('.env');
    expect(analysis).toMatchObject({ format: 'dotenv', notes: [] });
    expect(sensitive(values)).toEqual([
      { context: at('DATABASE_PASSWORD'), literal: 'dev-Pa55word-local', line: 3, column: 26 },
      { context: at('STRIPE_SECRET_KEY'), literal: 'sk_fake_51Hx9QmWv3Zt8LpR', line: 5, column: 20 },
      { context: at('API_TOKEN'), literal: 'tok-single-quoted#not-a-comment', line: 6, column: 12 },
      { context: at('SMTP_PASSWORD'), literal: 'smtp-pw-8812', line: 8, column: 15 },
      { context: at('PRIVATE_KEY'), literal: '-----BEGIN FAKE KEY-----\nMIIBfakefakefakefake\n-----END FAKE KEY-----', line: 10, column: 14 },
    ]);
  });

  it('reports nothing sensitive in a .env.production that only references a store, but a stray literal', () => {
    const { values } = analyzeFixture('.env.production');
    expect(sensitive(values)).toEqual([
      { context: at('SENTRY_DSN_TOKEN'), literal: 'prod-Sentry-9f8e7d6c5b4a', line: 6, column: 20 },
      { context: at('LEGACY_API_KEY'), literal: 'escaped "quote" and\ttab', line: 7, column: 17 },
    ]);
    for (const key of ['DATABASE_PASSWORD', 'STRIPE_SECRET_KEY', 'SESSION_SECRET']) {
      expect(byKey(values, key)[0], key).toMatchObject({ literal: null, sensitive: false });
    }
    expect(byKey(values, 'DATABASE_PASSWORD')[0].text).toBe('vault://secret/data/ledger/db#password');
  });

  it('cuts inline comments after unquoted values, not inside quotes', () => {
    const { values } = analyzeFixture('.env');
    expect(byKey(values, 'SMTP_PASSWORD')[0].text).toBe('smtp-pw-8812');
    expect(byKey(values, 'STRIPE_SECRET_KEY')[0].text).toBe('sk_fake_51Hx9QmWv3Zt8LpR');
    expect(byKey(values, 'API_TOKEN')[0].text).toBe('tok-single-quoted#not-a-comment');
  });

  it('skips empty values, and reports placeholders and file paths as non-sensitive', () => {
    const { values } = analyzeFixture('.env');
    expect(byKey(values, 'EMPTY_SECRET')).toEqual([]);
    expect(byKey(values, 'PLACEHOLDER_TOKEN')[0]).toMatchObject({ literal: 'changeme', sensitive: false });
    expect(byKey(values, 'DB_PASSWORD_FILE')[0]).toMatchObject({ literal: '/run/secrets/db_password', sensitive: false });
    expect(byKey(values, 'JWT_SECRET')[0]).toMatchObject({ literal: null, sensitive: false, text: '${JWT_SECRET_FROM_VAULT}' });
  });

  it('treats $VAR inside double quotes as a reference, but not in single quotes', () => {
    const { values } = analyze('.env', 'A_TOKEN="pre-$SUFFIX"\nB_TOKEN=\'pre-$SUFFIX\'\nC_TOKEN="pre-\\$SUFFIX"\n');
    expect(values.map((v) => [v.context.key, v.literal])).toEqual([
      ['A_TOKEN', null],
      ['B_TOKEN', 'pre-$SUFFIX'],
      ['C_TOKEN', 'pre-$SUFFIX'],
    ]);
  });

  it('reads CRLF files, spaces around =, and multi-line quoted values', () => {
    const { values } = analyze('.env.local', 'export  API_SECRET = crlf-secret-1\r\nCERT_PASSWORD="line1\r\nline2"\r\n# comment\r\nNEXT=1\r\n');
    expect(values.map((v) => [v.context.key, v.literal, v.line, v.column, v.sensitive])).toEqual([
      ['API_SECRET', 'crlf-secret-1', 1, 22, true],
      ['CERT_PASSWORD', 'line1\nline2', 2, 16, true],
      ['NEXT', '1', 5, 6, false],
    ]);
  });

  it('keeps an unclosed quote as an unquoted value', () => {
    const { values } = analyze('.env', 'BROKEN_TOKEN="never closed\nOTHER=1\n');
    expect(values.map((v) => [v.context.key, v.literal])).toEqual([
      ['BROKEN_TOKEN', '"never closed'],
      ['OTHER', '1'],
    ]);
  });
});
