import type { RuleSet } from '../detect/compile.js';
import { LineIndex } from '../detect/positions.js';
import { scanBuffer, scanBufferDetailed, type RawMatch } from '../detect/scan-buffer.js';
import { analyzeFile } from './analyze.js';
import { codeLanguage, formatFromPath } from './format.js';
import { isNonSecretShape, isReferenceOrPlaceholder, isSecretName } from './names.js';
import type { BoundValue, FileAnalysis, LocationContext } from './types.js';

/** What scanning one file with its path known gives: matches with context, and remarks. */
export interface FileScan {
  matches: RawMatch[];
  notes: string[];
}

/**
 * For each match, the innermost value whose span holds it. Values of a structured file nest or
 * are disjoint, so one sweep with a stack of open values answers all matches in order.
 */
function enclosingValues(values: BoundValue[], matches: RawMatch[]): Map<RawMatch, BoundValue> {
  const sorted = [...values].sort((a, b) => a.start - b.start || b.end - a.end);
  const ordered = [...matches].sort((a, b) => a.start - b.start);
  const found = new Map<RawMatch, BoundValue>();
  const open: BoundValue[] = [];
  let next = 0;
  for (const m of ordered) {
    while (next < sorted.length && sorted[next].start <= m.start) {
      const v = sorted[next++];
      while (open.length > 0 && open[open.length - 1].end <= v.start) open.pop();
      open.push(v);
    }
    while (open.length > 0 && open[open.length - 1].end <= m.start) open.pop();
    for (let i = open.length - 1; i >= 0; i--) {
      if (open[i].end >= m.end) {
        found.set(m, open[i]);
        break;
      }
    }
  }
  return found;
}

/** The matches (sorted by start, not overlapping each other) whose bytes overlap [start, end). */
function* overlapping(sorted: RawMatch[], start: number, end: number): Generator<RawMatch> {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].end <= start) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < sorted.length && sorted[i].start < end; i++) yield sorted[i];
}

/** Context from the path alone (and the bound name a scan noted), for files not parsed. */
export function plainContext(path: string, key = ''): LocationContext {
  const format = formatFromPath(path);
  if (format === 'code') return { format: 'code', path: key, key, language: codeLanguage(path) };
  return { format: format === 'yaml' || format === 'json' ? 'text' : format, path: '', key: '' };
}

/**
 * Adds what the file's format knows to the matches of one file: the structural context of each,
 * the literal secrets in places the format marks as secret (found even at low entropy), and what
 * is hidden in encoded values (Kubernetes Secret `data`, scanned decoded and reported at the
 * encoded text). Parses only files that have a match or a secret-like word.
 */
export function addStructure(data: Buffer, path: string, ruleSet: RuleSet, matches: RawMatch[], triggered: boolean): FileScan {
  const byPath = formatFromPath(path);
  if (byPath === 'text' || (matches.length === 0 && !triggered)) {
    for (const m of matches) m.context ??= plainContext(path);
    return { matches, notes: [] };
  }
  const analysis: FileAnalysis = analyzeFile(data, path);
  const enclosing = enclosingValues(analysis.values, matches);
  for (const m of matches) m.context = enclosing.get(m)?.context ?? { ...plainContext(path), format: analysis.format };
  const structureRule = ruleSet.rules.find((r) => r.detector === 'structure');
  const lines = new LineIndex(data);
  const at = (v: BoundValue, secret: Buffer, rule: number, key?: string): RawMatch => {
    const from = lines.position(v.start);
    const to = lines.position(v.end);
    // The stored text, when it is not the secret's own bytes (encoded, escaped): what a parent
    // version is searched for to tell whether a commit brought the secret in.
    const raw = data.subarray(v.start, v.end);
    return {
      rule, start: v.start, end: v.end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column,
      secret, key, context: v.context, ...(raw.equals(secret) ? {} : { raw: Buffer.from(raw) }),
    };
  };
  const isGeneric = (m: RawMatch) => ruleSet.rules[m.rule].detector !== 'regex';
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  const dropped = new Set<RawMatch>();
  const added: RawMatch[] = [];
  const dropGenericIn = (v: BoundValue) => {
    for (const m of overlapping(sorted, v.start, v.end)) if (isGeneric(m)) dropped.add(m);
  };

  for (const v of analysis.values) {
    if (v.literal === null) {
      // A reference (`{{ lookup(...) }}`, `${var.x}`): what a generic rule saw inside is no secret.
      dropGenericIn(v);
      continue;
    }
    if (v.literal.length === 0) continue;
    if (isReferenceOrPlaceholder(v.literal)) {
      dropGenericIn(v);
      continue;
    }
    if (v.context.encoding === 'base64') {
      // The decoded value is scanned like any text; what it holds is reported at the encoded text.
      const inner = scanBuffer(Buffer.from(v.literal, 'utf8'), ruleSet, path);
      // Every entry of a Kubernetes Secret is sensitive to its format, but a `username` is no
      // secret: an encoded value is a finding by itself only under a secret-like name.
      const sensitive = v.sensitive && isSecretName(v.context.key) && plausibleSecret(v.literal);
      if (inner.length === 0 && !sensitive) continue;
      dropGenericIn(v);
      if (inner.length > 0) for (const m of inner) added.push(at(v, m.secret, m.rule, m.key));
      else if (structureRule) added.push(at(v, Buffer.from(v.literal, 'utf8'), structureRule.index, v.context.key));
      continue;
    }
    // In source code the generic detectors judge assignments (their filters know code); the code
    // analysis only gives context. Elsewhere a secret place holds a secret, however weak.
    if (!v.sensitive || !structureRule || analysis.format === 'code' || !plausibleSecret(v.literal)) continue;
    const named = [...overlapping(sorted, v.start, v.end)];
    if (named.some((m) => !isGeneric(m))) continue; // a provider rule already named it
    for (const m of named) dropped.add(m);
    added.push(at(v, Buffer.from(v.literal, 'utf8'), structureRule.index, v.context.key));
  }
  const out = [...matches.filter((m) => !dropped.has(m)), ...added];
  out.sort((a, b) => a.start - b.start || a.rule - b.rule);
  return { matches: out, notes: analysis.notes };
}

/** Scans one file version whose path is known: rules, then its structure. */
export function scanFile(data: Buffer, path: string, ruleSet: RuleSet): FileScan {
  const { matches, triggered } = scanBufferDetailed(data, ruleSet, path);
  return addStructure(data, path, ruleSet, matches, triggered);
}

/**
 * A literal worth reporting from a secret place: not a reference, placeholder or encrypted value,
 * not punctuation, not a path, URL, date or variable name.
 */
function plausibleSecret(value: string): boolean {
  return value.trim().length >= 4 && /[A-Za-z0-9]/.test(value) && !isReferenceOrPlaceholder(value) && !isNonSecretShape(value);
}
