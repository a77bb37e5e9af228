import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/migrate/open-store.js';
import { scan } from '../../src/scan/scan.js';
import { MigrationSession } from '../../src/tui/session.js';
import { fake, TestRepo } from '../helpers/repo.js';
import { uniqueName } from '../helpers/stores.js';

describe('the interactive migrator\'s session: decisions make a plan', () => {
  const repo = new TestRepo();
  const token = fake.githubPat('6');
  let session: MigrationSession;
  beforeAll(async () => {
    repo.commit('app', { '.env': 'DB_PASSWORD="Qv7nR2xT9wLm4Kp8"\n', 'src/app.js': `const githubToken = "${token}";\n` });
    const result = await scan({ path: repo.dir, history: true, staged: false, includeIgnored: false, threads: 1, showSecrets: false });
    session = new MigrationSession(result.findings, { root: result.root, repository: basename(result.root), backend: { type: 'vault', mount: 'secret' }, prefix: uniqueName('s'), planFile: `${repo.dir}/../${uniqueName('plan')}.yaml` });
  });
  afterAll(() => repo.cleanup());

  it('skips what is undecided, and carries actions, targets and reasons into the plan', () => {
    const [a, b] = session.rows.map((r) => r.id);
    session.decide([a], { action: 'migrate' });
    session.decide([b], { action: 'false-positive', reason: 'docs' });
    const plan = session.plan();
    expect(plan.secrets.map((s) => s.action).sort()).toEqual(['false-positive', 'migrate']);
    expect(plan.secrets.find((s) => s.id === b)?.reason).toBe('docs');
    session.decide([b], { action: undefined, reason: undefined });
    expect(session.plan().secrets.find((s) => s.id === b)?.action).toBe('skip');
  });

  it('previews the rewrites with every secret masked', async () => {
    const preview = await session.preview(openStore(session.backend, 'r'));
    expect(preview.planInWords[0]).toMatch(/^Migrate 1 secret into Vault at /);
    expect(preview.diffs.length).toBeGreaterThan(0);
    const all = JSON.stringify(preview);
    expect(all).not.toContain('Qv7nR2xT9wLm4Kp8');
    expect(all).not.toContain(token);
  });

  it('switches every target to the other store, keeping the decisions', () => {
    const migrating = session.plan().secrets.filter((s) => s.action === 'migrate').map((s) => s.id);
    session.switchBackend();
    const plan = session.plan();
    expect(plan.backend.type).toBe('aws-secrets-manager');
    expect(plan.secrets.every((s) => 'name' in s.target)).toBe(true);
    expect(plan.secrets.filter((s) => s.action === 'migrate').map((s) => s.id)).toEqual(migrating);
    session.switchBackend();
    expect(session.plan().secrets.every((s) => 'mount' in s.target && s.target.mount === 'secret')).toBe(true);
  });
});
