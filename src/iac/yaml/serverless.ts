/**
 * Serverless Framework service files: `provider.environment.<KEY>` and
 * `functions.<fn>.environment.<KEY>`; also secret-named keys under `custom` and in the
 * CloudFormation `resources` block (with its short-form tags). `${ssm:...}`, `${env:...}`,
 * `${self:...}` (any `${...}` variable) are references.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { insideIntrinsic } from './cloudformation.js';
import { CLOUDFORMATION_TAGS, analyzeYaml, type Binder, type Site, type YamlFormatSpec } from './walk.js';

function isEnvironment(segs: readonly string[]): boolean {
  const n = segs.length;
  if (n === 3 && segs[0] === 'provider' && segs[1] === 'environment') return true;
  return n === 4 && segs[0] === 'functions' && segs[2] === 'environment';
}

export function visitServerless(site: Site, out: Binder): void {
  const segs = site.segments;
  if (segs[0] === 'resources' && insideIntrinsic(site)) {
    if (typeof site.node.value === 'string') out.bind(site, { literal: null });
    return;
  }
  const secretPlace = isEnvironment(segs) || segs[0] === 'custom' || segs[0] === 'resources';
  out.bind(site, { sensitive: site.direct && secretPlace && isSecretName(site.key) });
}

export const serverlessSpec: YamlFormatSpec = {
  format: 'serverless',
  tags: CLOUDFORMATION_TAGS,
  visit: visitServerless,
};

export const serverlessAnalyzer: FormatAnalyzer = {
  formats: ['serverless'],
  analyze: (data, path) => analyzeYaml(data, path, serverlessSpec),
};
