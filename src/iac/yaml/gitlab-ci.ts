/**
 * GitLab CI: `variables` at top level and per job (`<job>.variables.<KEY>`, also a job's services'
 * variables), each a string or `{ value: ..., description: ... }`. Secret-named variables with
 * literals are secrets; `$VAR` and `${VAR}` are references.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { analyzeYaml, hasDollarVariable, type Binder, type Site, type YamlFormatSpec } from './walk.js';

export function visitGitLabCi(site: Site, out: Binder): void {
  const segs = site.segments;
  const n = segs.length;
  if (site.direct && n >= 2 && segs[n - 2] === 'variables') {
    out.bind(site, { sensitive: isSecretName(site.key) });
    return;
  }
  if (site.direct && n >= 3 && segs[n - 3] === 'variables' && segs[n - 1] === 'value') {
    // The expanded form `KEY: { value: ..., description: ... }` binds the value to KEY.
    const key = segs[n - 2];
    out.bind(site, { key, segments: segs.slice(0, n - 1), sensitive: isSecretName(key) });
    return;
  }
  out.bind(site);
}

export const gitlabCiSpec: YamlFormatSpec = {
  format: 'gitlab-ci',
  isReference: (value) => hasDollarVariable(value),
  visit: visitGitLabCi,
};

export const gitlabCiAnalyzer: FormatAnalyzer = {
  formats: ['gitlab-ci'],
  analyze: (data, path) => analyzeYaml(data, path, gitlabCiSpec),
};
