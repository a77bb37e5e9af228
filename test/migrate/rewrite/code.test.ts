import { describe, expect, it } from 'vitest';
import { codeRewriter } from '../../../src/migrate/rewrite/code.js';
import { envName } from '../../../src/migrate/rewrite/code-names.js';
import type { PlanLocation } from '../../../src/migrate/plan/schema.js';
import type { RewriteEdit, RewriteResult } from '../../../src/migrate/rewrite/types.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

/**
 * Inputs are in fixtures/rewrite/code/, the expected files (same names) in
 * fixtures/rewrite/code-expected/, so that scanning the inputs never sees an output.
 */
const CASES: { file: string; names: string[]; manual?: RegExp[]; edits?: number }[] = [
  {
    file: 'server.js',
    names: ['GITHUB_TOKEN', 'PASSWORD', 'STRIPE_KEY'],
    manual: [/^the secret is only part of a longer string \(bound to `databaseUrl`\): build that string with `process\.env\.DATABASE_URL` in place of the secret \(a template or concatenation\); add DATABASE_URL="vault:\/\/secret\/webapp\/server#databaseUrl" to \.env/],
  },
  // Two different secrets under one key: PASSWORD and PASSWORD_2; the third is the first again.
  { file: 'pools.js', names: ['PASSWORD', 'PASSWORD_2'], edits: 3 },
  { file: 'client.ts', names: ['STRIPE_SECRET_KEY', 'TOKEN'] },
  { file: 'settings.py', names: ['DB_PASSWORD', 'API_TOKEN'] },
  { file: 'worker.py', names: ['GITHUB_TOKEN', 'SIGNING_KEY'] },
  { file: 'crlf.py', names: ['REDIS_PASSWORD'] },
  { file: 'main.go', names: ['API_KEY', 'DB_PASSWORD'] },
  { file: 'store/store.go', names: ['PASSWORD'] },
  { file: 'Config.java', names: ['GITHUB_TOKEN', 'DB_PASSWORD'] },
  { file: 'Settings.kt', names: ['SLACK_TOKEN', 'DB_PASSWORD'] },
  { file: 'config.rb', names: ['STRIPE_SECRET_KEY', 'PASSWORD'] },
  { file: 'config.php', names: ['PASSWORD', 'STRIPE_SECRET'] },
  { file: 'Settings.cs', names: ['GITHUB_TOKEN', 'STRIPE_KEY'] },
  { file: 'deploy.sh', names: ['API_TOKEN', 'DB_PASSWORD'] },
];

describe('code rewriter', () => {
  for (const { file, names, manual = [], edits: count } of CASES) {
    it(`${file}: literals become environment reads`, async () => {
      const { result, edits } = await rewriteFixture(codeRewriter, 'code', file, BACKENDS.vault);
      expect(edits.length).toBe(count ?? names.length + manual.length);
      expect(result.manual.map((m) => m.reason)).toEqual(manual.map((m) => expect.stringMatching(m)));
      expectGolden(result.text, 'code-expected', file);
      expect(result.envEntries?.map((e) => e.name)).toEqual(names);
      const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
      expect(result.notes).toEqual([`${file}: reads ${list} from the environment; \`vaultsweep run -- <command>\` sets ${names.length === 1 ? 'it' : 'them'} from the store`]);
    });
  }

  it('records store references for both backends (the file reads the same variables)', async () => {
    const vault = await rewriteFixture(codeRewriter, 'code', 'server.js', BACKENDS.vault);
    const aws = await rewriteFixture(codeRewriter, 'code', 'server.js', BACKENDS.aws);
    expect(aws.result.text).toBe(vault.result.text);
    expect(vault.result.envEntries).toEqual([
      { name: 'GITHUB_TOKEN', uri: 'vault://secret/webapp/server#githubToken' },
      { name: 'PASSWORD', uri: 'vault://secret/webapp/server#password' },
      { name: 'STRIPE_KEY', uri: 'vault://secret/webapp/server#STRIPE_KEY' },
    ]);
    expect(aws.result.envEntries).toEqual([
      { name: 'GITHUB_TOKEN', uri: 'aws-sm://webapp/server#githubToken' },
      { name: 'PASSWORD', uri: 'aws-sm://webapp/server#password' },
      { name: 'STRIPE_KEY', uri: 'aws-sm://webapp/server#STRIPE_KEY' },
    ]);
    expect(aws.result.manual[0].reason).toContain('add DATABASE_URL="aws-sm://webapp/server#databaseUrl" to .env');
  });
});

