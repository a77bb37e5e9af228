/**
 * Ansible variables (playbooks' `vars`, group_vars/host_vars, role defaults, module arguments): a
 * literal becomes a lookup that reads the store on the controller when the variable is used,
 * double-quoted for YAML:
 *
 * - Vault: `"{{ lookup('community.hashi_vault.vault_kv2_get', '<path>', engine_mount_point='<mount>').secret['<key>'] }}"`
 *   (`.secret` is the KV v2 data, the plugin's documented shortcut for `.raw.data.data`);
 * - Secrets Manager: `"{{ (lookup('amazon.aws.secretsmanager_secret', '<name>') | from_json)['<key>'] }}"`
 *   (the plugin's `nested=true` form splits the term on dots, which secret names and keys may hold).
 */
import { ANSIBLE_TAGS } from '../../iac/yaml/walk.js';
import { isVaultTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import type { Splice } from './splices.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';
import { isBlockScalar, parseYaml } from './yaml-edit.js';
import { REPARSE_FAILED, UNPARSABLE, allManual, coversWholeValue, scalarSiteAt, spliceAndCheck, type ScalarCheck } from './yaml-scalars.js';

/** Files of a role whose YAML is Ansible: `roles/<role>/{defaults,vars,tasks,handlers}/*.yml`. */
const ROLE_FILE = /(?:^|\/)roles\/[^/]+\/(?:defaults|vars|tasks|handlers)\/[^/]+\.ya?ml$/;

/** A Jinja string literal. */
function jinjaString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The Jinja expression (with its `{{ }}`) that reads a target from the store. */
export function ansibleLookup(target: StoreTarget, backend: PlanBackend): string {
  if (isVaultTarget(target)) {
    const ns = backend.type === 'vault' && backend.namespace ? `, namespace=${jinjaString(backend.namespace)}` : '';
    return `{{ lookup('community.hashi_vault.vault_kv2_get', ${jinjaString(target.path)}, engine_mount_point=${jinjaString(target.mount)}${ns}).secret[${jinjaString(target.key)}] }}`;
  }
  const region = backend.type === 'aws-secrets-manager' && backend.region ? `, region=${jinjaString(backend.region)}` : '';
  return `{{ (lookup('amazon.aws.secretsmanager_secret', ${jinjaString(target.name)}${region}) | from_json)[${jinjaString(target.key)}] }}`;
}

/** What the controller needs for the lookups of one store. */
function setupNote(file: string, backend: PlanBackend): string {
  if (backend.type === 'vault') {
    return `${file}: the values are now read from Vault on the controller by the community.hashi_vault.vault_kv2_get lookup: install it where ansible-playbook runs (\`ansible-galaxy collection install community.hashi_vault\` and \`pip install hvac\`) and set VAULT_ADDR and VAULT_TOKEN there (or the collection's ANSIBLE_HASHI_VAULT_* settings for another auth method); a KV version 1 mount needs community.hashi_vault.vault_kv1_get instead`;
  }
  return `${file}: the values are now read from AWS Secrets Manager on the controller by the amazon.aws.secretsmanager_secret lookup: install it where ansible-playbook runs (\`ansible-galaxy collection install amazon.aws\` and \`pip install boto3 botocore\`); it signs in with the AWS credential chain (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or an instance role) and needs AWS_REGION${backend.region ? ` (the lookups name ${backend.region})` : ''}`;
}

/** `!unsafe ` just before a scalar: Ansible would not template the lookup, so the tag goes too. */
function unsafeTagStart(text: string, valueStart: number): number | undefined {
  const lineStart = text.lastIndexOf('\n', valueStart - 1) + 1;
  const m = /!unsafe[ \t]+$/.exec(text.slice(lineStart, valueStart));
  return m ? lineStart + m.index : undefined;
}

export const ansibleRewriter: Rewriter = {
  name: 'ansible-lookup',
  accepts(location) {
    const format = location.context?.format;
    // Role variables and tasks are YAML the scanner cannot tell from other YAML by their path alone.
    return format === 'ansible' || ((format === undefined || format === 'text' || format === 'yaml') && ROLE_FILE.test(location.file));
  },
  rewrite(text, edits, context): RewriteResult {
    const docs = parseYaml(text, ANSIBLE_TAGS);
    if (!docs) return allManual(text, edits, UNPARSABLE);
    const manual: RewriteResult['manual'] = [];
    const splices: Splice[] = [];
    const checks: ScalarCheck[] = [];
    const applied: RewriteEdit[] = [];
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const site = scalarSiteAt(docs, edit.start, edit.end);
      const expression = ansibleLookup(edit.target, context.backend);
      const path = edit.location.context?.path || (site?.keys.join('.') ?? 'the value');
      if (!site) {
        manual.push({ edit, reason: 'the literal is not a YAML value of this file: replace it by hand' });
        continue;
      }
      if (!coversWholeValue(site, text, edit)) {
        manual.push({ edit, reason: `the secret is part of a longer value in ${path}: replace only the secret inside it with ${expression} (and double-quote the whole value if it is not quoted yet)` });
        continue;
      }
      if (isBlockScalar(site.node)) {
        manual.push({ edit, reason: `${path} is a multi-line block value: replace the whole block (the | or > line and its lines) with ${JSON.stringify(expression)}; the store holds it without the final newline` });
        continue;
      }
      const node = site.node;
      let from = node.range![0];
      if (node.tag === '!unsafe') {
        const tag = unsafeTagStart(text, from);
        if (tag === undefined) {
          manual.push({ edit, reason: `${path} is tagged !unsafe: remove the tag and set the value to ${JSON.stringify(expression)}` });
          continue;
        }
        from = tag;
      } else if (node.tag && node.tag !== 'tag:yaml.org,2002:str') {
        manual.push({ edit, reason: `${path} has the tag ${node.tag}: set the value to ${JSON.stringify(expression)} by hand` });
        continue;
      }
      // Always double quotes: a value starting with `{` must be quoted, and the expression holds single quotes.
      splices.push({ from, to: node.range![1], insert: JSON.stringify(expression) });
      checks.push({ at: from, value: expression });
      applied.push(edit);
    }
    if (!applied.length) return { text, manual, notes: [] };
    const out = spliceAndCheck(text, docs.length, splices, checks, ANSIBLE_TAGS);
    if (out === undefined) return allManual(text, applied, REPARSE_FAILED, manual);
    return { text: out, manual, notes: [setupNote(context.file, context.backend)] };
  },
};
