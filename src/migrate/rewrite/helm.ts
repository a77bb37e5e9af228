/**
 * Helm values files. A chart that can read a password from an existing Kubernetes Secret (an
 * `existingSecret` value beside the password, as in Bitnami charts: `auth.existingSecret`,
 * `auth.existingSecretPasswordKey`, `auth.secretKeys.userPasswordKey`) gets the literal emptied
 * (`""`), `existingSecret` set to a Secret name and the matching key-name value set; the notes give
 * the External Secrets Operator ExternalSecret that creates that Secret from the store. Any other
 * literal is manual, with the exact steps.
 *
 * Whether the chart supports it is read from the values file itself (the key is there, as in a
 * subchart's block) and from the chart's own templates beside the values file
 * (`.Values.<path>.existingSecret`), in which case the missing lines are added.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isMap, isScalar, type Document, type Pair, type YAMLMap } from 'yaml';
import { isHelmSecretName } from '../../iac/yaml/helm.js';
import { scalarSpan } from '../../iac/yaml/walk.js';
import { isVaultTarget, type PlanBackend, type RewriteOptions, type StoreTarget } from '../plan/schema.js';
import { EXTERNAL_SECRET_API_VERSION, remoteRef } from './kubernetes-external-secret.js';
import { applySplices, type Splice } from './splices.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';
import { isBlockScalar, mapPair, parseYaml } from './yaml-edit.js';
import { UNPARSABLE, REPARSE_FAILED, allManual, coversWholeValue, scalarSiteAt, storeReadCommand, type ScalarSite } from './yaml-scalars.js';

// ---------------------------------------------------------------------------------------------
// The chart beside the values file

interface Chart {
  name?: string;
  /** The text of its templates (`templates/**`), for `.Values.x.existingSecret` look-ups. */
  templates: string;
}

const TEMPLATE_BYTES = 4 * 1024 * 1024;

function readChart(root: string, valuesFile: string): Chart {
  const dir = join(root, dirname(valuesFile));
  let name: string | undefined;
  try {
    const m = /^name:[ \t]*["']?([^"'\s#]+)/m.exec(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
    name = m?.[1];
  } catch {
    // No Chart.yaml: a values file kept apart from its chart.
  }
  let templates = '';
  try {
    for (const entry of readdirSync(join(dir, 'templates'), { recursive: true }) as string[]) {
      if (!/\.(?:ya?ml|tpl|txt)$/.test(entry)) continue;
      const path = join(dir, 'templates', entry);
      if (!statSync(path).isFile()) continue;
      templates += `${readFileSync(path, 'utf8')}\n`;
      if (templates.length > TEMPLATE_BYTES) break;
    }
  } catch {
    // No templates folder.
  }
  return { name, templates };
}

/** True when the chart's templates read `.Values.<path>`. */
function templatesRead(chart: Chart, path: readonly string[]): boolean {
  const dotted = path.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\.');
  return new RegExp(`\\.Values\\.${dotted}(?![A-Za-z0-9_])`).test(chart.templates);
}

// ---------------------------------------------------------------------------------------------
// Names

const EXISTING_SECRET = ['existingSecret', 'existingSecretName'];

function capitalized(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}

/** Bitnami's `secretKeys` entries for well-known password fields. */
const SECRET_KEYS_ALIASES: Record<string, string[]> = {
  password: ['userPasswordKey'],
  postgresPassword: ['adminPasswordKey'],
  rootPassword: ['adminPasswordKey', 'rootPasswordKey'],
  adminPassword: ['adminPasswordKey'],
  replicationPassword: ['replicationPasswordKey'],
};

/** The value naming the key inside the existing Secret that holds `field`, as [path under the map, pair]. */
function keyHolder(map: YAMLMap, field: string, single: boolean): { path: string[]; pair: Pair } | undefined {
  for (const name of [`existingSecret${capitalized(field)}Key`, `${field}Key`, ...(single ? ['existingSecretKey'] : [])]) {
    const pair = mapPair(map, name);
    if (pair && isScalar(pair.value)) return { path: [name], pair };
  }
  const keys = mapPair(map, 'secretKeys')?.value;
  if (isMap(keys)) {
    for (const name of [`${field}Key`, ...(SECRET_KEYS_ALIASES[field] ?? [])]) {
      const pair = mapPair(keys, name);
      if (pair && isScalar(pair.value)) return { path: ['secretKeys', name], pair };
    }
  }
  return undefined;
}

/** A DNS-1123 name for the Secret: `<chart>-<path>`, e.g. `ledger-postgresql-auth` (the path alone without a Chart.yaml). */
function secretNameFor(chart: string | undefined, path: readonly string[]): string {
  const parts = chart && path[0] === chart ? path.slice(1) : path;
  const raw = [...(chart ? [chart] : []), ...(parts.length ? parts : ['secrets'])].join('-');
  const name = raw
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return name || 'app-secrets';
}

/** A scalar of a one-line flow YAML document: plain when safe, else double-quoted. */
function flowScalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) ? value : JSON.stringify(value);
}

