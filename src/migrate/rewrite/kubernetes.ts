/**
 * Kubernetes manifests: secrets move behind the External Secrets Operator (ESO).
 *
 * - A `Secret` (`data` base64, `stringData`) becomes an `ExternalSecret` of the same name in the
 *   same place of the file: ESO writes the Secret (`creationPolicy: Owner`), so workloads keep
 *   reading it unchanged. Keys that are not migrated (plain config such as `username`) are kept
 *   through `spec.target.template` (`mergePolicy: Merge`), so nothing is lost. Done only when every
 *   secret-looking key of that Secret is migrated; otherwise the Secret is left as it is (manual).
 * - A literal `env` value of a container (Deployment, StatefulSet, CronJob, Pod...) becomes
 *   `valueFrom.secretKeyRef` to `<workload>-secrets`, an ExternalSecret (one per workload, holding
 *   all its migrated variables) appended to the file as a new document.
 *
 * remoteRef.key is `<mount>/<path>` for Vault (ESO strips the store's `path` when the key starts
 * with it, and inserts `data/` for KV v2 itself; without a store path it reads the first segment
 * as the mount) and the secret's name for Secrets Manager; remoteRef.property is the key inside it.
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { isNonSecretShape, isReferenceOrPlaceholder, isSecretName } from '../../iac/names.js';
import { decodeStrictBase64 } from '../../iac/yaml/kubernetes.js';
import { isVaultTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import type { RewriteContext, RewriteEdit, RewriteResult, Rewriter } from './types.js';
import {
  applySplices,
  columnOf,
  contentEnd,
  dedentLines,
  detectBlockStyle,
  emitBlock,
  lineStart,
  locateScalar,
  mapChild,
  mapChildAt,
  nodeStart,
  parseYamlDocuments,
  RawBlock,
  scalarSpan,
  shiftedOffset,
  splicesOverlap,
  stringValue,
  yamlParses,
  yamlString,
  type BlockStyle,
  type LocatedScalar,
  type Splice,
  type YMap,
  type YValue,
} from './yaml-edit.js';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const SECRET_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'type', 'data', 'stringData', 'immutable']);
/** Metadata an ExternalSecret can carry over as written (creationTimestamp: null comes from `kubectl create --dry-run -o yaml`). */
const METADATA_FIELDS = new Set(['name', 'namespace', 'labels', 'annotations', 'creationTimestamp']);
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Where ESO finds a target: remoteRef `key` and `property`. */
export function remoteRef(target: StoreTarget): { key: string; property: string } {
  return isVaultTarget(target) ? { key: `${target.mount}/${target.path}`, property: target.key } : { key: target.name, property: target.key };
}

/** Why ESO could not read this target's key as a remoteRef property, or undefined. */
function propertyProblem(target: StoreTarget): string | undefined {
  // Secrets Manager properties are gjson paths (dots are tried escaped first); Vault matches the key exactly first.
  if (!isVaultTarget(target) && /[*?|#@\\]/.test(target.key)) {
    return `the key "${target.key}" of ${target.name} holds a character ESO reads as a gjson path operator (* ? | # @ \\): give the secret a simpler key in the plan, then run vaultsweep apply again`;
  }
  return undefined;
}

function kindOf(doc: Document.Parsed): string {
  return stringValue(mapChild(doc.contents, 'kind')) ?? '';
}

function metaName(doc: Document.Parsed): string | undefined {
  return stringValue(mapChildAt(doc.contents, 'metadata', 'name'));
}

function metaNamespace(doc: Document.Parsed): string | undefined {
  return stringValue(mapChildAt(doc.contents, 'metadata', 'namespace'));
}

function objectName(doc: Document.Parsed): string {
  const ns = metaNamespace(doc);
  return `${kindOf(doc) || 'object'} ${ns ? `${ns}/` : ''}${metaName(doc) ?? '(unnamed)'}`;
}

/** A string map (labels, annotations) as written, values as strings. */
function stringMap(node: unknown): Map<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const out = new Map<string, string>();
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const v = isScalar(pair.value) ? pair.value.value : pair.value;
    out.set(String(pair.key.value), v === null || v === undefined ? '' : String(v));
  }
  return out;
}

