import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fake, TestRepo } from './repo.js';
import { uniqueName } from './stores.js';

/** The secrets the migration fixture plants, by where they are. */
export const SECRETS = {
  dbPassword: 'Zq8vN3rT6wLp2Xy9',
  stripe: fake.stripeLive(),
  github: fake.githubPat('7'),
  /** Committed once, then removed from the file: only in history. */
  oldToken: fake.githubPat('3'),
};

export const ENV_FILE = ['# app settings', 'DATABASE_URL=postgres://app@db/app', `DB_PASSWORD="${SECRETS.dbPassword}"`, `STRIPE_KEY=${SECRETS.stripe}`, ''].join('\n');
export const CODE_FILE = `const githubToken = "${SECRETS.github}";\nmodule.exports = { githubToken };\n`;

/**
 * A repository with two secrets in `.env` (rewritten automatically), one in code (manual), and
 * one only in history; plus a folder outside it for the plan. `prefix` keeps each test's store
 * paths apart.
 */
export class MigrationFixture {
  readonly repo = new TestRepo();
  readonly out = mkdtempSync(join(tmpdir(), 'vaultsweep-plan-'));
  readonly prefix = uniqueName('t');
  readonly plan = join(this.out, 'plan.yaml');
  readonly firstCommit: string;

  constructor() {
    this.firstCommit = this.repo.commit('first', { '.env': ENV_FILE, 'src/config.js': CODE_FILE, 'scripts/deploy.sh': `export DEPLOY_TOKEN=${SECRETS.oldToken}\n` });
    this.repo.commit('drop the deploy token', { 'scripts/deploy.sh': 'export DEPLOY_TOKEN="$(cat /run/secrets/deploy)"\n' });
  }

  read(file: string): string {
    return readFileSync(join(this.repo.dir, file), 'utf8');
  }

  cleanup(): void {
    this.repo.cleanup();
  }
}
