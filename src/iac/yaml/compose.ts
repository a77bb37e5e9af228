/**
 * Docker Compose files: `services.<svc>.environment` and `services.<svc>.build.args`, in map form
 * (`KEY: value`) and list form (`- KEY=value`, `- KEY` alone: taken from the host's environment,
 * a reference). `${VAR}`, `${VAR:-default}` and `$VAR` interpolations are references (a default
 * inside one is not read as a literal). Secret-named keys of top-level `x-*` extension blocks
 * (anchored environment maps) count too.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { analyzeYaml, hasDollarVariable, valueSubSpan, type Binder, type Site, type YamlFormatSpec } from './walk.js';

/** The segments of an environment or build-args container: `services.<svc>.environment`, `services.<svc>.build.args`. */
function variablesBlock(segs: readonly string[]): number {
  if (segs[0] !== 'services' || segs.length < 4) return -1;
  if (segs[2] === 'environment') return 3;
  if (segs[2] === 'build' && segs[3] === 'args' && segs.length >= 5) return 4;
  return -1;
}

export function visitCompose(site: Site, out: Binder): void {
  const segs = site.segments;
  const at = variablesBlock(segs);
  if (at >= 0 && segs.length === at + 1) {
    if (site.direct) {
      out.bind(site, { sensitive: isSecretName(site.key) });
      return;
    }
    // List form: `- KEY=value` or `- KEY`.
    const item = site.node.value;
    if (typeof item !== 'string') return;
    const eq = item.indexOf('=');
    const name = (eq < 0 ? item : item.slice(0, eq)).trim();
    if (name === '') {
      out.bind(site);
      return;
    }
    const path = [...segs.slice(0, at), name];
    if (eq < 0) {
      out.bind(site, { segments: path, key: name, literal: null });
      return;
    }
    const value = item.slice(eq + 1);
    const literal = value.trim() === '' || out.isReference(value, site) ? null : value;
    out.bind(site, {
      segments: path,
      key: name,
      literal,
      sensitive: isSecretName(name),
      span: valueSubSpan(site.node, out.text, eq + 1),
    });
    return;
  }
  if (segs.length >= 2 && segs[0].startsWith('x-') && site.direct) {
    out.bind(site, { sensitive: isSecretName(site.key) });
    return;
  }
  out.bind(site);
}

export const composeSpec: YamlFormatSpec = {
  format: 'compose',
  isReference: (value) => hasDollarVariable(value),
  visit: visitCompose,
};

export const composeAnalyzer: FormatAnalyzer = {
  formats: ['compose'],
  analyze: (data, path) => analyzeYaml(data, path, composeSpec),
};