function plausibleSecret(value: string): boolean {
  return value.trim().length >= 4 && /[A-Za-z0-9]/.test(value) && !isReferenceOrPlaceholder(value) && !isNonSecretShape(value);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function storeRef(context: RewriteContext): YMap {
  return new Map<string, YValue>([
    ['name', context.options.secretStore],
    ['kind', context.options.secretStoreKind],
  ]);
}

function dataEntry(secretKey: string, target: StoreTarget, decodeBase64 = false): YMap {
  const ref = remoteRef(target);
  const remote = new Map<string, YValue>([
    ['key', ref.key],
    ['property', ref.property],
  ]);
  if (decodeBase64) remote.set('decodingStrategy', 'Base64');
  return new Map<string, YValue>([
    ['secretKey', secretKey],
    ['remoteRef', remote],
  ]);
}

// ---------------------------------------------------------------------------------------------
// Secret → ExternalSecret

interface SecretConversion {
  docIndex: number;
  splice: Splice;
  edits: RewriteEdit[];
  name: string;
  namespace?: string;
  /** secretKey → remoteRef, to check the result. */
  entries: { secretKey: string; key: string; property: string }[];
  targets: StoreTarget[];
}

interface Entry {
  section: 'data' | 'stringData';
  key: string;
  node: Scalar;
  edit?: RewriteEdit;
}

/** Turns one Secret document into an ExternalSecret, or says why it stays as it is. */
function convertSecret(doc: Document.Parsed, docIndex: number, edits: RewriteEdit[], text: string, style: BlockStyle, context: RewriteContext): SecretConversion | string {
  const root = doc.contents;
  const what = objectName(doc);
  if (!isMap(root) || root.flow) return `${what} is written in flow style: replace it with an ExternalSecret by hand`;
  const unknown = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '?')).filter((k) => !SECRET_FIELDS.has(k));
  if (unknown.length) return `${what} has fields an ExternalSecret cannot carry over (${unknown.join(', ')}): replace it by hand`;
  const metadata = mapChild(root, 'metadata');
  const name = metaName(doc);
  if (!isMap(metadata) || !name) return `${what} has no metadata.name: name it, then run vaultsweep migrate again`;
  const extraMeta = metadata.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '?')).filter((k) => !METADATA_FIELDS.has(k));
  if (extraMeta.length) return `${what} has metadata an ExternalSecret should not copy (${extraMeta.join(', ')}; exported cluster state?): remove it, then run vaultsweep migrate again`;
  const annotations = stringMap(mapChild(metadata, 'annotations'));
  if (annotations?.has('kubectl.kubernetes.io/last-applied-configuration')) {
    return `${what} has the annotation kubectl.kubernetes.io/last-applied-configuration, which holds a copy of its values: remove it, then run vaultsweep migrate again`;
  }
  const labels = stringMap(mapChild(metadata, 'labels'));
  const namespace = metaNamespace(doc);

  const entries: Entry[] = [];
  for (const section of ['data', 'stringData'] as const) {
    const map = mapChild(root, section);
    if (map === undefined || (isScalar(map) && (map.value === null || map.value === undefined))) continue;
    if (!isMap(map)) return `${what}: ${section} is not a map: replace the Secret by hand`;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !isScalar(pair.value)) return `${what}: ${section} holds an entry that is not a plain key and value: replace the Secret by hand`;
      if (entries.some((e) => e.key === key)) return `${what}: ${key} is in both data and stringData: keep one, then run vaultsweep migrate again`;
      entries.push({ section, key, node: pair.value });
    }
  }
  for (const edit of edits) {
    const entry = entries.find((e) => {
      const [s, e2] = scalarSpan(e.node, text);
      return s <= edit.start && edit.end <= e2;
    });
    if (!entry) return `${what}: a secret outside data and stringData (in its metadata?): remove it from there, then run vaultsweep migrate again`;
    if (entry.edit) return `${what}: ${entry.section}.${entry.key} holds two secrets: replace the Secret by hand`;
    const [s, e] = scalarSpan(entry.node, text);
    if (edit.start !== s || edit.end !== e) {
      return `${what}: the secret is part of the longer value ${entry.section}.${entry.key}: store the whole value instead (give it its own key in the plan), or build it with spec.target.template in an ExternalSecret by hand`;
    }
    if (entry.node.anchor) return `${what}: ${entry.section}.${entry.key} is anchored (&${entry.node.anchor}) and may be reused through aliases: replace the Secret by hand`;
    const problem = propertyProblem(edit.target);
    if (problem) return problem;
    entry.edit = edit;
  }

  const kept = new Map<string, YValue>();
  const data: YValue[] = [];
  const refs: SecretConversion['entries'] = [];
  for (const entry of entries) {
    const label = `${entry.section}.${entry.key}`;
    const raw = typeof entry.node.value === 'string' ? entry.node.value : String(entry.node.value ?? '');
    if (entry.edit) {
      if (!SECRET_KEY.test(entry.key)) return `${what}: ${label} is not a valid Secret key: rename it, then run vaultsweep migrate again`;
      // A `data` value the scanner could not decode to text: stored as its base64 text.
      let decode = false;
      if (entry.section === 'data' && entry.edit.location.context?.encoding !== 'base64') {
        if (decodeStrictBase64(raw) === null) {
          return `${what}: ${label} is not valid base64, so Kubernetes rejects this Secret as written: fix the value (or move it to stringData), then run vaultsweep migrate again`;
        }
        decode = true;
      }
      data.push(dataEntry(entry.key, entry.edit.target, decode));
      const ref = remoteRef(entry.edit.target);
      refs.push({ secretKey: entry.key, ...ref });
      continue;
    }
    let value = raw;
    if (entry.section === 'data') {
      const bytes = raw.trim() === '' ? Buffer.alloc(0) : decodeStrictBase64(raw);
      if (bytes === null) return `${what}: ${label} is not valid base64, so Kubernetes rejects this Secret as written: fix the value, then run vaultsweep migrate again`;
      try {
        value = utf8.decode(bytes);
      } catch {
        return `${what}: ${label} is binary data, which an ExternalSecret template cannot hold as text: migrate it too (or move it out of this Secret), then run vaultsweep migrate again`;
      }
    }
    if (isSecretName(entry.key) && plausibleSecret(value)) {
      return `${what}: ${label} looks like a secret but is not being migrated, and the whole Secret becomes one ExternalSecret: migrate it too (action: migrate in the plan) or move it out of this Secret, then run vaultsweep migrate again`;
    }
    if (value.includes('{{')) {
      return `${what}: ${label} holds "{{", which the ExternalSecret's template would evaluate instead of copying: move it out of this Secret (or into the store), then run vaultsweep migrate again`;
    }
    kept.set(entry.key, value);
  }
  for (const [k, v] of [...(labels ?? []), ...(annotations ?? [])]) {
    if (v.includes('{{') || k.includes('{{')) return `${what}: the label or annotation ${k} holds "{{", which the ExternalSecret's template would evaluate: replace the Secret by hand`;
  }

  const type = stringValue(mapChild(root, 'type'));
  const immutable = mapChild(root, 'immutable');
  const target = new Map<string, YValue>([
    ['name', name],
    ['creationPolicy', 'Owner'],
  ]);
  if (isScalar(immutable) && immutable.value === true) target.set('immutable', true);
  if (kept.size || (type && type !== 'Opaque')) {
    // With a template ESO takes the Secret's type, labels and annotations from it, not from the ExternalSecret.
    const template = new Map<string, YValue>();
    if (type && type !== 'Opaque') template.set('type', type);
    template.set('engineVersion', 'v2');
    template.set('mergePolicy', 'Merge');
    if (labels?.size || annotations?.size) {
      const meta = new Map<string, YValue>();
      if (labels?.size) meta.set('labels', new Map<string, YValue>(labels));
      if (annotations?.size) meta.set('annotations', new Map<string, YValue>(annotations));
      template.set('metadata', meta);
    }
    if (kept.size) template.set('data', kept);
    target.set('template', template);
  }

  const start = root.range![0];
  const pad = text.slice(lineStart(text, start), start);
  if (pad.trim() !== '') return `${what} starts on the line of another token: replace it by hand`;
  const metaStart = nodeStart(metadata, text);
  const metaText = metadata.flow ? text.slice(metaStart, contentEnd(metadata, text)) : text.slice(lineStart(text, metaStart), contentEnd(metadata, text));
  const externalSecret = new Map<string, YValue>([
    ['apiVersion', EXTERNAL_SECRET_API_VERSION],
    ['kind', 'ExternalSecret'],
    ['metadata', new RawBlock(dedentLines(metaText))],
    [
      'spec',
      new Map<string, YValue>([
        ['refreshInterval', '1h'],
        ['secretStoreRef', storeRef(context)],
        ['target', target],
        ['data', data],
      ]),
    ],
  ]);
  const lines = emitBlock(externalSecret, pad, style);
  return {
    docIndex,
    splice: { start, end: contentEnd(root, text), text: lines.join(style.eol).slice(pad.length) },
    edits,
    name,
    namespace,
    entries: refs,
    targets: edits.map((e) => e.target),
  };
}

