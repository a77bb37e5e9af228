import { compileRules } from './compile.js';
import type { RuleSpec } from './rule.js';
import { scanBuffer } from './scan-buffer.js';

export interface ExampleFailure {
  rule: string;
  kind: 'positive' | 'negative';
  example: string;
  problem: string;
}

/**
 * Runs each rule's examples through the whole detection path (prefilter, RE2, entropy, filters,
 * allow-listing) with that rule alone: positives must be found, negatives must not.
 */
export function checkRuleExamples(specs: RuleSpec[]): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const spec of specs) {
    const ruleSet = compileRules([spec]);
    for (const example of spec.examples.positive) {
      const found = scanBuffer(Buffer.from(example), ruleSet, 'example');
      if (found.length === 0) failures.push({ rule: spec.id, kind: 'positive', example, problem: 'not found' });
    }
    for (const example of spec.examples.negative) {
      const found = scanBuffer(Buffer.from(example), ruleSet, 'example');
      if (found.length > 0) {
        failures.push({ rule: spec.id, kind: 'negative', example, problem: `found "${found[0].secret.toString('utf8')}"` });
      }
    }
  }
  return failures;
}