const OPTIONS = { terraformEphemeral: false, secretStore: 'vaultsweep', secretStoreKind: 'ClusterSecretStore' } as const;

/** Rewrites `text` with one edit per `[literal text, context key]`, as apply would hand them over. */
async function rewrite(file: string, language: string, text: string, secrets: [string, string][]): Promise<RewriteResult> {
  await codeRewriter.prepare?.();
  const edits: RewriteEdit[] = secrets.map(([value, key], i) => {
    const start = text.indexOf(value);
    if (start < 0) throw new Error(`${value} not in the text`);
    const location: PlanLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, context: { format: 'code', language, path: key, key }, rewrite: 'code-env-read' };
    return { secretId: `s${i}`, location, target: { mount: 'secret', path: 'webapp/app', key: key || 'fallback_key' }, start, end: start + value.length };
  });
  return codeRewriter.rewrite(text, edits, { backend: BACKENDS.vault, file, root: '/tmp', options: OPTIONS });
}

describe('code rewriter: names and languages', () => {
  it('derives UPPER_SNAKE_CASE names that are valid environment variables', () => {
    expect(envName('githubToken')).toBe('GITHUB_TOKEN');
    expect(envName('spring.datasource.password')).toBe('SPRING_DATASOURCE_PASSWORD');
    expect(envName('db-password')).toBe('DB_PASSWORD');
    expect(envName('APIKey')).toBe('API_KEY');
    expect(envName('GitHubToken')).toBe('GITHUB_TOKEN');
    expect(envName('--password')).toBe('PASSWORD');
    expect(envName('2fa_secret')).toBe('_2FA_SECRET');
    expect(envName('path')).toBe('PATH_SECRET');
    expect(envName('')).toBe('');
  });

  it('accepts code in the languages it knows', () => {
    const at = (language: string, format = 'code'): PlanLocation => ({ file: 'a', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, context: { format, path: 'k', key: 'k', language }, rewrite: 'manual' });
    expect(codeRewriter.name).toBe('code-env-read');
    for (const language of ['javascript', 'typescript', 'python', 'go', 'java', 'kotlin', 'ruby', 'php', 'csharp', 'shell']) expect(codeRewriter.accepts(at(language), BACKENDS.vault)).toBe(true);
    for (const language of ['rust', 'c', 'swift', 'powershell']) expect(codeRewriter.accepts(at(language), BACKENDS.vault)).toBe(false);
    expect(codeRewriter.accepts(at('javascript', 'dotenv'), BACKENDS.vault)).toBe(false);
  });

  it('takes the store key when the context has none, and skips names the file already reads', async () => {
    const result = await rewrite('a.js', 'javascript', 'const a = process.env.TOKEN;\nconst token = "s3cr3t-value-1";\nfetch(u, "s3cr3t-value-2");\n', [['s3cr3t-value-1', 'token'], ['s3cr3t-value-2', '']]);
    expect(result.text).toBe('const a = process.env.TOKEN;\nconst token = process.env.TOKEN_2;\nfetch(u, process.env.FALLBACK_KEY);\n');
  });

  it('wraps a JSX attribute in braces; TypeScript keeps the literal type with `!`', async () => {
    expect((await rewrite('App.jsx', 'javascript', 'export const A = () => <Map apiKey="s3cr3t-value" />;\n', [['s3cr3t-value', 'apiKey']])).text).toBe('export const A = () => <Map apiKey={process.env.API_KEY} />;\n');
    expect((await rewrite('App.tsx', 'typescript', 'export const A = () => <Map apiKey="s3cr3t-value" />;\n', [['s3cr3t-value', 'apiKey']])).text).toBe('export const A = () => <Map apiKey={process.env.API_KEY!} />;\n');
  });

  it('leaves concatenations, templates with other content and f-strings to the user', async () => {
    const js = await rewrite('a.js', 'javascript', 'const apiKey = "s3cr3t-value" + suffix;\nconst auth = `Bearer s3cr3t-other ${x}`;\n', [['s3cr3t-value', 'apiKey'], ['s3cr3t-other', 'auth']]);
    expect(js.text).toBe('const apiKey = "s3cr3t-value" + suffix;\nconst auth = `Bearer s3cr3t-other ${x}`;\n');
    expect(js.manual.map((m) => m.reason)).toEqual([
      'the literal is one operand of a concatenation or format (bound to `apiKey`): replace the literal, quotes included, with `process.env.API_KEY`; add API_KEY="vault://secret/webapp/app#apiKey" to .env and start the program with `vaultsweep run -- <command>`',
      'the secret is only part of a longer string (bound to `auth`): build that string with `process.env.AUTH` in place of the secret (a template or concatenation); add AUTH="vault://secret/webapp/app#auth" to .env and start the program with `vaultsweep run -- <command>`',
    ]);
    expect(js.envEntries).toBeUndefined();
    const py = await rewrite('a.py', 'python', 'TOKEN = f"s3cr3t-{x}"\nKEY = "s3cr3t-a" "b"\n', [['s3cr3t-', 'TOKEN'], ['s3cr3t-a', 'KEY']]);
    expect(py.text).toBe('TOKEN = f"s3cr3t-{x}"\nKEY = "s3cr3t-a" "b"\n');
    expect(py.manual.map((m) => m.reason.split(':')[0])).toEqual(['the secret is only part of a longer string (bound to `TOKEN`)', 'the literal is one operand of a concatenation or format (bound to `KEY`)']);
  });

  it('returns the original text when the result would not parse', async () => {
    const text = 'match token:\n    case "s3cr3t-value":\n        pass\n';
    const result = await rewrite('a.py', 'python', text, [['s3cr3t-value', 'token']]);
    expect(result.text).toBe(text);
    expect(result.manual.map((m) => m.reason)).toEqual([expect.stringMatching(/^the rewritten file would not parse as Python: replace the literal, quotes included, with `os\.environ\["TOKEN"\]` by hand; add TOKEN=/)]);
  });

  it('adds `import os` where a person would', async () => {
    const cases: [string, string][] = [
      ['TOKEN = "s3cr3t-value"\n', 'import os\n\nTOKEN = os.environ["TOKEN"]\n'],
      ['"""Doc."""\n\nTOKEN = "s3cr3t-value"\n', '"""Doc."""\n\nimport os\n\nTOKEN = os.environ["TOKEN"]\n'],
      ['#!/usr/bin/env python3\n# The token.\nTOKEN = "s3cr3t-value"\n', '#!/usr/bin/env python3\n\nimport os\n\n# The token.\nTOKEN = os.environ["TOKEN"]\n'],
      ['from typing import Any\n\nTOKEN = "s3cr3t-value"\n', 'import os\nfrom typing import Any\n\nTOKEN = os.environ["TOKEN"]\n'],
      ['import json\nimport logging\n\nTOKEN = "s3cr3t-value"\n', 'import json\nimport logging\nimport os\n\nTOKEN = os.environ["TOKEN"]\n'],
      ['import os.path\nTOKEN = "s3cr3t-value"\n', 'import os.path\nTOKEN = os.environ["TOKEN"]\n'],
    ];
    for (const [input, expected] of cases) expect((await rewrite('a.py', 'python', input, [['s3cr3t-value', 'TOKEN']])).text).toBe(expected);
  });

  it('adds "os" to Go imports in gofmt style; a const block is left to the user', async () => {
    const cases: [string, string][] = [
      ['package main\n\nvar token = "s3cr3t-value"\n', 'package main\n\nimport "os"\n\nvar token = os.Getenv("TOKEN")\n'],
      ['package main\n\nimport "fmt"\n\nvar token = "s3cr3t-value"\n', 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nvar token = os.Getenv("TOKEN")\n'],
      ['package main\n\nimport (\n\t"github.com/a/b"\n)\n\nvar token = "s3cr3t-value"\n', 'package main\n\nimport (\n\t"os"\n\n\t"github.com/a/b"\n)\n\nvar token = os.Getenv("TOKEN")\n'],
    ];
    for (const [input, expected] of cases) expect((await rewrite('a.go', 'go', input, [['s3cr3t-value', 'token']])).text).toBe(expected);
    const block = await rewrite('a.go', 'go', 'package main\n\nconst (\n\ttoken = "s3cr3t-value"\n)\n', [['s3cr3t-value', 'token']]);
    expect(block.text).toBe('package main\n\nconst (\n\ttoken = "s3cr3t-value"\n)\n');
    expect(block.manual[0].reason).toMatch(/^`token` is declared in a const block and a Go constant cannot read the environment: move it out of the block into `var token = os\.Getenv\("TOKEN"\)`/);
  });

  it('keeps constants constant or leaves them to the user (annotations, PHP defaults, C# parameters)', async () => {
    const java = await rewrite('A.java', 'java', 'class A {\n  @Auth(token = "s3cr3t-value") void f() {}\n}\n', [['s3cr3t-value', 'token']]);
    expect(java.manual[0].reason).toMatch(/^the literal is an annotation argument, which must be a compile-time constant: .* `System\.getenv\("TOKEN"\)`/);
    const php = await rewrite('a.php', 'php', "<?php\nclass Api {\n    private $token = 's3cr3t-value';\n}\n", [['s3cr3t-value', 'token']]);
    expect(php.manual[0].reason).toMatch(/^the literal is a property default, which PHP requires to be a constant expression: set it at run time instead \(in the constructor or where it is used\) with `getenv\('TOKEN'\)`/);
    const cs = await rewrite('A.cs', 'csharp', 'class A {\n  void F(string token = "s3cr3t-value") {\n    const string key = "s3cr3t-other";\n  }\n}\n', [['s3cr3t-value', 'token'], ['s3cr3t-other', 'key']]);
    expect(cs.text).toBe('class A {\n  void F(string token = "s3cr3t-value") {\n    string key = System.Environment.GetEnvironmentVariable("KEY");\n  }\n}\n');
    expect(cs.manual[0].reason).toMatch(/^the literal is a parameter default, which must be a constant: make the default null/);
    const kt = await rewrite('a.kt', 'kotlin', 'object Keys {\n    private const val TOKEN = "s3cr3t-value"\n}\n', [['s3cr3t-value', 'TOKEN']]);
    expect(kt.text).toBe('object Keys {\n    private val TOKEN = System.getenv("TOKEN")\n}\n');
  });

  it('drops a fallback default the code already reads the environment for', async () => {
    const cases: [string, string, string, string][] = [
      ['a.rb', 'ruby', 'token = ENV.fetch("GH_TOKEN", "s3cr3t-value")\n', 'token = ENV.fetch("GH_TOKEN")\n'],
      ['a.rb', 'ruby', 'token = ENV["GH_TOKEN"] || "s3cr3t-value"\n', 'token = ENV.fetch("GH_TOKEN")\n'],
      ['a.php', 'php', "<?php\n$token = getenv('GH_TOKEN') ?: 's3cr3t-value';\n", "<?php\n$token = getenv('GH_TOKEN');\n"],
      ['a.kt', 'kotlin', 'val token = System.getenv("GH_TOKEN") ?: "s3cr3t-value"\n', 'val token = System.getenv("GH_TOKEN")\n'],
      ['a.ts', 'typescript', "const token = process.env['GH_TOKEN'] ?? 's3cr3t-value';\n", 'const token = process.env.GH_TOKEN!;\n'],
      ['a.py', 'python', 'import os\ntoken = os.environ.get("GH_TOKEN") or "s3cr3t-value"\n', 'import os\ntoken = os.environ["GH_TOKEN"]\n'],
    ];
    for (const [file, language, input, expected] of cases) {
      const result = await rewrite(file, language, input, [['s3cr3t-value', 'GH_TOKEN']]);
      expect(result.text).toBe(expected);
      expect(result.envEntries).toEqual([{ name: 'GH_TOKEN', uri: 'vault://secret/webapp/app#GH_TOKEN' }]);
    }
  });

  it('shell: assignments, flags, exports under another name', async () => {
    const text = 'export gh_token=s3cr3t-a\nrun() {\n  local API_KEY="s3cr3t-b"\n  deploy --password=s3cr3t-c --token "s3cr3t-d" --url "https://u:s3cr3t-e@h"\n}\n';
    const result = await rewrite('a.sh', 'shell', text, [['s3cr3t-a', 'gh_token'], ['s3cr3t-b', 'API_KEY'], ['s3cr3t-c', 'password'], ['s3cr3t-d', 'token'], ['s3cr3t-e', 'url']]);
    expect(result.text).toBe('export gh_token="${GH_TOKEN}"\nrun() {\n  local API_KEY="${API_KEY}"\n  deploy --password="${PASSWORD}" --token "${TOKEN}" --url "https://u:s3cr3t-e@h"\n}\n');
    expect(result.manual.map((m) => m.reason.split(':')[0])).toEqual(['the secret is only part of a longer string (bound to `url`)']);
  });
});
