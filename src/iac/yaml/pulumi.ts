/**
 * Pulumi stack configuration (`Pulumi.<stack>.yaml`): `config.<project:key>`, plain or structured.
 * Secret-named keys with literal values are secrets; `secure:` values (`{secure: v1:...}`, encrypted
 * by Pulumi) are protected: bound to their key with a null literal.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { analyzeYaml, type Binder, type Site, type YamlFormatSpec } from './walk.js';

/** The config key's own name: `project:dbPassword` → `dbPassword`. */
function configName(key: string): string {
  const colon = key.lastIndexOf(':');
  return colon >= 0 ? key.slice(colon + 1) : key;
}

export function visitPulumi(site: Site, out: Binder): void {
  const segs = site.segments;
  if (segs[0] !== 'config' || segs.length < 2) {
    out.bind(site);
    return;
  }
  if (site.direct && segs.length >= 3 && segs[segs.length - 1] === 'secure') {
    const key = segs[segs.length - 2];
    out.bind(site, { key, segments: segs.slice(0, -1), literal: null });
    return;
  }
  out.bind(site, { sensitive: site.direct && isSecretName(configName(site.key)) });
}

export const pulumiSpec: YamlFormatSpec = {
  format: 'pulumi',
  visit: visitPulumi,
};

export const pulumiAnalyzer: FormatAnalyzer = {
  formats: ['pulumi'],
  analyze: (data, path) => analyzeYaml(data, path, pulumiSpec),
};
