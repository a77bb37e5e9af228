import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM fixture builder without types
import { buildFixtureRepo, listFixtureRepos, loadFixtureLabels } from '../fixtures/build-repo.mjs';
import { scan } from '../src/scan/scan.js';
import type { Finding } from '../src/findings/types.js';
import { measure, type Label } from './helpers/accuracy.js';

const work = mkdtempSync(join(tmpdir(), 'vaultsweep-accuracy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const all: { findings: Finding[]; labels: Label[] }[] = [];

describe.each(listFixtureRepos() as string[])('labelled repository %s', (name) => {
  it('is scanned with recall >= 0.95 and precision >= 0.9, and each secret knows whether it is still in the tree', async () => {
    const dir = join(work, name);
    await buildFixtureRepo(name, dir);
    const { findings } = await scan({ path: dir, history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 1 });
    const labels = (loadFixtureLabels(name) as { secrets: Label[] }).secrets;
    all.push({ findings, labels });
    const result = measure(findings, labels);
    const detail = JSON.stringify({ missed: result.missed.map((l) => l.kind + ':' + l.secret), falseAlarms: result.falseAlarms }, null, 2);
    expect(result.recall, detail).toBeGreaterThanOrEqual(0.95);
    expect(result.precision, detail).toBeGreaterThanOrEqual(0.9);
    expect(result.wrongWorktreeFlag).toEqual([]);
  });
});

describe('all labelled repositories together', () => {
  it('hold the gate over the whole set', () => {
    const findings = all.flatMap((a) => a.findings);
    const labels = all.flatMap((a) => a.labels);
    const result = measure(findings, labels);
    process.stdout.write(`accuracy over ${labels.length} labelled secrets: recall ${result.recall.toFixed(3)}, precision ${result.precision.toFixed(3)}\n`);
    expect(result.recall).toBeGreaterThanOrEqual(0.95);
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
  });
});