// ---------------------------------------------------------------------------------------------
// Container env → secretKeyRef

interface EnvUse {
  edit: RewriteEdit;
  located: LocatedScalar;
  envName: string;
  item: YAMLMap;
  pair: Pair;
}

/** The env item `{name, value}` of a container that holds this literal, or undefined. */
function envUse(located: LocatedScalar, edit: RewriteEdit): EnvUse | undefined {
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

interface Workload {
  docIndex: number;
  doc: Document.Parsed;
  uses: EnvUse[];
}

function secretKeyRefSplice(use: EnvUse, secretName: string, key: string, text: string, style: BlockStyle): Splice {
  const keyStart = nodeStart(use.pair.key, text);
  const end = contentEnd(use.pair.value, text);
  if (use.item.flow) {
    return { start: keyStart, end, text: `valueFrom: {secretKeyRef: {name: ${yamlString(secretName)}, key: ${yamlString(key)}}}` };
  }
  const pad = ' '.repeat(columnOf(text, keyStart));
  const unit = ' '.repeat(style.indent);
  // A comment after the value (`value: x  # staging`) stays with the entry: after `valueFrom:`.
  const comment = /^[ \t]+#[^\r\n]*/.exec(text.slice(end));
  const lines = [`valueFrom:${comment ? comment[0] : ''}`, `${pad}${unit}secretKeyRef:`, `${pad}${unit}${unit}name: ${yamlString(secretName)}`, `${pad}${unit}${unit}key: ${yamlString(key)}`];
  return { start: keyStart, end: end + (comment ? comment[0].length : 0), text: lines.join(style.eol) };
}

/** A name for the ExternalSecret of a workload: `<workload>-secrets`, within the 253 characters of a Secret's name. */
function workloadSecretName(workload: string): string {
  return `${workload.slice(0, 253 - '-secrets'.length)}-secrets`;
}

// ---------------------------------------------------------------------------------------------

function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents as unknown;
  return contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined) && contents.source === '');
}