/**
 * The ExternalSecret (External Secrets Operator) that creates Secret `name` from the store, as one
 * line of flow YAML that `kubectl apply -f -` takes.
 */
export function externalSecretManifest(name: string, data: readonly { secretKey: string; target: StoreTarget }[], options: Pick<RewriteOptions, 'secretStore' | 'secretStoreKind'>): string {
  const items = data.map(({ secretKey, target }) => {
    // As the Kubernetes rewriter writes it: Vault keys carry their mount (ESO strips the store's path).
    const ref = remoteRef(target);
    return `{secretKey: ${flowScalar(secretKey)}, remoteRef: {key: ${flowScalar(ref.key)}, property: ${flowScalar(ref.property)}}}`;
  });
  return `{apiVersion: ${EXTERNAL_SECRET_API_VERSION}, kind: ExternalSecret, metadata: {name: ${flowScalar(name)}}, spec: {refreshInterval: 1h, secretStoreRef: {kind: ${options.secretStoreKind}, name: ${flowScalar(options.secretStore)}}, target: {name: ${flowScalar(name)}, creationPolicy: Owner}, data: [${items.join(', ')}]}}`;
}

/** Where the store the ExternalSecret names must point. */
function storeHint(targets: readonly StoreTarget[], backend: PlanBackend, options: Pick<RewriteOptions, 'secretStore' | 'secretStoreKind'>): string {
  const store = `it needs the External Secrets Operator (v0.17 or later) and the ${options.secretStoreKind} "${options.secretStore}"`;
  const vault = targets.find(isVaultTarget);
  if (vault && backend.type === 'vault') {
    return `${store} for Vault (provider.vault with path: ${vault.mount}, version: v2${backend.namespace ? `, namespace: ${backend.namespace}` : ''})`;
  }
  return `${store} for AWS Secrets Manager (provider.aws with service: SecretsManager${backend.type === 'aws-secrets-manager' && backend.region ? `, region: ${backend.region}` : ''})`;
}

/** `a.b.c` for `helm --set`, dots inside keys escaped. */
function setPath(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : p.replace(/([.,=\\[\]])/g, '\\$1'))).join('.').replace(/\.\[/g, '[');
}

// ---------------------------------------------------------------------------------------------

/** Replaces a scalar's value with `value` (a plain-safe name, or empty). */
function setScalar(site: { node: ScalarSite['node'] }, text: string, value: string): Splice {
  const node = site.node;
  const range = node.range!;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    const [s, e] = scalarSpan(node, text);
    return { from: s, to: e, insert: value };
  }
  if (range[0] === range[1]) return { from: range[0], to: range[1], insert: value === '' ? ' ""' : ` ${value}` };
  return { from: range[0], to: range[1], insert: value === '' ? '""' : value };
}

function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

interface Group {
  map: YAMLMap;
  parent: string[];
  doc: number;
  items: { edit: RewriteEdit; site: ScalarSite; field: string }[];
}

