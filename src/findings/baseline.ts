import { readFileSync } from 'node:fs';
import { InputError } from '../detect/load-rules.js';
import type { Finding } from './types.js';

/**
 * A baseline is a JSON report (what `vaultsweep baseline` writes): findings whose id is in it
 * are not reported again.
 */
export function loadBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InputError(`baseline ${file} is not JSON: ${(err as Error).message}`);
  }
  if (!Array.isArray(data)) throw new InputError(`baseline ${file} must be a JSON array of findings (as \`vaultsweep baseline\` writes)`);
  const ids = new Set<string>();
  data.forEach((entry, i) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') throw new InputError(`baseline ${file}: entry ${i} has no string "id"`);
    ids.add(id);
  });
  return ids;
}

export function withoutIds(findings: Finding[], ids: ReadonlySet<string>): Finding[] {
  return ids.size === 0 ? findings : findings.filter((f) => !ids.has(f.id));
}
