/**
 * GitHub Actions workflows: `env` at workflow, job and step level
 * (`jobs.<job>.steps.<step name or index>.env.<KEY>`), job containers' and services' `env` and
 * `credentials`, and `with:` inputs, where secret-named keys with literals are secrets; values a
 * reusable workflow receives under `secrets:` are secrets whatever their names. `${{ ... }}`
 * expressions (`secrets.X`, `vars.X`...) are references.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { analyzeYaml, type Binder, type Site, type YamlFormatSpec } from './walk.js';

const SECRET_BLOCKS = new Set(['env', 'with', 'credentials']);

export function visitGitHubActions(site: Site, out: Binder): void {
  const segs = site.segments;
  const parent = segs[segs.length - 2];
  let sensitive = false;
  if (site.direct && parent !== undefined) {
    if (SECRET_BLOCKS.has(parent)) sensitive = isSecretName(site.key);
    // `jobs.<job>.secrets.<NAME>` handed to a reusable workflow.
    else if (parent === 'secrets' && segs[0] === 'jobs' && segs.length === 4) sensitive = true;
  }
  out.bind(site, { sensitive });
}

export const githubActionsSpec: YamlFormatSpec = {
  format: 'github-actions',
  visit: visitGitHubActions,
};

export const githubActionsAnalyzer: FormatAnalyzer = {
  formats: ['github-actions'],
  analyze: (data, path) => analyzeYaml(data, path, githubActionsSpec),
};
