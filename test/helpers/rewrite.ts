import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { buildPlan } from '../../src/migrate/plan/build.js';
import type { PlanBackend, RewriteOptions } from '../../src/migrate/plan/schema.js';
import type { RewriteEdit, RewriteResult, Rewriter } from '../../src/migrate/rewrite/types.js';
import { readLocation } from '../../src/migrate/values.js';
import { scan } from '../../src/scan/scan.js';

/**
 * Golden tests for the rewriters. A fixture folder under `fixtures/rewrite/` is copied into a
 * repository named `webapp` (so default store paths are `webapp/...`), scanned for real
 * (working tree only), planned with the default targets, and every location in `file` is handed
 * to the rewriter exactly as `vaultsweep apply` would.
 */

export const BACKENDS: Record<'vault' | 'aws', PlanBackend> = {
  vault: { type: 'vault', mount: 'secret' },
  aws: { type: 'aws-secrets-manager', tags: {} },
};

export interface RewriteRun {
  input: string;
  edits: RewriteEdit[];
  result: RewriteResult;
}

/** Scans `fixtures/rewrite/<fixture>/`, plans it for `backend`, and rewrites `file` (a path inside the fixture). */
export async function rewriteFixture(rewriter: Rewriter, fixture: string, file: string, backend: PlanBackend, rewriteOptions: Partial<RewriteOptions> = {}): Promise<RewriteRun> {
  const source = join(import.meta.dirname, '..', '..', 'fixtures', 'rewrite', fixture);
  const root = join(mkdtempSync(join(tmpdir(), 'vaultsweep-rewrite-')), 'webapp');
  cpSync(source, root, { recursive: true });
  try {
    const scanned = await scan({ path: root, history: false, staged: false, includeIgnored: true, threads: 1, showSecrets: false });
    const plan = buildPlan(scanned.findings, { backend, repository: 'webapp', includeHistoryOnly: false, rewriteOptions });
    const input = readFileSync(join(root, file), 'utf8');
    const edits: RewriteEdit[] = [];
    for (const secret of plan.secrets) {
      for (const location of secret.locations.filter((l) => l.file === file)) {
        const read = readLocation(input, location, secret.secretSha256);
        if (!read.ok) throw new Error(read.reason);
        edits.push({ secretId: secret.id, location, target: secret.target, start: read.start, end: read.end });
      }
    }
    await rewriter.prepare?.();
    const result = rewriter.rewrite(input, edits, { backend, options: plan.rewriteOptions, file, root });
    return { input, edits, result };
  } finally {
    rmSync(dirname(root), { recursive: true, force: true });
  }
}

/**
 * Compares with `fixtures/rewrite/<fixture>/<expected>`. With UPDATE_GOLDEN=1 the file is
 * (re)written instead: read every one you write before you trust it.
 */
export function expectGolden(actual: string, fixture: string, expected: string): void {
  const path = join(import.meta.dirname, '..', '..', 'fixtures', 'rewrite', fixture, expected);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`golden file ${expected} did not exist and was written: review it, then run again`);
    return;
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
