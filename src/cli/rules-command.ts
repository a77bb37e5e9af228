import { resolve } from 'node:path';
import { loadRuleDir, loadRuleFile, mergeRules } from '../detect/load-rules.js';
import { compileRules } from '../detect/compile.js';
import { checkRuleExamples } from '../detect/rule-examples.js';
import { IAC_RULE } from '../iac/rule.js';

/** `vaultsweep rules`: the bundled rules, one per line (or JSON). */
export function rulesListCommand(format: 'text' | 'json'): number {
  const rules = [...loadRuleDir(), IAC_RULE];
  if (format === 'json') {
    const list = rules.map(({ id, description, provider, detector, severity, keywords }) => ({ id, description, provider, detector, severity, keywords }));
    process.stdout.write(JSON.stringify(list, null, 2) + '\n');
    return 0;
  }
  const width = Math.max(...rules.map((r) => r.id.length));
  for (const r of rules) process.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.description}\n`);
  process.stdout.write(`${rules.length} rules\n`);
  return 0;
}

/** `vaultsweep rules test FILE`: compiles a custom rule file and runs its examples. */
export function rulesTestCommand(file: string): number {
  const rules = loadRuleFile(resolve(file));
  mergeRules(loadRuleDir().filter((r) => !rules.some((x) => x.id === r.id)), rules);
  compileRules(rules);
  const failures = checkRuleExamples(rules);
  for (const f of failures) process.stdout.write(`FAIL ${f.rule} ${f.kind} example ${JSON.stringify(f.example)}: ${f.problem}\n`);
  const examples = rules.reduce((n, r) => n + r.examples.positive.length + r.examples.negative.length, 0);
  process.stdout.write(`${rules.length} rule(s), ${examples} example(s): ${failures.length === 0 ? 'all pass' : `${failures.length} failed`}\n`);
  return failures.length === 0 ? 0 : 1;
}
