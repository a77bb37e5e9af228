import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { composeRewriter } from '../../../src/migrate/rewrite/compose.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

describe('docker compose rewriter', () => {
  it('accepts compose locations for both stores', () => {
    const location = { file: 'docker-compose.yml', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'compose', path: 'services.db.environment.X', key: 'X' } };
    expect(composeRewriter.accepts(location, BACKENDS.vault)).toBe(true);
    expect(composeRewriter.accepts(location, BACKENDS.aws)).toBe(true);
    expect(composeRewriter.accepts({ ...location, context: { format: 'kubernetes', path: 'x', key: 'x' } }, BACKENDS.vault)).toBe(false);
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`turns map and list environment values into \${NAME} interpolations recorded in .env (${name})`, async () => {
      const { result, edits } = await rewriteFixture(composeRewriter, 'compose', 'docker-compose.yml', backend);
      expect(edits.length).toBe(8);
      expectGolden(result.text, 'compose', `docker-compose.yml.${name}.expected`);
      expect(parseAllDocuments(result.text).every((d) => d.errors.length === 0)).toBe(true);
      // The password inside DATABASE_URL is only part of the value.
      expect(result.manual.map((m) => m.edit.location.context?.key)).toEqual(['DATABASE_URL']);
      expect(result.manual[0].reason).toMatch(/^the secret is part of a longer value in services\.api\.environment\.DATABASE_URL: replace only the secret inside it with \$\{DATABASE_URL_SECRET\} and add DATABASE_URL_SECRET="(vault|aws-sm):\/\/.+" to \.env$/);
      // Two different DB_PASSWORD values: the second one gets its service's prefix.
      expect(result.envEntries?.map((e) => e.name)).toEqual(['POSTGRES_PASSWORD', 'NPM_TOKEN', 'DB_PASSWORD', 'SESSION_SECRET', 'API_KEY', 'WORKER_DB_PASSWORD', 'CRON_API_TOKEN']);
      expect(new Set(result.envEntries?.map((e) => e.envFile))).toEqual(new Set(['.env']));
      expect(result.envEntries?.every((e) => e.uri.startsWith(name === 'vault' ? 'vault://secret/webapp/' : 'aws-sm://webapp/'))).toBe(true);
      expect(result.notes).toEqual([
        'docker-compose.yml: POSTGRES_PASSWORD, NPM_TOKEN, DB_PASSWORD, SESSION_SECRET, API_KEY, WORKER_DB_PASSWORD, CRON_API_TOKEN now come from .env by interpolation (store references recorded there); start it with `vaultsweep run -- docker compose up`: plain `docker compose` would pass the reference URIs themselves',
        'docker-compose.yml: NPM_TOKEN (services.api.build.args) is a build argument: build arguments stay in the image\'s history; pass it as a build secret instead (compose `build.secrets` and `RUN --mount=type=secret` in the Dockerfile)',
      ]);
      for (const note of [...result.notes, ...result.manual.map((m) => m.reason)]) expect(note).not.toMatch(/c0mpose|npm_q8Z|s3ssion|Wm4kP9|wk-Ledger|w0rker|cr0n-/);
    });
  }
});

describe('docker compose rewriter, direct', () => {
  /** An edit for the first occurrence of `literal` in `text`. */
  const editFor = (text: string, literal: string, key: string, file = 'docker-compose.yml') => {
    const start = text.indexOf(literal);
    return {
      secretId: key,
      location: { file, line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'compose-interpolation', context: { format: 'compose', path: `services.app.environment.${key}`, key } },
      target: { mount: 'secret', path: 'webapp/app', key },
      start,
      end: start + literal.length,
    };
  };
  const context = (file: string) => ({ backend: BACKENDS.vault, file, root: '/nonexistent', options: { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' as const } });

  it('records a compose file in a folder in the .env beside it and keeps CRLF line endings', () => {
    const text = 'services:\r\n  app:\r\n    environment:\r\n      DB_PASSWORD: hunter2-Ledger-Pw   # db\r\n';
    const result = composeRewriter.rewrite(text, [editFor(text, 'hunter2-Ledger-Pw', 'DB_PASSWORD', 'deploy/docker-compose.yml')], context('deploy/docker-compose.yml'));
    expect(result.text).toBe('services:\r\n  app:\r\n    environment:\r\n      DB_PASSWORD: ${DB_PASSWORD}   # db\r\n');
    expect(result.envEntries).toEqual([{ name: 'DB_PASSWORD', uri: 'vault://secret/webapp/app#DB_PASSWORD', envFile: 'deploy/.env' }]);
    expect(result.notes[0]).toContain('`vaultsweep run --env-file deploy/.env -- docker compose -f deploy/docker-compose.yml up`');
  });

  it('never gives a name that another file of the run (or .env) uses for another secret', () => {
    const text = 'services:\n  app:\n    environment:\n      - DB_PASSWORD=hunter2-Ledger-Pw\n';
    const envNames = new Map([['DB_PASSWORD', 'vault://secret/webapp/other#DB_PASSWORD']]);
    const result = composeRewriter.rewrite(text, [editFor(text, 'hunter2-Ledger-Pw', 'DB_PASSWORD')], { ...context('docker-compose.yml'), envNames });
    expect(result.text).toBe('services:\n  app:\n    environment:\n      - DB_PASSWORD=${APP_DB_PASSWORD}\n');
    expect(result.envEntries?.map((e) => e.name)).toEqual(['APP_DB_PASSWORD']);
    expect(envNames.get('APP_DB_PASSWORD')).toBe('vault://secret/webapp/app#DB_PASSWORD');
  });

  it('leaves a file that does not parse as it is', () => {
    const text = 'services:\n  app:\n    environment:\n      DB_PASSWORD: "hunter2-Ledger-Pw\n';
    const edit = editFor(text, 'hunter2-Ledger-Pw', 'DB_PASSWORD');
    const result = composeRewriter.rewrite(text, [edit], context('docker-compose.yml'));
    expect(result.text).toBe(text);
    expect(result.manual).toEqual([{ edit, reason: 'the file does not parse as YAML: replace the literal by hand' }]);
  });
});
