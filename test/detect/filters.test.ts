import { describe, expect, it } from 'vitest';
import { isNonSecretRandomValue, isPlaceholder } from '../../src/detect/filters.js';
import { compileRules } from '../../src/detect/compile.js';
import { loadRuleDir } from '../../src/detect/load-rules.js';
import { scanBuffer } from '../../src/detect/scan-buffer.js';

describe('placeholder filter', () => {
  it.each([
    'changeme', '<your-password>', 'xxxxxxxxxxxxxxxx', '${DB_PASSWORD}', '{{ .Values.password }}', 'var.db_password',
    '${{ secrets.DEPLOY_TOKEN }}', '{{resolve:secretsmanager:prod/db:SecretString:password}}', 'process.env.API_KEY',
    'AKIAIOSFODNN7EXAMPLE', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', '********', 'your_api_key_here', '__PASSWORD__',
  ])('%s is a placeholder', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(['Tr0ub4dor&3', 'q8Zr3LmV0pXt7bNw2KcY9sHd4FgJ6aQe', 'hunter2-Staging'])('%s is not', (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});

describe('non-secret random values', () => {
  it.each([
    ['sha512-7Gx2bA1mQ9kLz0pW3vR8tY5uI6oE4nB2cD1fG7hJ9kL0mN3bV5cX8zA1sD2fG4hJ6kL8zX0cV2bN4mQ==', 'integrity: sha512-...'],
    ['h1:2XcJnA9bDf3kQ0m1Pz8sYtUvWxR7eL5oK4iH6gF2jB0=', '  "h1:2XcJnA9bDf3kQ0m1Pz8sYtUvWxR7eL5oK4iH6gF2jB0=",'],
    ['3f2504e0-4f89-11d3-9a0c-0305e82c3301', 'id: 3f2504e0-4f89-11d3-9a0c-0305e82c3301'],
    ['9fceb02d0ae598e95dc970b74767f19372d61af8', 'rev: 9fceb02d0ae598e95dc970b74767f19372d61af8'],
    ['sha256:4c0fdb7d5a1a0c8f8d3e2b1a0f9e8d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6', 'image: nginx@sha256:4c0fdb7d5a1a0c8f8d3e2b1a0f9e8d7c6b5a49382716a5b4c3d2e1f0a9b8c7d6'],
  ])('%s', (value, line) => {
    expect(isNonSecretRandomValue(value, line)).toBe(true);
  });
});

describe('generic detectors on realistic files', () => {
  const ruleSet = compileRules(loadRuleDir());
  const found = (text: string, path = 'config.yaml') =>
    scanBuffer(Buffer.from(text), ruleSet, path).map((m) => `${ruleSet.rules[m.rule].id}:${m.secret.toString()}`);

  it('reports a low-entropy password in a Terraform resource', () => {
    const tf = 'resource "aws_db_instance" "ledger" {\n  username = "ledger"\n  password = "Tr0ub4dor&3"\n}\n';
    expect(found(tf, 'main.tf')).toEqual(['generic-password:Tr0ub4dor&3']);
  });

  it('does not report references and placeholders', () => {
    const text = [
      'password: ${DB_PASSWORD}',
      'password = var.db_password',
      'token: ${{ secrets.DEPLOY_TOKEN }}',
      'MasterUserPassword: "{{resolve:secretsmanager:prod/db:SecretString:password}}"',
      'api_key = process.env.API_KEY',
      'password: <your-password>',
      'password: changeme',
      'secret: xxxxxxxxxxxxxxxxxxxxxxxx',
      'password: "{{ vault_db_password }}"',
    ].join('\n');
    expect(found(text)).toEqual([]);
  });

  it('treats an unquoted right-hand side in code as an expression', () => {
    expect(found('const password = userSuppliedPassword1;\n', 'src/login.ts')).toEqual([]);
    expect(found('const password = "Sup3r-S3cret!";\n', 'src/login.ts')).toEqual(['generic-password:Sup3r-S3cret!']);
  });

  it('skips lockfile integrity, Terraform lock hashes and Ansible Vault payloads', () => {
    const lock = '"integrity": "sha512-7Gx2bA1mQ9kLz0pW3vR8tY5uI6oE4nB2cD1fG7hJ9kL0mN3bV5cX8zA1sD2fG4hJ6kL8zX0cV2bN4mQ=="\n';
    const tfLock = 'hashes = [\n  "h1:2XcJnA9bDf3kQ0m1Pz8sYtUvWxR7eL5oK4iH6gF2jB0=",\n  "zh:0b7b4a6d3e5f1c2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d9c8b7a6f",\n]\n';
    const vault = 'db_password: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  62313365396662343061393464336163383764373764613633653634306231386433626436623361\n';
    expect(found(lock, 'package-lock.json')).toEqual([]);
    expect(found(tfLock, '.terraform.lock.hcl')).toEqual([]);
    expect(found(vault, 'group_vars/all.yml')).toEqual([]);
  });
});
