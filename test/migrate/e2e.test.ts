import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { describeTarget } from '../../src/migrate/plan/schema.js';
import { parseReference } from '../../src/migrate/references.js';
import { loadGrammar, syntaxErrors, type Grammar } from '../../src/migrate/rewrite/syntax.js';
import { TestRepo } from '../helpers/repo.js';
import { runCli, uniqueName } from '../helpers/stores.js';

/**
 * The whole migration on a repository with every format the rewriters know
 * (fixtures/migrate-e2e/), into each real store: afterwards no literal is left outside the
 * locations reported as manual, a scan of the working tree finds none of the migrated secrets,
 * every rewritten file still parses, and `vaultsweep run` hands the right values to a child.
 */

const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'migrate-e2e');

const GRAMMARS: Record<string, Grammar> = { '.tf': 'hcl', '.tfvars': 'hcl', '.js': 'javascript', '.py': 'python', '.go': 'go', '.properties': 'properties' };

function workingFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.git' || entry.name === '.vaultsweep') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...workingFiles(path));
    else out.push(path);
  }
  return out;
}

/** A parse problem of one file in its own format, or undefined when it parses. */
function parseProblem(file: string, text: string): string | undefined {
  if (/\.ya?ml$/.test(file)) {
    const errors = parseAllDocuments(text).flatMap((d) => ('errors' in d ? d.errors : []));
    return errors.length ? errors[0].message : undefined;
  }
  if (file.endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (error) {
      return (error as Error).message;
    }
    return undefined;
  }
  const grammar = Object.entries(GRAMMARS).find(([ext]) => file.endsWith(ext))?.[1];
  if (grammar) return syntaxErrors(grammar, text) ? `${grammar} syntax errors` : undefined;
  return undefined;
}

for (const backend of ['vault', 'aws-secrets-manager'] as const) {
  describe(`end to end: every format into ${backend}`, () => {
    const repo = new TestRepo();
    const prefix = uniqueName('e2e');
    const plan = join(repo.dir, '..', `${prefix}-plan.yaml`);
    const values = new Map<string, string>(); // secretSha256 → secret
    let report: { secrets: { id: string; status: string; manual: { where: string }[]; rewritten: string[] }[] };
    let planned: { secrets: { id: string; secretSha256: string; target: Parameters<typeof describeTarget>[0]; locations: { file: string; rewrite: string }[] }[] };

    beforeAll(async () => {
      await Promise.all(Object.values(GRAMMARS).map((g) => loadGrammar(g)));
      cpSync(FIXTURE, repo.dir, { recursive: true });
      repo.commit('the ledger app with its secrets');
      const scanned = await runCli(['scan', repo.dir, '--no-history', '--show-secrets', '-f', 'json', '--quiet']);
      for (const finding of JSON.parse(scanned.stdout)) values.set(finding.secretSha256, finding.secret);
      expect(values.size).toBe(14);
      expect((await runCli(['migrate', repo.dir, '--backend', backend, '--plan-out', plan, '--prefix', prefix, '--quiet'])).code).toBe(0);
      planned = parseYaml(readFileSync(plan, 'utf8'));
      const applied = await runCli(['apply', plan, '--repo', repo.dir, '--yes', '--format', 'json']);
      expect(applied.stderr).toBe('');
      expect(applied.code).toBe(0);
      report = JSON.parse(applied.stdout);
    });
    afterAll(() => repo.cleanup());

    it('stores every secret and leaves no literal outside the locations reported as manual', () => {
      expect(report.secrets.map((s) => s.status).every((s) => s === 'migrated')).toBe(true);
      const manualFiles = new Set(report.secrets.flatMap((s) => s.manual.map((m) => m.where.split(':')[0])));
      const files = workingFiles(repo.dir);
      for (const secret of planned.secrets) {
        const value = values.get(secret.secretSha256)!;
        for (const file of files) {
          const rel = relative(repo.dir, file);
          if (manualFiles.has(rel)) continue;
          expect(readFileSync(file, 'utf8').includes(value), `${rel} still holds the secret of ${secret.id}`).toBe(false);
        }
      }
      // The formats the rewriters handle are all rewritten; the rest is named, with what to do.
      expect(report.secrets.filter((s) => s.rewritten.length > 0).length).toBeGreaterThanOrEqual(10);
    });

    it('a scan of the working tree finds none of the migrated secrets outside manual locations', async () => {
      const scanned = await runCli(['scan', repo.dir, '--no-history', '-f', 'json', '--quiet']);
      const manualFiles = new Set(report.secrets.flatMap((s) => s.manual.map((m) => m.where.split(':')[0])));
      const migrated = new Set(planned.secrets.map((s) => s.secretSha256));
      const left = (JSON.parse(scanned.stdout) as { secretSha256: string; locations: { file: string }[] }[])
        .filter((f) => migrated.has(f.secretSha256))
        .flatMap((f) => f.locations.map((l) => l.file))
        .filter((file) => !manualFiles.has(file));
      expect(left).toEqual([]);
    });

    it('every rewritten file still parses in its format', () => {
      const changed = repo.git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).map((l) => l.slice(3));
      expect(changed.length).toBeGreaterThanOrEqual(8);
      for (const file of changed) {
        expect(parseProblem(file, readFileSync(join(repo.dir, file), 'utf8')), file).toBeUndefined();
      }
    });

    it('vaultsweep run hands each referenced variable its secret', async () => {
      const env = parseEnv(readFileSync(join(repo.dir, '.env'), 'utf8'));
      const references = Object.entries(env).filter(([, value]) => parseReference(value));
      expect(references.length).toBeGreaterThanOrEqual(5);
      const byTarget = new Map(planned.secrets.map((s) => [describeTarget(s.target), s.secretSha256]));
      const r = await runCli(['run', '-q', '--', 'node', '-e', 'process.stdout.write(JSON.stringify(process.env))'], { cwd: repo.dir });
      expect(r.code).toBe(0);
      const child = JSON.parse(r.stdout) as Record<string, string>;
      for (const [name, uri] of references) {
        const ref = parseReference(uri)!;
        const target = ref.kind === 'vault' ? `${ref.fullPath}#${ref.key}` : `${ref.name}#${ref.key}`;
        const sha = byTarget.get(target);
        expect(sha, `${name} refers to ${target}, which the plan does not name`).toBeDefined();
        expect(child[name], name).toBe(values.get(sha!));
      }
    });
  });
}
