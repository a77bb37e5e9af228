/**
 * Kubernetes manifests: secrets move behind the External Secrets Operator (ESO).
 *
 * - A `Secret` (`data` base64, `stringData`) becomes an `ExternalSecret` of the same name in the
 *   same place of the file: ESO writes the Secret (`creationPolicy: Owner`), so workloads keep
 *   reading it unchanged. Keys that are not migrated (plain config such as `username`) are kept
 *   through `spec.target.template` (`mergePolicy: Merge`), so nothing is lost. Done only when every
 *   secret-looking key of that Secret is migrated; otherwise the Secret is left as it is (manual).
 *   See ./kubernetes-external-secret.ts.
 * - A literal `env` value of a container (Deployment, StatefulSet, CronJob, Pod...) becomes
 *   `valueFrom.secretKeyRef` to `<workload>-secrets`, an ExternalSecret (one per workload, holding
 *   all its migrated variables) appended to the file as a new document. See ./kubernetes-env.ts.
 *
 * This module sorts the literals of a manifest between the two, applies the result and checks it
 * reads back as intended.
 */
import { isSeq, type Node } from 'yaml';
import { isVaultTarget, type PlanBackend, type StoreTarget } from '../plan/schema.js';
import { convertWorkloads, envUse, type EnvSplice, type Workload } from './kubernetes-env.js';
import { convertSecret, EXTERNAL_SECRET_API_VERSION, propertyProblem, remoteRef, type SecretConversion } from './kubernetes-external-secret.js';
import { isEmptyDocument, kindOf, metaName, nodeAt } from './kubernetes-manifest.js';
import { applySplices, shiftedOffset, splicesOverlap, type Splice } from './splices.js';
import type { RewriteContext, RewriteEdit, RewriteResult, Rewriter } from './types.js';
import { detectBlockStyle } from './yaml-blocks.js';
import { locateScalar, mapChild, mapChildAt, parseYaml, scalarSpan, stringValue } from './yaml-edit.js';

export { EXTERNAL_SECRET_API_VERSION, remoteRef };

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
    const docs = parseYaml(text);
    if (!docs?.length) {
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
    const { envSplices, appended, manual: workloadManual } = convertWorkloads(workloads.values(), docs, text, style, context);
    manual.push(...workloadManual);

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
      splices.push({ from: text.length, to: text.length, insert: `${endsClean ? '' : eol}${openDocument ? '' : `---${eol}`}${block}` });
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
  envSplices: EnvSplice[],
  appended: { name: string }[],
  splices: readonly Splice[],
): string | undefined {
  const docs = parseYaml(out);
  if (!docs) return 'it would not parse as YAML';
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
    if (shiftedOffset(c.splice.from, splices) !== (doc.contents as Node).range?.[0]) return `Secret ${c.name}`;
  }
  for (const e of envSplices) {
    const path = e.use.located.steps.map((s) => s.key).slice(0, -1);
    const item = nodeAt(docs[e.use.located.docIndex]?.contents, path);
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
