import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLOUDFORMATION_TAGS } from '../../../src/iac/yaml/walk.js';
import type { PlanBackend } from '../../../src/migrate/plan/schema.js';
import { cloudformationRewriter, dynamicReference } from '../../../src/migrate/rewrite/cloudformation.js';
import type { RewriteEdit } from '../../../src/migrate/rewrite/types.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const aws = BACKENDS.aws;
const options = { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' as const };

/** An edit for the first occurrence of `literal` in `text`, as apply would build it. */
function editOf(text: string, literal: string, path: string, target: RewriteEdit['target'] = { name: 'webapp/stack', key: path.split('.').pop()! }): RewriteEdit {
  const start = text.indexOf(literal);
  if (start < 0) throw new Error(`${literal} not in text`);
  const line = text.slice(0, start).split('\n').length;
  const column = start - text.lastIndexOf('\n', start - 1);
  return {
    secretId: path,
    start,
    end: start + literal.length,
    target,
    location: { file: 'stack.yaml', line, column, endLine: line, endColumn: column + literal.length, commit: null, context: { format: 'cloudformation', path, key: path.split('.').pop()! }, rewrite: 'cloudformation-dynamic-reference' },
  };
}

function run(text: string, edits: RewriteEdit[], backend: PlanBackend = aws) {
  return cloudformationRewriter.rewrite(text, edits, { backend, options, file: 'stack.yaml', root: '/nonexistent' });
}

function parses(text: string): boolean {
  return parseAllDocuments(text, { customTags: CLOUDFORMATION_TAGS }).every((d) => d.errors.length === 0);
}

describe('CloudFormation rewriter', () => {
  it('accepts CloudFormation locations with either backend, nothing else', () => {
    const location = { file: 't.yaml', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'cloudformation', path: 'Resources.A.Properties.Password', key: 'Password' } };
    expect(cloudformationRewriter.accepts(location, BACKENDS.aws)).toBe(true);
    expect(cloudformationRewriter.accepts(location, BACKENDS.vault)).toBe(true);
    expect(cloudformationRewriter.accepts({ ...location, context: { format: 'kubernetes', path: 'data.x', key: 'x' } }, BACKENDS.aws)).toBe(false);
    expect(cloudformationRewriter.name).toBe('cloudformation-dynamic-reference');
  });

  it('writes dynamic references in a YAML template: literals, the NoEcho parameter and both of its !Ref forms', async () => {
    const { result, edits, input } = await rewriteFixture(cloudformationRewriter, 'cloudformation', 'template.yaml', aws);
    expect(edits.length).toBe(3);
    expect(result.manual).toEqual([]);
    expectGolden(result.text, 'cloudformation', 'template.yaml.aws.expected');
    expect(parses(result.text)).toBe(true);
    // Everything outside the replaced spans is as it was: comments, !Sub, !GetAtt, quoting.
    expect(result.text).toContain('  # Master password of the ledger database, also used by the replication endpoint\n');
    expect(result.text).toContain('ReplicationGroupDescription: !Sub "ledger cache (${Environment})"');
    expect(result.text).not.toContain('Default: "Qv7');
    expect(input.split('\n').length - result.text.split('\n').length).toBe(2); // the Default line, and `Ref:` joined to its key
    expect(result.notes.some((n) => n.includes('Parameters.DBMasterPassword is no longer used and has no Default: delete it'))).toBe(true);
    expect(result.notes.some((n) => n.includes('Resources.LedgerFunction.Properties.Environment.Variables.WEBHOOK_SIGNING_SECRET is an environment variable'))).toBe(true);
    for (const note of result.notes) expect(note).not.toMatch(/Qv7|Hx4m|whsec/);
  });

  it('writes dynamic references in a JSON template, which stays JSON', async () => {
    const { result, edits } = await rewriteFixture(cloudformationRewriter, 'cloudformation', 'template.json', aws);
    expect(edits.length).toBe(2);
    expect(result.manual).toEqual([]);
    expectGolden(result.text, 'cloudformation', 'template.json.aws.expected');
    const template = JSON.parse(result.text);
    expect(template.Parameters.DBMasterPassword).toEqual({ Type: 'String', NoEcho: true });
    expect(template.Resources.LedgerDatabase.Properties.MasterUserPassword).toBe('{{resolve:secretsmanager:webapp/DBMasterPassword:SecretString:DBMasterPassword}}');
    expect(template.Resources.LedgerTask.Properties.ContainerDefinitions[0].Environment[2].Value).toBe('{{resolve:secretsmanager:webapp/DBMasterPassword:SecretString:DBMasterPassword}}');
  });

  it('with Vault changes nothing and says exactly how to get each secret to CloudFormation', async () => {
    const { result, edits, input } = await rewriteFixture(cloudformationRewriter, 'cloudformation', 'template.yaml', BACKENDS.vault);
    expect(result.text).toBe(input);
    expect(result.manual.map((m) => m.edit)).toEqual(edits);
    const byPath = Object.fromEntries(result.manual.map((m) => [m.edit.location.context?.path, m.reason]));
    expect(byPath['Parameters.DBMasterPassword.Default']).toBe(
      'CloudFormation cannot read Vault: delete this Default and pass DBMasterPassword at deploy time from a pipeline that reads Vault ' +
        '(aws cloudformation deploy ... --parameter-overrides DBMasterPassword="$(vault kv get -mount=secret -field=DBMasterPassword webapp/DBMasterPassword)"), ' +
        "or copy the secret from vault://secret/webapp/DBMasterPassword#DBMasterPassword into AWS Secrets Manager and write '{{resolve:secretsmanager:<name>:SecretString:<key>}}' where DBMasterPassword is used",
    );
    expect(byPath['Resources.LedgerCache.Properties.AuthToken']).toBe(
      "CloudFormation cannot read Vault: copy the secret from vault://secret/webapp/LedgerCache#AuthToken into AWS Secrets Manager and write '{{resolve:secretsmanager:<name>:SecretString:<key>}}' here " +
        '(or migrate this template with the aws-secrets-manager backend), or pass it in as a NoEcho parameter from a deploy pipeline that reads Vault',
    );
    expect(result.notes).toEqual([]);
  });

  it('leaves a parameter used in !Sub alone and says what to write there', () => {
    const text = [
      'Parameters:',
      '  DbPassword:',
      '    Type: String',
      '    NoEcho: true',
      '    Default: hunter2-Ledger',
      'Resources:',
      '  App:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Environment:',
      '        Variables:',
      '          DB_PASSWORD: !Ref DbPassword',
      "          DATABASE_URL: !Sub 'postgres://app:${DbPassword}@db.internal/app'",
      '',
    ].join('\n');
    const edit = editOf(text, 'hunter2-Ledger', 'Parameters.DbPassword.Default', { name: 'webapp/DbPassword', key: 'DbPassword' });
    const result = run(text, [edit]);
    expect(result.text).toBe(text);
    expect(result.manual).toEqual([
      {
        edit,
        reason:
          'DbPassword is also used where its !Ref cannot become a dynamic reference automatically: line 13 (Resources.App.Properties.Environment.Variables.DATABASE_URL): ' +
          'write {{resolve:secretsmanager:webapp/DbPassword:SecretString:DbPassword}} in place of ${DbPassword} in the !Sub string. ' +
          'Then run vaultsweep migrate again (the Default and every !Ref DbPassword are replaced then), or delete the Default and pass DbPassword at deploy time',
      },
    ]);
  });

  it('replaces !Ref inside Fn::Join and Fn::If, but not in conditions, outputs or custom resources', () => {
    const text = [
      'Parameters:',
      '  Token:',
      '    Type: String',
      '    NoEcho: true',
      '    Default: tok-Ledger-2024-x',
      'Resources:',
      '  A:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Environment:',
      '        Variables:',
      "          HEADER: !Join ['', ['Bearer ', !Ref Token]]",
      '          TOKEN: !If [IsProd, !Ref Token, !Ref AWS::NoValue]',
      '',
    ].join('\n');
    const edit = editOf(text, 'tok-Ledger-2024-x', 'Parameters.Token.Default', { name: 'webapp/Token', key: 'Token' });
    const result = run(text, [edit]);
    expect(result.manual).toEqual([]);
    const ref = "'{{resolve:secretsmanager:webapp/Token:SecretString:Token}}'";
    expect(result.text).toBe(
      text
        .replace('    Default: tok-Ledger-2024-x\n', '')
        .replace("['Bearer ', !Ref Token]", `['Bearer ', ${ref}]`)
        .replace('[IsProd, !Ref Token,', `[IsProd, ${ref},`),
    );

    const guarded = [
      'Parameters:',
      '  Token:',
      '    Type: String',
      '    NoEcho: true',
      '    Default: tok-Ledger-2024-x',
      'Conditions:',
      "  HasToken: !Not [!Equals [!Ref Token, '']]",
      'Resources:',
      '  A:',
      '    Type: AWS::Lambda::Function',
      '    Properties:',
      '      Environment:',
      '        Variables:',
      '          TOKEN: !Ref Token',
      'Outputs:',
      '  T:',
      '    Value: !Ref Token',
      '',
    ].join('\n');
    const r2 = run(guarded, [editOf(guarded, 'tok-Ledger-2024-x', 'Parameters.Token.Default', { name: 'webapp/Token', key: 'Token' })]);
    expect(r2.text).toBe(guarded);
    expect(r2.manual[0].reason).toBe(
      'Token is also used where its !Ref cannot become a dynamic reference automatically: ' +
        'line 7 (Conditions.HasToken.0.0): a condition cannot read a dynamic reference: compare against something other than the secret; ' +
        "line 17 (Outputs.T.Value): do not output a secret: remove the output (or output the secret's name, webapp/Token, instead). " +
        'Then run vaultsweep migrate again (the Default and every !Ref Token are replaced then), or delete the Default and pass Token at deploy time',
    );
  });

  it('splices the reference into a longer value, and refuses custom resources, UserData and Metadata', () => {
    const text = [
      'Resources:',
      '  Db:',
      '    Type: AWS::Glue::Connection',
      '    Properties:',
      '      ConnectionInput:',
      "        ConnectionString: 'jdbc:postgresql://db:5432/app?password=pw-Ledger-9912'",
      '  Hook:',
      '    Type: Custom::Seeder',
      '    Properties:',
      '      ServiceToken: arn:aws:lambda:eu-west-1:123456789012:function:seed',
      '      AdminPassword: seed-Ledger-4410',
      '  Box:',
      '    Type: AWS::EC2::Instance',
      '    Metadata:',
      '      Bootstrap:',
      '        Password: meta-Ledger-5521',
      '    Properties:',
      '      UserData: boot-Ledger-6632',
      '',
    ].join('\n');
    const inUrl = editOf(text, 'pw-Ledger-9912', 'Resources.Db.Properties.ConnectionInput.ConnectionString', { name: 'webapp/Db', key: 'password' });
    const custom = editOf(text, 'seed-Ledger-4410', 'Resources.Hook.Properties.AdminPassword', { name: 'webapp/Hook', key: 'AdminPassword' });
    const metadata = editOf(text, 'meta-Ledger-5521', 'Resources.Box.Metadata.Bootstrap.Password', { name: 'webapp/Box', key: 'Password' });
    const userData = editOf(text, 'boot-Ledger-6632', 'Resources.Box.Properties.UserData', { name: 'webapp/Box', key: 'UserData' });
    const result = run(text, [inUrl, custom, metadata, userData]);
    expect(result.text).toBe(text.replace('password=pw-Ledger-9912', 'password={{resolve:secretsmanager:webapp/Db:SecretString:password}}'));
    expect(result.manual).toEqual([
      {
        edit: custom,
        reason: "CloudFormation does not resolve secretsmanager dynamic references in custom resource properties (Hook is Custom::Seeder): pass the secret's name (webapp/Hook) instead and have the custom resource's function read it from Secrets Manager",
      },
      {
        edit: metadata,
        reason: 'CloudFormation does not resolve dynamic references in resource Metadata (AWS::CloudFormation::Init would show the value): have the instance read webapp/Box from Secrets Manager at boot instead',
      },
      {
        edit: userData,
        reason: 'CloudFormation does not resolve dynamic references in UserData: have the instance read the secret at boot (aws secretsmanager get-secret-value --secret-id webapp/Box) instead',
      },
    ]);
  });

  it('refuses a key that a dynamic reference cannot hold', () => {
    const text = 'Resources:\n  C:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      AuthToken: Hx4mQ9zLedgerCacheAuth\n';
    const edit = editOf(text, 'Hx4mQ9zLedgerCacheAuth', 'Resources.C.Properties.AuthToken', { name: 'webapp/C', key: 'auth:token' });
    const result = run(text, [edit]);
    expect(result.text).toBe(text);
    expect(result.manual[0].reason).toMatch(/^the key "auth:token" of webapp\/C contains ":"/);
  });

  it('keeps CRLF line endings and a plain scalar becomes single-quoted', () => {
    const text = 'Resources:\r\n  C:\r\n    Type: AWS::ElastiCache::ReplicationGroup\r\n    Properties:\r\n      AuthToken: Hx4mQ9zLedgerCacheAuth   # cache\r\n';
    const edit = editOf(text, 'Hx4mQ9zLedgerCacheAuth', 'Resources.C.Properties.AuthToken', { name: 'webapp/C', key: 'AuthToken' });
    const result = run(text, [edit]);
    expect(result.manual).toEqual([]);
    expect(result.text).toBe(text.replace('Hx4mQ9zLedgerCacheAuth', `'${dynamicReference({ name: 'webapp/C', key: 'AuthToken' })}'`));
  });

  it('removes a Default with CRLF and a block `Ref:` map joins its key line', () => {
    const text = ['Parameters:', '  Pw:', '    Type: String', '    NoEcho: true', '    Default: pw-Ledger-2024-xx', 'Resources:', '  D:', '    Type: AWS::DMS::Endpoint', '    Properties:', '      Password:', '        Ref: Pw', ''].join('\r\n');
    const edit = editOf(text, 'pw-Ledger-2024-xx', 'Parameters.Pw.Default', { name: 'webapp/Pw', key: 'Pw' });
    const result = run(text, [edit]);
    expect(result.manual).toEqual([]);
    expect(result.text).toBe(['Parameters:', '  Pw:', '    Type: String', '    NoEcho: true', 'Resources:', '  D:', '    Type: AWS::DMS::Endpoint', '    Properties:', "      Password: '{{resolve:secretsmanager:webapp/Pw:SecretString:Pw}}'", ''].join('\r\n'));
  });
});
