import { describe, expect, it } from 'vitest';
import { lineAnalyzers } from '../../../src/iac/lines/index.js';
import { analyze, analyzeFixture, byKey, sensitive } from './helpers.js';

const code = (language: string, path: string, key = path.slice(path.lastIndexOf('.') + 1)) => ({ format: 'code', language, path, key });

describe('code analyzer: fixtures', () => {
  it('config.js: declarations, nested object literals, subscripts, || fallbacks', () => {
    const { values, analysis } = analyzeFixture('config.js');
    expect(analysis).toMatchObject({ format: 'code', notes: [] });
    expect(sensitive(values)).toEqual([
      { context: code('javascript', 'dbPassword'), literal: 'js-Fake-Db-Pw-1', line: 4, column: 21 },
      { context: code('javascript', 'module.exports.db.password'), literal: 'js-Nested-Pw-2', line: 12, column: 16 },
      { context: code('javascript', 'module.exports.apiKey'), literal: 'js-api-KEY-3f9a8b7c', line: 14, column: 14 },
      { context: code('javascript', 'process.env.WEBHOOK_TOKEN'), literal: 'js-fallback-Token-4', line: 16, column: 47 },
      { context: code('javascript', 'headers.X-Api-Key', 'X-Api-Key'), literal: 'js-header-Key-5', line: 22, column: 25 },
    ]);
  });

  it('config.js: template literals, store references and placeholders are not sensitive literals', () => {
    const { values } = analyzeFixture('config.js');
    expect(byKey(values, 'secretKey')[0]).toMatchObject({ literal: null, sensitive: false, context: code('javascript', 'module.exports.stripe.secretKey') });
    expect(byKey(values, 'clientSecret')[0]).toMatchObject({ literal: null, sensitive: false, text: 'vault:secret/data/ledger#client_secret' });
    expect(byKey(values, 'authToken')[0]).toMatchObject({ literal: '<your-token-here>', sensitive: false });
    expect(byKey(values, 'host')[0]).toMatchObject({ literal: 'db.internal', sensitive: false, context: code('javascript', 'module.exports.db.host') });
    // A comment, a regex literal with quotes, a ternary's branches: nothing bound.
    expect(values.some((v) => v.text.includes('commented-out'))).toBe(false);
    expect(byKey(values, 'label')).toEqual([]);
    expect(byKey(values, 'pattern')).toEqual([]);
  });

  it('settings.ts: typed declarations, class fields, `as const`, ?? fallbacks', () => {
    const { values } = analyzeFixture('settings.ts');
    expect(sensitive(values)).toEqual([
      { context: code('typescript', 'apiToken'), literal: 'ts-Fake-Api-Token-1', line: 5, column: 27 },
      { context: code('typescript', 'redis.password'), literal: 'ts-Redis-Pw-2', line: 8, column: 14 },
      { context: code('typescript', 'encryptionKey'), literal: 'ts-Enc-Key-3', line: 12, column: 37 },
      { context: code('typescript', 'process.env.SIGNING_KEY'), literal: 'ts-Signing-Key-4', line: 18, column: 55 },
    ]);
    expect(byKey(values, 'dbPassword')[0]).toMatchObject({ literal: null, sensitive: false });
    expect(byKey(values, 'passwordHash')[0]).toMatchObject({ sensitive: false });
    expect(byKey(values, 'secret')[0]).toMatchObject({ literal: null, sensitive: false }); // a union of string types
  });

  it('settings.py: module constants, nested dicts, getenv defaults, annotations, kwargs, raw strings', () => {
    const { values } = analyzeFixture('settings.py');
    expect(sensitive(values)).toEqual([
      { context: code('python', 'SECRET_KEY'), literal: 'py-Django-Secret-Key-1', line: 5, column: 15 },
      { context: code('python', 'DATABASES.default.PASSWORD'), literal: 'py-Db-Pw-2', line: 10, column: 22 },
      { context: code('python', 'AWS_SECRET_ACCESS_KEY'), literal: 'py-Default-Aws-Secret-3', line: 14, column: 61 },
      { context: code('python', 'REDIS_PASSWORD'), literal: 'py-Raw\\Redis-Pw-4', line: 17, column: 25 },
      { context: code('python', 'password'), literal: 'py-Kwarg-Pw-5', line: 20, column: 39 },
    ]);
    expect(byKey(values, 'GREETING')[0]).toMatchObject({ literal: null }); // f-string
    expect(byKey(values, 'STRIPE_KEY')[0]).toMatchObject({ literal: null, sensitive: false }); // ${VAR}
    expect(byKey(values, 'EMAIL_HOST_PASSWORD')[0]).toMatchObject({ literal: null, sensitive: false }); // concatenation
    expect(byKey(values, 'API_TOKEN')).toEqual([]); // commented out, then os.environ[...]
  });

  it('main.go: const, typed var, struct literal fields, raw strings, os.Setenv', () => {
    const { values } = analyzeFixture('main.go');
    expect(sensitive(values)).toEqual([
      { context: code('go', 'apiKey'), literal: 'go-Api-Key-1', line: 9, column: 17 },
      { context: code('go', 'dbPassword'), literal: 'go-Db-Pw-2', line: 11, column: 26 },
      { context: code('go', 'Password'), literal: 'go-Struct-Pw-3', line: 19, column: 27 },
      { context: code('go', 'secretToken'), literal: 'go-Raw-Token-4', line: 20, column: 18 },
      { context: code('go', 'SERVICE_PASSWORD'), literal: 'go-Setenv-Pw-5', line: 22, column: 33 },
    ]);
    expect(values.some((v) => v.text === 'json:"password"')).toBe(false); // a struct tag
  });

  it('App.java: static finals, fields, setProperty, method calls on literals', () => {
    const { values } = analyzeFixture('App.java');
    expect(sensitive(values)).toEqual([
      { context: code('java', 'API_KEY'), literal: 'java-Api-Key-1', line: 7, column: 44 },
      { context: code('java', 'dbPassword'), literal: 'java-Db-Pw-2', line: 8, column: 34 },
      { context: code('java', 'mail.smtp.password', 'mail.smtp.password'), literal: 'java-Smtp-Pw-3', line: 15, column: 50 },
      { context: code('java', 'keystorePassword'), literal: 'java-Keystore-Pw-4', line: 17, column: 36 },
    ]);
    expect(values.some((v) => v.text.includes('ledger.jwt.secret'))).toBe(false); // @Value("${...}")
  });

  it('deploy.sh: exports, plain assignments, flags; substitutions and heredocs are not literals', () => {
    const { values } = analyzeFixture('deploy.sh');
    expect(sensitive(values)).toEqual([
      { context: code('shell', 'REGISTRY_PASSWORD'), literal: 'sh-Registry-Pw-1', line: 5, column: 27 },
      { context: code('shell', 'DB_PASSWORD'), literal: 'sh-Db-Pw-2', line: 6, column: 13 },
      { context: code('shell', 'API_TOKEN'), literal: 'sh-Api-Token-3', line: 7, column: 12 },
      { context: { ...code('shell', '--password'), key: 'password' }, literal: 'sh-Mysql-Pw-4', line: 12, column: 32 },
      { context: { ...code('shell', '--token'), key: 'token' }, literal: 'sh-Curl-Token-5', line: 13, column: 15 },
    ]);
    expect(byKey(values, 'VAULT_TOKEN')[0]).toMatchObject({ literal: null, sensitive: false });
    expect(byKey(values, 'AWS_SECRET_ACCESS_KEY')[0]).toMatchObject({ literal: null, sensitive: false });
    expect(byKey(values, 'SECRET_IN_HEREDOC')).toEqual([]);
    expect(byKey(values, 'SECRET')).toEqual([]);
  });

  it('config.php: define(), variables, nested arrays, subscripts, env() defaults; HTML around the code is skipped', () => {
    const { values } = analyzeFixture('config.php');
    expect(sensitive(values)).toEqual([
      { context: code('php', 'DB_PASSWORD'), literal: 'php-Db-Pw-1', line: 5, column: 24 },
      { context: code('php', 'apiKey'), literal: 'php-Api-Key-2', line: 6, column: 12 },
      { context: code('php', 'config.mail.password'), literal: 'php-Mail-Pw-3', line: 10, column: 24 },
      { context: code('php', 'config.token'), literal: 'php-Token-4', line: 14, column: 21 },
      { context: code('php', 'AUTH_TOKEN'), literal: 'php-Env-Default-5', line: 17, column: 33 },
    ]);
    expect(byKey(values, 'greeting')[0]).toMatchObject({ literal: null }); // "Hello $user"
  });
});

