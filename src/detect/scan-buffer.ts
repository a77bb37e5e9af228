import type { CompiledRule, RuleSet } from './compile.js';
import { shannonEntropy } from './entropy.js';
import { acceptEntropyCandidate, acceptKeywordCandidate, isCodePath } from './generic.js';
import { isPlaceholder } from './filters.js';
import { isAllowedInline } from './allow-inline.js';
import { LineIndex } from './positions.js';
import type { LocationContext } from '../iac/types.js';

/** A secret found in one buffer: byte offsets and 1-based positions of the secret itself. */
export interface RawMatch {
  rule: number;
  start: number;
  end: number;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  secret: Buffer;
  /** The name a generic secret is bound to. */
  key?: string;
  /** A generic match whose value was not quoted: only a literal where the file is not code. */
  unquoted?: boolean;
  /** Where the match sits in its file's structure (src/iac), once the file's format is known. */
  context?: LocationContext;
  /** The stored bytes when they differ from the secret's (a base64 or escaped value). */
  raw?: Buffer;
}

/** Lower rank wins when two matches cover the same bytes: provider formats beat generic guesses. */
export function rank(rule: CompiledRule): number {
  // A provider's format beats the file's structure, which beats a password-like name, which beats
  // randomness.
  const detector = { regex: 0, structure: 2, keyword: 4, entropy: 6 }[rule.detector];
  return detector + (rule.id.startsWith('generic') ? 1 : 0);
}

/** Rules whose keywords occur in the buffer, and whether a trigger does (the prefilter: one pass over the bytes). */
export function candidateRules(data: Buffer, ruleSet: RuleSet): { rules: CompiledRule[]; triggered: boolean } {
  if (!ruleSet.keywordSet) return { rules: [], triggered: false };
  const hits = ruleSet.keywordSet.match(data);
  if (hits.length === 0) return { rules: [], triggered: false };
  const selected = new Set<number>();
  let triggered = false;
  for (const k of hits) {
    if (k >= ruleSet.triggersFrom) triggered = true;
    else for (const r of ruleSet.rulesByKeyword[k]) selected.add(r);
  }
  return { rules: [...selected].sort((a, b) => a - b).map((i) => ruleSet.rules[i]), triggered };
}

/**
 * Finds the secrets in one file version. `path` only informs the generic detectors (a literal in
 * code must be quoted); pass '' when the path is not known yet (a blob) and judge `unquoted`
 * matches with `acceptsPath` once it is. Nothing here reads files.
 */
export function scanBuffer(data: Buffer, ruleSet: RuleSet, path: string): RawMatch[] {
  return scanBufferDetailed(data, ruleSet, path).matches;
}

