/**
 * Ansible variables: group_vars/host_vars files and playbooks (`vars` of plays and tasks, module
 * arguments). Secret-named variables with literal values are secrets. Values tagged `!vault` and
 * `$ANSIBLE_VAULT;...` payloads are protected (literal null); a file that is one Ansible Vault
 * blob is protected as a whole. `{{ lookup(...) }}` and `{{ var }}` are references.
 */
import { isSecretName } from '../names.js';
import type { FileAnalysis, FormatAnalyzer } from '../types.js';
import { ANSIBLE_TAGS, analyzeYaml, type Binder, type Site, type YamlFormatSpec } from './walk.js';

function isVaultPayload(value: string): boolean {
  return value.trimStart().startsWith('$ANSIBLE_VAULT;');
}

export function visitAnsible(site: Site, out: Binder): void {
  const node = site.node;
  const sensitive = site.direct && isSecretName(site.key);
  if (node.tag === '!vault' || (typeof node.value === 'string' && isVaultPayload(node.value))) {
    out.bind(site, { literal: null });
    return;
  }
  out.bind(site, { sensitive });
}

export const ansibleSpec: YamlFormatSpec = {
  format: 'ansible',
  tags: ANSIBLE_TAGS,
  preflight(text): FileAnalysis | null {
    // `ansible-vault encrypt` output: the whole file is ciphertext.
    return isVaultPayload(text.replace(/^\uFEFF/, '')) ? { format: 'ansible', values: [], notes: [] } : null;
  },
  visit: visitAnsible,
};

export const ansibleAnalyzer: FormatAnalyzer = {
  formats: ['ansible'],
  analyze: (data, path) => analyzeYaml(data, path, ansibleSpec),
};
