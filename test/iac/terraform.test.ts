import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectFormat } from '../../src/iac/format.js';
import { terraformAnalyzer } from '../../src/iac/terraform.js';
import { deepestNesting, hclPending, parseHcl } from '../../src/iac/tree-sitter.js';
import type { BoundValue, FileAnalysis, IacFormat } from '../../src/iac/types.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/iac/terraform/', import.meta.url));

beforeAll(async () => {
  await terraformAnalyzer.init!();
});

interface Analyzed {
  data: Buffer;
  result: FileAnalysis;
}

function analyze(data: Buffer | string, path: string, format?: IacFormat): Analyzed {
  const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
  return { data: bytes, result: terraformAnalyzer.analyze(bytes, path, format ?? detectFormat(path, bytes)) };
}

function fixture(name: string): Analyzed {
  return analyze(readFileSync(FIXTURES + name), name);
}

/** 1-based line and column of a byte offset (columns in UTF-16 units, as the reports count them). */
function where(data: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (data[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: data.toString('utf8', lineStart, offset).length + 1 };
}

interface Seen {
  format: IacFormat;
  path: string;
  key: string;
  literal: string | null;
  line: number;
  column: number;
}

function seen(data: Buffer, v: BoundValue): Seen {
  return { format: v.context.format, path: v.context.path, key: v.context.key, literal: v.literal, ...where(data, v.start) };
}

function sensitiveOf({ data, result }: Analyzed): Seen[] {
  return result.values.filter((v) => v.sensitive).map((v) => seen(data, v));
}

function valuesAt({ result }: Analyzed, path: string): BoundValue[] {
  return result.values.filter((v) => v.context.path === path);
}

/** The file's bytes in a value's span. */
function spanText({ data }: Analyzed, v: BoundValue): string {
  return data.toString('utf8', v.start, v.end);
}

const PEM = [
  '-----BEGIN RSA PRIVATE KEY-----',
  'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
  'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm',
  '-----END RSA PRIVATE KEY-----',
  '',
].join('\n');

describe('terraform .tf', () => {
  it('finds literal secrets by attribute, variable and place, with their positions', () => {
    const a = fixture('main.tf');
    expect(a.result.format).toBe('terraform');
    expect(a.result.notes).toEqual([]);
    const tf = (path: string, key: string, literal: string, line: number, column: number): Seen => ({ format: 'terraform', path, key, literal, line, column });
    expect(sensitiveOf(a)).toEqual([
      tf('provider.aws.access_key', 'access_key', 'AKIAQ3EGRV7FAKE4TEST', 17, 17),
      tf('provider.aws.secret_key', 'secret_key', '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', 18, 17),
      tf('variable.db_password.default', 'db_password', 'Ledger-Dev-2024!', 24, 18),
      tf('variable.webhook_signing.default', 'webhook_signing', 'whsec_5bT8nQ2rV7xK4mZ9', 32, 18),
      tf('locals.api_token', 'api_token', 'tok_7Hq2Lm9Xv4Rk8Tz3', 46, 18),
      tf('resource.aws_db_instance.ledger.password', 'password', 'hunter2', 62, 26),
      tf('resource.aws_secretsmanager_secret_version.api.secret_string.password', 'password', 'Sv9#kQ2!mW7pLx', 95, 17),
      tf('resource.aws_iam_server_certificate.ledger.private_key', 'private_key', PEM, 103, 1),
      tf('resource.aws_instance.web.connection.password', 'password', 'Conn-Pass-42', 122, 17),
      tf('module.db.password', 'password', 'Mod-Secret-77', 137, 15),
    ]);
  });

  it('reports references as values without a literal, never as sensitive', () => {
    const a = fixture('main.tf');
    const references: Record<string, string> = {
      'resource.aws_db_instance.ledger_replica.password': 'var.db_password',
      'resource.aws_rds_cluster.reporting.master_password': 'local.db_settings["password"]',
      'resource.aws_rds_cluster.archive.master_password': 'jsondecode(data.aws_secretsmanager_secret_version.ledger.secret_string)["archive"]',
      'locals.db_settings': 'jsondecode(data.aws_secretsmanager_secret_version.ledger.secret_string)',
      'module.db.token': '${var.admin_token}',
      'module.db.api_key': 'module.auth.api_key',
      'resource.azuread_application_password.ci.client_secret': '${var.admin_token}\n',
      'output.db_password.value': 'aws_db_instance.ledger.password',
      'resource.aws_instance.web.connection.host': 'self.public_ip',
      'locals.name_prefix': 'ledger-${var.environment}',
    };
    for (const [path, text] of Object.entries(references)) {
      const values = valuesAt(a, path);
      expect(values.length, path).toBeGreaterThan(0);
      expect(values[0].literal, path).toBeNull();
      expect(spanText(a, values[0]), path).toBe(text);
      expect(values.some((v) => v.sensitive), path).toBe(false);
    }
    // A variable without a default binds nothing; a placeholder is no secret.
    expect(a.result.values.some((v) => v.context.path.startsWith('variable.admin_token.default'))).toBe(false);
    expect(valuesAt(a, 'module.cache.password')).toEqual([expect.objectContaining({ literal: 'changeme', sensitive: false })]);
  });

  it('returns every other literal with its context, not sensitive', () => {
    const a = fixture('main.tf');
    const plain = (path: string) => valuesAt(a, path).map((v) => ({ key: v.context.key, literal: v.literal, sensitive: v.sensitive, text: spanText(a, v) }));
    expect(plain('resource.aws_db_instance.ledger.username')).toEqual([{ key: 'username', literal: 'ledger_admin', sensitive: false, text: 'ledger_admin' }]);
    expect(plain('resource.aws_db_instance.ledger.tags.Name')).toEqual([{ key: 'Name', literal: 'ledger-db', sensitive: false, text: 'ledger-db' }]);
    expect(plain('terraform.required_providers.aws.source')).toEqual([{ key: 'source', literal: 'hashicorp/aws', sensitive: false, text: 'hashicorp/aws' }]);
    expect(plain('variable.environment.default')).toEqual([{ key: 'environment', literal: 'staging', sensitive: false, text: 'staging' }]);
    expect(plain('resource.aws_secretsmanager_secret_version.api.secret_string.username')).toEqual([
      { key: 'username', literal: 'svc-api', sensitive: false, text: 'svc-api' },
    ]);
    // A heredoc with an interpolation is an expression; its span is its body.
    const userData = valuesAt(a, 'resource.aws_instance.web.user_data');
    expect(userData).toHaveLength(1);
    expect(userData[0].literal).toBeNull();
    expect(spanText(a, userData[0])).toContain('DB_HOST=${aws_db_instance.ledger.address}');
    // Values come sorted by where they start; each literal's span holds its raw text.
    const starts = a.result.values.map((v) => v.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    for (const v of a.result.values) {
      if (v.literal !== null && !v.literal.includes('\\')) expect(spanText(a, v)).toBe(v.literal);
    }
  });

  it('decodes escapes, strips indented heredocs and keeps raw spans', () => {
    const text = [
      'resource "x" "y" {',
      '  password = "a\\"b\\\\c\\u00e9"',
      '  token    = "$${not_interpolated}"',
      '  private_key = <<-EOT',
      '    line one',
      '      line two',
      '    EOT',
      '  secret = var.prod ? "prod-Secret-1" : var.fallback',
      '}',
      '',
    ].join('\n');
    const a = analyze(text, 'x.tf');
    expect(a.result.notes).toEqual([]);
    const pw = valuesAt(a, 'resource.x.y.password')[0];
    expect(pw).toMatchObject({ literal: 'a"b\\cé', sensitive: true });
    expect(spanText(a, pw)).toBe('a\\"b\\\\c\\u00e9');
    expect(valuesAt(a, 'resource.x.y.token')[0]).toMatchObject({ literal: '${not_interpolated}', sensitive: false });
    const key = valuesAt(a, 'resource.x.y.private_key')[0];
    expect(key).toMatchObject({ literal: 'line one\n  line two\n', sensitive: true });
    expect(spanText(a, key)).toBe('    line one\n      line two\n');
    expect(where(a.data, key.start)).toEqual({ line: 5, column: 1 });
    // A conditional is an expression; the literal it may take is still a secret.
    const secret = valuesAt(a, 'resource.x.y.secret');
    expect(secret.map((v) => [v.literal, v.sensitive])).toEqual([
      [null, false],
      ['prod-Secret-1', true],
    ]);
  });
});

describe('terraform .tfvars', () => {
  it('binds each variable to its name', () => {
    const a = fixture('prod.tfvars');
    expect(a.result.format).toBe('terraform-vars');
    expect(a.result.notes).toEqual([]);
    const tv = (path: string, key: string, literal: string, line: number, column: number): Seen => ({ format: 'terraform-vars', path, key, literal, line, column });
    expect(sensitiveOf(a)).toEqual([
      tv('db_password', 'db_password', 'Pr0d-Ledger-Pass!', 8, 17),
      tv('api_key', 'api_key', 'ak_prod_9f8e7d6c5b4a', 9, 17),
      tv('db_config.password', 'password', 'Nested-Map-Pass9', 17, 15),
    ]);
    expect(valuesAt(a, 'github_token')).toEqual([expect.objectContaining({ literal: '', sensitive: false })]);
    expect(valuesAt(a, 'db_config.host')[0]).toMatchObject({ literal: 'ledger.cluster-abc123.eu-west-1.rds.amazonaws.com', sensitive: false });
    expect(valuesAt(a, 'allowed_cidrs.1')[0]).toMatchObject({ literal: '10.1.0.0/16', context: { key: 'allowed_cidrs' } });
  });

  it('reads .tfvars.json', () => {
    const a = analyze('{\n  "region": "eu-west-1",\n  "db_password": "Json-Vars-Pass"\n}\n', 'prod.tfvars.json');
    expect(a.result.format).toBe('terraform-vars');
    expect(sensitiveOf(a)).toEqual([{ format: 'terraform-vars', path: 'db_password', key: 'db_password', literal: 'Json-Vars-Pass', line: 3, column: 19 }]);
  });
});

describe('terraform .tf.json', () => {
  it('follows the JSON syntax of blocks and labels', () => {
    const a = fixture('main.tf.json');
    expect(a.result.format).toBe('terraform');
    expect(a.result.notes).toEqual([]);
    const tf = (path: string, key: string, literal: string, line: number, column: number): Seen => ({ format: 'terraform', path, key, literal, line, column });
    expect(sensitiveOf(a)).toEqual([
      tf('provider.aws.access_key', 'access_key', 'AKIAZ7VQ2FAKE1234TST', 7, 24),
      tf('provider.aws.secret_key', 'secret_key', 'Jw8fakeSecretKeyValue0987654321abcdEFGHij', 8, 24),
      tf('variable.db_password.default', 'db_password', 'Json-Var-Pass1', 16, 19),
      tf('locals.api_token', 'api_token', 'json_tok_5Kq8Lw2Xz', 23, 19),
      tf('resource.aws_db_instance.ledger.password', 'password', 'Json-Literal-Pass2', 31, 22),
      tf('resource.aws_instance.web.connection.password', 'password', 'Json-Conn-Pass3', 46, 26),
      tf('module.db.password', 'password', 'Json-Mod-Pass4', 56, 20),
    ]);
    expect(valuesAt(a, 'resource.aws_db_instance.replica.password')).toEqual([expect.objectContaining({ literal: null, sensitive: false })]);
    expect(valuesAt(a, 'resource.aws_instance.web.connection.host')).toEqual([expect.objectContaining({ literal: null, sensitive: false })]);
    const banner = valuesAt(a, 'locals.banner')[0];
    expect(banner.literal).toBe('say "hi" café');
    expect(spanText(a, banner)).toBe('say \\"hi\\" caf\\u00e9');
    expect(where(a.data, banner.start)).toEqual({ line: 24, column: 16 });
  });
});

describe('terraform state', () => {
  const st = (path: string, key: string, literal: string, line: number, column: number): Seen => ({ format: 'terraform-state', path, key, literal, line, column });
  const expected = [
    st('outputs.db_password.value', 'db_password', 'hunter2', 12, 17),
    st('outputs.service_credentials.value.pass', 'pass', 'Out-Obj-Pass8', 18, 18),
    st('outputs.service_credentials.value.user', 'user', 'svc-ledger', 19, 18),
    st('resources.data.aws_secretsmanager_secret_version.ledger.instances.0.attributes.secret_string', 'secret_string', '{"password":"Data-Src-Pass3"}', 44, 31),
    st('resources.aws_db_instance.ledger.instances.0.attributes.password', 'password', 'hunter2', 75, 26),
    st('resources.module.db.aws_rds_cluster.this.instances.0.attributes.master_password', 'master_password', 'Mod-State-Pass5', 110, 33),
    st('resources.aws_ssm_parameter.stripe.instances.0.attributes.value', 'value', 'Ssm-Param-Value6', 135, 23),
    st(
      'resources.aws_lambda_function.worker.instances.0.attributes.environment.0.variables.DB_URL',
      'DB_URL',
      'postgres://ledger:Lambda-Env-Pass7@db.internal:5432/ledger',
      160,
      30,
    ),
    st('resources.random_password.api.instances.0.attributes.result', 'result', 'Rnd9xQvL2pK7zT4mW8bN1cY5', 207, 24),
  ];

  it('finds secrets by name, by sensitive_attributes and in sensitive outputs', () => {
    const a = fixture('terraform.tfstate');
    expect(a.result.format).toBe('terraform-state');
    expect(a.result.notes).toEqual([]);
    expect(sensitiveOf(a)).toEqual(expected);
  });

  it('returns the other string leaves, not sensitive', () => {
    const a = fixture('terraform.tfstate');
    expect(valuesAt(a, 'resources.aws_db_instance.ledger.instances.0.attributes.username')).toEqual([
      expect.objectContaining({ literal: 'ledger_admin', sensitive: false }),
    ]);
    expect(valuesAt(a, 'resources.aws_lambda_function.worker.instances.0.attributes.environment.0.variables.LOG_LEVEL')).toEqual([
      expect.objectContaining({ literal: 'info', sensitive: false }),
    ]);
    expect(valuesAt(a, 'outputs.db_endpoint.value')[0]).toMatchObject({ sensitive: false, context: { key: 'db_endpoint' } });
    const escaped = valuesAt(a, 'resources.aws_db_instance.ledger.provider')[0];
    expect(escaped.literal).toBe('provider["registry.terraform.io/hashicorp/aws"]');
    expect(spanText(a, escaped)).toBe('provider[\\"registry.terraform.io/hashicorp/aws\\"]');
  });

  it('reads backups the same way', () => {
    const data = readFileSync(FIXTURES + 'terraform.tfstate');
    const a = analyze(data, 'envs/prod/terraform.tfstate.backup');
    expect(a.result.format).toBe('terraform-state');
    expect(sensitiveOf(a)).toEqual(expected);
  });

  it('keeps what came before the break in a truncated state', () => {
    const data = readFileSync(FIXTURES + 'terraform.tfstate');
    const cut = data.subarray(0, data.indexOf('"mode": "managed",\n      "type": "aws_ssm_parameter"'));
    const a = analyze(cut, 'terraform.tfstate');
    expect(a.result.notes).toEqual([expect.stringMatching(/^terraform\.tfstate: JSON parse error near line \d+ .*; analysed what parsed$/)]);
    expect(sensitiveOf(a)).toEqual(expected.slice(0, 6));
  });
});

describe('broken and hostile input', () => {
  it('analyses what parsed in a half-written file, with a note', () => {
    const a = fixture('broken.tf');
    expect(a.result.notes).toEqual(['broken.tf: HCL parse errors near line 10; analysed what parsed']);
    expect(sensitiveOf(a)).toEqual([
      { format: 'terraform', path: 'provider.aws.secret_key', key: 'secret_key', literal: 'Brk9SecretKeyValue4FakeQ2', line: 4, column: 17 },
      { format: 'terraform', path: 'resource.aws_db_instance.half.password', key: 'password', literal: 'Half-Written-Pass1', line: 9, column: 15 },
    ]);
    // What follows the error is still looked at.
    expect(a.result.values.some((v) => v.literal === 'ledger-logs')).toBe(true);
  });

  it('never throws', () => {
    const inputs: Array<[Buffer, string, IacFormat]> = [
      [Buffer.alloc(0), 'empty.tf', 'terraform'],
      [Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x7b, 0x22]), 'binary.tf', 'terraform'],
      [Buffer.from('['.repeat(100_000)), 'deep.tf.json', 'terraform'],
      [Buffer.from('{"a":'.repeat(50_000)), 'terraform.tfstate', 'terraform-state'],
      [Buffer.from('x = ' + '['.repeat(20_000)), 'deep.tf', 'terraform'],
      [Buffer.from('not json at all'), 'terraform.tfstate', 'terraform-state'],
      [Buffer.from('password = "unterminated'), 'prod.tfvars', 'terraform-vars'],
    ];
    for (const [data, path, format] of inputs) {
      const result = terraformAnalyzer.analyze(data, path, format);
      expect(result.format).toBe(format);
      expect(Array.isArray(result.values)).toBe(true);
    }
    expect(terraformAnalyzer.analyze(Buffer.from('not json at all'), 'terraform.tfstate', 'terraform-state').notes).toEqual([
      'terraform.tfstate: JSON parse error near line 1 (unexpected character); analysed what parsed',
    ]);
    expect(terraformAnalyzer.analyze(Buffer.from([0, 1, 2]), 'x.tf', 'terraform').notes).toEqual(['x.tf: binary content (NUL bytes); not analysed as Terraform']);
  });

  it('abandons a parse that outlasts its budget, and the next parse starts afresh', () => {
    expect(() => parseHcl('x = "${"'.repeat(20_000), 0, Infinity)).toThrow(/HCL parse abandoned/);
    const tree = parseHcl('password = "after-Abandon-1"\n');
    try {
      expect(tree.rootNode.hasError).toBe(false);
      expect(tree.rootNode.text).toBe('password = "after-Abandon-1"\n');
    } finally {
      tree.delete();
    }
  });
});

