import { createInterface } from 'node:readline/promises';
import { basename, resolve } from 'node:path';
import { InputError } from '../detect/load-rules.js';
import { valueFromHistory } from '../migrate/apply/collect.js';
import { applyPlan, type ApplyEvent, type ApplyReport, type SecretReport } from '../migrate/apply/index.js';
import type { ConflictPolicy } from '../migrate/backends/types.js';
import { StoreError } from '../migrate/backends/types.js';
import { writeFilterRepoFile } from '../migrate/filter-repo.js';
import { openStore, type StoreFlags } from '../migrate/open-store.js';
import { loadPlan } from '../migrate/plan/file.js';
import type { Plan } from '../migrate/plan/schema.js';
import { runGit } from '../sources/git.js';

export interface ApplyArgs extends StoreFlags {
  plan: string;
  repo?: string;
  yes: boolean;
  dryRun: boolean;
  onConflict: ConflictPolicy;
  filterRepoFile?: string;
  format: 'text' | 'json';
}

async function repositoryRoot(repo: string | undefined): Promise<string> {
  const start = resolve(repo ?? '.');
  try {
    return (await runGit(start, ['rev-parse', '--show-toplevel'])).toString('utf8').trim();
  } catch {
    if (repo) return start;
    return process.cwd();
  }
}

const MARK: Record<SecretReport['status'], string> = {
  migrated: 'migrated',
  'already-migrated': 'unchanged',
  'would-migrate': 'would migrate',
  skipped: 'skipped',
  'false-positive': 'false positive',
  'conflict-skipped': 'conflict, skipped',
  stopped: 'STOPPED',
};

function secretLine(report: SecretReport): string {
  const literals = report.rewritten.length;
  const rewritten = literals ? `; ${literals} literal${literals === 1 ? '' : 's'} ${report.status === 'would-migrate' ? 'to rewrite' : 'rewritten'}` : '';
  const outcome = report.outcome && report.status !== 'stopped' ? ` (${report.outcome}${rewritten})` : '';
  const reason = report.reason ? `\n      ${report.reason}` : '';
  return `  ${MARK[report.status].padEnd(14)} ${report.rule} ${report.redacted ?? ''} → ${report.target}${outcome}${reason}`;
}

function summary(report: ApplyReport, dryRun: boolean): string {
  const out: string[] = [];
  const count = (status: SecretReport['status']) => report.secrets.filter((s) => s.status === status).length;
  out.push(
    dryRun
      ? `dry run: ${count('would-migrate')} would be migrated, ${count('already-migrated')} already in place, ${count('stopped')} would stop, ${count('skipped')} skipped. Nothing was written.`
      : `${count('migrated')} migrated, ${count('already-migrated')} already in place, ${count('stopped')} stopped, ${count('conflict-skipped') + count('skipped')} skipped${count('false-positive') ? `, ${count('false-positive')} false positive${count('false-positive') === 1 ? '' : 's'}` : ''}.`,
  );
  const manual = report.secrets.flatMap((s) => s.manual.map((m) => `  ${m.where}: ${m.what}`));
  if (manual.length) out.push('', 'To do by hand (the store already holds these secrets):', ...manual);
  if (report.notes.length) out.push('', 'Notes:', ...report.notes.map((n) => `  ${n}`));
  if (report.rotation.length) {
    out.push('', `Rotate: ${report.rotation.length} secret${report.rotation.length === 1 ? ' is' : 's are'} still in git history, readable from any clone. Revoke and reissue them:`);
    for (const entry of report.rotation) {
      const commits = entry.commits.slice(0, 5).map((c) => c.slice(0, 10)).join(', ') + (entry.commits.length > 5 ? `, … (${entry.commits.length} commits)` : '');
      const first = entry.firstSeen ? `first committed ${entry.firstSeen.date.slice(0, 10)} by ${entry.firstSeen.author}` : '';
      out.push(`  ${entry.rule} ${entry.redacted ?? ''}${entry.migrated ? '' : ' (not migrated)'}: ${[first, commits && `in ${commits}`].filter(Boolean).join('; ')}`);
    }
  }
  if (report.interrupted) out.push('', 'Interrupted: run the same apply again to go on where it stopped.');
  else if (report.exitCode === 2) out.push('', 'Some secrets were stopped: nothing was removed from their files. Fix what is said above and run apply again.');
  return `${out.join('\n')}\n`;
}

async function confirm(plan: Plan, store: string): Promise<boolean> {
  const migrate = plan.secrets.filter((s) => s.action === 'migrate');
  const files = new Set(migrate.flatMap((s) => s.locations.filter((l) => !l.commit).map((l) => l.file)));
  process.stderr.write(`vaultsweep will write ${migrate.length} secret${migrate.length === 1 ? '' : 's'} to ${store} and then rewrite ${files.size} file${files.size === 1 ? '' : 's'}.\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question('Apply? Only "yes" is accepted: ');
    return answer.trim() === 'yes';
  } finally {
    rl.close();
  }
}

/** Carries out a plan: store, read back, rewrite; journaled so a re-run resumes. */
export async function applyCommand(args: ApplyArgs): Promise<number> {
  const plan = loadPlan(args.plan);
  const root = await repositoryRoot(args.repo);
  if (!args.repo && basename(root) !== plan.repository) {
    throw new InputError(`the plan is for the repository "${plan.repository}", but the current folder is in "${basename(root)}": run apply inside ${plan.repository}, or pass --repo`);
  }
  const store = openStore(plan.backend, plan.repository, args);
  if (!args.dryRun && !args.yes) {
    if (!process.stdin.isTTY) throw new InputError('apply changes the store and your files: pass --yes to apply without a prompt (or --dry-run to see what it would do)');
    if (!(await confirm(plan, store.describe()))) {
      process.stderr.write('nothing applied\n');
      return 0;
    }
  }
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write('\nstopping after the current secret (Ctrl-C again to quit at once; the journal lets a re-run resume)\n');
  };
  process.on('SIGINT', onSigint);
  const values = args.filterRepoFile ? new Map<string, string>() : undefined;
  const text = args.format === 'text';
  if (text) process.stderr.write(`${args.dryRun ? 'dry run against' : 'applying to'} ${store.describe()}\n`);
  let report: ApplyReport;
  try {
    report = await applyPlan({
      root,
      plan,
      store,
      onConflict: args.onConflict,
      dryRun: args.dryRun,
      interrupted: () => interrupted,
      valuesOut: values,
      onEvent: (event: ApplyEvent) => {
        if (text && event.type === 'secret-end') process.stderr.write(`${secretLine(event.report)}\n`);
      },
    });
  } catch (error) {
    if (error instanceof StoreError) throw new InputError(error.message);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (args.filterRepoFile && values) {
    for (const secret of plan.historyOnly) {
      const value = await valueFromHistory(root, secret);
      if (value !== undefined) values.set(secret.id, value);
    }
    const count = writeFilterRepoFile(args.filterRepoFile, values.values());
    report.notes.push(`${args.filterRepoFile}: ${count} literal${count === 1 ? '' : 's'} for \`git filter-repo --replace-text ${args.filterRepoFile}\` (it holds the secrets: mode 0600, delete it after use)`);
  }
  if (text) process.stdout.write(summary(report, args.dryRun));
  else process.stdout.write(`${JSON.stringify({ dryRun: args.dryRun, secrets: report.secrets, notes: report.notes, rotation: report.rotation, interrupted: report.interrupted }, null, 2)}\n`);
  return report.exitCode;
}
