import { createHash } from 'node:crypto';
import type { PlanLocation } from './plan/schema.js';

/** Start of each line (UTF-16 index) in `text`: lines end at "\n", as the scanner counts them. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

/** The UTF-16 range of a location's text in `text`, or undefined when the file is shorter than the plan says. */
export function spanOf(text: string, location: Pick<PlanLocation, 'line' | 'column' | 'endLine' | 'endColumn'>, starts = lineStarts(text)): { start: number; end: number } | undefined {
  if (location.line > starts.length || location.endLine > starts.length) return undefined;
  const lineEnd = (line: number) => (line + 1 < starts.length ? starts[line + 1] - 1 : text.length);
  const start = starts[location.line - 1] + location.column - 1;
  const end = starts[location.endLine - 1] + location.endColumn - 1;
  if (start > lineEnd(location.line - 1) || end > lineEnd(location.endLine - 1) + 1 || end <= start) return undefined;
  return { start, end };
}

export function sha256Of(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The secret a location holds: its text, decoded when the format stores an encoding of it. */
export function decodeLocationText(raw: string, location: Pick<PlanLocation, 'context'>): string {
  if (location.context?.encoding === 'base64') return Buffer.from(raw.replace(/\s+/g, ''), 'base64').toString('utf8');
  return raw;
}

/**
 * The text of a quoted string with its escapes read (backslash escapes as JSON has them, HCL's
 * `$${` and `%%{`): the scanner reports the secret as the format reads it, the file holds it escaped.
 */
function unescapeQuoted(raw: string): string | undefined {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return undefined;
  try {
    return JSON.parse(`"${raw.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{').replace(/(^|[^\\])((?:\\\\)*)"/g, '$1$2\\"')}"`) as string;
  } catch {
    return undefined;
  }
}

export type LocationRead = { ok: true; value: string; start: number; end: number } | { ok: false; reason: string };

/** Reads a location's secret from a file's text and checks it is the one the plan was made for. */
export function readLocation(text: string, location: PlanLocation, secretSha256: string, starts?: number[]): LocationRead {
  const span = spanOf(text, location, starts);
  if (!span) return { ok: false, reason: `${location.file}:${location.line}:${location.column} is no longer in the file (it is shorter than the plan says)` };
  const raw = text.slice(span.start, span.end);
  let value = decodeLocationText(raw, location);
  if (sha256Of(value) !== secretSha256) value = unescapeQuoted(raw) ?? value;
  if (sha256Of(value) !== secretSha256) {
    return { ok: false, reason: `${location.file}:${location.line}:${location.column} no longer holds the planned secret (the file changed since the plan was made): run vaultsweep migrate again` };
  }
  return { ok: true, value, ...span };
}
