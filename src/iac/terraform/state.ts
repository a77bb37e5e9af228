/**
 * Terraform state (`terraform.tfstate` and backups): every value is in clear. Secret are the
 * attributes named like secrets (or secret by their resource type), the paths an instance lists
 * in `sensitive_attributes`, and the values of sensitive outputs.
 */
import { isSecretName } from '../names.js';
import { walkJson, type JsonWalkOptions } from './json.js';
import { entry, isTrue, items, properties, rawOf, stringOf, type JsonNode } from './json-tree.js';
import type { Collector } from './shared.js';

/** `sensitive_attributes`: `[[{"type":"get_attr","value":"password"}], ...]` → `password`. */
function sensitivePathsOf(text: string, node: JsonNode | undefined): Set<string> {
  const paths = new Set<string>();
  if (node?.type !== 'array') return paths;
  const step = (s: JsonNode): string | null => {
    if (s.type === 'string') return s.value as string;
    if (s.type === 'number' || s.type === 'boolean' || s.type === 'null') return rawOf(text, s);
    if (s.type === 'object') {
      const v = entry(s, 'value');
      if (!v) return null;
      if (v.type === 'object') return step(entry(v, 'value') ?? v);
      return step(v);
    }
    return null;
  };
  for (const p of items(node)) {
    const steps = p.type === 'array' ? items(p) : [p];
    const segments = steps.map(step);
    if (segments.length > 0 && segments.every((s): s is string => s !== null)) paths.add(segments.join('.'));
  }
  return paths;
}

/** Attributes secret by their resource type although not by their name. */
const SECRET_ATTRIBUTES: Record<string, string[]> = {
  random_password: ['result'],
};

export function walkState(c: Collector, root: JsonNode): void {
  const generic: JsonWalkOptions = { template: false, indexObjectLists: true };
  if (root.type !== 'object') {
    walkJson(c, root, { path: '', key: '', secret: false, inherit: false }, generic, 0);
    return;
  }
  for (const [k, v] of properties(root)) {
    if (k === 'resources' && v.type === 'array') {
      items(v).forEach((r, index) => walkStateResource(c, r, index));
    } else if (k === 'outputs' && v.type === 'object') {
      for (const [name, out] of properties(v)) {
        const sensitive = isTrue(entry(out, 'sensitive')) || isSecretName(name);
        if (out.type !== 'object') continue;
        // `type` is the output's type description, `sensitive` a flag: only the value is data.
        const value = entry(out, 'value');
        if (value) walkJson(c, value, { path: `outputs.${name}.value`, key: name, secret: sensitive, inherit: sensitive }, generic, 2);
      }
    } else {
      walkJson(c, v, { path: k, key: k, secret: isSecretName(k), inherit: false }, generic, 1);
    }
  }
}

function walkStateResource(c: Collector, r: JsonNode, index: number): void {
  const generic: JsonWalkOptions = { template: false, indexObjectLists: true };
  const type = stringOf(entry(r, 'type'));
  const name = stringOf(entry(r, 'name'));
  if (r.type !== 'object' || !type || !name) {
    walkJson(c, r, { path: `resources.${index}`, key: 'resources', secret: false, inherit: false }, generic, 1);
    return;
  }
  const module = stringOf(entry(r, 'module'));
  const mode = stringOf(entry(r, 'mode'));
  const address = [module, mode === 'data' ? 'data' : undefined, type, name].filter((s) => s).join('.');
  const base = `resources.${address}`;
  const typeSecrets = SECRET_ATTRIBUTES[type] ?? [];
  for (const [k, v] of properties(r)) {
    if (k !== 'instances' || v.type !== 'array') {
      walkJson(c, v, { path: `${base}.${k}`, key: k, secret: false, inherit: false }, generic, 2);
      continue;
    }
    items(v).forEach((inst, i) => {
      const path = `${base}.instances.${i}`;
      if (inst.type !== 'object') return;
      const sensitivePaths = sensitivePathsOf(c.src.text, entry(inst, 'sensitive_attributes'));
      for (const [ik, iv] of properties(inst)) {
        if (ik === 'sensitive_attributes') continue; // paths, not values
        if (ik === 'attributes' && iv.type === 'object') {
          for (const [ak, av] of properties(iv)) {
            const secret = isSecretName(ak) || typeSecrets.includes(ak);
            walkJson(
              c,
              av,
              { path: `${path}.attributes.${ak}`, key: ak, secret, inherit: false },
              { ...generic, sensitivePaths, rel: ak },
              4,
            );
          }
        } else {
          const secret = ik === 'attributes_flat' ? false : isSecretName(ik);
          walkJson(c, iv, { path: `${path}.${ik}`, key: ik, secret, inherit: false }, generic, 4);
        }
      }
    });
  }
}
