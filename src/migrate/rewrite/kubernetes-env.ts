/**
 * Literal `env` values of a workload's containers (Deployment, StatefulSet, CronJob, Pod...): each
 * becomes `valueFrom.secretKeyRef` to `<workload>-secrets`, an ExternalSecret (one per workload,
 * holding all its migrated variables) appended to the file as a new document.
 */
import { isMap, isSeq, type Document, type Pair, type YAMLMap } from 'yaml';
import type { StoreTarget } from '../plan/schema.js';
import { dataEntry, newExternalSecret, SECRET_KEY } from './kubernetes-external-secret.js';
import { kindOf, metaName, metaNamespace, stringMap } from './kubernetes-manifest.js';
import type { Splice } from './splices.js';
import type { RewriteContext, RewriteEdit, RewriteResult } from './types.js';
import { emitBlock, type BlockStyle, type YValue } from './yaml-blocks.js';
import { columnOf, contentEnd, mapChild, mapChildAt, nodeStart, stringValue, yamlString, type LocatedScalar } from './yaml-edit.js';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** A container env literal to migrate: its `{name, value}` item and the pair holding the value. */
export interface EnvUse {
  edit: RewriteEdit;
  located: LocatedScalar;
  envName: string;
  item: YAMLMap;
  pair: Pair;
}

/** The env item `{name, value}` of a container that holds this literal, or undefined. */
export function envUse(located: LocatedScalar, edit: RewriteEdit): EnvUse | undefined {
  const steps = located.steps;
  const n = steps.length;
  if (n < 5) return undefined;
  const last = steps[n - 1];
  if (last.key !== 'value' || !isMap(last.parent) || !last.pair) return undefined;
  if (!isSeq(steps[n - 2].parent) || steps[n - 3].key !== 'env' || !isSeq(steps[n - 4].parent) || !CONTAINER_LISTS.has(steps[n - 5].key)) return undefined;
  const envName = stringValue(mapChild(last.parent, 'name'));
  if (!envName) return undefined;
  return { edit, located, envName, item: last.parent, pair: last.pair };
}

/** A workload document and the env literals of its containers to migrate. */
export interface Workload {
  docIndex: number;
  doc: Document.Parsed;
  uses: EnvUse[];
}

function secretKeyRefSplice(use: EnvUse, secretName: string, key: string, text: string, style: BlockStyle): Splice {
  const keyStart = nodeStart(use.pair.key, text);
  const end = contentEnd(use.pair.value, text);
  if (use.item.flow) {
    return { from: keyStart, to: end, insert: `valueFrom: {secretKeyRef: {name: ${yamlString(secretName)}, key: ${yamlString(key)}}}` };
  }
  const pad = ' '.repeat(columnOf(text, keyStart));
  const unit = ' '.repeat(style.indent);
  // A comment after the value (`value: x  # staging`) stays with the entry: after `valueFrom:`.
  const comment = /^[ \t]+#[^\r\n]*/.exec(text.slice(end));
  const lines = [`valueFrom:${comment ? comment[0] : ''}`, `${pad}${unit}secretKeyRef:`, `${pad}${unit}${unit}name: ${yamlString(secretName)}`, `${pad}${unit}${unit}key: ${yamlString(key)}`];
  return { from: keyStart, to: end + (comment ? comment[0].length : 0), insert: lines.join(style.eol) };
}

/** A name for the ExternalSecret of a workload: `<workload>-secrets`, within the 253 characters of a Secret's name. */
function workloadSecretName(workload: string): string {
  return `${workload.slice(0, 253 - '-secrets'.length)}-secrets`;
}

/** An env literal replaced by a secretKeyRef to `secretName`'s `key`. */
export interface EnvSplice {
  splice: Splice;
  use: EnvUse;
  secretName: string;
  key: string;
}

/** The ExternalSecret appended for a workload, as emitted lines. */
export interface AppendedExternalSecret {
  name: string;
  namespace?: string;
  /** `Deployment api`, for the notes. */
  workload: string;
  keys: string[];
  uses: EnvUse[];
  lines: string[];
}

/**
 * Each workload's env literals → secretKeyRef splices, and the ExternalSecret to append for it;
 * a workload that cannot get one leaves its literals manual.
 */
export function convertWorkloads(
  workloads: Iterable<Workload>,
  docs: Document.Parsed[],
  text: string,
  style: BlockStyle,
  context: RewriteContext,
): { envSplices: EnvSplice[]; appended: AppendedExternalSecret[]; manual: RewriteResult['manual'] } {
  const manual: RewriteResult['manual'] = [];
  const taken = new Set(docs.filter((d) => ['Secret', 'ExternalSecret'].includes(kindOf(d))).map((d) => `${metaNamespace(d) ?? ''}/${metaName(d) ?? ''}`));
  const envSplices: EnvSplice[] = [];
  const appended: AppendedExternalSecret[] = [];
  for (const w of [...workloads].sort((a, b) => a.docIndex - b.docIndex)) {
    const workload = metaName(w.doc);
    const namespace = metaNamespace(w.doc);
    const reject = (reason: string) => w.uses.forEach((u) => manual.push({ edit: u.edit, reason }));
    if (!workload) {
      reject(`the ${kindOf(w.doc) || 'workload'} has no metadata.name to name its ExternalSecret after: name it, then run vaultsweep migrate again`);
      continue;
    }
    const secretName = workloadSecretName(workload);
    if (taken.has(`${namespace ?? ''}/${secretName}`)) {
      reject(`this file already defines a Secret or ExternalSecret named ${secretName}: add the variables to it by hand (valueFrom.secretKeyRef to ${secretName})`);
      continue;
    }
    taken.add(`${namespace ?? ''}/${secretName}`);
    const keys = new Map<string, StoreTarget>();
    const data: YValue[] = [];
    const uses: typeof envSplices = [];
    for (const use of w.uses) {
      const base = SECRET_KEY.test(use.envName) ? use.envName : use.envName.replace(/[^-._a-zA-Z0-9]+/g, '_') || 'value';
      let key = base;
      for (let n = 2; keys.has(key) && JSON.stringify(keys.get(key)) !== JSON.stringify(use.edit.target); n++) key = `${base}_${n}`;
      if (!keys.has(key)) {
        keys.set(key, use.edit.target);
        data.push(dataEntry(key, use.edit.target));
      }
      uses.push({ splice: secretKeyRefSplice(use, secretName, key, text, style), use, secretName, key });
    }
    const externalSecret = newExternalSecret(secretName, namespace, stringMap(mapChildAt(w.doc.contents, 'metadata', 'labels')), data, context);
    envSplices.push(...uses);
    appended.push({ name: secretName, namespace, workload: `${kindOf(w.doc)} ${workload}`, keys: [...keys.keys()], uses: w.uses, lines: emitBlock(externalSecret, '', style) });
  }
  return { envSplices, appended, manual };
}
