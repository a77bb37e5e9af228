import { describe, expect, it } from 'vitest';
import { dotenvRewriter } from '../../../src/migrate/rewrite/dotenv.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

describe('.env rewriter', () => {
  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`replaces whole values with ${name} reference URIs and keeps comments, quotes and order`, async () => {
      const { result, edits } = await rewriteFixture(dotenvRewriter, 'dotenv', '.env', backend);
      expect(edits.length).toBe(3);
      expect(result.manual.map((m) => m.reason)).toEqual(['the secret is part of a longer value: move it to its own variable, then reference it']);
      expectGolden(result.text, 'dotenv', `.env.${name}.expected`);
      expect(result.envEntries?.map((e) => e.name)).toEqual(['DB_PASSWORD', 'STRIPE_KEY']);
    });
  }
});
