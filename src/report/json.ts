import type { Finding, FindingLocation } from '../findings/types.js';
import { writeChunks } from './output.js';
import type { Reporter } from './types.js';

/** A location as the JSON contract spells it: fixed fields first, optional ones only when set. */
export type JsonLocation = FindingLocation;

/** One unique secret as `--format json` and `--format jsonl` print it (DESIGN.md contract). */
export type JsonFinding = Finding;

export function jsonLocation(location: FindingLocation): JsonLocation {
  const out: JsonLocation = {
    file: location.file,
    line: location.line,
    column: location.column,
    endLine: location.endLine,
    endColumn: location.endColumn,
    commit: location.commit ?? null,
  };
  if (location.date !== undefined) out.date = location.date;
  if (location.author !== undefined) out.author = location.author;
  if (location.context !== undefined) out.context = location.context;
  return out;
}

/**
 * Builds the contract object with its keys in contract order. The secret is copied only when the
 * user asked for secrets and the finding carries one; nothing else of the finding leaks through.
 */
export function jsonFinding(finding: Finding, showSecrets: boolean): JsonFinding {
  return {
    id: finding.id,
    rule: finding.rule,
    detector: finding.detector,
    severity: finding.severity,
    description: finding.description,
    secretSha256: finding.secretSha256,
    redacted: finding.redacted,
    ...(showSecrets && finding.secret !== undefined ? { secret: finding.secret } : {}),
    inWorktree: finding.inWorktree,
    firstSeen: finding.firstSeen
      ? { commit: finding.firstSeen.commit, date: finding.firstSeen.date, author: finding.firstSeen.author }
      : null,
    locations: finding.locations.map(jsonLocation),
  };
}

/** Indents every line after the first, so an element pretty-printed alone nests inside the array. */
function indentNested(text: string): string {
  return text.replace(/\n/g, '\n  ');
}

function* jsonArrayChunks(findings: readonly Finding[], showSecrets: boolean): Generator<string> {
  if (findings.length === 0) {
    yield '[]\n';
    return;
  }
  for (let i = 0; i < findings.length; i++) {
    const element = indentNested(JSON.stringify(jsonFinding(findings[i], showSecrets), null, 2));
    yield `${i === 0 ? '[\n' : ',\n'}  ${element}`;
  }
  yield '\n]\n';
}

/**
 * `--format json`: one pretty-printed JSON array (byte-identical to `JSON.stringify(array, null, 2)`
 * plus a newline), written one finding at a time so a large report never sits in memory twice.
 */
export const jsonReporter: Reporter = (findings, out, options) =>
  writeChunks(out, jsonArrayChunks(findings, options.showSecrets));
