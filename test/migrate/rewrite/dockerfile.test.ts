import { describe, expect, it } from 'vitest';
import { dockerfileRewriter, parseDockerfile } from '../../../src/migrate/rewrite/dockerfile.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const FAKE = /npm_q8Z|sntry-Ledger|c4che-Sign|ledger-Runtime|pypi-Ledger|gpx-Ledger/;

describe('Dockerfile rewriter', () => {
  it('accepts Dockerfile locations for both stores', () => {
    const location = { file: 'Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'dockerfile', path: 'ARG.X', key: 'X' } };
    expect(dockerfileRewriter.accepts(location, BACKENDS.vault)).toBe(true);
    expect(dockerfileRewriter.accepts(location, BACKENDS.aws)).toBe(true);
    expect(dockerfileRewriter.accepts({ ...location, context: { format: 'compose', path: 'x', key: 'x' } }, BACKENDS.vault)).toBe(false);
  });

  it('reads instructions across continuations, comments, heredocs and the escape directive', () => {
    const text = '# escape=`\n# syntax=docker/dockerfile:1.7\nFROM alpine AS a\nRUN echo a `\n  # a comment\n  b\nRUN <<EOF\nARG NOT_ONE=x\nEOF\nARG X=1\n';
    const parsed = parseDockerfile(text);
    expect(parsed.escape).toBe('`');
    expect(parsed.syntax?.value).toBe('docker/dockerfile:1.7');
    expect(parsed.instructions.map((i) => [i.keyword, i.line, i.stage])).toEqual([['FROM', 3, 0], ['RUN', 4, 0], ['RUN', 7, 0], ['ARG', 10, 0]]);
    expect(text.slice(parsed.instructions[2].start, parsed.instructions[2].end)).toBe('RUN <<EOF\nARG NOT_ONE=x\nEOF');
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`drops ARG defaults read only by RUN and mounts them as build secrets; ENV and ARGs read elsewhere are manual (${name})`, async () => {
      const { result, edits } = await rewriteFixture(dockerfileRewriter, 'dockerfile', 'Dockerfile', backend);
      expect(edits.length).toBe(4);
      expectGolden(result.text, 'dockerfile', `Dockerfile.${name}.expected`);
      expect(result.manual.map((m) => m.edit.location.context?.path)).toEqual(['ARG.CACHE_SIGNING_SECRET', 'ENV.DB_PASSWORD']);
      const [cache, env] = result.manual.map((m) => m.reason);
      expect(cache).toMatch(/^CACHE_SIGNING_SECRET is also read by ENV on line 26, which a build secret cannot reach: remove its default from line 22, /);
      expect(env).toMatch(/^an ENV value is stored in the image: delete DB_PASSWORD from the ENV on line 23; if the program reads it when it runs, pass it at start-up \(add DB_PASSWORD="(vault|aws-sm):\/\/[^"]+" to \.env and run `vaultsweep run -- docker run -e DB_PASSWORD <image>`\); if a RUN needs it while building, give each RUN that needs it `--mount=type=secret,id=db_password,env=DB_PASSWORD`/);
      expect(result.notes).toEqual([
        'Dockerfile: NPM_TOKEN, SENTRY_AUTH_TOKEN now reach the RUN instructions as BuildKit secrets (recorded in .env as store references): build with `vaultsweep run -- docker build --secret id=npm_token,env=NPM_TOKEN --secret id=sentry_auth_token,env=SENTRY_AUTH_TOKEN .` (BuildKit, docker/dockerfile 1.10 or later); a --build-arg for them no longer reaches those RUNs',
      ]);
      expect(result.envEntries?.map((e) => e.name)).toEqual(['NPM_TOKEN', 'SENTRY_AUTH_TOKEN']);
      expect(result.envEntries?.[0].uri).toBe(name === 'vault' ? 'vault://secret/webapp/Dockerfile#NPM_TOKEN' : 'aws-sm://webapp/Dockerfile#NPM_TOKEN');
      for (const note of [...result.notes, ...result.manual.map((m) => m.reason)]) expect(note).not.toMatch(FAKE);
    });

    it(`adds the syntax directive and keeps CRLF line endings (${name})`, async () => {
      const { result } = await rewriteFixture(dockerfileRewriter, 'dockerfile', 'worker/Dockerfile', backend);
      expect(result.manual).toEqual([]);
      expectGolden(result.text, 'dockerfile', `worker-Dockerfile.${name}.expected`);
      expect(result.text.split('\r\n').length).toBe(6);
      expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
      expect(result.notes[0]).toContain('`vaultsweep run -- docker build --secret id=pip_index_token,env=PIP_INDEX_TOKEN worker`');
    });

    it(`leaves secret mounts in a Dockerfile pinned to an older frontend by digest to the user; drops an unread default (${name})`, async () => {
      const { result, input } = await rewriteFixture(dockerfileRewriter, 'dockerfile-pinned', 'Dockerfile', backend);
      expect(result.text).toBe(input.replace('ARG LEGACY_API_TOKEN=leg4cy-Ledger-Api-Token-3\n', 'ARG LEGACY_API_TOKEN\n'));
      expect(result.notes).toEqual(['Dockerfile: no RUN reads LEGACY_API_TOKEN: its default was dropped and nothing else changed']);
      expect(result.envEntries).toEqual([]);
      expect(result.manual.map((m) => m.reason)).toEqual([
        'the # syntax= directive names docker/dockerfile:1.6@sha256:ac85f380a63b13dfcefa89046420e1781752bab202122f8f50032edf31be0021, and RUN --mount=type=secret,env= needs docker/dockerfile 1.10 or later: point it at docker/dockerfile:1, then remove the default of GOPROXY_TOKEN and give each RUN that reads it `--mount=type=secret,id=goproxy_token,env=GOPROXY_TOKEN`',
      ]);
    });
  }
});

describe('Dockerfile rewriter, direct', () => {
  const context = (envNames?: Map<string, string>) => ({ backend: BACKENDS.vault, file: 'Dockerfile', root: '/nonexistent', options: { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' as const }, ...(envNames ? { envNames } : {}) });
  const editsFor = (text: string, literals: [string, string, string][]) =>
    literals.map(([literal, key, path]) => {
      const start = text.indexOf(literal);
      return {
        secretId: literal,
        location: { file: 'Dockerfile', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'dockerfile-secret-mount', context: { format: 'dockerfile', path: `ARG.${key}`, key } },
        target: { mount: 'secret', path, key },
        start,
        end: start + literal.length,
      };
    });

  it('keeps the name inside the build and takes a free one on the host; one secret id per secret', () => {
    const text = 'FROM node:20 AS a\nARG NPM_TOKEN=t0ken-Stage-A-1\nRUN npm ci\n\nFROM node:20 AS b\nARG NPM_TOKEN=t0ken-Stage-B-2\nRUN npm ci\n';
    const envNames = new Map([['NPM_TOKEN', '\0existing']]);
    const result = dockerfileRewriter.rewrite(text, editsFor(text, [['t0ken-Stage-A-1', 'NPM_TOKEN', 'webapp/a'], ['t0ken-Stage-B-2', 'NPM_TOKEN', 'webapp/b']]), context(envNames));
    expect(result.manual).toEqual([]);
    expect(result.text).toBe(
      '# syntax=docker/dockerfile:1\nFROM node:20 AS a\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n\nFROM node:20 AS b\nARG NPM_TOKEN\nRUN --mount=type=secret,id=npm_token_2,env=NPM_TOKEN npm ci\n',
    );
    expect(result.envEntries).toEqual([
      { name: 'NPM_TOKEN_2', uri: 'vault://secret/webapp/a#NPM_TOKEN' },
      { name: 'NPM_TOKEN_3', uri: 'vault://secret/webapp/b#NPM_TOKEN' },
    ]);
    expect(result.notes[0]).toContain('`vaultsweep run -- docker build --secret id=npm_token,env=NPM_TOKEN_2 --secret id=npm_token_2,env=NPM_TOKEN_3 .`');
    expect(envNames.get('NPM_TOKEN_2')).toBe('vault://secret/webapp/a#NPM_TOKEN');
  });
});