describe('code analyzer: other languages', () => {
  it('Ruby: attributes, ivars, symbol and string hash keys, ENV[], set :name, fetch defaults, DSL calls', () => {
    const { values } = analyze(
      'config/deploy.rb',
      [
        'config.password = "rb-pw-1"',
        "@api_key = 'rb-key-2'",
        'SETTINGS = { token: "rb-tok-3", :secret => "rb-sec-4", "auth_token" => "rb-#{x}" }',
        'ENV["DB_PASSWORD"] = "rb-env-5"',
        'set :deploy_password, "rb-set-6"',
        'sql = <<~SQL',
        '  it\'s "quoted" password = "no"',
        'SQL',
        'webhook_secret = ENV.fetch("WEBHOOK_SECRET", "rb-fetch-7")',
        "pattern = /it's/",
        'password "rb-dsl-8"',
      ].join('\n'),
    );
    expect(sensitive(values).map((v) => [v.context.path, v.literal, v.line, v.column])).toEqual([
      ['config.password', 'rb-pw-1', 1, 20],
      ['api_key', 'rb-key-2', 2, 13],
      ['SETTINGS.token', 'rb-tok-3', 3, 22],
      ['SETTINGS.secret', 'rb-sec-4', 3, 45],
      ['ENV.DB_PASSWORD', 'rb-env-5', 4, 23],
      ['deploy_password', 'rb-set-6', 5, 24],
      ['WEBHOOK_SECRET', 'rb-fetch-7', 9, 47],
      ['password', 'rb-dsl-8', 11, 11],
    ]);
    expect(byKey(values, 'auth_token')[0]).toMatchObject({ literal: null }); // #{} interpolation
  });

  it('C#: consts, verbatim strings, expression-bodied members, dictionary and object initializers', () => {
    const { values } = analyze(
      'Settings.cs',
      [
        'public class Settings {',
        '    public const string ApiKey = "cs-key-1";',
        '    private string password = @"cs-verb""atim-2";',
        '    public string Token => "cs-tok-3";',
        '    var greeting = $"Hello {name}";',
        '    var d = new Dictionary<string, string> { ["ClientSecret"] = "cs-dict-4" };',
        '    var conn = new Conn { Password = "cs-init-5" };',
        '}',
      ].join('\n'),
    );
    expect(values.filter((v) => v.sensitive).map((v) => [v.context.key, v.literal, v.text, v.line, v.column])).toEqual([
      ['ApiKey', 'cs-key-1', 'cs-key-1', 2, 35],
      ['password', 'cs-verb"atim-2', 'cs-verb""atim-2', 3, 33],
      ['Token', 'cs-tok-3', 'cs-tok-3', 4, 29],
      ['ClientSecret', 'cs-dict-4', 'cs-dict-4', 6, 66],
      ['Password', 'cs-init-5', 'cs-init-5', 7, 39],
    ]);
    expect(byKey(values, 'greeting')[0]).toMatchObject({ literal: null, context: { language: 'csharp' } });
  });

  it('Kotlin: const val, typed val, `to` pairs, default arguments; templates are not literals', () => {
    const { values } = analyze(
      'Config.kt',
      [
        'const val API_KEY = "kt-key-1"',
        'val password: String = "kt-pw-2"',
        'val creds = mapOf("token" to "kt-tok-3", "user" to "u")',
        'val greeting = "Hello $name"',
        'fun f(secret: String = "kt-default-4") {}',
      ].join('\n'),
    );
    expect(sensitive(values).map((v) => [v.context.path, v.literal, v.line, v.column])).toEqual([
      ['API_KEY', 'kt-key-1', 1, 22],
      ['password', 'kt-pw-2', 2, 25],
      ['token', 'kt-tok-3', 3, 31],
      ['secret', 'kt-default-4', 5, 25],
    ]);
    expect(byKey(values, 'greeting')[0]).toMatchObject({ literal: null, context: { language: 'kotlin' } });
  });

  it('C, Rust and PowerShell basics', () => {
    const c = analyze('secrets.h', '#define API_KEY "c-key-1"\nstatic const char db_password[] = "c-pw-2";\nchar *token = "c-" "3";\n');
    expect(c.values.map((v) => [v.context.key, v.literal, v.sensitive])).toEqual([
      ['API_KEY', 'c-key-1', true],
      ['db_password', 'c-pw-2', true],
      ['token', null, false],
    ]);
    const rust = analyze('main.rs', "fn f<'a>(x: &'a str) -> &'a str { x }\nconst API_TOKEN: &str = \"rs-tok-1\";\nlet password = r#\"rs-\"raw\"-2\"#;\n");
    expect(sensitive(rust.values).map((v) => [v.context.key, v.literal])).toEqual([
      ['API_TOKEN', 'rs-tok-1'],
      ['password', 'rs-"raw"-2'],
    ]);
    const ps = analyze('deploy.ps1', "<# it's a block comment #>\n$Password = \"ps-pw-1\"\n$env:API_KEY = 'ps-key-2'\nConnect-Thing -Token \"ps-tok-3\" -Name \"n\"\n");
    expect(sensitive(ps.values).map((v) => [v.context.key, v.literal])).toEqual([
      ['Password', 'ps-pw-1'],
      ['API_KEY', 'ps-key-2'],
      ['Token', 'ps-tok-3'],
    ]);
  });
});