function node(root: unknown, path: string[]): unknown {
  let at: unknown = root;
  for (const key of path) {
    if (isMap(at)) at = mapChild(at, key);
    else if (isSeq(at)) at = at.items[Number(key)];
    else return undefined;
    if (at === undefined) return undefined;
  }
  return at;
}

function storeNote(file: string, context: RewriteContext, targets: StoreTarget[], namespaces: (string | undefined)[]): string {
  const { secretStore, secretStoreKind } = context.options;
  const where =
    secretStoreKind === 'SecretStore'
      ? ` in ${[...new Set(namespaces.map((n) => n ?? '<the namespace you deploy to>'))].map((n) => (n.startsWith('<') ? n : `namespace ${n}`)).join(' and ')}`
      : '';
  const backend: PlanBackend = context.backend;
  if (backend.type === 'vault') {
    const ns = backend.namespace ? `, namespace: ${backend.namespace}` : '';
    return (
      `${file}: install the External Secrets Operator (v0.17 or later, which serves ${EXTERNAL_SECRET_API_VERSION}) and create the ${secretStoreKind} "${secretStore}"${where} for Vault: ` +
      `provider.vault with server, path: ${backend.mount}, version: v2${ns} and an auth method (kubernetes, approle...) whose policy may read ${[...new Set(targets.filter(isVaultTarget).map((t) => `${t.mount}/data/${t.path}`))].join(', ')}.`
    );
  }
  const names = [...new Set(targets.filter((t) => !isVaultTarget(t)).map((t) => (t as { name: string }).name))];
  return (
    `${file}: install the External Secrets Operator (v0.17 or later, which serves ${EXTERNAL_SECRET_API_VERSION}) and create the ${secretStoreKind} "${secretStore}"${where} for AWS Secrets Manager: ` +
    `provider.aws with service: SecretsManager, region: ${backend.region ?? '<region>'} and auth (IRSA or a credentials Secret) allowed secretsmanager:GetSecretValue on ${names.join(', ')}.`
  );
}

