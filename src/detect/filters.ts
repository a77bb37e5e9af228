/**
 * Quality filters: values that look like secrets to a regex but are placeholders, references to a
 * store, documented example keys, hashes or public material. They decide on the captured value and,
 * where a filter needs it, the line around it.
 */

/** Keys published in vendor documentation; scanning tutorials must not raise alarms. */
const DOCUMENTED_EXAMPLES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AKIAI44QH8DHBEXAMPLE',
  'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
  'ASIAIOSFODNN7EXAMPLE',
]);

/** References to a value held elsewhere: templating, variables, store lookups. */
const REFERENCE_PATTERNS: RegExp[] = [
  /\$\{[^}]*\}?/, // ${VAR}, ${{ secrets.X }}, ${var.x}
  /\{\{[\s\S]*\}\}?/, // {{ .Values.x }}, {{resolve:...}}, jinja
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $VAR
  /^%[A-Za-z_][A-Za-z0-9_]*%$/, // %VAR%
  /^(?:var|local|data|module|each|self|path|terraform)\.[A-Za-z_][\w.[\]"-]*$/, // Terraform references
  /^(?:process\.env|os\.environ|os\.getenv|env|ENV|System\.getenv|secrets|vars|inputs|Deno\.env)(?:\.|\[|\()/,
  // Secret stores and secret URIs.
  /^(?:vault|ssm|secretsmanager|aws-sm|awssm|sm|gcp-sm|gcpsm|azure-kv|keyvault|akv|azurekeyvault|op|sops|env|file|arn|ref\+[a-z0-9]+):/i,
  /^projects\/[^/]+\/secrets\//,
  // Templating of many tools (`%(X)s`, `#{X}`, `((x))`, `$(X)`) and encrypted payloads (SOPS, Ansible Vault).
  /^(?:%\([^)]+\)s|#\{[^}]+\}|\(\([^)]+\)\)|\$\([^)]+\)|ENC\[[A-Z0-9_]+,data:|\$ANSIBLE_VAULT;)/,
  /^!(?:Ref|Sub|GetAtt|ImportValue|Join|Select|FindInMap|If|vault|unsafe)\b/, // YAML tags: CloudFormation short forms, Ansible Vault
  /^<[^<>]*>$/, // <your-password>
  /^\[[^\]]*\]$/, // [password]
  /^__[A-Z0-9_]+__$/, // __PASSWORD__
  /^@[A-Za-z_][\w.]*@$/, // @password@ (maven filtering)
];

/** Words that mark a value as a placeholder when the value is made of little else. */
const PLACEHOLDER_WORDS =
  /^(?:change[-_ ]?me|change[-_ ]?it|changeit|placeholder|example|sample|dummy|fake|test|testing|secret|password|passwd|pass|pwd|token|apikey|api[-_]?key|your[-_ ]?\w*|my[-_ ]?\w*|redacted|removed|hidden|masked|none|null|nil|undefined|true|false|yes|no|default|todo|tbd|fixme|insert[-_ ]?\w*|enter[-_ ]?\w*|replace[-_ ]?\w*|put[-_ ]?\w*|set[-_ ]?\w*|xxx+|\*+|\.\.\.+)$/i;

const HEX = /^[0-9a-fA-F]+$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** True when a captured value is no secret whatever rule found it. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (DOCUMENTED_EXAMPLES.has(v)) return true;
  if (/EXAMPLE/.test(v) && /^(?:AKIA|ASIA|[A-Za-z0-9/+]{30,})/.test(v)) return true;
  if (PLACEHOLDER_WORDS.test(v)) return true;
  // Masks and fillers: xxxx, ****, ....., 00000000, abcabcabc.
  if (/^(.)\1{5,}$/.test(v) || /(?:x{6,}|X{6,}|\*{4,}|#{4,}|_{6,}|0{12,})/.test(v)) return true;
  if (/(?:your|my)[-_]?(?:api|secret|access|private)?[-_]?(?:key|token|secret|password|pass)/i.test(v)) return true;
  if (/(?:^|[-_])(?:placeholder|changeme|replace[-_]?me|example|dummy|redacted)(?:$|[-_])/i.test(v)) return true;
  for (const pattern of REFERENCE_PATTERNS) if (pattern.test(v)) return true;
  return false;
}

/**
 * Values that generic (entropy and keyword) detectors must not report although they are random:
 * hashes, digests, identifiers, public material, encrypted blobs.
 */
export function isNonSecretRandomValue(value: string, line: string): boolean {
  const v = value.trim();
  if (UUID.test(v)) return true;
  // Subresource/lockfile integrity (sha512-...), Terraform provider lock hashes (h1:, zh:).
  if (/^(?:sha(?:1|256|384|512)-[A-Za-z0-9+/=]{20,}|h1:[A-Za-z0-9+/=]{40,}|zh:[0-9a-f]{64})$/.test(v)) return true;
  if (/\b(?:integrity|h1:|zh:|checksum|shasum)\b/i.test(line) && /^[A-Za-z0-9+/=:-]{20,}$/.test(v)) return true;
  // Image digests and content hashes.
  if (/^sha(?:1|256|512):[0-9a-f]{40,128}$/.test(v) || /@sha256:[0-9a-f]{64}/.test(line)) return true;
  // Commit SHAs and other hex digests named as such on the line.
  if (HEX.test(v) && (v.length === 40 || v.length === 64) && (/\b(?:commit|sha|rev|revision|ref|hash|digest|checksum|etag|version)\b/i.test(line) || /sha(?:1|256|512)\b/i.test(line))) return true;
  // Public keys and certificates (also when a generic rule caught their base64 body).
  if (/^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp\d+)\s/.test(v) || /\b(?:ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp\d+) AAAA/.test(line)) return true;
  if (/-----BEGIN (?:CERTIFICATE|PUBLIC KEY|RSA PUBLIC KEY|X509 CRL|CERTIFICATE REQUEST)-----/.test(v)) return true;
  if (/\b(?:public[_-]?key|publickey|pubkey|certificate|cert)\b/i.test(line) && !/private/i.test(line)) return true;
  // Ansible Vault payloads: long hex lines.
  if (HEX.test(v) && v.length >= 64 && v.length % 2 === 0 && /^\s*[0-9a-f]+\s*$/.test(line)) return true;
  // File paths, URLs without credentials, dotted identifiers, versions.
  if (/^(?:\.{0,2}\/|~\/|[A-Za-z]:\\)/.test(v) || /^https?:\/\/[^@\s]*$/.test(v)) return true;
  if (/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*){2,}$/.test(v)) return true;
  return false;
}

/** An Ansible Vault blob anywhere in the buffer: hex payload lines are protected, not secrets. */
export function containsAnsibleVault(text: string): boolean {
  return text.includes('$ANSIBLE_VAULT;');
}
