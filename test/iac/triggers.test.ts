import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/scan/scan.js';

describe('structure triggers: files parsed although no rule matched', () => {
  it('finds a low-entropy default of a Terraform variable named like a secret, alone in its file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vaultsweep-trigger-'));
    writeFileSync(join(dir, 'variables.tf'), 'variable "db_password" {\n  type    = string\n  default = "hunter2-Ledger"\n}\n');
    const result = await scan({ path: dir, history: false, staged: false, includeIgnored: false, threads: 1, showSecrets: true });
    expect(result.findings.map((f) => [f.rule, f.secret, f.locations[0].context])).toEqual([
      ['iac-secret-value', 'hunter2-Ledger', { format: 'terraform', path: 'variable.db_password.default', key: 'db_password' }],
    ]);
  });
});
