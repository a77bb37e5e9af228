import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { Journal } from '../journal.js';
import { describeTarget, type Plan, type PlanSecret } from '../plan/schema.js';
import { rewriterNamed, type RewriteEdit } from '../rewrite/index.js';
import { lineStarts, readLocation, sha256Of } from '../values.js';
import { relocate, type LiveLocation, type SourceFiles } from './collect.js';
import type { ManualStep } from './types.js';
import type { EnvEntry } from './env-entries.js';

/** The literals of one secret that are ready to be replaced: stored and read back equal. */
export interface VerifiedSecret {
  secret: PlanSecret;
  journalKey: string;
  live: LiveLocation[];
}

export interface FileRewrite {
  file: string;
  /** secret id → `file:line` of each literal replaced. */
  replaced: Map<string, string[]>;
  manual: Map<string, ManualStep[]>;
  notes: string[];
  /** Variables the rewritten code reads, to record in `.env` as store references. */
  envEntries: EnvEntry[];
  /** Why the whole file was left alone (it changed while apply ran). */
  problem?: string;
}

/**
 * Rewrites one file for every verified secret in it, all edits at once, then replaces the file
 * atomically and journals each secret's rewrite. Positions are re-checked against the file as it
 * is now: if it changed since the values were read, nothing is written.
 */
export async function rewriteFile(
  file: string,
  secrets: VerifiedSecret[],
  files: SourceFiles,
  plan: Pick<Plan, 'backend' | 'rewriteOptions'>,
  journal: Journal | undefined,
  dryRun: boolean,
  envNames: Map<string, string>,
): Promise<FileRewrite> {
  const result: FileRewrite = { file, replaced: new Map(), manual: new Map(), notes: [], envEntries: [] };
  const before = files.read(file);
  files.forget(file);
  const now = files.read(file);
  if ('error' in now || 'error' in before || now.sha256 !== before.sha256) {
    result.problem = `${file} changed while apply ran: left as it is; run apply again`;
    return result;
  }
  const addManual = (id: string, step: ManualStep) => result.manual.set(id, [...(result.manual.get(id) ?? []), step]);
  // Edits grouped by rewriter; each rewriter sees the text the previous one produced.
  const groups = new Map<string, { secret: VerifiedSecret; live: LiveLocation }[]>();
  for (const secret of secrets) {
    for (const live of secret.live.filter((l) => l.location.file === file)) {
      const name = live.location.rewrite;
      if (!rewriterNamed(name)) {
        addManual(secret.secret.id, { where: `${file}:${live.location.line}:${live.location.column}`, what: `replace the literal with a reference to ${describeTarget(secret.secret.target)}` });
        continue;
      }
      groups.set(name, [...(groups.get(name) ?? []), { secret, live }]);
    }
  }
  let text = now.text;
  let rewroteAny = false;
  for (const [name, items] of groups) {
    const rewriter = rewriterNamed(name)!;
    const starts = lineStarts(text);
    const edits: RewriteEdit[] = [];
    for (const { secret, live } of items) {
      const read = readLocation(text, live.location, secret.secret.secretSha256, starts);
      const span = read.ok ? read : relocate({ file, text, sha256: '', starts }, live.location, secret.secret.secretSha256);
      if (!span) {
        addManual(secret.secret.id, { where: `${file}:${live.location.line}`, what: 'the literal moved while other literals of this file were rewritten: replace it by hand' });
        continue;
      }
      edits.push({ secretId: secret.secret.id, location: live.location, target: secret.secret.target, start: span.start, end: span.end });
    }
    if (!edits.length) continue;
    await rewriter.prepare?.();
    const out = rewriter.rewrite(text, edits, { backend: plan.backend, options: plan.rewriteOptions, file, root: files.root, envNames });
    for (const m of out.manual) addManual(m.edit.secretId, { where: `${file}:${m.edit.location.line}:${m.edit.location.column}`, what: m.reason });
    const manualEdits = new Set(out.manual.map((m) => m.edit));
    for (const edit of edits.filter((e) => !manualEdits.has(e))) {
      result.replaced.set(edit.secretId, [...(result.replaced.get(edit.secretId) ?? []), `${file}:${edit.location.line}`]);
    }
    result.notes.push(...out.notes);
    result.envEntries.push(...(out.envEntries ?? []));
    if (out.text !== text) rewroteAny = true;
    text = out.text;
  }
  if (!rewroteAny) return result;
  if (dryRun) {
    files.stage(file, text);
    return result;
  }
  // Journaled before the rename: after a crash in between, either the file still holds the
  // literals (and is rewritten again) or it holds exactly this content, which the journal names.
  const written = sha256Of(text);
  for (const secret of secrets) {
    if (result.replaced.has(secret.secret.id)) journal?.record({ step: 'rewritten', secret: secret.journalKey, file, fileSha256: written });
  }
  writeFileAtomic(join(files.root, file), text);
  files.forget(file);
  return result;
}
