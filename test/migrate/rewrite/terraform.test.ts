import { describe, expect, it } from 'vitest';
import type { PlanLocation } from '../../../src/migrate/plan/schema.js';
import { terraformManualInstruction, terraformRewriter, terraformVarsRewriter } from '../../../src/migrate/rewrite/terraform.js';
import type { RewriteEdit, RewriteResult } from '../../../src/migrate/rewrite/types.js';
import { BACKENDS, expectGolden, rewriteFixture, type RewriteRun } from '../../helpers/rewrite.js';

/** No secret value may leave the file through a note or a manual reason. */
function expectNoValues({ input, edits, result }: RewriteRun): void {
  const told = [...result.notes, ...result.manual.map((m) => m.reason)].join('\n');
  for (const edit of edits) expect(told).not.toContain(input.slice(edit.start, edit.end));
}

function manualLines(result: RewriteResult): number[] {
  return result.manual.map((m) => m.edit.location.line).sort((a, b) => a - b);
}

describe('Terraform .tf rewriter (terraform-data-source)', () => {
  it('accepts .tf locations with either backend, not .tf.json or state', () => {
    const at = (file: string, format: string) => ({ file, line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, context: { format, path: 'x', key: 'x' }, rewrite: 'manual' }) as PlanLocation;
    for (const backend of Object.values(BACKENDS)) {
      expect(terraformRewriter.accepts(at('infra/main.tf', 'terraform'), backend)).toBe(true);
      expect(terraformRewriter.accepts(at('main.tf.json', 'terraform'), backend)).toBe(false);
      expect(terraformRewriter.accepts(at('terraform.tfstate', 'terraform-state'), backend)).toBe(false);
      expect(terraformRewriter.accepts(at('prod.tfvars', 'terraform-vars'), backend)).toBe(false);
      expect(terraformVarsRewriter.accepts(at('prod.tfvars', 'terraform-vars'), backend)).toBe(true);
      expect(terraformVarsRewriter.accepts(at('a.auto.tfvars.json', 'terraform-vars'), backend)).toBe(true);
      expect(terraformVarsRewriter.accepts(at('main.tf', 'terraform'), backend)).toBe(false);
    }
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`${name}: one data source per store path after the block that first reads it, interpolations inside longer strings`, async () => {
      const run = await rewriteFixture(terraformRewriter, 'terraform', 'main.tf', backend);
      const { result, edits } = run;
      expect(edits.length).toBe(9);
      expectGolden(result.text, 'terraform', `main.tf.${name}.expected`);
      expectNoValues(run);
      const dataType = name === 'vault' ? 'vault_kv_secret_v2' : 'aws_secretsmanager_secret_version';
      // provider.aws: two keys, one block (Vault); the lambda's two variables: one block.
      expect(result.text.match(new RegExp(`data "${dataType}" "webapp_provider_aws"`, 'g'))?.length ?? 0).toBe(name === 'vault' ? 1 : 0);
      expect(result.text.match(new RegExp(`data "${dataType}" "webapp_aws_lambda_function_api"`, 'g'))?.length).toBe(1);
      expect(result.text).toContain('# rotated 2024-01');
      expect(result.text).toContain('# the API reads these at start-up');
      if (name === 'vault') {
        expect(result.manual).toEqual([]);
      } else {
        // The aws provider cannot read its own credentials from Secrets Manager.
        expect(manualLines(result)).toEqual([5, 6]);
        expect(result.manual[0].reason).toMatch(/^provider "aws" would need its own credentials/);
      }
      expect(result.notes.some((n) => n.includes('still written to the Terraform state'))).toBe(true);
      expect(result.envEntries ?? []).toEqual([]);
    });

    it(`${name} with terraformEphemeral: ephemeral blocks, write-only arguments, manual where no ephemeral value can go`, async () => {
      const run = await rewriteFixture(terraformRewriter, 'terraform', 'main.tf', backend, { terraformEphemeral: true });
      const { result } = run;
      expectGolden(result.text, 'terraform', `main.tf.${name}.ephemeral.expected`);
      expectNoValues(run);
      expect(result.text).toContain('password_wo_version = 1');
      expect(result.text).toContain('value_wo_version = 1');
      expect(result.text).not.toMatch(/^data "/m);
      // Lambda environment, user_data, tags (a secret inside an interpolated string) and the output take no ephemeral value.
      expect(manualLines(result)).toEqual(name === 'vault' ? [27, 28, 44, 50, 56] : [5, 6, 27, 28, 44, 50, 56]);
      const tags = result.manual.find((m) => m.edit.location.line === 50)!;
      expect(tags.reason).toMatch(/^aws_instance\.migrations\.tags\.Auth cannot take an ephemeral value .*: write .*data\.[a-z0-9_]+\.webapp_aws_instance_migrations.*\["Auth"\] in its place, reading it with data /);
      expect(result.notes).toContain('main.tf: ephemeral resources need Terraform ≥ 1.10 and write-only arguments Terraform ≥ 1.11 (and provider releases that have them): set required_version accordingly');
      expect(result.notes.some((n) => n.includes('raise aws_db_instance.ledger.password_wo_version, aws_ssm_parameter.webhook.value_wo_version'))).toBe(true);
    });

    it(`${name}: a variable default goes (the variable becomes sensitive) and TF_VAR_ comes from the store`, async () => {
      const run = await rewriteFixture(terraformRewriter, 'terraform', 'variables.tf', backend);
      const { result } = run;
      expectGolden(result.text, 'terraform', `variables.tf.${name}.expected`);
      expectNoValues(run);
      const scheme = name === 'vault' ? 'vault://secret/' : 'aws-sm://';
      expect(result.envEntries).toEqual([
        { name: 'TF_VAR_db_password', uri: `${scheme}webapp/variable.db_password#db_password` },
        { name: 'TF_VAR_smtp_password', uri: `${scheme}webapp/variable.smtp_password#smtp_password` },
      ]);
      expect(result.notes).toContain('variables.tf: variable "db_password" has no default any more; `vaultsweep run -- terraform plan` sets TF_VAR_db_password from the store');
      // A secret inside a longer default (a URL) cannot become TF_VAR_ by itself.
      expect(manualLines(result)).toEqual([15]);
      expect(result.manual[0].reason).toMatch(/^the secret is part of the default of variable "reports_url"/);
    });

    it(`${name}: a CRLF file stays CRLF, the block added after the resource too`, async () => {
      for (const ephemeral of [false, true]) {
        const { result } = await rewriteFixture(terraformRewriter, 'terraform-crlf', 'main.tf', backend, { terraformEphemeral: ephemeral });
        expectGolden(result.text, 'terraform-crlf', `main.tf.${name}${ephemeral ? '.ephemeral' : ''}.expected`);
        expect(result.manual).toEqual([]);
        expect(result.text.replace(/\r\n/g, '')).not.toContain('\n');
        expect(result.text).toContain('# set by hand, 2023\r\n');
      }
    });
  }

  it('reuses a block already reading the path, avoids names taken in the module, lets an aliased provider read the store', async () => {
    const run = await rewriteFixture(terraformRewriter, 'terraform-module', 'infra/main.tf', BACKENDS.vault);
    expectGolden(run.result.text, 'terraform-module', 'infra/main.tf.vault.expected');
    expectNoValues(run);
    expect(run.result.manual).toEqual([]);
    expect(run.result.text).toContain('password   = data.vault_kv_secret_v2.ledger_db.data["password"]');
    // secrets.tf declares webapp_vault_database_secret_backend_connection_ledger for another path.
    expect(run.result.text).toContain('data "vault_kv_secret_v2" "webapp_vault_database_secret_backend_connection_ledger_2"');
  });

  it('ephemeral: nested write-only arguments (Vault database engines), an aliased provider', async () => {
    const run = await rewriteFixture(terraformRewriter, 'terraform-module', 'infra/main.tf', BACKENDS.vault, { terraformEphemeral: true });
    expectGolden(run.result.text, 'terraform-module', 'infra/main.tf.vault.ephemeral.expected');
    expect(run.result.manual).toEqual([]);
    expect(run.result.text).toContain('    password_wo_version = 1\n');
  });

  it('a one-line variable block keeps one line; TF_VAR_ goes to the env file beside a module in a subfolder', async () => {
    const run = await rewriteFixture(terraformRewriter, 'terraform-module', 'infra/variables.tf', BACKENDS.vault);
    expectGolden(run.result.text, 'terraform-module', 'infra/variables.tf.vault.expected');
    expect(run.result.text.split('\n')[0]).toBe('variable "admin_password" { sensitive = true }');
    expect(run.result.envEntries?.map((e) => [e.name, e.envFile])).toEqual([
      ['TF_VAR_admin_password', 'infra/.env'],
      ['TF_VAR_signing_secret', 'infra/.env'],
    ]);
    expect(run.result.notes).toContain('infra/variables.tf: variable "signing_secret" has no default any more; `vaultsweep run --env-file infra/.env -- terraform -chdir=infra plan` sets TF_VAR_signing_secret from the store');
  });

  it('leaves what it cannot rewrite exactly to the user: escapes, comments, block labels', async () => {
    await terraformRewriter.prepare?.();
    const text = [
      '# old key: Kd4mZq8vN3rT6wLp2Xy9',
      'resource "aws_elasticache_replication_group" "sessions" {',
      '  auth_token = "Xv7Lm2\\"Rt9Wn4Pz8Kd3Hq"',
      '  url        = "redis://$Xv7Lm2Rt9Wn4Pz8Kd3Hq@host"',
      '}',
      '',
    ].join('\n');
    const edit = (value: string, from = 0): RewriteEdit => {
      const start = text.indexOf(value, from);
      const line = text.slice(0, start).split('\n').length;
      const location = { file: 'main.tf', line, column: 1, endLine: line, endColumn: 2, commit: null, context: { format: 'terraform', path: 'x', key: 'x' }, rewrite: 'terraform-data-source' } as PlanLocation;
      return { secretId: `s${start}`, location, target: { mount: 'secret', path: 'webapp/x', key: 'k' }, start, end: start + value.length };
    };
    const edits = [edit('Kd4mZq8vN3rT6wLp2Xy9'), edit('Xv7Lm2\\"Rt9Wn4Pz8Kd3Hq'), edit('Xv7Lm2Rt9Wn4Pz8Kd3Hq', text.indexOf('redis'))];
    const result = terraformRewriter.rewrite(text, edits, { backend: BACKENDS.vault, file: 'main.tf', root: '/nonexistent', options: { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' } });
    expect(result.text).toBe(text);
    expect(result.manual.map((m) => m.reason.split(':')[0])).toEqual(['the secret is in a comment', 'the literal is written with backslash escapes, so the store holds its characters as written, not the string Terraform reads', 'the literal is written with a $ or % right before it, so the store holds its characters as written, not the string Terraform reads']);
    expect(result.notes).toEqual([]);
  });
});

describe('a second copy of a moved secret', () => {
  it('is named in a note (line only, never the value) when the scan did not report it', async () => {
    await terraformRewriter.prepare?.();
    const text = ['resource "aws_db_instance" "a" {', '  password = "Zq8vN3rT6wLp2Xy9Kd4m"', '}', '', 'resource "aws_db_instance" "b" {', '  password = coalesce(var.pw, "Zq8vN3rT6wLp2Xy9Kd4m")', '}', ''].join('\n');
    const start = text.indexOf('Zq8v');
    const location = { file: 'main.tf', line: 2, column: 15, endLine: 2, endColumn: 35, commit: null, context: { format: 'terraform', path: 'resource.aws_db_instance.a.password', key: 'password' }, rewrite: 'terraform-data-source' } as PlanLocation;
    const edit: RewriteEdit = { secretId: 's', location, target: { mount: 'secret', path: 'webapp/aws_db_instance.a', key: 'password' }, start, end: start + 20 };
    const result = terraformRewriter.rewrite(text, [edit], { backend: BACKENDS.vault, file: 'main.tf', root: '/nonexistent', options: { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' } });
    expect(result.manual).toEqual([]);
    expect(result.notes).toContain('main.tf:11: the secret moved to secret/webapp/aws_db_instance.a#password is written here too, where the scan did not report it: replace it by hand');
    expect(result.notes.join('\n')).not.toContain('Zq8vN3rT6wLp2Xy9Kd4m');
  });
});

describe('Terraform variables rewriter (terraform-vars)', () => {
  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`${name}: removes the assignment (and the comment that described only it), TF_VAR_ from the store`, async () => {
      const run = await rewriteFixture(terraformVarsRewriter, 'terraform', 'terraform.tfvars', backend);
      const { result } = run;
      expectGolden(result.text, 'terraform', `terraform.tfvars.${name}.expected`);
      expectNoValues(run);
      expect(result.notes).toEqual([
        'terraform.tfvars: ledger_api_token removed; `vaultsweep run -- terraform plan` sets TF_VAR_ledger_api_token from the store',
        'terraform.tfvars: reporting_password removed; `vaultsweep run -- terraform plan` sets TF_VAR_reporting_password from the store',
      ]);
      const scheme = name === 'vault' ? 'vault://secret/' : 'aws-sm://';
      expect(result.envEntries).toEqual([
        { name: 'TF_VAR_ledger_api_token', uri: `${scheme}webapp/terraform#ledger_api_token` },
        { name: 'TF_VAR_reporting_password', uri: `${scheme}webapp/terraform#reporting_password` },
      ]);
      // A key inside an object value cannot be set alone.
      expect(manualLines(result)).toEqual([11]);
      expect(result.manual[0].reason).toMatch(/^the secret is inside the value of monitoring/);
    });
  }

  it('a -var-file gets its own env file; .tfvars.json loses the property', async () => {
    const prod = await rewriteFixture(terraformVarsRewriter, 'terraform-module', 'infra/prod.tfvars', BACKENDS.vault);
    expect(prod.result.text).toBe('environment = "prod"\n');
    expect(prod.result.envEntries).toEqual([{ name: 'TF_VAR_db_password', uri: 'vault://secret/webapp/infra/prod#db_password', envFile: 'infra/.env.prod' }]);
    expect(prod.result.notes).toEqual(['infra/prod.tfvars: db_password removed; `vaultsweep run --env-file infra/.env.prod -- terraform plan -var-file=infra/prod.tfvars` sets TF_VAR_db_password from the store']);

    const json = await rewriteFixture(terraformVarsRewriter, 'terraform-module', 'infra/secrets.auto.tfvars.json', BACKENDS.aws);
    expectGolden(json.result.text, 'terraform-module', 'infra/secrets.auto.tfvars.json.aws.expected');
    expect(JSON.parse(json.result.text)).toEqual({ region: 'eu-west-1', replicas: 2 });
    expect(json.result.envEntries).toEqual([{ name: 'TF_VAR_stripe_key', uri: 'aws-sm://webapp/infra/secrets.auto.tfvars#stripe_key', envFile: 'infra/.env' }]);
  });
});

describe('terraformManualInstruction', () => {
  const at = (file: string, format: string) => ({ file, line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, context: { format, path: 'x', key: 'x' }, rewrite: 'manual' }) as PlanLocation;
  it('says how to read the store from .tf.json and what to do about state', () => {
    expect(terraformManualInstruction(at('main.tf.json', 'terraform'), { mount: 'secret', path: 'webapp/aws_db_instance.ledger', key: 'password' }, BACKENDS.vault)).toBe(
      'replace the string with "${data.vault_kv_secret_v2.webapp_aws_db_instance_ledger.data[\\"password\\"]}" and declare the data source: "data": {"vault_kv_secret_v2": {"webapp_aws_db_instance_ledger": {"mount": "secret", "name": "webapp/aws_db_instance.ledger"}}}',
    );
    expect(terraformManualInstruction(at('terraform.tfstate', 'terraform-state'), { name: 'webapp/state', key: 'password' }, BACKENDS.aws)).toMatch(/^state is written by Terraform: make the configuration read aws-sm:\/\/webapp\/state#password/);
    expect(terraformManualInstruction(at('main.tf', 'terraform'), { name: 'webapp/x', key: 'k' }, BACKENDS.aws)).toBeUndefined();
  });
});
