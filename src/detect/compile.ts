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
  readonly regex: RE2;
  readonly allow: RE2[];
  /** Index of the named group `key` (generic rules), -1 if none. */
  keyGroup: number;
  /** The regex had a leading `\b` that the scanner checks (see splitLeadingBoundary). */
  boundary: boolean;
}

export interface RuleSet {
  rules: CompiledRule[];
  /** One pass over the bytes: which keywords occur (case-insensitive). */
  keywordSet: RE2KeywordSet | null;
  /** keywordSet pattern index → indices of the rules that keyword enables. */
  rulesByKeyword: number[][];
  /** keywordSet patterns from this index on are triggers: they enable no rule, they mark the file. */
  triggersFrom: number;
  /** Extra words (config `stopwords`): a secret containing one is not reported. */
  stopwords: string[];
}

function escapeRegex(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);
}

/**
 * Walks the capture groups of a regex source left to right, as RE2 numbers them; returns the
 * group count and the index of each named group.
 */
function captureGroups(source: string): { count: number; named: Map<string, number> } {
  let count = 0;
  const named = new Map<string, number>();
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      i++;
      continue;
    }
    if (ch === '[') {
      // A character class: parentheses inside it are literal. `]` right after `[` or `[^` is too.
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      for (; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      continue;
    }
    if (ch !== '(') continue;
    if (source[i + 1] !== '?') {
      count++;
      continue;
    }
    const name = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i, i + 64));
    if (name) named.set(name[1], ++count);
  }
  return { count, named };
}

/**
 * A leading `\b` before a literal word prefix (`\b(ghp_...`) stops RE2 from skipping ahead to the
 * literal with memchr, which makes the search several times slower. Such regexes run without the
 * `\b`, and the scanner checks the boundary itself (the byte before the match is no word byte).
 */
const LEADING_BOUNDARY = /^\\b(?=(?:\((?:\?:|\?P?<[A-Za-z_][A-Za-z0-9_]*>)?)*[A-Za-z0-9_]{2})/;

export function splitLeadingBoundary(source: string): { source: string; boundary: boolean } {
  // With a top-level `|`, the `\b` belongs to the first alternative only.
  return LEADING_BOUNDARY.test(source) && !hasTopLevelAlternation(source) ? { source: source.slice(2), boundary: true } : { source, boundary: false };
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (ch === '[') {
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

function compileRegex(spec: RuleSpec): RE2 {
  try {
    return new RE2(splitLeadingBoundary(spec.regex).source, 'gd');
  } catch (err) {
    throw new InputError(`rule ${spec.id}: regex does not compile under RE2: ${(err as Error).message}`);
  }
}

function compileAllow(spec: RuleSpec): RE2[] {
  return (spec.allowRegexes ?? []).map((source) => {
    try {
      return new RE2(source);
    } catch (err) {
      throw new InputError(`rule ${spec.id}: allowRegexes entry does not compile: ${(err as Error).message}`);
    }
  });
}

/**
 * Checks a rule and prepares it. With `lazy`, RE2 compiles the regex the first time a chunk holds
 * one of the rule's keywords: most rules never fire in a given repository, and each compiled
 * regex costs time and memory in every worker.
 */
export function compileRule(spec: RuleSpec, index: number, lazy = false): CompiledRule {
  const groups = captureGroups(spec.regex);
  if (spec.secretGroup > groups.count) {
    throw new InputError(`rule ${spec.id}: secretGroup ${spec.secretGroup} but the regex has ${groups.count} capture groups`);
  }
  const keyGroup = groups.named.get('key') ?? -1;
  if ((spec.detector === 'keyword' || spec.detector === 'entropy') && keyGroup < 0) {
    throw new InputError(`rule ${spec.id}: ${spec.detector} rules need a named group (?P<key>...) for the name`);
  }
  let regex: RE2 | null = lazy ? null : compileRegex(spec);
  let allow: RE2[] | null = lazy ? null : compileAllow(spec);
  return {
    index,
    id: spec.id,
    description: spec.description,
    provider: spec.provider,
    detector: spec.detector,
    severity: spec.severity,
    secretGroup: spec.secretGroup,
    entropy: spec.entropy,
    get regex() {
      return (regex ??= compileRegex(spec));
    },
    get allow() {
      return (allow ??= compileAllow(spec));
    },
    keyGroup,
    boundary: splitLeadingBoundary(spec.regex).boundary,
  };
}

/**
 * `triggers` are extra patterns for the same one-pass Set: a file where one occurs needs more
 * than the rules (its format's structure, src/iac), at no extra pass over the bytes.
 */
export function compileRules(specs: RuleSpec[], stopwords: string[] = [], options: { lazy?: boolean; triggers?: string[] } = {}): RuleSet {
  const rules = specs.map((spec, i) => compileRule(spec, i, options.lazy));
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
  const patterns = [...keywords.map(escapeRegex), ...(options.triggers ?? [])];
  const keywordSet = patterns.length > 0 ? new RE2.Set(patterns, 'i') : null;
  return { rules, keywordSet, rulesByKeyword, triggersFrom: keywords.length, stopwords: stopwords.map((w) => w.toLowerCase()) };
}