describe('code analyzer: literals', () => {
  it('unescapes the literal and keeps the span as written', () => {
    const { values } = analyze('a.js', 'const apiToken = "a\\"b\\u0041\\x42\\n";\n');
    expect(values[0]).toMatchObject({ literal: 'a"bAB\n', text: 'a\\"b\\u0041\\x42\\n', sensitive: true });
  });

  it('treats concatenations, formats and interpolations as expressions', () => {
    const { values } = analyze(
      'a.py',
      'A_TOKEN = "x" + y\nB_TOKEN = "%s" % y\nC_TOKEN = "{}".format(y)\nD_TOKEN = f"{y}"\nE_TOKEN = f"{{x}} y"\nF_TOKEN = "kept".encode()\n',
    );
    expect(values.map((v) => [v.context.key, v.literal])).toEqual([
      ['A_TOKEN', null],
      ['B_TOKEN', null],
      ['C_TOKEN', null],
      ['D_TOKEN', null],
      ['E_TOKEN', '{x} y'],
      ['F_TOKEN', 'kept'],
    ]);
  });

  it('skips line and block comments, and strings inside template holes', () => {
    const { values } = analyze('a.ts', '/* password = "a" */\n// token = "b"\nconst t = `${x ? "secret" : "y"}`;\nconst s = "it\'s // not a comment";\n');
    expect(values.map((v) => [v.context.key, v.literal])).toEqual([
      ['t', null],
      ['s', "it's // not a comment"],
    ]);
  });

  it('turns an internal error into a note', () => {
    for (const analyzer of lineAnalyzers) {
      const result = analyzer.analyze(null as unknown as Buffer, 'broken.js', analyzer.formats[0]);
      expect(result.values).toEqual([]);
      expect(result.notes).toHaveLength(1);
      expect(result.notes[0]).toMatch(/^broken.js: could not analyse as /);
    }
  });

  it('never throws, on hostile or binary input', () => {
    const inputs = [
      Buffer.from('"'.repeat(10_000)),
      Buffer.from('`${'.repeat(5_000)),
      Buffer.from('{'.repeat(10_000) + '}'.repeat(20_000)),
      Buffer.from([0xff, 0xfe, 0x00, 0x22, 0x80, 0x3d, 0x22, 0xc3]),
      Buffer.from('password = "unterminated\n' + "'".repeat(3_000)),
    ];
    for (const data of inputs) {
      for (const path of ['a.js', 'a.py', 'a.rb', 'a.php', 'a.go', 'a.sh', 'a.cs', 'a.ps1', 'a.rs', 'Dockerfile', '.env', 'a.properties']) {
        expect(() => analyze(path, data)).not.toThrow();
      }
    }
  });
});
