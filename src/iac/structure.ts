import type { RuleSet } from '../detect/compile.js';
import { LineIndex } from '../detect/positions.js';
import { scanBuffer, scanBufferDetailed, type RawMatch } from '../detect/scan-buffer.js';
import { analyzeFile } from './analyze.js';
import { codeLanguage, formatFromPath } from './format.js';
import { isReferenceOrPlaceholder, isSecretName } from './names.js';
import type { BoundValue, FileAnalysis, LocationContext } from './types.js';

/** What scanning one file with its path known gives: matches with context, and remarks. */
export interface FileScan {
  matches: RawMatch[];
  notes: string[];
}

/** The innermost value whose span holds [start, end). */
function enclosing(values: BoundValue[], start: number, end: number): BoundValue | undefined {
  let best: BoundValue | undefined;
  for (const v of values) {
    if (v.start <= start && end <= v.end && (!best || v.end - v.start < best.end - best.start)) best = v;
  }
  return best;
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
  for (const m of matches) {
    m.context = enclosing(analysis.values, m.start, m.end)?.context ?? { ...plainContext(path), format: analysis.format };
  }
  const structureRule = ruleSet.rules.find((r) => r.detector === 'structure');
  let out = matches;
  const lines = new LineIndex(data);
  const at = (v: BoundValue, secret: Buffer, rule: number, key?: string): RawMatch => {
    const from = lines.position(v.start);
    const to = lines.position(v.end);
    return { rule, start: v.start, end: v.end, line: from.line, column: from.column, endLine: to.line, endColumn: to.column, secret, key, context: v.context };
  };
  const isGeneric = (m: RawMatch) => ruleSet.rules[m.rule].detector !== 'regex';
  const overlaps = (m: RawMatch, v: BoundValue) => m.start < v.end && v.start < m.end;

  for (const v of analysis.values) {
    if (v.literal === null || v.literal.length === 0) continue;
    if (v.context.encoding === 'base64') {
      // The decoded value is scanned like any text; what it holds is reported at the encoded text.
      const inner = scanBuffer(Buffer.from(v.literal, 'utf8'), ruleSet, path);
      // Every entry of a Kubernetes Secret is sensitive to its format, but a `username` is no
      // secret: an encoded value is a finding by itself only under a secret-like name.
      const sensitive = v.sensitive && isSecretName(v.context.key) && !isReferenceOrPlaceholder(v.literal);
      if (inner.length === 0 && !sensitive) continue;
      out = out.filter((m) => !(overlaps(m, v) && isGeneric(m)));
      if (inner.length > 0) for (const m of inner) out.push(at(v, m.secret, m.rule, m.key));
      else if (structureRule) out.push(at(v, Buffer.from(v.literal, 'utf8'), structureRule.index, v.context.key));
      continue;
    }
    // In source code the generic detectors judge assignments (their filters know code); the code
    // analysis only gives context. Elsewhere a secret place holds a secret, however weak.
    if (!v.sensitive || !structureRule || analysis.format === 'code' || !plausibleSecret(v.literal)) continue;
    if (out.some((m) => overlaps(m, v) && !isGeneric(m))) continue; // a provider rule already named it
    out = out.filter((m) => !(overlaps(m, v) && isGeneric(m)));
    out.push(at(v, Buffer.from(v.literal, 'utf8'), structureRule.index, v.context.key));
  }
  out.sort((a, b) => a.start - b.start || a.rule - b.rule);
  return { matches: out, notes: analysis.notes };
}

/** Scans one file version whose path is known: rules, then its structure. */
export function scanFile(data: Buffer, path: string, ruleSet: RuleSet): FileScan {
  const { matches, triggered } = scanBufferDetailed(data, ruleSet, path);
  return addStructure(data, path, ruleSet, matches, triggered);
}

/** A literal worth reporting from a secret place: not a reference or placeholder, not punctuation. */
function plausibleSecret(value: string): boolean {
  return value.trim().length >= 4 && /[A-Za-z0-9]/.test(value) && !isReferenceOrPlaceholder(value);
}
