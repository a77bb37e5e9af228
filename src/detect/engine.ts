import { compileRules, type RuleSet } from './compile.js';
import type { RuleSpec } from './rule.js';
import { scanBuffer, type RawMatch } from './scan-buffer.js';

/** What a scanner needs to rebuild the same rule set anywhere (also inside a worker thread). */
export interface EngineSpec {
  rules: RuleSpec[];
  stopwords: string[];
}

export interface ScanItem {
  path: string;
  data: Buffer;
}

/** Scans batches of file versions; results come back in the order of the items. */
export interface BatchScanner {
  scan(items: ScanItem[]): Promise<RawMatch[][]>;
  close(): Promise<void>;
}

/** The scanning rule set: regexes compile on first use (validation compiles them eagerly elsewhere). */
export function buildRuleSet(spec: EngineSpec): RuleSet {
  return compileRules(spec.rules, spec.stopwords, { lazy: true });
}

/** Scans on the calling thread (`--threads 1`, small inputs). */
export class InlineScanner implements BatchScanner {
  constructor(private readonly ruleSet: RuleSet) {}

  async scan(items: ScanItem[]): Promise<RawMatch[][]> {
    return items.map((item) => scanBuffer(item.data, this.ruleSet, item.path));
  }

  async close(): Promise<void> {}
}
