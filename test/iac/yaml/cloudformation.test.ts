import { describe, expect, it } from 'vitest';
import { analyzeFixture, analyzeText, at, checkInvariants, sensitiveOf } from './helpers.js';

describe('cloudformation (YAML with short-form tags)', () => {
  const file = analyzeFixture('cloudformation/ledger-stack.yaml', 'cloudformation');

  it('parses the short-form tags without notes', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'cloudformation');
  });

  it('finds exactly the NoEcho default, the secret-named default, the RDS password and the Lambda env password', () => {
    expect(sensitiveOf(file)).toEqual([
      { path: 'Parameters.DBMasterPassword.Default', key: 'DBMasterPassword', literal: 'Qv7-ledger-Rds-2024!', line: 11, column: 15, text: 'Qv7-ledger-Rds-2024!' },
      { path: 'Parameters.ApiSigningKey.Default', key: 'ApiSigningKey', literal: 'sk_live_fake_9fKq2LmZ7xWc', line: 18, column: 14, text: 'sk_live_fake_9fKq2LmZ7xWc' },
      { path: 'Resources.LedgerDatabase.Properties.MasterUserPassword', key: 'MasterUserPassword', literal: 'Hx4!mQ9zLedgerDb', line: 35, column: 27, text: 'Hx4!mQ9zLedgerDb' },
      { path: 'Resources.LedgerFunction.Properties.Environment.Variables.DB_PASSWORD', key: 'DB_PASSWORD', literal: 'pr0d-Ledger#Lambda', line: 65, column: 25, text: 'pr0d-Ledger#Lambda' },
    ]);
  });

  it('treats !Ref, !GetAtt, !Sub with ${...}, !Join and {{resolve:...}} as references', () => {
    expect(at(file, 'Resources.LedgerReplica.Properties.MasterUserPassword')).toMatchObject({ literal: null, sensitive: false, text: 'DBMasterPassword' });
    expect(at(file, 'Resources.LedgerCache.Properties.AuthToken')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'Resources.LedgerFunction.Properties.Environment.Variables.API_TOKEN')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'Resources.LedgerFunction.Properties.Environment.Variables.DB_HOST')).toMatchObject({ literal: null });
    expect(at(file, 'Resources.LedgerFunction.Properties.Code.S3Bucket')).toMatchObject({ literal: null });
    expect(at(file, 'Resources.LedgerFunction.Properties.Environment.Variables.STRIPE_SECRET.1.0')).toMatchObject({ literal: null, sensitive: false });
  });

  it('keeps empty and placeholder defaults of NoEcho parameters out', () => {
    expect(at(file, 'Parameters.AdminSecret.Default')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'Parameters.ReplicaPassword.Default')).toMatchObject({ literal: 'changeme', sensitive: false });
  });

  it('returns other string scalars bound to keys as non-sensitive values', () => {
    expect(at(file, 'Resources.LedgerDatabase.Properties.MasterUsername')).toMatchObject({ key: 'MasterUsername', literal: 'ledger_admin', sensitive: false, line: 34 });
    expect(at(file, 'Parameters.Environment.Default')).toMatchObject({ key: 'Environment', literal: 'staging', sensitive: false });
    expect(at(file, 'Resources.LedgerDatabase.Properties.Tags.team')).toMatchObject({ key: 'team', literal: 'payments', sensitive: false });
  });

  it('reads !Sub without ${...} as the literal text', () => {
    const sub = analyzeText(
      'Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      MasterUserPassword: !Sub "plain-Sub-Pw-9"\n',
      'sub.yaml',
      'cloudformation',
    );
    expect(sensitiveOf(sub)).toEqual([
      { path: 'Resources.Db.Properties.MasterUserPassword', key: 'MasterUserPassword', literal: 'plain-Sub-Pw-9', line: 5, column: 33, text: 'plain-Sub-Pw-9' },
    ]);
  });
});

describe('cloudformation (JSON)', () => {
  const file = analyzeFixture('cloudformation/ledger-stack.json', 'cloudformation');

  it('finds the same secrets in the JSON template, and ECS Name/Value environment items', () => {
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'cloudformation');
    expect(sensitiveOf(file)).toEqual([
      { path: 'Parameters.DBMasterPassword.Default', key: 'DBMasterPassword', literal: 'Qv7-ledger-Rds-2024!', line: 8, column: 19, text: 'Qv7-ledger-Rds-2024!' },
      { path: 'Resources.LedgerDatabase.Properties.MasterUserPassword', key: 'MasterUserPassword', literal: 'Hx4!mQ9zLedgerDb', line: 18, column: 32, text: 'Hx4!mQ9zLedgerDb' },
      { path: 'Resources.LedgerFunction.Properties.Environment.Variables.DB_PASSWORD', key: 'DB_PASSWORD', literal: 'pr0d-Ledger#Lambda', line: 34, column: 29, text: 'pr0d-Ledger#Lambda' },
      { path: 'Resources.LedgerTask.Properties.ContainerDefinitions.ledger.Environment.QUEUE_PASSWORD', key: 'QUEUE_PASSWORD', literal: 'Mq-ledger-77-queue', line: 49, column: 53, text: 'Mq-ledger-77-queue' },
    ]);
  });

  it('treats Ref, Fn::GetAtt and Fn::Sub objects and {{resolve:...}} strings as references', () => {
    expect(at(file, 'Resources.LedgerReplica.Properties.MasterUserPassword.Ref')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'Resources.LedgerFunction.Properties.Role.Fn::GetAtt.0')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'Resources.LedgerFunction.Properties.Environment.Variables.API_TOKEN.Fn::Sub')).toMatchObject({ literal: null });
    expect(at(file, 'Resources.LedgerFunction.Properties.Environment.Variables.CACHE_PASSWORD')).toMatchObject({ literal: null, sensitive: false });
    expect(file.result.values.filter((v) => v.context.path.includes('MasterUserPassword') && v.sensitive)).toHaveLength(1);
  });

  it('decodes JSON escapes in the literal while the span stays the text as written', () => {
    const esc = analyzeText('{"Resources":{"Db":{"Properties":{"MasterUserPassword":"a\\u00e9\\/b-Pw-77"}}}}', 't.json', 'cloudformation');
    expect(sensitiveOf(esc)).toEqual([
      { path: 'Resources.Db.Properties.MasterUserPassword', key: 'MasterUserPassword', literal: 'aé/b-Pw-77', line: 1, column: 57, text: 'a\\u00e9\\/b-Pw-77' },
    ]);
  });
});
