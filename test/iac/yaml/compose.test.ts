import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeText, at, checkInvariants, sensitiveOf } from './helpers.js';

describe('compose', () => {
  const file = analyzeFixture('compose/docker-compose.yml', 'compose');

  it('finds literal secrets in environment (map and list form) and build args', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'compose');
    expect(sensitiveOf(file)).toEqual([
      { path: 'services.db.environment.POSTGRES_PASSWORD', key: 'POSTGRES_PASSWORD', literal: 'c0mpose-Db-Pass', line: 10, column: 27, text: 'c0mpose-Db-Pass' },
      { path: 'services.api.build.args.NPM_TOKEN', key: 'NPM_TOKEN', literal: 'npm_fakeLedgerToken42', line: 16, column: 21, text: 'npm_fakeLedgerToken42' },
      { path: 'services.api.environment.DB_PASSWORD', key: 'DB_PASSWORD', literal: 'c0mpose-Api-Pass', line: 20, column: 21, text: 'c0mpose-Api-Pass' },
      { path: 'services.worker.environment.API_KEY', key: 'API_KEY', literal: 'wk-Ledger-Api-Key-9', line: 30, column: 17, text: 'wk-Ledger-Api-Key-9' },
    ]);
  });

  it('treats ${VAR}, ${VAR:-default}, $VAR and a bare KEY as references', () => {
    expect(at(file, 'services.api.environment.JWT_SECRET')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'services.api.environment.REDIS_PASSWORD')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'services.worker.environment.QUEUE_PASSWORD')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'services.api.environment.SENTRY_DSN')).toMatchObject({ key: 'SENTRY_DSN', literal: null, sensitive: false, line: 23, column: 9 });
    expect(at(file, 'services.api.environment.DB_HOST')).toMatchObject({ literal: 'db', sensitive: false, column: 17 });
  });

  it('spans the whole quoted item when escapes make the value differ from its text', () => {
    const doc = analyzeText('services:\n  a:\n    environment:\n      - "API_TOKEN=esc\\tTok-1"\n', 'compose.yml', 'compose');
    expect(sensitiveOf(doc)).toEqual([
      { path: 'services.a.environment.API_TOKEN', key: 'API_TOKEN', literal: 'esc\tTok-1', line: 4, column: 10, text: 'API_TOKEN=esc\\tTok-1' },
    ]);
  });

  it('$$ is an escaped dollar, not an interpolation', () => {
    const doc = analyzeText('services:\n  a:\n    environment:\n      DB_PASSWORD: "pa$$w0rd-Compose"\n', 'compose.yml', 'compose');
    expect(sensitiveOf(doc).map((s) => s.literal)).toEqual(['pa$$w0rd-Compose']);
  });
});
