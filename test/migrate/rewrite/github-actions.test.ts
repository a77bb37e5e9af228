import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { githubActionsRewriter, secretNameFor } from '../../../src/migrate/rewrite/github-actions.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const WORKFLOW = '.github/workflows/deploy.yml';

describe('GitHub Actions rewriter', () => {
  it('accepts GitHub Actions locations for both stores', () => {
    const location = { file: WORKFLOW, line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'github-actions', path: 'env.X', key: 'X' } };
    expect(githubActionsRewriter.accepts(location, BACKENDS.vault)).toBe(true);
    expect(githubActionsRewriter.accepts(location, BACKENDS.aws)).toBe(true);
    expect(githubActionsRewriter.accepts({ ...location, context: { format: 'gitlab-ci', path: 'x', key: 'x' } }, BACKENDS.vault)).toBe(false);
  });

  it('names secrets as GitHub allows', () => {
    expect(secretNameFor('api_token')).toBe('API_TOKEN');
    expect(secretNameFor('dbPassword')).toBe('DB_PASSWORD');
    expect(secretNameFor('GITHUB_PAT')).toBe('GH_PAT');
    expect(secretNameFor('2fa-secret')).toBe('_2FA_SECRET');
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`replaces env (workflow, job, step), step inputs and credentials with \${{ secrets.NAME }} (${name})`, async () => {
      const { result, edits } = await rewriteFixture(githubActionsRewriter, 'github-actions', WORKFLOW, backend);
      expect(edits.length).toBe(9);
      expectGolden(result.text, 'github-actions', `deploy.yml.${name}.expected`);
      expect(parseAllDocuments(result.text).every((d) => d.errors.length === 0)).toBe(true);
      expect(result.manual.map((m) => m.edit.location.context?.path)).toEqual(['jobs.deploy.steps.Check billing.run', 'jobs.reports.with.report_token']);
      const [script, callInput] = result.manual.map((m) => m.reason);
      expect(script).toMatch(/^the secret is in the script of jobs\.deploy\.steps\.Check billing\.run: add CHECK_BILLING_SECRET: \$\{\{ secrets\.CHECK_BILLING_SECRET \}\} to this step's env:, write \$\{CHECK_BILLING_SECRET\} in place of the literal \(shell\), and create that secret: `.+ \| gh secret set CHECK_BILLING_SECRET`$/);
      expect(callInput).toMatch(/^jobs\.reports\.with\.report_token is an input of a reusable workflow, where secrets cannot be read: declare report_token under on\.workflow_call\.secrets/);
      const names = result.notes.map((n) => /gh secret set (\w+)`$/.exec(n)?.[1]);
      expect(names).toEqual(['SENTRY_AUTH_TOKEN', 'REGISTRY_PASSWORD', 'DB_PASSWORD', 'MIGRATE_API_KEY', 'API_TOKEN', 'SMOKE_DB_PASSWORD', 'UPLOAD_KEY']);
      if (name === 'vault') {
        expect(result.notes[0]).toBe(`${WORKFLOW}: create the repository secret SENTRY_AUTH_TOKEN from the store (before the workflow runs again): \`vault kv get -mount=secret -field=SENTRY_AUTH_TOKEN webapp/github/workflows/deploy | gh secret set SENTRY_AUTH_TOKEN\``);
      } else {
        expect(result.notes[0]).toBe(`${WORKFLOW}: create the repository secret SENTRY_AUTH_TOKEN from the store (before the workflow runs again): \`aws secretsmanager get-secret-value --secret-id webapp/github/workflows/deploy --query SecretString --output text | jq -j .SENTRY_AUTH_TOKEN | gh secret set SENTRY_AUTH_TOKEN\``);
      }
      expect(result.envEntries ?? []).toEqual([]);
      for (const note of [...result.notes, ...result.manual.map((m) => m.reason)]) expect(note).not.toMatch(/sntry-|ctr-Reg|gh-Actions|ghx-Mig|notify-Tok|sk_live|sm0ke|rpt-Led|upl-Led/);
    });
  }
});