export const kubernetesRewriter: Rewriter = {
  name: 'kubernetes-external-secret',
  accepts(location) {
    return location.context?.format === 'kubernetes';
  },
  rewrite(text, edits, context): RewriteResult {
    const manual: RewriteResult['manual'] = [];
    const docs = parseYamlDocuments(text);
    if (!docs.length || docs.some((d) => d.errors.length > 0)) {
      return { text, manual: edits.map((edit) => ({ edit, reason: 'the manifest does not parse as YAML: fix it, then run vaultsweep migrate again' })), notes: [] };
    }
    const style = detectBlockStyle(docs, text);

    const secretEdits = new Map<number, RewriteEdit[]>();
    const workloads = new Map<number, Workload>();
    for (const edit of edits) {
      const located = locateScalar(docs, text, edit.start, edit.end);
      if (!located) {
        manual.push({ edit, reason: 'the literal is not a value of the manifest (a key, or inside an alias): replace it by hand' });
        continue;
      }
      const doc = located.doc;
      const kind = kindOf(doc);
      const path = located.steps.map((s) => s.key);
      if (kind === 'Secret') {
        // Every literal of a Secret, data or not: the Secret is replaced whole or not at all.
        secretEdits.set(located.docIndex, [...(secretEdits.get(located.docIndex) ?? []), edit]);
        continue;
      }
      const ref = remoteRef(edit.target);
      const use = envUse(located, edit);
      if (use) {
        const [s, e] = scalarSpan(located.node, text);
        if (edit.start !== s || edit.end !== e) {
          manual.push({
            edit,
            reason:
              `the secret is part of the longer value of ${use.envName}: add an env entry before it (e.g. ${use.envName}_SECRET) with valueFrom.secretKeyRef to a Secret that an ExternalSecret fills from ` +
              `remoteRef key ${ref.key}, property ${ref.property}, and write $(${use.envName}_SECRET) in place of the secret`,
          });
          continue;
        }
        if (located.node.anchor) {
          manual.push({ edit, reason: `the value of ${use.envName} is anchored (&${located.node.anchor}) and may be reused through aliases: replace it and its aliases by hand` });
          continue;
        }
        const problem = propertyProblem(edit.target);
        if (problem) {
          manual.push({ edit, reason: problem });
          continue;
        }
        const w = workloads.get(located.docIndex) ?? { docIndex: located.docIndex, doc, uses: [] };
        w.uses.push(use);
        workloads.set(located.docIndex, w);
        continue;
      }
      if (kind === 'ConfigMap') {
        manual.push({
          edit,
          reason:
            `ConfigMap ${metaName(doc) ?? ''} holds a secret at ${path.join('.')}: move the key into an ExternalSecret (remoteRef key ${ref.key}, property ${ref.property}) ` +
            `and point its consumers (configMapKeyRef, envFrom, volumes) at the Secret it creates`,
        });
        continue;
      }
      manual.push({
        edit,
        reason: `no automatic rewrite for ${kind || 'this object'} at ${path.join('.')}: read the secret from a Secret that an ExternalSecret fills from remoteRef key ${ref.key}, property ${ref.property}`,
      });
    }

    // Secrets → ExternalSecrets in place.
    const conversions: SecretConversion[] = [];
    for (const [docIndex, docEdits] of [...secretEdits].sort((a, b) => a[0] - b[0])) {
      const converted = convertSecret(docs[docIndex], docIndex, docEdits, text, style, context);
      if (typeof converted === 'string') docEdits.forEach((edit) => manual.push({ edit, reason: converted }));
      else conversions.push(converted);
    }

    // Workload env literals → secretKeyRef, and one ExternalSecret per workload at the end.
    const taken = new Set(docs.filter((d) => ['Secret', 'ExternalSecret'].includes(kindOf(d))).map((d) => `${metaNamespace(d) ?? ''}/${metaName(d) ?? ''}`));
    const envSplices: { splice: Splice; use: EnvUse; secretName: string; key: string }[] = [];
    const appended: { name: string; namespace?: string; workload: string; keys: string[]; uses: EnvUse[]; lines: string[] }[] = [];
    for (const w of [...workloads.values()].sort((a, b) => a.docIndex - b.docIndex)) {
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
      const metadata = new Map<string, YValue>([['name', secretName]]);
      if (namespace) metadata.set('namespace', namespace);
      const labels = stringMap(mapChildAt(w.doc.contents, 'metadata', 'labels'));
      if (labels?.size) metadata.set('labels', new Map<string, YValue>(labels));
      const externalSecret = new Map<string, YValue>([
        ['apiVersion', EXTERNAL_SECRET_API_VERSION],
        ['kind', 'ExternalSecret'],
        ['metadata', metadata],
        [
          'spec',
          new Map<string, YValue>([
            ['refreshInterval', '1h'],
            ['secretStoreRef', storeRef(context)],
            [
              'target',
              new Map<string, YValue>([
                ['name', secretName],
                ['creationPolicy', 'Owner'],
              ]),
            ],
            ['data', data],
          ]),
        ],
      ]);
      envSplices.push(...uses);
      appended.push({ name: secretName, namespace, workload: `${kindOf(w.doc)} ${workload}`, keys: [...keys.keys()], uses: w.uses, lines: emitBlock(externalSecret, '', style) });
    }

    const splices: Splice[] = [...conversions.map((c) => c.splice), ...envSplices.map((e) => e.splice)];
    if (splicesOverlap(splices)) {
      return { text, manual: edits.map((edit) => ({ edit, reason: 'two replacements in this manifest touch the same text: replace the literals by hand' })), notes: [] };
    }
    // A file ending in `---` has an empty last document: the first new one goes there.
    const openDocument = /(?:^|\n)---[ \t]*\r?\n?[ \t\r\n]*$/.test(text) && isEmptyDocument(docs[docs.length - 1]);
    if (appended.length) {
      const eol = style.eol;
      const endsClean = text.length === 0 || text.endsWith('\n');
      const block = appended.map((a) => a.lines.join(eol) + eol).join(`---${eol}`);
      splices.push({ start: text.length, end: text.length, text: `${endsClean ? '' : eol}${openDocument ? '' : `---${eol}`}${block}` });
    }
    const out = applySplices(text, splices);
    const applied = [...conversions.flatMap((c) => c.edits), ...envSplices.map((e) => e.use.edit)];
    if (!applied.length) return { text, manual, notes: [] };

    const failed = verify(out, openDocument && appended.length ? docs.length - 1 : docs.length, conversions, envSplices, appended, splices);
    if (failed) {
      return { text, manual: [...manual, ...applied.map((edit) => ({ edit, reason: `the rewritten manifest would not read back as intended (${failed}): replace the literal by hand` }))], notes: [] };
    }

    const notes: string[] = [];
    const targets = applied.map((e) => e.target);
    notes.push(storeNote(context.file, context, targets, [...conversions.map((c) => c.namespace), ...appended.map((a) => a.namespace)]));
    if (conversions.length) {
      const names = conversions.map((c) => `${c.namespace ? `${c.namespace}/` : ''}${c.name}`).join(', ');
      notes.push(
        `${context.file}: Secret ${names} ${conversions.length > 1 ? 'are' : 'is'} now ${conversions.length > 1 ? 'ExternalSecrets' : 'an ExternalSecret'} of the same name: ESO writes the Secret (creationPolicy: Owner) ` +
          `and takes over the one already in the cluster, so workloads keep reading it unchanged.`,
      );
    }
    for (const a of appended) {
      notes.push(
        `${context.file}: ${a.workload} reads ${a.keys.join(', ')} from the Secret ${a.name}, which the ExternalSecret appended to this file creates; ` +
          `apply it with the workload (pods wait in CreateContainerConfigError until the Secret exists), and make sure no other Secret ${a.namespace ? `in namespace ${a.namespace} ` : ''}is named ${a.name}.`,
      );
    }
    return { text: out, manual, notes };
  },
};

