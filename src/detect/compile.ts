import RE2 from 're2';
import type { DetectorKind, RuleSpec, Severity } from './rule.js';

type RE2KeywordSet = InstanceType<typeof RE2.Set>;
import { InputError } from './load-rules.js';

export interface CompiledRule {
  index: number;
  id: string;
  description: string;
  provider?: string;
  detector: DetectorKind;
  severity: Severity;
  secretGroup: number;
  entropy?: number;
  regex: RE2;
  allow: RE2[];
  /** Index of the named group `key` (generic rules), -1 if none. */
  keyGroup: number;
}

export interface RuleSet {
  rules: CompiledRule[];
  /** One pass over the bytes: which keywords occur (case-insensitive). */
  keywordSet: RE2KeywordSet | null;
  /** keywordSet pattern index → indices of the rules that keyword enables. */
  rulesByKeyword: number[][];
  /** Extra words (config `stopwords`): a secret containing one is not reported. */
  stopwords: string[];
}

function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

function namedGroupIndex(source: string, name: string): number {
  // Count capturing groups up to `(?P<name>` / `(?<name>`; RE2 numbers them left to right.
  let index = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      // Skip a character class; parentheses inside it are literal.
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (ch !== '(') continue;
    if (source[i + 1] !== '?') {
      index++;
      continue;
    }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i));
    if (named) {
      index++;
      if (named[1] === name) return index;
    }
  }
  return -1;
}

export function compileRule(spec: RuleSpec, index: number): CompiledRule {
  let regex: RE2;
  try {
    regex = new RE2(spec.regex, 'gd');
  } catch (err) {
    throw new InputError(`rule ${spec.id}: regex does not compile under RE2: ${(err as Error).message}`);
  }
  const groups = countGroups(spec.regex);
  if (spec.secretGroup > groups) {
    throw new InputError(`rule ${spec.id}: secretGroup ${spec.secretGroup} but the regex has ${groups} capture groups`);
  }
  const allow = (spec.allowRegexes ?? []).map((source) => {
    try {
      return new RE2(source);
    } catch (err) {
      throw new InputError(`rule ${spec.id}: allowRegexes entry does not compile: ${(err as Error).message}`);
    }
  });
  const keyGroup = namedGroupIndex(spec.regex, 'key');
  if (spec.detector !== 'regex' && keyGroup < 0) {
    throw new InputError(`rule ${spec.id}: ${spec.detector} rules need a named group (?P<key>...) for the name`);
  }
  return {
    index,
    id: spec.id,
    description: spec.description,
    provider: spec.provider,
    detector: spec.detector,
    severity: spec.severity,
    secretGroup: spec.secretGroup,
    entropy: spec.entropy,
    regex,
    allow,
    keyGroup,
  };
}

function countGroups(source: string): number {
  const probe = new RE2(`${source}|`);
  const m = probe.exec('');
  return m ? m.length - 1 : 0;
}

export function compileRules(specs: RuleSpec[], stopwords: string[] = []): RuleSet {
  const rules = specs.map((spec, i) => compileRule(spec, i));
  const keywords: string[] = [];
  const rulesByKeyword: number[][] = [];
  const keywordIndex = new Map<string, number>();
  for (const [ruleIndex, spec] of specs.entries()) {
    for (const raw of spec.keywords) {
      const keyword = raw.toLowerCase();
      let k = keywordIndex.get(keyword);
      if (k === undefined) {
        k = keywords.length;
        keywordIndex.set(keyword, k);
        keywords.push(keyword);
        rulesByKeyword.push([]);
      }
      rulesByKeyword[k].push(ruleIndex);
    }
  }
  const keywordSet = keywords.length > 0 ? new RE2.Set(keywords.map(escapeRegex), 'i') : null;
  return { rules, keywordSet, rulesByKeyword, stopwords: stopwords.map((w) => w.toLowerCase()) };
}
