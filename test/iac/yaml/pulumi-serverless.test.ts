import { describe, expect, it } from 'vitest';
import { analyzeFixture, at, checkInvariants, sensitiveOf } from './helpers.js';

describe('pulumi', () => {
  const file = analyzeFixture('pulumi/Pulumi.prod.yaml', 'pulumi');

  it('finds plain secret config values, nested ones too', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'pulumi');
    expect(sensitiveOf(file)).toEqual([
      { path: 'config.ledger:dbPassword', key: 'ledger:dbPassword', literal: 'pulumi-Ledger-Db-Pw', line: 4, column: 22, text: 'pulumi-Ledger-Db-Pw' },
      { path: 'config.ledger:smtp.password', key: 'password', literal: 'pulumi-Smtp-Nested-Pw', line: 9, column: 15, text: 'pulumi-Smtp-Nested-Pw' },
    ]);
  });

  it('binds secure: values to their key as protected (null literal)', () => {
    expect(at(file, 'config.ledger:apiToken')).toMatchObject({
      key: 'ledger:apiToken', literal: null, sensitive: false, line: 6, column: 13,
      text: 'v1:Nq2k8H0bX7sY5cF3:Yh6Jm1Pz9Lw4Tv0Rb7Kx2Cq8Gs5Dn3Fe',
    });
    expect(at(file, 'config.aws:region')).toMatchObject({ literal: 'eu-west-1', sensitive: false });
    expect(at(file, 'encryptionsalt')).toMatchObject({ sensitive: false });
  });
});

describe('serverless', () => {
  const file = analyzeFixture('serverless/serverless.yml', 'serverless');

  it('finds literal secrets in provider and function environments', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'serverless');
    expect(sensitiveOf(file)).toEqual([
      { path: 'provider.environment.DB_PASSWORD', key: 'DB_PASSWORD', literal: 'sls-Ledger-Db-Pw', line: 9, column: 18, text: 'sls-Ledger-Db-Pw' },
      { path: 'functions.charge.environment.STRIPE_SECRET_KEY', key: 'STRIPE_SECRET_KEY', literal: 'sk_fake_sls_8Kq3Wz1Lm5', line: 17, column: 26, text: 'sk_fake_sls_8Kq3Wz1Lm5' },
    ]);
  });

  it('treats ${ssm:...}, ${env:...}, ${self:...} as references and parses CloudFormation tags in resources', () => {
    expect(at(file, 'provider.environment.API_KEY')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'provider.environment.JWT_SECRET')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'functions.charge.environment.SIGNING_SECRET')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'custom.signingSecret')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'resources.Resources.LedgerTable.Properties.TableName')).toMatchObject({ literal: null });
  });
});
