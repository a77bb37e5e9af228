import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, FindingLocation } from '../findings/types.js';
import { runGit } from '../sources/git.js';
import type { Snippet } from './components/DetailsScreen.js';

const CONTEXT_LINES = 2;
const MAX_SNIPPETS = 6;

/** The text of a location's file version: the working tree, or the blob at its commit. */
async function fileText(root: string, location: FindingLocation): Promise<string | undefined> {
  try {
    if (location.commit === null) return readFileSync(join(root, location.file), 'utf8');
    return (await runGit(root, ['cat-file', 'blob', `${location.commit}:${location.file}`])).toString('utf8');
  } catch {
    return undefined;
  }
}

/** Replaces the location's span in its lines with `mask` (the redacted form, or the secret when revealed). */
function masked(lines: string[], location: FindingLocation, mask: string): string[] {
  const out = [...lines];
  const first = location.line - 1;
  const last = location.endLine - 1;
  if (first >= out.length) return out;
  const head = out[first].slice(0, location.column - 1);
  const tail = (out[Math.min(last, out.length - 1)] ?? '').slice(location.endColumn - 1);
  out.splice(first, last - first + 1, `${head}${mask}${tail}`, ...Array(Math.max(0, last - first)).fill(''));
  return out;
}

/**
 * A few lines around each location (working tree first), the secret replaced by its redacted
 * form, or by the secret itself only when `reveal` gives it.
 */
export async function snippetsFor(root: string, finding: Finding, reveal?: string): Promise<Snippet[]> {
  const ordered = [...finding.locations].sort((a, b) => Number(a.commit !== null) - Number(b.commit !== null)).slice(0, MAX_SNIPPETS);
  const snippets: Snippet[] = [];
  for (const location of ordered) {
    const text = await fileText(root, location);
    const base: Omit<Snippet, 'lines'> = { file: location.file, line: location.line, commit: location.commit, author: location.author, date: location.date };
    if (text === undefined) {
      snippets.push({ ...base, lines: [] });
      continue;
    }
    const lines = masked(text.split(/\r?\n/), location, reveal ?? finding.redacted);
    const from = Math.max(0, location.line - 1 - CONTEXT_LINES);
    const to = Math.min(lines.length, location.line + CONTEXT_LINES);
    snippets.push({ ...base, lines: lines.slice(from, to).map((line, i) => ({ number: from + i + 1, text: line, hit: from + i + 1 === location.line })) });
  }
  return snippets;
}

/** The secret itself, read from a location (for the reveal key): the span's text. */
export async function secretAt(root: string, finding: Finding): Promise<string | undefined> {
  for (const location of finding.locations) {
    const text = await fileText(root, location);
    if (text === undefined) continue;
    const lines = text.split('\n');
    if (location.line !== location.endLine) {
      const head = lines[location.line - 1]?.slice(location.column - 1) ?? '';
      const middle = lines.slice(location.line, location.endLine - 1);
      const tail = lines[location.endLine - 1]?.slice(0, location.endColumn - 1) ?? '';
      return [head, ...middle, tail].join('\n');
    }
    const value = lines[location.line - 1]?.slice(location.column - 1, location.endColumn - 1);
    if (value) return value;
  }
  return undefined;
}
