import { describe, expect, it } from 'vitest';
import { propertiesRewriter } from '../../../src/migrate/rewrite/properties.js';
import type { PlanLocation } from '../../../src/migrate/plan/schema.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const location = (format: string): PlanLocation => ({ file: 'a', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, context: { format, path: 'k', key: 'k' }, rewrite: 'manual' });

describe('.properties rewriter', () => {
  it('accepts .properties locations only', () => {
    expect(propertiesRewriter.name).toBe('properties-placeholder');
    expect(propertiesRewriter.accepts(location('properties'), BACKENDS.vault)).toBe(true);
    expect(propertiesRewriter.accepts(location('dotenv'), BACKENDS.vault)).toBe(false);
  });

  const uris = {
    vault: ['vault://secret/webapp/application#spring.datasource.password', 'vault://secret/webapp/application#spring.mail.password', 'vault://secret/webapp/application#stripe.api-key'],
    aws: ['aws-sm://webapp/application#spring.datasource.password', 'aws-sm://webapp/application#spring.mail.password', 'aws-sm://webapp/application#stripe.api-key'],
  };
  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`replaces whole values with Spring placeholders (${name}) and leaves a secret inside a URL to the user`, async () => {
      const { result, edits } = await rewriteFixture(propertiesRewriter, 'properties', 'application.properties', backend);
      expect(edits.length).toBe(4);
      // The same text for both backends: the store reference is in .env, not in the file.
      expectGolden(result.text, 'properties-expected', 'application.properties');
      expect(result.envEntries).toEqual([
        { name: 'SPRING_DATASOURCE_PASSWORD', uri: uris[name as 'vault' | 'aws'][0] },
        { name: 'SPRING_MAIL_PASSWORD', uri: uris[name as 'vault' | 'aws'][1] },
        { name: 'STRIPE_API_KEY', uri: uris[name as 'vault' | 'aws'][2] },
      ]);
      expect(result.notes).toEqual([
        'application.properties: reads SPRING_DATASOURCE_PASSWORD, SPRING_MAIL_PASSWORD and STRIPE_API_KEY from the environment; `vaultsweep run -- <command>` sets them from the store',
      ]);
      expect(result.manual.map((m) => m.reason)).toEqual([
        expect.stringMatching(/^the secret is only part of the value of `reports\.datasource\.url`: replace just the secret with \$\{REPORTS_DATASOURCE_URL_SECRET\} \(Spring resolves placeholders inside a value\); add REPORTS_DATASOURCE_URL_SECRET="(vault|aws-sm):\/\/[^"]+#reports\.datasource\.url" to \.env/),
      ]);
    });
  }

  it('leaves gradle.properties to the user: Gradle expands no placeholders there', async () => {
    const { result, edits, input } = await rewriteFixture(propertiesRewriter, 'properties', 'gradle.properties', BACKENDS.vault);
    expect(edits.length).toBe(1);
    expect(result.text).toBe(input);
    expect(result.envEntries).toBeUndefined();
    expect(result.manual.map((m) => m.reason)).toEqual([
      'Gradle expands no placeholders in gradle.properties: delete the `signing.password` line and pass it from the environment as ORG_GRADLE_PROJECT_signing.password; add ORG_GRADLE_PROJECT_signing.password="vault://secret/webapp/gradle#signing.password" to .env and start Gradle with `vaultsweep run -- ./gradlew <task>`',
    ]);
  });

  it('keeps CRLF line ends, escapes in keys and values on continued lines alone', async () => {
    await propertiesRewriter.prepare?.();
    const text = 'db\\ pass=Qa1Ws2Ed3Rf4Tg5Yh6\r\nlong=abc\\\r\n  Qa1Ws2Ed3Rf4Tg5Yh7\r\n';
    const edit = (value: string, key: string) => {
      const start = text.indexOf(value);
      return { secretId: key, location: { ...location('properties'), context: { format: 'properties', path: key, key } }, target: { mount: 'secret', path: 'webapp/app', key }, start, end: start + value.length };
    };
    const result = propertiesRewriter.rewrite(text, [edit('Qa1Ws2Ed3Rf4Tg5Yh6', 'db pass'), edit('Qa1Ws2Ed3Rf4Tg5Yh7', 'long')], { backend: BACKENDS.vault, file: 'app.properties', root: '/tmp', options: { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' } });
    expect(result.text).toBe('db\\ pass=${DB_PASS}\r\nlong=abc\\\r\n  Qa1Ws2Ed3Rf4Tg5Yh7\r\n');
    expect(result.manual.map((m) => m.reason)).toEqual([expect.stringMatching(/^the secret is only part of the value of `long`/)]);
  });
});
