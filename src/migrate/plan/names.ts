import type { FindingLocation } from '../../findings/types.js';

/**
 * Default store names, from where a secret lives: `<prefix>/<repo>/<resource or file>` and the
 * name the value is bound to. Every name is valid for both stores (Vault paths and Secrets
 * Manager names share `[A-Za-z0-9._/-]`), and unique per different secret.
 */

/** A path segment: letters, digits, `.`, `_`, `-`; nothing else survives. */
export function segment(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/-{2,}/g, '-')
    .slice(0, 100);
}

/** A key inside a secret: keeps the bound name's case and underscores. */
export function keyName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 128) || 'value';
}

/** `config/database.yml` → `config/database`; `.env.production` → `env.production`. */
function fileSegments(file: string): string[] {
  const parts = file.split('/');
  const last = parts.pop() ?? file;
  const stem = last.startsWith('.') ? last.slice(1) : last.replace(/\.[^.]+$/, '');
  return [...parts, stem].map(segment).filter(Boolean);
}

const RESOURCE_FORMATS = new Set(['terraform', 'cloudformation', 'kubernetes', 'compose', 'serverless']);

/**
 * The resource a value belongs to where the format has resources (a Terraform resource, a
 * CloudFormation logical id, a Kubernetes object, a compose service), else the file.
 */
export function resourceSegments(location: FindingLocation): string[] {
  const context = location.context as { format?: string; path?: string } | undefined;
  const path = context?.path;
  if (context?.format && RESOURCE_FORMATS.has(context.format) && path) {
    const parts = path.split('.');
    let resource: string[] = [];
    if (context.format === 'terraform' && (parts[0] === 'resource' || parts[0] === 'data') && parts.length >= 3) resource = [`${parts[1]}.${parts[2]}`];
    else if (context.format === 'terraform' && (parts[0] === 'variable' || parts[0] === 'module' || parts[0] === 'provider') && parts.length >= 2) resource = [`${parts[0]}.${parts[1]}`];
    else if (context.format === 'cloudformation' && (parts[0] === 'Resources' || parts[0] === 'Parameters') && parts.length >= 2) resource = [parts[1]];
    else if (context.format === 'compose' && parts[0] === 'services' && parts.length >= 2) resource = [parts[1]];
    else if (context.format === 'kubernetes' && parts.length >= 1 && parts[0].includes('/')) resource = [parts[0].replace('/', '.')];
    const named = resource.map(segment).filter(Boolean);
    if (named.length) return named;
  }
  return fileSegments(location.file);
}

/** The key a value is bound to, or the rule's name when the format binds none. */
export function defaultKey(location: FindingLocation | undefined, rule: string): string {
  const key = (location?.context as { key?: string } | undefined)?.key;
  return keyName(key && key.trim() ? key : rule.replace(/-/g, '_'));
}

/** Secrets Manager reads a name ending in `-` and six characters as its own random suffix. */
export function awsSafeName(name: string): string {
  return /-[A-Za-z0-9]{6}$/.test(name) ? name.replace(/-([A-Za-z0-9]{6})$/, '_$1') : name;
}

/** Hands out keys so that one store path never holds two different secrets under one key. */
export class TargetAllocator {
  private readonly taken = new Map<string, string>();

  /** `key`, or `key_2`, `key_3`... when another secret already has it at `path`. */
  allocate(path: string, key: string, secretSha256: string): string {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? key : `${key}_${n}`;
      const holder = this.taken.get(`${path}#${candidate}`);
      if (holder === undefined || holder === secretSha256) {
        this.taken.set(`${path}#${candidate}`, secretSha256);
        return candidate;
      }
    }
  }
}
