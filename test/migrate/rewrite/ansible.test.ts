import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ANSIBLE_TAGS } from '../../../src/iac/yaml/walk.js';
import { ansibleLookup, ansibleRewriter } from '../../../src/migrate/rewrite/ansible.js';
import { BACKENDS, expectGolden, rewriteFixture } from '../../helpers/rewrite.js';

const parses = (text: string) => parseAllDocuments(text, { customTags: ANSIBLE_TAGS }).every((d) => d.errors.length === 0);
const FAKE = /Ans1ble|Ld4p-Bind|b4ckup-|Wm4kP9|Pl4ybook|cl1ent-|r0le-Default/;

describe('Ansible rewriter', () => {
  it('accepts Ansible locations and role variable files for both stores', () => {
    const location = { file: 'group_vars/all.yml', line: 1, column: 1, endLine: 1, endColumn: 2, commit: null, rewrite: 'manual', context: { format: 'ansible', path: 'db_password', key: 'db_password' } };
    for (const backend of Object.values(BACKENDS)) {
      expect(ansibleRewriter.accepts(location, backend)).toBe(true);
      expect(ansibleRewriter.accepts({ ...location, file: 'roles/web/defaults/main.yml', context: { format: 'text', path: '', key: '' } }, backend)).toBe(true);
    }
    expect(ansibleRewriter.accepts({ ...location, context: { format: 'helm', path: 'x', key: 'x' } }, BACKENDS.vault)).toBe(false);
    expect(ansibleRewriter.accepts({ ...location, file: 'docs/example.yml', context: { format: 'text', path: '', key: '' } }, BACKENDS.vault)).toBe(false);
  });

  it('writes the lookups of the current collections', () => {
    expect(ansibleLookup({ mount: 'kv', path: 'webapp/group_vars/all', key: 'db_password' }, { type: 'vault', mount: 'kv', namespace: 'team-a' })).toBe(
      "{{ lookup('community.hashi_vault.vault_kv2_get', 'webapp/group_vars/all', engine_mount_point='kv', namespace='team-a').secret['db_password'] }}",
    );
    expect(ansibleLookup({ name: 'webapp/group_vars/all', key: "it's" }, { type: 'aws-secrets-manager', region: 'eu-west-1', tags: {} })).toBe(
      "{{ (lookup('amazon.aws.secretsmanager_secret', 'webapp/group_vars/all', region='eu-west-1') | from_json)['it\\'s'] }}",
    );
  });

  for (const [name, backend] of Object.entries(BACKENDS)) {
    it(`replaces group_vars literals with quoted lookups, drops !unsafe, leaves a secret inside a URL to the user (${name})`, async () => {
      const { result, edits } = await rewriteFixture(ansibleRewriter, 'ansible', 'group_vars/all.yml', backend);
      expect(edits.length).toBe(4);
      expectGolden(result.text, 'ansible', `group_vars-all.yml.${name}.expected`);
      expect(parses(result.text)).toBe(true);
      expect(result.manual.map((m) => m.edit.location.context?.path)).toEqual(['ledger_db_url']);
      expect(result.manual[0].reason).toMatch(/^the secret is part of a longer value in ledger_db_url: replace only the secret inside it with \{\{ .+ \}\} \(and double-quote the whole value if it is not quoted yet\)$/);
      expect(result.notes).toHaveLength(1);
      expect(result.notes[0]).toContain(name === 'vault' ? 'ansible-galaxy collection install community.hashi_vault' : 'ansible-galaxy collection install amazon.aws');
      for (const note of [...result.notes, ...result.manual.map((m) => m.reason)]) expect(note).not.toMatch(FAKE);
    });

    it(`replaces play and task vars in a playbook (${name})`, async () => {
      const { result, edits } = await rewriteFixture(ansibleRewriter, 'ansible', 'deploy.yml', backend);
      expect(edits.length).toBe(2);
      expect(result.manual).toEqual([]);
      expectGolden(result.text, 'ansible', `deploy.yml.${name}.expected`);
      expect(parses(result.text)).toBe(true);
    });

    it(`replaces role defaults (${name})`, async () => {
      const { result, edits } = await rewriteFixture(ansibleRewriter, 'ansible', 'roles/ledger/defaults/main.yml', backend);
      expect(edits.length).toBe(1);
      expect(result.manual).toEqual([]);
      expectGolden(result.text, 'ansible', `roles-ledger-defaults-main.yml.${name}.expected`);
    });
  }
});