/** Re-parses the result and checks each change reads back as written; returns what went wrong, or undefined. */
function verify(
  out: string,
  before: number,
  conversions: SecretConversion[],
  envSplices: { splice: Splice; use: EnvUse; secretName: string; key: string }[],
  appended: { name: string }[],
  splices: Splice[],
): string | undefined {
  if (!yamlParses(out)) return 'it would not parse as YAML';
  const docs = parseYamlDocuments(out);
  if (docs.length !== before + appended.length) return 'the number of documents would change';
  for (const c of conversions) {
    const doc = docs[c.docIndex];
    const root = doc?.contents;
    if (kindOf(doc) !== 'ExternalSecret' || stringValue(mapChildAt(root, 'spec', 'target', 'name')) !== c.name || metaName(doc) !== c.name) return `Secret ${c.name}`;
    const data = mapChildAt(root, 'spec', 'data');
    if (!isSeq(data) || data.items.length !== c.entries.length) return `Secret ${c.name}`;
    for (const [i, e] of c.entries.entries()) {
      const item = data.items[i];
      if (stringValue(mapChild(item, 'secretKey')) !== e.secretKey || stringValue(mapChildAt(item, 'remoteRef', 'key')) !== e.key || stringValue(mapChildAt(item, 'remoteRef', 'property')) !== e.property) {
        return `Secret ${c.name}`;
      }
    }
    if (shiftedOffset(c.splice.start, splices) !== (doc.contents as Node).range?.[0]) return `Secret ${c.name}`;
  }
  for (const e of envSplices) {
    const path = e.use.located.steps.map((s) => s.key).slice(0, -1);
    const item = node(docs[e.use.located.docIndex]?.contents, path);
    if (mapChild(item, 'value') !== undefined || stringValue(mapChildAt(item, 'valueFrom', 'secretKeyRef', 'name')) !== e.secretName || stringValue(mapChildAt(item, 'valueFrom', 'secretKeyRef', 'key')) !== e.key) {
      return `env ${e.use.envName}`;
    }
  }
  for (const [i, a] of appended.entries()) {
    const doc = docs[before + i];
    if (kindOf(doc) !== 'ExternalSecret' || metaName(doc) !== a.name) return `ExternalSecret ${a.name}`;
  }
  return undefined;
}
