import type { IacFormat } from './types.js';

const CODE_LANGUAGES: Record<string, string> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'javascript',
  ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  py: 'python', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala',
  rb: 'ruby', php: 'php', cs: 'csharp', rs: 'rust', swift: 'swift',
  sh: 'shell', bash: 'shell', zsh: 'shell', ps1: 'powershell',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', groovy: 'groovy', gradle: 'groovy',
};

/** The language of a source file, for `format: code` (undefined when it is not code). */
export function codeLanguage(path: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext ? CODE_LANGUAGES[ext] : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The format of a file from its path alone, or `yaml`/`json` when only its content can tell
 * (CloudFormation, Kubernetes, compose...). Cheap: history scans call it for every changed path.
 */
export function formatFromPath(path: string): IacFormat | 'yaml' | 'json' {
  const name = baseName(path);
  const lower = name.toLowerCase();
  const p = path.toLowerCase();
  if (/^terraform\.tfstate(?:\.backup)?$|\.tfstate(?:\.backup)?$/.test(lower)) return 'terraform-state';
  if (lower.endsWith('.tfvars') || lower.endsWith('.tfvars.json')) return 'terraform-vars';
  if (lower.endsWith('.tf') || lower.endsWith('.tf.json')) return 'terraform';
  if (/^(?:dockerfile|containerfile)(?:\..*)?$/.test(lower) || lower.endsWith('.dockerfile')) return 'dockerfile';
  if (/^\.env(?:\..*)?$/.test(lower) || lower.endsWith('.env')) return 'dotenv';
  if (lower.endsWith('.properties')) return 'properties';
  const yaml = /\.ya?ml$/.test(lower);
  if (yaml && /(?:^|\/)\.github\/workflows\//.test(p)) return 'github-actions';
  if (yaml && (lower === '.gitlab-ci.yml' || /(?:^|\/)\.gitlab\/ci\//.test(p) || lower.endsWith('.gitlab-ci.yml'))) return 'gitlab-ci';
  if (yaml && /^(?:docker-)?compose(?:[.-].*)?\.ya?ml$/.test(lower)) return 'compose';
  if (yaml && /^pulumi\..+\.ya?ml$/.test(lower)) return 'pulumi';
  if (yaml && /^serverless\.ya?ml$/.test(lower)) return 'serverless';
  if (yaml && /(?:^|\/)(?:group_vars|host_vars)\/|(?:^|\/)roles\/[^/]+\/(?:defaults|vars)\//.test(p)) return 'ansible';
  if (yaml && /^values(?:[.-].*)?\.ya?ml$/.test(lower)) return 'helm';
  if (yaml) return 'yaml';
  if (lower.endsWith('.json') || lower.endsWith('.template')) return 'json';
  if (codeLanguage(path)) return 'code';
  return 'text';
}

/** The format of a file from its path and, for plain YAML or JSON, its first bytes. */
export function detectFormat(path: string, data: Buffer): IacFormat {
  const byPath = formatFromPath(path);
  if (byPath !== 'yaml' && byPath !== 'json') return byPath;
  const head = data.toString('utf8', 0, Math.min(data.length, 64 * 1024));
  if (/AWSTemplateFormatVersion|"?Resources"?\s*:[\s\S]{0,400}?"?Type"?\s*:\s*"?(?:AWS|Alexa)::/.test(head)) return 'cloudformation';
  if (byPath === 'yaml') {
    if (/^apiVersion\s*:/m.test(head) && /^kind\s*:/m.test(head)) return 'kubernetes';
    if (/^\s*-?\s*(?:hosts|tasks|roles)\s*:/m.test(head) && /^\s*-\s+(?:name|hosts)\s*:/m.test(head)) return 'ansible';
    if (/^services\s*:/m.test(head) && /^\s+(?:image|build)\s*:/m.test(head)) return 'compose';
  }
  return 'text';
}
