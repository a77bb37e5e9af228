import { basename, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { InputError } from '../detect/load-rules.js';
import { buildPlan } from '../migrate/plan/build.js';
import { writePlan } from '../migrate/plan/file.js';
import type { PlanBackend, RewriteOptions } from '../migrate/plan/schema.js';
import { MANUAL } from '../migrate/rewrite/index.js';
import { runScanWithProgress } from './scan-command.js';

export interface MigrateArgs {
  path: string;
  backend: 'vault' | 'aws-secrets-manager';
  planOut?: string;
  interactive?: boolean;
  resume?: string;
  prefix?: string;
  vaultMount: string;
  vaultNamespace?: string;
  region?: string;
  kmsKeyId?: string;
  tag: string[];
  includeHistoryOnly: boolean;
  rewriteOptions: Partial<RewriteOptions>;
  history: boolean;
  config?: string;
  baseline?: string;
  threads?: number;
  quiet: boolean;
  force: boolean;
}

function parseTags(tags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags) {
    const at = tag.indexOf('=');
    if (at <= 0) throw new InputError(`--tag "${tag}" is not key=value`);
    out[tag.slice(0, at)] = tag.slice(at + 1);
  }
  return out;
}

const DEFAULT_PLAN = 'vaultsweep-plan.yaml';

/**
 * Ink decides once, when it is loaded, whether it runs in CI (`CI`, `CONTINUOUS_INTEGRATION`) and
 * then draws only the last frame. The screen is only started on a terminal, so it is loaded with
 * those variables out of sight; they are put back at once.
 */
async function importOnTerminal<T>(load: () => Promise<T>): Promise<T> {
  const saved = { CI: process.env.CI, CONTINUOUS_INTEGRATION: process.env.CONTINUOUS_INTEGRATION };
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
  try {
    return await load();
  } finally {
    for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
  }
}

function planBackend(args: MigrateArgs): PlanBackend {
  if (args.backend === 'vault' && args.tag.length) throw new InputError('--tag is for Secrets Manager: Vault KV secrets have no tags');
  return args.backend === 'vault'
    ? { type: 'vault', mount: args.vaultMount, ...(args.vaultNamespace ? { namespace: args.vaultNamespace } : {}) }
    : { type: 'aws-secrets-manager', ...(args.region ? { region: args.region } : {}), ...(args.kmsKeyId ? { kmsKeyId: args.kmsKeyId } : {}), tags: parseTags(args.tag) };
}

/** Scans, then writes a plan for review: `vaultsweep apply PLAN` carries it out. Asks nothing. */
export async function migrateCommand(args: MigrateArgs): Promise<number> {
  if (args.path === '-') throw new InputError('migrate needs a repository or folder, not stdin');
  const planFile = args.planOut ?? args.resume ?? DEFAULT_PLAN;
  const backend = planBackend(args);
  const terminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const interactive = args.interactive ?? (terminal && args.planOut === undefined);
  if (interactive || args.resume) {
    if (!terminal) throw new InputError('the interactive migrator needs a terminal: use --plan-out FILE to write a plan without one');
    const { runInteractive } = await importOnTerminal(() => import('../tui/run.js'));
    return runInteractive({ path: args.path, backend, prefix: args.prefix, rewriteOptions: args.rewriteOptions, planFile, resume: args.resume, history: args.history, config: args.config, baseline: args.baseline, threads: args.threads });
  }
  const planOut = resolve(planFile);
  if (existsSync(planOut) && !args.force) throw new InputError(`${planFile} exists: pass --force to replace it, or choose another --plan-out`);
  const result = await runScanWithProgress(
    { path: args.path, history: args.history, staged: false, includeIgnored: false, threads: args.threads, configFile: args.config, baselineFile: args.baseline, showSecrets: false },
    args.quiet,
  );
  const plan = buildPlan(result.findings, { backend, repository: basename(result.root), prefix: args.prefix, includeHistoryOnly: args.includeHistoryOnly, rewriteOptions: args.rewriteOptions });
  writePlan(planOut, plan);
  const locations = plan.secrets.flatMap((s) => s.locations);
  const manual = locations.filter((l) => l.rewrite === MANUAL).length;
  const store = args.backend === 'vault' ? `Vault (mount ${args.vaultMount})` : 'AWS Secrets Manager';
  const lines = [
    `plan: ${plan.secrets.length} secret${plan.secrets.length === 1 ? '' : 's'} to migrate into ${store}, ${locations.length} location${locations.length === 1 ? '' : 's'} (${locations.length - manual} rewritten automatically, ${manual} manual)`,
    plan.historyOnly.length ? `      ${plan.historyOnly.length} only in git history: listed for rotation (--include-history-only migrates them too)` : '',
    `wrote ${planFile}: review it, then run  vaultsweep apply ${planFile}`,
  ].filter(Boolean);
  process.stderr.write(`${lines.join('\n')}\n`);
  return 0;
}
