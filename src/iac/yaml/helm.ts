/**
 * Helm values files: any secret-named key with a literal is a secret (`postgresql.auth.password`).
 * `{{ ... }}` templates and empty strings are not literals; keys that name where a secret lives
 * (`existingSecret`, `existingSecretPasswordKey`, `passwordKey`: the key inside a Kubernetes
 * Secret) are not secrets.
 */
import { isSecretName, normalizeName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { analyzeYaml, type Binder, type Site, type YamlFormatSpec } from './walk.js';

/** Secret names that, in charts, point at a Kubernetes Secret or one of its keys rather than hold a value. */
export function isSecretPointerName(name: string): boolean {
  const n = normalizeName(name);
  if (/(?:^|_)existing(?:_|$)/.test(n)) return true;
  return /(?:^|_)(?:password|passwd|token|secret)_keys?$/.test(n) && !/(?:^|_)secret_keys?$/.test(n);
}

export function isHelmSecretName(name: string): boolean {
  return isSecretName(name) && !isSecretPointerName(name);
}

export function visitHelm(site: Site, out: Binder): void {
  out.bind(site, { sensitive: site.direct && isHelmSecretName(site.key) });
}

export const helmSpec: YamlFormatSpec = {
  format: 'helm',
  visit: visitHelm,
};

export const helmAnalyzer: FormatAnalyzer = {
  formats: ['helm'],
  analyze: (data, path) => analyzeYaml(data, path, helmSpec),
};