describe('a grammar that crashes', () => {
  // parser-crash.tf: dozens of unclosed blocks among stray braces (from the synthetic history
  // generator) overflow the HCL grammar's stack in WebAssembly; that runtime is unusable after.
  const crashing = readFileSync(FIXTURES + 'parser-crash.tf', 'latin1');

  it('counts nesting outside strings, comments and heredocs', () => {
    const crash = readFileSync(FIXTURES + 'parser-crash.tf', 'latin1');
    expect(deepestNesting(crash)).toBe(57);
    // Closing braces hidden in comments do not make the crash look shallow...
    expect(deepestNesting(crash.replace(/\{\n/g, '{ # }\n'))).toBe(57);
    // ...and braces in strings, comments and heredocs do not make valid Terraform look deep.
    expect(deepestNesting('x = "sed -e s/{/(/g"\n'.repeat(40))).toBe(0);
    expect(deepestNesting('a = "${lookup(var.m, "k")}"\nb = {\n  c = "${var.x}"\n}\n')).toBe(1);
    expect(deepestNesting(`p = <<EOF\n${'{'.repeat(40)}\nEOF\nq = { r = 1 }\n`)).toBe(1);
    expect(deepestNesting('# {{{{\n// {{{{\n/* {{{{ */ a = {}\n')).toBe(1);
  });

  it('is not given text nested that deep: the file is scanned as text, with a note', () => {
    const result = fixture('parser-crash.tf').result;
    expect(result.notes).toEqual(['parser-crash.tf: Terraform analysis failed: blocks nested 57 deep: not parsed as HCL']);
  });

  it('is replaced when it crashes all the same: the next file meets a fresh parser, again and again', async () => {
    const db = 'resource "aws_db_instance" "db" {\n  password = "letmein-after-crash"\n}\n';
    for (let round = 0; round < 3; round++) {
      expect(() => parseHcl(crashing, undefined, Infinity)).toThrow('the HCL parser crashed (memory access out of bounds)');
      // What a scan does before each file: wait while a new spare is made.
      const pending = hclPending();
      expect(pending).toBeInstanceOf(Promise);
      await pending;
      expect(hclPending()).toBeUndefined();
      const after = analyze(db, 'db.tf').result;
      expect(after.notes).toEqual([]);
      expect(after.values.map((v) => [v.context.path, v.literal])).toEqual([['resource.aws_db_instance.db.password', 'letmein-after-crash']]);
    }
  });
});

describe('positions are byte offsets', () => {
  it('in HCL after multi-byte characters on earlier lines and on the same line', () => {
    const text = [
      '# café ünïcode 🔑',
      'resource "aws_db_instance" "ünï" {',
      '  tags = { "ünïcode" = "välue", password = "pässwörd-ø" }',
      '}',
      '',
    ].join('\n');
    const a = analyze(text, 'main.tf');
    const [pw] = sensitiveOf(a);
    expect(pw).toEqual({ format: 'terraform', path: 'resource.aws_db_instance.ünï.tags.password', key: 'password', literal: 'pässwörd-ø', line: 3, column: 45 });
    const v = a.result.values.find((x) => x.sensitive)!;
    expect(v.start).toBe(a.data.indexOf(Buffer.from('pässwörd-ø')));
    expect(v.end - v.start).toBe(Buffer.byteLength('pässwörd-ø'));
    const other = valuesAt(a, 'resource.aws_db_instance.ünï.tags.ünïcode')[0];
    expect(spanText(a, other)).toBe('välue');
  });

  it('in JSON and state', () => {
    const json = '{"locals": {"note": "naïve 🔑", "api_token": "tök-Secret-9"}}';
    const a = analyze(json, 'x.tf.json');
    const v = a.result.values.find((x) => x.sensitive)!;
    expect(v.literal).toBe('tök-Secret-9');
    expect(a.data.subarray(v.start, v.end).toString('utf8')).toBe('tök-Secret-9');
    const state = '{"version":4,"resources":[{"mode":"managed","type":"t","name":"ñ","instances":[{"attributes":{"x":"é","token":"tøken-Value-7"}}]}]}';
    const s = analyze(state, 'terraform.tfstate');
    const t = s.result.values.find((x) => x.sensitive)!;
    expect(t.context.path).toBe('resources.t.ñ.instances.0.attributes.token');
    expect(s.data.subarray(t.start, t.end).toString('utf8')).toBe('tøken-Value-7');
  });

  it('with a BOM and with bytes that are not UTF-8', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('db_password = "Bom-Pass-1"\n')]);
    const a = analyze(bom, 'prod.tfvars');
    const v = a.result.values.find((x) => x.sensitive)!;
    expect(v.start).toBe(bom.indexOf('Bom-Pass-1'));
    const bad = Buffer.concat([Buffer.from([0x23, 0x20, 0xff, 0xfe, 0xe2, 0x82, 0x20]), Buffer.from('\ndb_password = "Bad-Bytes-2"\n')]);
    const b = analyze(bad, 'prod.tfvars');
    const w = b.result.values.find((x) => x.sensitive)!;
    expect(w.literal).toBe('Bad-Bytes-2');
    expect(w.start).toBe(bad.indexOf('Bad-Bytes-2'));
  });
});