/** scanBuffer, and whether one of the rule set's triggers occurs in the buffer. */
export function scanBufferDetailed(data: Buffer, ruleSet: RuleSet, path: string): { matches: RawMatch[]; triggered: boolean } {
  const { rules, triggered } = candidateRules(data, ruleSet);
  if (rules.length === 0) return { matches: [], triggered };
  const lines = new LineIndex(data);
  const lineText = (line: number) => lines.lineText(line);
  const found: RawMatch[] = [];

  for (const rule of rules) {
    const regex = rule.regex;
    regex.lastIndex = 0;
    let m: ReturnType<typeof regex.exec>;
    while ((m = regex.exec(data)) !== null) {
      if ((m[0] as unknown as Buffer).length === 0) regex.lastIndex++;
      if (rule.boundary && !atWordBoundary(data, m.index)) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      const span = m.indices?.[rule.secretGroup];
      if (!span || span[1] <= span[0]) continue;
      const start = span[0];
      // A quoted generic value runs to its closing quote (the regex stops at spaces, `,` and `;`).
      const end = rule.detector === 'regex' ? span[1] : closingQuote(data, start, span[1]);
      const secret = data.subarray(start, end);
      const value = secret.toString('utf8');
      if (rule.entropy !== undefined && rule.detector === 'regex' && shannonEntropy(secret) < rule.entropy) continue;
      if (isPlaceholder(value)) continue;
      if (rule.allow.some((a) => a.test(value))) continue;
      if (ruleSet.stopwords.length > 0) {
        const lower = value.toLowerCase();
        if (ruleSet.stopwords.some((w) => lower.includes(w))) continue;
      }
      const first = lines.lineOf(start);
      let key: string | undefined;
      if (rule.detector !== 'regex') {
        const keySpan = m.indices?.[rule.keyGroup];
        key = keySpan ? data.toString('utf8', extendNameLeft(data, keySpan[0]), keySpan[1]) : '';
        const candidate = { key, value, quote: isQuoted(data, start) ? '"' : '', path, line: lineText(first) };
        const accepted =
          rule.detector === 'entropy' ? acceptEntropyCandidate(candidate, rule.entropy ?? 3.5) : acceptKeywordCandidate(candidate);
        if (!accepted) continue;
      }
      const last = lines.lineOf(Math.max(start, end - 1));
      if (isAllowedInline(lineText, first, last)) continue;
      const from = lines.position(start);
      const to = lines.position(end);
      found.push({
        rule: rule.index,
        start,
        end,
        line: from.line,
        column: from.column,
        endLine: to.line,
        endColumn: to.column,
        secret: Buffer.from(secret),
        key,
        ...(rule.detector !== 'regex' && !isQuoted(data, start) ? { unquoted: true } : {}),
      });
    }
  }
  return { matches: dropOverlaps(found, ruleSet), triggered };
}

/** Of matches whose secret bytes overlap, keeps the most specific rule's. */
export function dropOverlaps(matches: RawMatch[], ruleSet: RuleSet): RawMatch[] {
  if (matches.length < 2) return matches;
  const ordered = [...matches].sort(
    (a, b) => rank(ruleSet.rules[a.rule]) - rank(ruleSet.rules[b.rule]) || a.rule - b.rule || a.start - b.start,
  );
  const kept: RawMatch[] = [];
  for (const m of ordered) {
    const overlaps = kept.some((k) => m.start < k.end && k.start < m.end);
    if (!overlaps) kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start || a.rule - b.rule);
}

function isQuoted(data: Buffer, start: number): boolean {
  const before = start > 0 ? data[start - 1] : 0;
  return before === 0x22 || before === 0x27 || before === 0x60;
}

/** Whether a match still stands once the file's path is known (an unquoted generic value in code is an expression). */
export function acceptsPath(match: RawMatch, path: string): boolean {
  return !match.unquoted || !isCodePath(path);
}

/** RE2's ASCII `\b` at `at`: a word byte on exactly one side. */
function atWordBoundary(data: Buffer, at: number): boolean {
  const before = at > 0 && isWordByte(data[at - 1]);
  const after = at < data.length && isWordByte(data[at]);
  return before !== after;
}

function isWordByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f;
}

/** Where an identifier that ends at `from` starts (at most 40 bytes back): `DB_` before `PASSWORD`. */
function extendNameLeft(data: Buffer, from: number): number {
  let at = from;
  while (at > 0 && from - at < 40) {
    const b = data[at - 1];
    if (!(isWordByte(b) || b === 0x2e || b === 0x2d)) break;
    at--;
  }
  return at;
}

/** For a value opened by a quote, where the quote closes on the same line (within 512 bytes); else `end`. */
function closingQuote(data: Buffer, start: number, end: number): number {
  const quote = start > 0 ? data[start - 1] : 0;
  if (quote !== 0x22 && quote !== 0x27 && quote !== 0x60) return end;
  const limit = Math.min(data.length, start + 512);
  for (let i = end; i < limit; i++) {
    const b = data[i];
    if (b === quote) return i;
    if (b === 0x0a || b === 0x0d) return end;
  }
  return end;
}
