import { randomUUID } from 'node:crypto';
import { StoreError, type ConflictPolicy, type SecretStore } from '../backends/types.js';
import { failpoint } from '../failpoint.js';
import { Journal } from '../journal.js';
import { describeTarget, type Plan, type PlanSecret } from '../plan/schema.js';
import { sha256Of } from '../values.js';
import { manualInstruction, MANUAL } from '../rewrite/index.js';
import { collectSecret, SourceFiles, valueFromHistory, type CollectedSecret } from './collect.js';
import { rewriteFile, type VerifiedSecret } from './rewrite-files.js';
import { rotationList } from './rotation.js';
import { recordEnvEntries, takenEnvNames, type EnvEntry } from './env-entries.js';
import { recordFalsePositives } from './ignore-file.js';
import type { ApplyEvent, ApplyReport, SecretReport } from './types.js';

export type { ApplyEvent, ApplyReport, SecretReport, RotationEntry } from './types.js';

export interface ApplyOptions {
  root: string;
  plan: Plan;
  store: SecretStore;
  onConflict: ConflictPolicy;
  dryRun: boolean;
  onEvent?: (event: ApplyEvent) => void;
  /** Checked between secrets: true stops the run cleanly (Ctrl-C); a re-run resumes. */
  interrupted?: () => boolean;
  /** Filled with each secret's value by id, only for a caller that must write them (--filter-repo-file). */
  valuesOut?: Map<string, string>;
  /** Dry run: filled with every file apply would change, before and after (secrets in clear: mask before showing). */
  changesOut?: { file: string; before: string; after: string }[];
}

/** The same secret going to the same place: what the journal is keyed by. */
export function journalKeyOf(secret: PlanSecret): string {
  return `${secret.secretSha256}:${describeTarget(secret.target)}`;
}

function baseReport(secret: PlanSecret): SecretReport {
  return { id: secret.id, rule: secret.rule, redacted: secret.redacted, target: describeTarget(secret.target), status: 'stopped', rewritten: [], manual: [] };
}

/**
 * Moves the plan's secrets into the store and rewrites the files, in this order for each secret:
 * read the value from every location and check its hash; write it to the store; read it back
 * and compare; only then rewrite the files that hold it. Every step is journaled, so a re-run
 * after a crash resumes, and a re-run after success writes nothing.
 */
export async function applyPlan(options: ApplyOptions): Promise<ApplyReport> {
  const { root, dryRun } = options;
  const emit = options.onEvent ?? (() => {});
  const journal = dryRun ? undefined : new Journal(root, randomUUID());
  journal?.lock();
  try {
    return await run(options, journal, emit);
  } finally {
    journal?.unlock();
  }
}

