/**
 * docker compose files: a literal in `environment` (map form `KEY: value`, list form
 * `- KEY=value`), `build.args` or an `x-*` block becomes a `${NAME}` interpolation, and NAME is
 * recorded as a store reference in the `.env` beside the compose file, which compose reads for
 * interpolation and `vaultsweep run -- docker compose up` resolves first (the shell environment
 * wins over `.env` in compose).
 */
import { dirname, join } from 'node:path/posix';
import { scalarSpan } from '../../iac/yaml/walk.js';
import { referenceUri } from '../references.js';
import type { Splice } from './splices.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';
import { isBlockScalar, parseYaml } from './yaml-edit.js';
import {
  allManual,
  coversWholeValue,
  firstFreeName,
  REPARSE_FAILED,
  replaceScalar,
  scalarSiteAt,
  spliceAndCheck,
  UNPARSABLE,
  upperSnake,
  type ScalarCheck,
} from './yaml-scalars.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Where a compose value sits: an environment/args map entry, a list item `KEY=value`, or elsewhere. */
function composePlace(keys: readonly (string | number)[]): { block: 'environment' | 'args' | 'extension' | 'other'; list: boolean; service?: string } {
  const service = keys[0] === 'services' && typeof keys[1] === 'string' ? keys[1] : undefined;
  const last = keys[keys.length - 1];
  const list = typeof last === 'number';
  if (service !== undefined && keys[2] === 'environment' && keys.length === 4) return { block: 'environment', list, service };
  if (service !== undefined && keys[2] === 'build' && keys[3] === 'args' && keys.length === 5) return { block: 'args', list, service };
  if (typeof keys[0] === 'string' && keys[0].startsWith('x-')) return { block: 'extension', list };
  return { block: 'other', list, service };
}

/** The interpolated variable for a key: itself when it is a valid name, else upper-snake-cased. */
function variableFor(key: string): string {
  if (ENV_NAME.test(key)) return key;
  const name = upperSnake(key);
  return !name ? 'SECRET' : /^\d/.test(name) ? `_${name}` : name;
}

/** The manual step for a secret inside a longer value (a password in a URL). */
function partOfValue(path: string, variable: string, uri: string, envFile: string): string {
  const name = `${variable}_SECRET`;
  return `the secret is part of a longer value in ${path}: replace only the secret inside it with \${${name}} and add ${name}="${uri}" to ${envFile}`;
}

export const composeRewriter: Rewriter = {
  name: 'compose-interpolation',
  accepts(location) {
    return location.context?.format === 'compose';
  },
  rewrite(text, edits, context): RewriteResult {
    const docs = parseYaml(text);
    if (!docs) return allManual(text, edits, UNPARSABLE);
    const manual: RewriteResult['manual'] = [];
    const splices: Splice[] = [];
    const checks: ScalarCheck[] = [];
    const applied: { edit: RewriteEdit; name: string; uri: string }[] = [];
    // Variable → the reference it stands for, shared with the run's other files (and the names `.env` holds).
    const taken = context.envNames ?? new Map<string, string>();
    const buildArgs: string[] = [];
    const envFile = join(dirname(context.file), '.env');
    /** `KEY`, else `<SERVICE>_KEY`, else numbered: one variable never stands for two secrets. */
    const allocate = (base: string, service: string | undefined, uri: string): string => {
      const name = firstFreeName([base, ...(service ? [`${upperSnake(service)}_${base}`] : [])], (candidate) => {
        const held = taken.get(candidate);
        return held === undefined || held === uri;
      });
      taken.set(name, uri);
      return name;
    };
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const site = scalarSiteAt(docs, edit.start, edit.end);
      const uri = referenceUri(edit.target, context.backend);
      const key = edit.location.context?.key ?? 'SECRET';
      if (!site) {
        manual.push({ edit, reason: 'the literal is not a YAML value of this file: replace it by hand' });
        continue;
      }
      const place = composePlace(site.keys);
      const path = edit.location.context?.path || site.keys.join('.');
      if (isBlockScalar(site.node)) {
        manual.push({ edit, reason: `${path} is a multi-line block value: replace the whole block with \${${variableFor(key)}} and add ${variableFor(key)}="${uri}" to ${envFile}` });
        continue;
      }
      const [cs, ce] = scalarSpan(site.node, text);
      const raw = text.slice(cs, ce);
      if (place.list && (place.block === 'environment' || place.block === 'args')) {
        // `- KEY=value`: only the value part changes.
        const eq = raw.indexOf('=');
        const itemKey = eq < 0 ? '' : raw.slice(0, eq).trim();
        if (eq < 0 || raw !== site.node.value || edit.start !== cs + eq + 1 || edit.end !== ce || !ENV_NAME.test(itemKey)) {
          manual.push({ edit, reason: partOfValue(path, variableFor(itemKey || key), uri, envFile) });
          continue;
        }
        const name = allocate(itemKey, place.service, uri);
        splices.push({ from: edit.start, to: edit.end, insert: `\${${name}}` });
        checks.push({ at: edit.start, value: `${raw.slice(0, eq + 1)}\${${name}}` });
        applied.push({ edit, name, uri });
        if (place.block === 'args') buildArgs.push(`${itemKey} (services.${place.service}.build.args)`);
        continue;
      }
      const mapKey = String(site.keys[site.keys.length - 1]);
      if (!coversWholeValue(site, text, edit)) {
        manual.push({ edit, reason: partOfValue(path, variableFor(mapKey), uri, envFile) });
        continue;
      }
      // An environment or args key is the variable's name too; elsewhere (a command) it is upper-snake-cased.
      const name = allocate(place.block === 'other' ? upperSnake(mapKey) || 'SECRET' : variableFor(mapKey), place.service, uri);
      const value = `\${${name}}`;
      // Quotes stay as they are; a plain value inside a flow map (`{A: b}`) gets double quotes.
      const splice = site.node.type === 'PLAIN' && site.inFlow ? replaceScalar(site, text, value, false) : { from: cs, to: ce, insert: value };
      splices.push(splice);
      checks.push({ at: splice.from, value });
      applied.push({ edit, name, uri });
      if (place.block === 'args') buildArgs.push(`${mapKey} (services.${place.service}.build.args)`);
    }
    if (!applied.length) return { text, manual, notes: [] };
    const out = spliceAndCheck(text, docs.length, splices, checks);
    if (out === undefined) return allManual(text, applied.map((a) => a.edit), REPARSE_FAILED, manual);
    const names = [...new Set(applied.map((a) => a.name))];
    const dir = dirname(context.file);
    const command = dir === '.' ? 'vaultsweep run -- docker compose up' : `vaultsweep run --env-file ${envFile} -- docker compose -f ${context.file} up`;
    const notes = [
      `${context.file}: ${names.join(', ')} now come${names.length === 1 ? 's' : ''} from ${envFile} by interpolation (store references recorded there); start it with \`${command}\`: plain \`docker compose\` would pass the reference URIs themselves`,
    ];
    if (buildArgs.length) {
      notes.push(`${context.file}: ${buildArgs.join(', ')} ${buildArgs.length === 1 ? 'is a build argument' : 'are build arguments'}: build arguments stay in the image's history; pass ${buildArgs.length === 1 ? 'it as a build secret' : 'them as build secrets'} instead (compose \`build.secrets\` and \`RUN --mount=type=secret\` in the Dockerfile)`);
    }
    const envEntries = [...new Map(applied.map((a) => [a.name, { name: a.name, uri: a.uri, envFile }])).values()];
    return { text: out, manual, notes, envEntries };
  },
};
