/**
 * Building ExternalSecret documents (External Secrets Operator): where ESO finds a target
 * (remoteRef), and a Kubernetes Secret turned into the ExternalSecret of the same name that
 * writes it (`creationPolicy: Owner`), its keys that are not migrated kept through
 * `spec.target.template` (`mergePolicy: Merge`).
 *
 * remoteRef.key is `<mount>/<path>` for Vault (ESO strips the store's `path` when the key starts
 * with it, and inserts `data/` for KV v2 itself; without a store path it reads the first segment
 * as the mount) and the secret's name for Secrets Manager; remoteRef.property is the key inside it.
 */
import { isMap, isScalar, type Document, type Scalar } from 'yaml';
import { isNonSecretShape, isReferenceOrPlaceholder, isSecretName } from '../../iac/names.js';
import { decodeStrictBase64 } from '../../iac/yaml/kubernetes.js';
import { isVaultTarget, type StoreTarget } from '../plan/schema.js';
import { metaName, metaNamespace, objectName, stringMap } from './kubernetes-manifest.js';
import type { Splice } from './splices.js';
import type { RewriteContext, RewriteEdit } from './types.js';
import { dedentLines, emitBlock, RawBlock, type BlockStyle, type YMap, type YValue } from './yaml-blocks.js';
import { contentEnd, lineStart, mapChild, nodeStart, scalarSpan, stringValue } from './yaml-edit.js';

export const EXTERNAL_SECRET_API_VERSION = 'external-secrets.io/v1';

const SECRET_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'type', 'data', 'stringData', 'immutable']);
/** Metadata an ExternalSecret can carry over as written (creationTimestamp: null comes from `kubectl create --dry-run -o yaml`). */
const METADATA_FIELDS = new Set(['name', 'namespace', 'labels', 'annotations', 'creationTimestamp']);
/** What a Secret's data key may be made of. */
export const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Where ESO finds a target: remoteRef `key` and `property`. */
export function remoteRef(target: StoreTarget): { key: string; property: string } {
  return isVaultTarget(target) ? { key: `${target.mount}/${target.path}`, property: target.key } : { key: target.name, property: target.key };
}

/** Why ESO could not read this target's key as a remoteRef property, or undefined. */
export function propertyProblem(target: StoreTarget): string | undefined {
  // Secrets Manager properties are gjson paths (dots are tried escaped first); Vault matches the key exactly first.
  if (!isVaultTarget(target) && /[*?|#@\\]/.test(target.key)) {
    return `the key "${target.key}" of ${target.name} holds a character ESO reads as a gjson path operator (* ? | # @ \\): give the secret a simpler key in the plan, then run vaultsweep apply again`;
  }
  return undefined;
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

export function dataEntry(secretKey: string, target: StoreTarget, decodeBase64 = false): YMap {
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

/** An ExternalSecret that fills the Secret `target` names from the store. */
function externalSecretDocument(metadata: YValue, target: YMap, data: YValue[], context: RewriteContext): YMap {
  return new Map<string, YValue>([
    ['apiVersion', EXTERNAL_SECRET_API_VERSION],
    ['kind', 'ExternalSecret'],
    ['metadata', metadata],
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
}

/** The ExternalSecret that creates Secret `name` (a workload's) with `data` entries, as a map to emit. */
export function newExternalSecret(name: string, namespace: string | undefined, labels: Map<string, string> | undefined, data: YValue[], context: RewriteContext): YMap {
  const metadata = new Map<string, YValue>([['name', name]]);
  if (namespace) metadata.set('namespace', namespace);
  if (labels?.size) metadata.set('labels', new Map<string, YValue>(labels));
  const target = new Map<string, YValue>([
    ['name', name],
    ['creationPolicy', 'Owner'],
  ]);
  return externalSecretDocument(metadata, target, data, context);
}

// ---------------------------------------------------------------------------------------------
// Secret → ExternalSecret

export interface SecretConversion {
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
export function convertSecret(doc: Document.Parsed, docIndex: number, edits: RewriteEdit[], text: string, style: BlockStyle, context: RewriteContext): SecretConversion | string {
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
  const externalSecret = externalSecretDocument(new RawBlock(dedentLines(metaText)), target, data, context);
  const lines = emitBlock(externalSecret, pad, style);
  return {
    docIndex,
    splice: { from: start, to: contentEnd(root, text), insert: lines.join(style.eol).slice(pad.length) },
    edits,
    name,
    namespace,
    entries: refs,
    targets: edits.map((e) => e.target),
  };
}
