import { describe, expect, it } from 'vitest';
import { analyze, analyzeFixture, byKey, sensitive } from './helpers.js';

const env = (key: string) => ({ format: 'dockerfile', path: `ENV.${key}`, key });
const arg = (key: string) => ({ format: 'dockerfile', path: `ARG.${key}`, key });

describe('Dockerfile analyzer', () => {
  it('reports the literal secrets of a multi-stage Dockerfile', () => {
    const { values, analysis } = analyzeFixture('Dockerfile');
    expect(analysis.format).toBe('dockerfile');
    expect(analysis.notes).toEqual([]);
    expect(sensitive(values)).toEqual([
      { context: arg('NPM_TOKEN'), literal: 'npm-fake-Q2x7LmW9pR4tZ8vB', line: 4, column: 15 },
      { context: env('API_TOKEN'), literal: 'tok-fake 7Hq2Vn9Xc4Rb', line: 9, column: 16 },
      { context: env('DB_PASSWORD'), literal: 'ledger-Runtime-pw-4411', line: 24, column: 17 },
      { context: env('JWT_SECRET'), literal: 'jwt-fake-s1gn1ng-k3y', line: 26, column: 48 },
    ]);
  });

  it('keeps the span inside the quotes and the value unquoted', () => {
    const { values } = analyzeFixture('Dockerfile');
    const [token] = byKey(values, 'API_TOKEN');
    expect(token.text).toBe('tok-fake 7Hq2Vn9Xc4Rb');
  });

  it('treats $VAR and ${VAR} as references, not literals', () => {
    const { values } = analyzeFixture('Dockerfile');
    for (const key of ['SESSION_SECRET', 'REDIS_PASSWORD', 'PATH']) {
      const [value] = byKey(values, key);
      expect(value.literal, key).toBeNull();
      expect(value.sensitive, key).toBe(false);
    }
    expect(byKey(values, 'SESSION_SECRET')[0].text).toBe('${SESSION_SECRET}');
  });

  it('reports placeholders and other values as non-sensitive context', () => {
    const { values } = analyzeFixture('Dockerfile');
    expect(byKey(values, 'CACHE_PASSWORD')[0]).toMatchObject({ literal: 'changeme', sensitive: false });
    expect(byKey(values, 'LOG_LEVEL')[0]).toMatchObject({ context: env('LOG_LEVEL'), literal: 'info', sensitive: false });
    expect(byKey(values, 'maintainer')[0]).toMatchObject({ context: { format: 'dockerfile', path: 'LABEL.maintainer', key: 'maintainer' }, literal: 'ops@example.com' });
  });

  it('skips comments inside continuations, heredoc bodies, RUN commands and ARGs without a default', () => {
    const { values } = analyzeFixture('Dockerfile');
    expect(byKey(values, 'DB_HOST')[0]).toMatchObject({ literal: 'db.internal', line: 14 });
    expect(byKey(values, 'NOT_AN_INSTRUCTION_PASSWORD')).toEqual([]);
    expect(byKey(values, 'GITHUB_TOKEN')).toEqual([]);
    expect(byKey(values, 'DB_PASSWORD')).toHaveLength(1);
  });

  it('reads the legacy `ENV KEY value` form with spaces and quotes', () => {
    const { values } = analyze('Dockerfile', 'FROM alpine\nENV ADMIN_PASSWORD "two words"\nENV GREETING hello world\n');
    expect(values.map((v) => [v.context.key, v.literal, v.text])).toEqual([
      ['ADMIN_PASSWORD', 'two words', 'two words'],
      ['GREETING', 'hello world', 'hello world'],
    ]);
    expect(values[0].sensitive).toBe(true);
  });

  it('applies escapes, several pairs per line and the escape directive', () => {
    const { values } = analyze('Dockerfile', 'FROM alpine\nENV A_TOKEN=a\\ b B_SECRET="q\\"uote" C_PASSWORD=\'pa$word\'\n');
    expect(values.map((v) => [v.context.key, v.literal])).toEqual([
      ['A_TOKEN', 'a b'],
      ['B_SECRET', 'q"uote'],
      ['C_PASSWORD', 'pa$word'],
    ]);
    const windows = analyze('Dockerfile', '# escape=`\nFROM mcr.microsoft.com/windows\nENV API_KEY=win-key-4471 `\n    OTHER=C:\\path\n');
    expect(windows.values.map((v) => [v.context.key, v.literal, v.line, v.column])).toEqual([
      ['API_KEY', 'win-key-4471', 3, 13],
      ['OTHER', 'C:\\path', 4, 11],
    ]);
  });

  it('handles ONBUILD ENV and ARG with several pairs', () => {
    const { values } = analyze('Containerfile', 'FROM x\nONBUILD ENV DEPLOY_TOKEN=ob-tok-1\nARG A=1 SIGNING_KEY=sk-99\n');
    expect(sensitive(values).map((v) => [v.context.path, v.literal, v.line, v.column])).toEqual([
      ['ENV.DEPLOY_TOKEN', 'ob-tok-1', 2, 26],
      ['ARG.SIGNING_KEY', 'sk-99', 3, 21],
    ]);
  });

  it('reads CRLF files and continuations', () => {
    const { values } = analyze('Dockerfile', 'FROM alpine\r\nENV DB_PASSWORD=crlf-pw-1 \\\r\n    API_KEY="crlf key"\r\nENV LEGACY_TOKEN legacy-crlf\r\n');
    expect(sensitive(values).map((v) => [v.context.key, v.literal, v.line, v.column])).toEqual([
      ['DB_PASSWORD', 'crlf-pw-1', 2, 17],
      ['API_KEY', 'crlf key', 3, 14],
      ['LEGACY_TOKEN', 'legacy-crlf', 4, 18],
    ]);
  });
});
