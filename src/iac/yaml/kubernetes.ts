/**
 * Kubernetes manifests (multi-document YAML). Secrets by the format's semantics: every `Secret`'s
 * `data` (base64, decoded) and `stringData`; literal `env` values with secret names in the
 * containers of any pod spec (Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob... and custom
 * workloads that embed one); `ConfigMap` data under secret names. `valueFrom` (secretKeyRef,
 * configMapKeyRef...) is a reference and binds no value at all.
 */
import { isSecretName } from '../names.js';
import type { FormatAnalyzer } from '../types.js';
import { analyzeYaml, child, str, type Binder, type DocInfo, type Site, type YamlFormatSpec } from './walk.js';

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

const kinds = new WeakMap<object, string>();

function kindOf(doc: DocInfo): string {
  const root = doc.root;
  if (!root) return '';
  let kind = kinds.get(root);
  if (kind === undefined) {
    kind = str(child(root, 'kind')) ?? '';
    kinds.set(root, kind);
  }
  return kind;
}

/** Strict base64 (the standard alphabet, padded; line breaks tolerated as the API server's decoder does). */
export function decodeStrictBase64(encoded: string): Buffer | null {
  const compact = encoded.replace(/\r?\n/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return null;
  return Buffer.from(compact, 'base64');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A container's env item `{name, value}`: `...containers.<name>.env.<ENV_NAME>`. */
function isContainerEnv(segs: readonly string[]): boolean {
  const n = segs.length;
  return n >= 4 && segs[n - 2] === 'env' && CONTAINER_LISTS.has(segs[n - 4]);
}

function bindSecretData(site: Site, out: Binder): void {
  const key = site.segments[1];
  const encoded = typeof site.node.value === 'string' ? site.node.value : undefined;
  if (encoded === undefined) {
    out.bind(site, { sensitive: true, key });
    return;
  }
  const bytes = decodeStrictBase64(encoded);
  if (bytes === null) {
    out.note(`data.${key} is not valid base64; its text scanned as the value`);
    out.bind(site, { sensitive: true, key, literal: encoded.trim() === '' ? null : encoded });
    return;
  }
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    out.note(`data.${key} decodes to binary data; its encoded text scanned as the value`);
    out.bind(site, { sensitive: true, key, literal: encoded });
    return;
  }
  out.bind(site, { sensitive: true, key, encoding: 'base64', literal: decoded === '' ? null : decoded });
}

export function visitKubernetes(site: Site, out: Binder, doc: DocInfo): void {
  const segs = site.segments;
  const kind = kindOf(doc);
  if (segs.length === 2 && site.direct) {
    if (kind === 'Secret' && segs[0] === 'data') {
      bindSecretData(site, out);
      return;
    }
    if (kind === 'Secret' && segs[0] === 'stringData') {
      out.bind(site, { sensitive: true });
      return;
    }
    if (kind === 'ConfigMap' && segs[0] === 'data') {
      out.bind(site, { sensitive: isSecretName(site.key) });
      return;
    }
  }
  // A SealedSecret's `spec.encryptedData` is ciphertext only the cluster's controller can open:
  // protected, like an Ansible Vault value.
  if (kind === 'SealedSecret' && segs.length === 3 && segs[0] === 'spec' && segs[1] === 'encryptedData') {
    out.bind(site, { sensitive: false, literal: null });
    return;
  }
  if (site.named && isContainerEnv(segs)) {
    out.bind(site, { sensitive: isSecretName(site.key) });
    return;
  }
  out.bind(site);
}

export const kubernetesSpec: YamlFormatSpec = {
  format: 'kubernetes',
  // `$(OTHER_VAR)`: Kubernetes expands another variable of the container into the value.
  isReference: (value) => /\$\([A-Za-z_][A-Za-z0-9_]*\)/.test(value),
  // `env[].valueFrom` points at a Secret or ConfigMap key: no value here.
  enter: (segments) => !(segments[segments.length - 1] === 'valueFrom' && segments[segments.length - 3] === 'env'),
  visit: visitKubernetes,
};

export const kubernetesAnalyzer: FormatAnalyzer = {
  formats: ['kubernetes'],
  analyze: (data, path) => analyzeYaml(data, path, kubernetesSpec),
};
