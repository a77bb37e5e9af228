import { afterAll, describe, expect, it } from 'vitest';
import { scan, type ScanOptions } from '../../src/scan/scan.js';
import type { Finding } from '../../src/findings/types.js';
import { fake, TestRepo } from '../helpers/repo.js';

const base: Omit<ScanOptions, 'path'> = { history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 2 };
const repos: TestRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
const newRepo = () => {
  const r = new TestRepo();
  repos.push(r);
  return r;
};
const bySecret = (findings: Finding[], secret: string) => findings.find((f) => f.secret === secret);

const TF = `resource "aws_db_instance" "ledger" {
  engine   = "postgres"
  username = "ledger"
  password = "letmein"
}

resource "aws_db_instance" "safe" {
  password = var.db_password
}
`;

const K8S = `apiVersion: v1
kind: Secret
metadata:
  name: api
data:
  username: YXBp
  API_TOKEN: ${Buffer.from(fake.githubPat('K')).toString('base64')}
  DB_PASSWORD: ${Buffer.from('opensesame').toString('base64')}
`;

describe('IaC-aware scanning, end to end', () => {
  it('finds low-entropy secrets by structure, with context, in the tree and in history', async () => {
    const repo = newRepo();
    const first = repo.commit('infra', { 'infra/main.tf': TF, 'k8s/secret.yaml': K8S });
    repo.commit('rotate', { 'infra/main.tf': TF.replace('"letmein"', 'var.ledger_password') });
    const { findings } = await scan({ ...base, path: repo.dir });

    const tf = bySecret(findings, 'letmein')!;
    expect(tf.rule).toBe('iac-secret-value');
    expect(tf.inWorktree).toBe(false);
    expect(tf.locations).toEqual([
      expect.objectContaining({
        file: 'infra/main.tf', line: 4, column: 15, commit: first,
        context: { format: 'terraform', path: 'resource.aws_db_instance.ledger.password', key: 'password' },
      }),
    ]);

    // A token inside a Secret's data: found decoded, reported at the encoded text.
    const token = bySecret(findings, fake.githubPat('K'))!;
    expect(token.rule).toBe('github-pat-classic');
    expect(token.locations[0]).toMatchObject({
      file: 'k8s/secret.yaml', line: 7, column: 14, commit: null,
      context: { format: 'kubernetes', path: 'data.API_TOKEN', key: 'API_TOKEN', encoding: 'base64' },
    });
    expect(bySecret(findings, 'opensesame')?.locations[0].context).toEqual({
      format: 'kubernetes', path: 'data.DB_PASSWORD', key: 'DB_PASSWORD', encoding: 'base64',
    });
    // A username in a Secret is no secret, and a reference is no literal.
    expect(findings.some((f) => f.secret === 'api' || f.secret === 'var.db_password')).toBe(false);
  });

  it('gives matches in code their language and name', async () => {
    const repo = newRepo();
    repo.commit('code', { 'src/config.py': `GITHUB_TOKEN = "${fake.githubPat('L')}"\n` });
    const { findings } = await scan({ ...base, path: repo.dir, history: false });
    expect(findings[0].locations[0].context).toMatchObject({ format: 'code', language: 'python', key: 'GITHUB_TOKEN' });
  });

  it('scans a file that does not parse as text, with a note', async () => {
    const repo = newRepo();
    repo.write('k8s/broken.yaml', `apiVersion: v1\nkind: Secret\ndata: [unclosed\n  token: ${fake.githubPat('M')}\n`);
    const { findings, notes } = await scan({ ...base, path: repo.dir });
    expect(findings.map((f) => f.secret)).toEqual([fake.githubPat('M')]);
    expect(notes.join('\n')).toMatch(/k8s\/broken\.yaml/);
  });

  it('refuses a YAML bomb within bounded time', async () => {
    const repo = newRepo();
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`);
    repo.write('values.yaml', `${levels.join('\n')}\npassword: hunter2hunter\n`);
    const started = Date.now();
    const { notes } = await scan({ ...base, path: repo.dir });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(notes.join('\n')).toMatch(/values\.yaml/);
  });
});

describe('bounded analysis', () => {
  it('scans a structured file too large to parse as text, with a note', async () => {
    const repo = newRepo();
    const token = fake.githubPat('N');
    const filler = Array.from({ length: 90_000 }, (_, i) => `  field_${i}: value-${i}-${'x'.repeat(40)}`).join('\n');
    repo.write('values.yaml', `config:\n${filler}\n  api_token: ${token}\n`);
    const { findings, notes } = await scan({ ...base, path: repo.dir, history: false });
    expect(findings.map((f) => f.secret)).toEqual([token]);
    expect(notes.join('\n')).toMatch(/values\.yaml: \d+ bytes is too large to analyse as helm; scanned as text/);
  });
});

describe('review cases', () => {
  it('names that say something about a secret, and encrypted or referenced values, are not findings', async () => {
    const repo = newRepo();
    repo.write(
      'values.yaml',
      [
        'credentials: same-origin',
        'token_endpoint_auth_method: client_secret_basic',
        'token_lifetime: 3600s',
        'secret_backend: vault',
        'password_encoder: bcrypt',
        'pwd: /home/app',
        'existingSecret: gcp-creds',
        'password_changed_at: 2024-01-01',
        'db_password: ENC[AES256_GCM,data:q8Zr3LmV0pX,iv:abc,tag:def,type:str]',
        'api_password: "%(API_PASSWORD)s"',
        'admin_password: akv://vault-name/admin',
        'redis_password: quietharbor',
      ].join('\n') + '\n',
    );
    const { findings } = await scan({ ...base, path: repo.dir, history: false });
    expect(findings.map((f) => [f.rule, f.secret])).toEqual([['iac-secret-value', 'quietharbor']]);
  });

  it('a Secret edited later is not reported again by the range that edits it', async () => {
    const repo = newRepo();
    repo.commit('secret', { 'k8s/s.yaml': `apiVersion: v1\nkind: Secret\ndata:\n  DB_PASSWORD: ${Buffer.from('s3cr3tPass').toString('base64')}\n` });
    repo.git('tag', 'b1');
    repo.commit('more', { 'k8s/s.yaml': `apiVersion: v1\nkind: Secret\ndata:\n  DB_PASSWORD: ${Buffer.from('s3cr3tPass').toString('base64')}\n  OTHER: eA==\n` });
    expect(await scan({ ...base, path: repo.dir, range: 'b1..HEAD' }).then((r) => r.findings)).toEqual([]);
  });

  it('code found in history is bound by the name before the string, not text inside it', async () => {
    const repo = newRepo();
    repo.commit('db', { 'app/db.py': 'DATABASE_URL = "postgres://admin:S3cretPw0rd@db.internal:5432/app"\n' });
    repo.commit('rm', { 'app/db.py': 'DATABASE_URL = os.environ["DATABASE_URL"]\n' });
    const { findings } = await scan({ ...base, path: repo.dir });
    expect(findings[0].locations[0].context).toMatchObject({ format: 'code', language: 'python', key: 'DATABASE_URL' });
  });
});
