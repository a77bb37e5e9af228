import type { RuleSpec } from '../detect/rule.js';

/**
 * The built-in rule behind structural findings: a literal value in a place the file's format
 * marks as secret. It has no regex of its own (the IaC analyzers find these values); its keyword
 * never occurs in text, so the scanner never runs it.
 */
export const IAC_RULE: RuleSpec = {
  id: 'iac-secret-value',
  description: 'Literal secret where the file format expects a secret (password attribute, NoEcho parameter default, Kubernetes Secret data, secret-named variable)',
  provider: 'generic',
  detector: 'structure',
  keywords: ['\u0001iac-structure'],
  regex: '[^\\s\\S]',
  secretGroup: 0,
  severity: 'high',
  examples: { positive: ['password = "Tr0ub4dor&3" (in a Terraform resource; see test/iac)'], negative: [] },
};
