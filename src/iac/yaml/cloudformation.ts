/**
 * CloudFormation templates, YAML (short-form tags `!Ref`, `!Sub`...) and JSON. Secrets by the
 * format's semantics: a parameter's literal `Default` when the parameter is `NoEcho` (or named like
 * a secret), and literal values of secret-named properties anywhere in `Resources` (and Mappings,
 * SAM Globals...), including `{Name, Value}` environment items of ECS task definitions.
 * References are not literals: `{{resolve:...}}`, `!Ref`, `!GetAtt`, `Fn::*` objects, `!Sub` with `${...}`.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { CLOUDFORMATION_TAGS, analyzeYaml, childAt, isTrue, type Binder, type DocInfo, type Site, type YamlFormatSpec } from './walk.js';

/** Keys of the long-form intrinsic functions: everything under them is an expression. */
function isIntrinsicKey(segment: string): boolean {
  return segment === 'Ref' || segment === 'Condition' || segment.startsWith('Fn::');
}

/** True when the scalar sits inside an intrinsic function (`!Join [...]`, `{"Fn::If": [...]}`). */
export function insideIntrinsic(site: Site): boolean {
  return site.tags.length > 0 || site.segments.some(isIntrinsicKey);
}

export function visitCloudFormation(site: Site, out: Binder, doc: DocInfo): void {
  const segs = site.segments;
  if (insideIntrinsic(site)) {
    // Pieces of an expression: bound to their key for context, never literals of their own.
    if (typeof site.node.value === 'string') out.bind(site, { literal: null });
    return;
  }
  if (segs[0] === 'Parameters') {
    if (segs.length === 3 && segs[2] === 'Default' && site.direct) {
      const name = segs[1];
      const noEcho = isTrue(childAt(doc.root, 'Parameters', name, 'NoEcho'));
      out.bind(site, { sensitive: noEcho || isSecretName(name), key: name });
      return;
    }
    out.bind(site);
    return;
  }
  if (segs[0] === 'Outputs') {
    out.bind(site);
    return;
  }
  out.bind(site, { sensitive: site.direct && isSecretName(site.key) });
}

export const cloudFormationSpec: YamlFormatSpec = {
  format: 'cloudformation',
  tags: CLOUDFORMATION_TAGS,
  visit: visitCloudFormation,
};

export const cloudFormationAnalyzer: FormatAnalyzer = {
  formats: ['cloudformation'],
  analyze: (data, path) => analyzeYaml(data, path, cloudFormationSpec),
};
