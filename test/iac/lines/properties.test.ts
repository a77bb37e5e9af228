import { describe, expect, it } from 'vitest';
import { isSecretProperty } from '../../../src/iac/lines/properties.js';
import { analyze, analyzeFixture, byKey, sensitive } from './helpers.js';

const at = (key: string) => ({ format: 'properties', path: key, key });

describe('properties analyzer', () => {
  it('reports the literal secrets of a Spring application.properties', () => {
    const { values, analysis } = analyzeFixture('application.properties');
    expect(analysis).toMatchObject({ format: 'properties', notes: [] });
    expect(sensitive(values)).toEqual([
      { context: at('spring.datasource.password'), literal: 'Sp1ng-Fake-Db-Pw', line: 5, column: 28 },
      { context: at('spring.mail.password'), literal: 'mail-Fake-Pw-77', line: 7, column: 24 },
      { context: at('app.jwt.secret'), literal: 'jwt-continued-fake-secret', line: 8, column: 18 },
    ]);
  });

  it('treats ${ENV_VAR}, ${ENV_VAR:default} and ENC(...) as references', () => {
    const { values } = analyzeFixture('application.properties');
    for (const key of ['app.api-key', 'app.client-secret', 'app.encryption.key']) {
      expect(byKey(values, key)[0], key).toMatchObject({ literal: null, sensitive: false });
    }
    expect(byKey(values, 'app.client-secret')[0].text).toBe('${CLIENT_SECRET:dev-default}');
  });

  it('skips # and ! comments and spans a continued value across its lines', () => {
    const { values } = analyzeFixture('application.properties');
    expect(byKey(values, 'spring.datasource.password')).toHaveLength(1);
    expect(byKey(values, 'app.jwt.secret')[0].text).toBe('jwt\\\n    -continued-fake-secret');
  });

  it('unescapes keys and values', () => {
    const { values } = analyzeFixture('application.properties');
    expect(byKey(values, 'app.greeting')[0].literal).toBe('Grüß Gott');
    const escaped = analyze('a.properties', 'my\\ secret\\:key = v\\tw\\u0041\n');
    expect(escaped.values.map((v) => [v.context.key, v.literal])).toEqual([['my secret:key', 'v\twA']]);
  });

  it('decides sensitivity on the last segment, or the last two', () => {
    expect(isSecretProperty('spring.datasource.password')).toBe(true);
    expect(isSecretProperty('aws.secret-key')).toBe(true);
    expect(isSecretProperty('aws.secret.key')).toBe(true);
    expect(isSecretProperty('app.token.expiry')).toBe(false);
    expect(isSecretProperty('token.expiry.minutes')).toBe(false);
    expect(isSecretProperty('spring.datasource.password-file')).toBe(false);
    expect(isSecretProperty('spring.datasource.username')).toBe(false);
  });

  it('reads CRLF files, separators `:` and whitespace, and continuations', () => {
    const { values } = analyze('app.properties', 'db.password:crlf-pw-1\r\nmail.password   crlf-pw-2\r\n# x=y\r\napi.token = part1\\\r\n   part2\r\n');
    expect(values.map((v) => [v.context.key, v.literal, v.line, v.column, v.sensitive])).toEqual([
      ['db.password', 'crlf-pw-1', 1, 13, true],
      ['mail.password', 'crlf-pw-2', 2, 17, true],
      ['api.token', 'part1part2', 4, 13, true],
    ]);
  });
});
