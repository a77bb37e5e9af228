import { describe, expect, it } from 'vitest';
import { analyzeFixture, at, checkInvariants, sensitiveOf } from './helpers.js';

describe('github-actions', () => {
  const file = analyzeFixture('github-actions/.github/workflows/deploy.yml', 'github-actions');

  it('finds literal secrets in workflow, job and step env and in with: inputs', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'github-actions');
    expect(sensitiveOf(file)).toEqual([
      {
        path: 'env.SLACK_WEBHOOK_URL', key: 'SLACK_WEBHOOK_URL',
        literal: 'https://hooks.slack.com/services/T000FAKE/B000FAKE/XXXXfakeXXXXfakeXXXX1234', line: 9, column: 22,
        text: 'https://hooks.slack.com/services/T000FAKE/B000FAKE/XXXXfakeXXXXfakeXXXX1234',
      },
      { path: 'jobs.deploy.env.DB_PASSWORD', key: 'DB_PASSWORD', literal: 'gh-Actions-Db-Pass-7', line: 16, column: 20, text: 'gh-Actions-Db-Pass-7' },
      { path: 'jobs.deploy.steps.Migrate.env.MIGRATE_API_KEY', key: 'MIGRATE_API_KEY', literal: 'ghx-Migrate-Key-55', line: 28, column: 28, text: 'ghx-Migrate-Key-55' },
      { path: 'jobs.deploy.steps.Notify.with.api_token', key: 'api_token', literal: 'notify-Tok-Ledger-3', line: 33, column: 22, text: 'notify-Tok-Ledger-3' },
    ]);
  });

  it('treats ${{ ... }} expressions as references; unnamed steps go by index', () => {
    expect(at(file, 'jobs.deploy.env.DEPLOY_TOKEN')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'jobs.deploy.steps.Log in to registry.with.password')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'jobs.deploy.steps.Migrate.env.API_URL')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'jobs.deploy.steps.0.uses')).toMatchObject({ literal: 'actions/checkout@v4', sensitive: false });
  });
});

describe('gitlab-ci', () => {
  const file = analyzeFixture('gitlab-ci/.gitlab-ci.yml', 'gitlab-ci');

  it('finds literal secrets in top-level and job variables, plain and expanded form', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'gitlab-ci');
    expect(sensitiveOf(file)).toEqual([
      { path: 'variables.POSTGRES_PASSWORD', key: 'POSTGRES_PASSWORD', literal: 'gl-Ci-Postgres-Pw', line: 5, column: 22, text: 'gl-Ci-Postgres-Pw' },
      { path: 'variables.DEPLOY_TOKEN', key: 'DEPLOY_TOKEN', literal: 'gl-Deploy-Tok-Ledger', line: 7, column: 13, text: 'gl-Deploy-Tok-Ledger' },
      { path: 'test.variables.CACHE_PASSWORD', key: 'CACHE_PASSWORD', literal: 'gl-Job-Cache-Pw', line: 19, column: 21, text: 'gl-Job-Cache-Pw' },
    ]);
  });

  it('treats $VAR and ${VAR} as references', () => {
    expect(at(file, 'test.variables.API_SECRET')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'deploy.variables.AWS_SECRET_ACCESS_KEY')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'variables.DATABASE_URL')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'variables.DEPLOY_TOKEN.description')).toMatchObject({ sensitive: false });
  });
});
