import { describe, expect, it } from 'vitest';
import { analyzeFixture, at, checkInvariants, sensitiveOf } from './helpers.js';

describe('ansible', () => {
  it('group_vars: literal passwords are secrets; !vault values are protected; lookups and vars are references', () => {
    const file = analyzeFixture('ansible/group_vars/all.yml', 'ansible');
    expect(file.result.notes).toEqual([]);
    checkInvariants(file, 'ansible');
    expect(sensitiveOf(file)).toEqual([
      { path: 'db_password', key: 'db_password', literal: 'Ans1ble-Ledger-Pw', line: 5, column: 15, text: 'Ans1ble-Ledger-Pw' },
      { path: 'ldap.bind_password', key: 'bind_password', literal: 'Ld4p-Bind-Ledger', line: 15, column: 18, text: 'Ld4p-Bind-Ledger' },
    ]);
    const vaulted = at(file, 'smtp_password');
    expect(vaulted).toMatchObject({ literal: null, sensitive: false, line: 7, column: 3 });
    expect(vaulted?.text.startsWith('$ANSIBLE_VAULT;1.1;AES256\n')).toBe(true);
    expect(vaulted?.text.endsWith('3831')).toBe(true);
    expect(at(file, 'api_token')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'redis_password')).toMatchObject({ literal: null, sensitive: false });
    expect(at(file, 'app_user')).toMatchObject({ literal: 'ledger', sensitive: false });
  });

  it('a file that is one Ansible Vault blob is protected whole, without a note', () => {
    const file = analyzeFixture('ansible/host_vars/db1.yml', 'ansible');
    expect(file.result).toEqual({ format: 'ansible', values: [], notes: [] });
  });

  it('playbooks: play vars and module arguments', () => {
    const file = analyzeFixture('ansible/deploy.yml', 'ansible');
    expect(sensitiveOf(file)).toEqual([
      { path: 'Deploy ledger.vars.ledger_admin_password', key: 'ledger_admin_password', literal: 'Pl4ybook-Admin-Pw', line: 4, column: 28, text: 'Pl4ybook-Admin-Pw' },
    ]);
    expect(at(file, 'Deploy ledger.tasks.Create database user.community.postgresql.postgresql_user.password'))
      .toMatchObject({ literal: null, sensitive: false });
  });
});