async function run(options: ApplyOptions, journal: Journal | undefined, emit: (event: ApplyEvent) => void): Promise<ApplyReport> {
  const { plan, store, root, dryRun } = options;
  const files = new SourceFiles(root);
  const reports = new Map<string, SecretReport>();
  const verified: VerifiedSecret[] = [];
  const notes: string[] = [];
  let interrupted = false;
  const falsePositives: { id: string; reason: string }[] = [];

  await store.preflight();

  for (const secret of plan.secrets) {
    const report = baseReport(secret);
    reports.set(secret.id, report);
    if (secret.action === 'skip') {
      report.status = 'skipped';
      continue;
    }
    if (secret.action === 'false-positive') {
      report.status = 'false-positive';
      falsePositives.push({ id: secret.id, reason: secret.reason ?? '' });
      continue;
    }
    if (options.interrupted?.()) {
      interrupted = true;
      report.reason = 'interrupted before this secret: run apply again to go on';
      continue;
    }
    emit({ type: 'secret-start', id: secret.id, target: report.target });
    const key = journalKeyOf(secret);
    const collected = collectSecret(secret, files, journal, key);
    await settleSecret(secret, collected, report, key);
    if (report.status === 'stopped') journal?.record({ step: 'stopped', secret: key, detail: report.reason });
    if (report.status !== 'stopped' && report.status !== 'conflict-skipped') {
      verified.push({ secret, journalKey: key, live: collected.live });
      for (const location of collected.live) {
        if (location.location.rewrite === MANUAL) report.manual.push({ where: `${location.location.file}:${location.location.line}:${location.location.column}`, what: manualInstruction(location.location, secret, plan.backend) });
      }
    }
    if (report.status === 'stopped' || report.status === 'conflict-skipped') emit({ type: 'secret-end', report });
  }

  // Rewrites, one file at a time with every verified secret in it.
  const envEntries: EnvEntry[] = [];
  const envNames = takenEnvNames(files);
  const byFile = new Map<string, VerifiedSecret[]>();
  for (const v of verified) {
    for (const file of new Set(v.live.filter((l) => l.location.rewrite !== MANUAL).map((l) => l.location.file))) byFile.set(file, [...(byFile.get(file) ?? []), v]);
  }
  for (const [file, secrets] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    const outcome = await rewriteFile(file, secrets, files, plan, journal, dryRun, envNames);
    notes.push(...outcome.notes);
    envEntries.push(...outcome.envEntries);
    for (const secret of secrets) {
      const report = reports.get(secret.secret.id)!;
      if (outcome.problem) {
        report.manual.push({ where: file, what: outcome.problem });
        continue;
      }
      report.rewritten.push(...(outcome.replaced.get(secret.secret.id) ?? []));
      report.manual.push(...(outcome.manual.get(secret.secret.id) ?? []));
    }
    const literals = [...outcome.replaced.values()].reduce((n, l) => n + l.length, 0);
    if (literals && !dryRun) emit({ type: 'file-rewritten', file, literals });
  }

  if (envEntries.length) notes.push(...recordEnvEntries(files, envEntries, dryRun, journal));

  for (const v of verified) {
    const report = reports.get(v.secret.id)!;
    if (!dryRun) journal?.record({ step: 'done', secret: v.journalKey, outcome: report.status });
    emit({ type: 'secret-end', report });
  }

  if (falsePositives.length) {
    const note = recordFalsePositives(files, falsePositives, dryRun);
    if (note) notes.push(note);
  }
  options.changesOut?.push(...files.changes());
  const secrets = plan.secrets.map((s) => reports.get(s.id)!);
  const rotation = rotationList(plan, new Set(secrets.filter((r) => ['migrated', 'already-migrated'].includes(r.status)).map((r) => r.id)));
  const needsUser = secrets.some((r) => r.status === 'stopped') || interrupted;
  return { secrets, notes: [...new Set(notes)], rotation, interrupted, exitCode: needsUser ? 2 : 0 };

  /** Store, read back: the secret's status after the store steps. */
  async function settleSecret(secret: PlanSecret, collected: CollectedSecret, report: SecretReport, key: string): Promise<void> {
    if (collected.problem) {
      report.reason = collected.problem;
      return;
    }
    let value = collected.value;
    const worktree = secret.locations.filter((l) => !l.commit);
    if (value === undefined && worktree.length === 0) value = await valueFromHistory(root, secret);
    if (value !== undefined) options.valuesOut?.set(secret.id, value);
    try {
      if (value === undefined) {
        // Every location was rewritten by an earlier run: the store must hold it already.
        const stored = await store.readKey(secret.target);
        if (stored === undefined || sha256Of(stored) !== secret.secretSha256) {
          report.reason = worktree.length
            ? `its locations were rewritten by an earlier run, but ${report.target} does not hold it: restore the files from git and run apply again`
            : `no history location still yields the secret (git cat-file failed or the blob differs)`;
          return;
        }
        options.valuesOut?.set(secret.id, stored);
        report.status = 'already-migrated';
        report.outcome = 'unchanged';
        return;
      }
      if (dryRun) {
        const current = await store.readKey(secret.target);
        report.outcome = current === value ? 'unchanged' : current === undefined ? 'would-create' : 'would-conflict';
        if (report.outcome === 'would-conflict' && options.onConflict === 'fail') {
          report.reason = `${report.target} already holds a different value: apply would stop here (--on-conflict overwrite|skip)`;
          return;
        }
        report.status = 'would-migrate';
        return;
      }
      const outcome = await store.writeKey(secret.target, value, { onConflict: options.onConflict, requestToken: key });
      report.outcome = outcome;
      journal?.record({ step: 'stored', secret: key, target: report.target, outcome });
      if (outcome === 'skipped-conflict') {
        report.status = 'conflict-skipped';
        report.reason = `${report.target} holds a different value; left as it is (--on-conflict skip), files not rewritten`;
        return;
      }
      failpoint('after-store');
      const back = await store.readKey(secret.target);
      if (back !== value) {
        report.reason = `read back from ${report.target} differs from what was written: files left as they are`;
        return;
      }
      journal?.record({ step: 'verified', secret: key, target: report.target });
      const rewritesLeft = collected.live.some((l) => l.location.rewrite !== MANUAL);
      report.status = outcome === 'unchanged' && !rewritesLeft ? 'already-migrated' : 'migrated';
    } catch (error) {
      if (!(error instanceof StoreError)) throw error;
      report.reason = error.message;
    }
  }
}