export const helmRewriter: Rewriter = {
  name: 'helm-existing-secret',
  accepts(location) {
    return location.context?.format === 'helm';
  },
  rewrite(text, edits, context): RewriteResult {
    const docs = parseYaml(text);
    if (!docs) return allManual(text, edits, UNPARSABLE);
    const chart = readChart(context.root, context.file);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const manual: RewriteResult['manual'] = [];
    const groups = new Map<YAMLMap, Group>();
    const secretsFor = new Map<string, { secretKey: string; target: StoreTarget }[]>();
    /** Secrets the values already named: they may exist in the cluster, made some other way. */
    const named = new Set<string>();
    /** Secrets with a key the values do not name: the chart may read another. */
    const guessed = new Set<string>();
    const pathOf = (edit: RewriteEdit, site?: ScalarSite) => edit.location.context?.path || (site?.keys.join('.') ?? 'the value');
    const noSupport = (edit: RewriteEdit, site: ScalarSite): string => {
      const install = `helm upgrade --install <release> <chart> -f ${context.file} --set-file ${setPath(site.keys)}=<(${storeReadCommand(edit.target, context.backend)})`;
      return `the chart has no existingSecret value beside ${pathOf(edit, site)}: set it to "" here and pass the value at deploy time from the store (\`${install}\`), or give the chart an existingSecret option`;
    };
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const site = scalarSiteAt(docs, edit.start, edit.end);
      if (!site) {
        manual.push({ edit, reason: 'the literal is not a YAML value of this file: replace it by hand' });
        continue;
      }
      if (!coversWholeValue(site, text, edit)) {
        manual.push({ edit, reason: `the secret is part of a longer value in ${pathOf(edit, site)}: move it into its own value that the chart reads from a Secret, then empty it here` });
        continue;
      }
      if (isBlockScalar(site.node)) {
        manual.push({ edit, reason: `${pathOf(edit, site)} is a multi-line block value: ${noSupport(edit, site).replace(/^.*?: set it to/, 'set it to')}` });
        continue;
      }
      const keys = site.keys;
      const field = keys[keys.length - 1];
      const parentIndex = keys[keys.length - 2];
      if (site.map && typeof parentIndex === 'number' && mapPair(site.map, 'name') && field === 'value') {
        // `extraEnv: [{name: X, value: literal}]`: a container env list the chart copies through.
        const envName = String((mapPair(site.map, 'name')?.value as { value?: unknown } | undefined)?.value ?? 'VALUE');
        const list = keys.slice(0, -2).join('.');
        const secret = secretNameFor(chart.name, keys.slice(0, -2).map(String));
        const manifest = externalSecretManifest(secret, [{ secretKey: envName, target: edit.target }], context.options);
        manual.push({ edit, reason: `replace \`value:\` of ${envName} in ${list} with \`valueFrom: {secretKeyRef: {name: ${secret}, key: ${envName}}}\` (when the chart copies ${list} into the container's env) and create that Secret from the store, e.g. with this ExternalSecret: ${manifest}` });
        continue;
      }
      if (!site.map || typeof field !== 'string' || site.inFlow || keys.some((k) => typeof k !== 'string')) {
        manual.push({ edit, reason: noSupport(edit, site) });
        continue;
      }
      const group = groups.get(site.map) ?? { map: site.map, parent: keys.slice(0, -1) as string[], doc: site.doc, items: [] };
      group.items.push({ edit, site, field });
      groups.set(site.map, group);
    }

    const splices: Splice[] = [];
    const expect: { doc: number; path: string[]; value: string }[] = [];
    const applied: RewriteEdit[] = [];
    const notes: string[] = [];
    for (const group of groups.values()) {
      const { map, parent } = group;
      const existingPair = EXISTING_SECRET.map((k) => mapPair(map, k)).find((p) => p !== undefined);
      const existingKey = existingPair && isScalar(existingPair.key) ? String(existingPair.key.value) : 'existingSecret';
      const inTemplates = !existingPair && templatesRead(chart, [...parent, 'existingSecret']);
      if ((!existingPair && !inTemplates) || (existingPair && !(isScalar(existingPair.value) && (typeof existingPair.value.value === 'string' || existingPair.value.value === null)))) {
        for (const { edit, site } of group.items) manual.push({ edit, reason: noSupport(edit, site) });
        continue;
      }
      const current = existingPair && isScalar(existingPair.value) ? existingPair.value.value : null;
      const secret = typeof current === 'string' && current.trim() ? current.trim() : secretNameFor(chart.name, parent);
      if (typeof current === 'string' && current.trim()) named.add(secret);
      const inserted: string[] = [];
      if (existingPair && isScalar(existingPair.value) && isEmptyValue(current)) splices.push(setScalar({ node: existingPair.value }, text, secret));
      if (!existingPair) inserted.push(`existingSecret: ${secret}`);
      expect.push({ doc: group.doc, path: [...parent, existingKey], value: secret });
      const data: { secretKey: string; target: StoreTarget }[] = [];
      for (const { edit, site, field } of group.items) {
        const holder = keyHolder(map, field, group.items.length === 1);
        let secretKey = field;
        if (holder && isScalar(holder.pair.value)) {
          const value = holder.pair.value.value;
          if (typeof value === 'string' && value.trim()) secretKey = value.trim();
          else splices.push(setScalar({ node: holder.pair.value }, text, field));
          expect.push({ doc: group.doc, path: [...parent, ...holder.path], value: secretKey });
        } else if (!existingPair && templatesRead(chart, [...parent, `existingSecret${capitalized(field)}Key`])) {
          inserted.push(`existingSecret${capitalized(field)}Key: ${field}`);
          expect.push({ doc: group.doc, path: [...parent, `existingSecret${capitalized(field)}Key`], value: field });
        } else {
          guessed.add(secret);
        }
        splices.push(setScalar(site, text, ''));
        expect.push({ doc: group.doc, path: [...parent, field], value: '' });
        data.push({ secretKey, target: edit.target });
        applied.push(edit);
      }
      if (inserted.length) {
        // After the last literal's line, indented like its key.
        const last = group.items[group.items.length - 1].site;
        const pair = map.items.find((p) => p.value === last.node)!;
        const keyStart = (pair.key as { range?: [number, number, number] }).range![0];
        const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
        const indent = text.slice(lineStart, keyStart).replace(/-/g, ' ');
        const newline = text.indexOf('\n', last.node.range![1]);
        const at = newline === -1 ? text.length : text[newline - 1] === '\r' ? newline - 1 : newline;
        splices.push({ from: at, to: at, insert: inserted.map((line) => `${eol}${indent}${line}`).join('') });
      }
      secretsFor.set(secret, [...(secretsFor.get(secret) ?? []), ...data]);
      // Other passwords of this block: the chart now reads them from the Secret too.
      const covered = new Set(group.items.map((i) => i.field));
      const others = map.items
        .map((p) => (isScalar(p.key) ? String(p.key.value) : ''))
        .filter((k) => k && !covered.has(k) && isHelmSecretName(k) && isScalar(mapPair(map, k)?.value))
        .map((k) => {
          const holder = keyHolder(map, k, false);
          const named = holder && isScalar(holder.pair.value) && typeof holder.pair.value.value === 'string' && holder.pair.value.value ? ` (key ${holder.pair.value.value})` : '';
          return `${[...parent, k].join('.')}${named}`;
        });
      if (others.length) {
        notes.push(`${context.file}: with ${[...parent, existingKey].join('.')} set, the chart reads ${others.join(', ')} from Secret ${secret} too: add ${others.length === 1 ? 'that key' : 'those keys'} to it (see the chart's documentation of ${existingKey})`);
      }
    }
    manual.sort((a, b) => a.edit.start - b.edit.start);
    if (!applied.length) return { text, manual, notes: [] };
    const out = applySplices(text, splices);
    const after = parseYaml(out);
    const ok =
      !!after &&
      after.length === docs.length &&
      expect.every(({ doc, path, value }) => {
        const node = (after[doc] as Document.Parsed).getIn(path, true);
        return isScalar(node) && (node.value ?? '') === value;
      });
    if (!ok) return allManual(text, applied, REPARSE_FAILED, manual);
    const create = [...secretsFor].map(([secret, data]) => {
      const keys = data.map((d) => d.secretKey).join(', ');
      const what = named.has(secret) ? `the chart already reads the Kubernetes Secret ${secret}: make it hold` : `create the Kubernetes Secret ${secret} with`;
      return `${context.file}: ${what} key${data.length === 1 ? '' : 's'} ${keys} from the store in the release's namespace, e.g. with this External Secrets Operator ExternalSecret (\`kubectl apply -n <namespace> -f -\`): ${externalSecretManifest(secret, data, context.options)}; ${storeHint(data.map((d) => d.target), context.backend, context.options)}${guessed.has(secret) ? `; the values name no key for it: if the chart's documentation of existingSecret gives another key name, use that as secretKey` : ''}`;
    });
    return { text: out, manual, notes: [...create, ...notes] };
  },
};
