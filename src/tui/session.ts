import type { Finding } from '../findings/types.js';
import { applyPlan, type ApplyEvent, type ApplyReport } from '../migrate/apply/index.js';
import type { SecretStore } from '../migrate/backends/types.js';
import { buildPlan } from '../migrate/plan/build.js';
import { writePlan } from '../migrate/plan/file.js';
import { describeTarget, type Plan, type PlanBackend, type RewriteOptions } from '../migrate/plan/schema.js';
import { MANUAL } from '../migrate/rewrite/index.js';
import { rowOf, type Decision, type Row } from './model.js';

export interface SessionOptions {
  root: string;
  repository: string;
  backend: PlanBackend;
  prefix?: string;
  rewriteOptions?: Partial<RewriteOptions>;
  /** Where the plan is saved (`w`) and recorded before apply. */
  planFile: string;
}

export interface Preview {
  planInWords: string[];
  diffs: { file: string; before: string; after: string }[];
  warnings: string[];
}

/**
 * The interactive migrator's state without its screens: the findings, a decision per secret,
 * and the plan they make. Everything the screens do goes through a plan, so a plan file can do
 * the same: `w` saves it, review previews it (a dry run), and apply carries it out.
 */
export class MigrationSession {
  readonly rows: Row[];
  readonly decisions = new Map<string, Decision>();
  private defaults: Plan;

  constructor(
    readonly findings: Finding[],
    readonly options: SessionOptions,
    resumed?: Plan,
  ) {
    this.rows = findings.map(rowOf);
    this.defaults = buildPlan(findings, { backend: options.backend, repository: options.repository, prefix: options.prefix, includeHistoryOnly: true, rewriteOptions: options.rewriteOptions });
    for (const secret of this.defaults.secrets) this.decisions.set(secret.id, { target: secret.target });
    for (const secret of resumed?.secrets ?? []) {
      if (!this.decisions.has(secret.id)) continue;
      this.decisions.set(secret.id, { action: secret.action === 'false-positive' ? 'false-positive' : secret.action, target: secret.target, reason: secret.reason });
    }
  }

  get backend(): PlanBackend {
    return this.defaults.backend;
  }

  /**
   * Moves the whole plan to the other store (`b`): every target becomes that store's default;
   * decisions stay. A Vault plan uses the mount it was started with (default `secret`).
   */
  switchBackend(): void {
    const vaultMount = this.options.backend.type === 'vault' ? this.options.backend.mount : 'secret';
    const backend: PlanBackend = this.defaults.backend.type === 'vault' ? { type: 'aws-secrets-manager', tags: {} } : { type: 'vault', mount: vaultMount };
    this.defaults = buildPlan(this.findings, { backend, repository: this.options.repository, prefix: this.options.prefix, includeHistoryOnly: true, rewriteOptions: this.options.rewriteOptions });
    for (const secret of this.defaults.secrets) {
      const decision = this.decisions.get(secret.id);
      this.decisions.set(secret.id, { ...decision, target: secret.target });
    }
  }

  decide(ids: Iterable<string>, change: Partial<Decision>): void {
    for (const id of ids) {
      const current = this.decisions.get(id);
      if (current) this.decisions.set(id, { ...current, ...change });
    }
  }

  count(action: Decision['action']): number {
    return [...this.decisions.values()].filter((d) => d.action === action).length;
  }

  /** The plan the decisions make: undecided secrets are skipped (and still listed for rotation). */
  plan(): Plan {
    return {
      ...this.defaults,
      createdAt: new Date().toISOString(),
      secrets: this.defaults.secrets.map((secret) => {
        const decision = this.decisions.get(secret.id)!;
        const action = decision.action === 'migrate' ? 'migrate' : decision.action === 'false-positive' ? 'false-positive' : 'skip';
        return { ...secret, action, target: decision.target, ...(decision.reason !== undefined ? { reason: decision.reason } : {}) };
      }),
    };
  }

  savePlan(): string {
    writePlan(this.options.planFile, this.plan());
    return this.options.planFile;
  }

  /** What apply would do, in words and as file diffs with every secret masked. */
  async preview(store: SecretStore): Promise<Preview> {
    const plan = this.plan();
    const values = new Map<string, string>();
    const changes: Preview['diffs'] = [];
    const report = await applyPlan({ root: this.options.root, plan, store, onConflict: 'fail', dryRun: true, valuesOut: values, changesOut: changes });
    const mask = (text: string) => {
      let out = text;
      for (const [id, value] of values) {
        const redacted = this.rows.find((r) => r.id === id)?.redacted ?? '****';
        if (value.length >= 4) out = out.split(value).join(redacted);
      }
      return out;
    };
    const migrate = plan.secrets.filter((s) => s.action === 'migrate');
    const words: string[] = [];
    words.push(migrate.length ? `Migrate ${migrate.length} secret${migrate.length === 1 ? '' : 's'} into ${store.describe()}:` : 'Migrate nothing.');
    for (const secret of migrate) {
      const automatic = secret.locations.filter((l) => !l.commit && l.rewrite !== MANUAL).length;
      const manual = secret.locations.filter((l) => !l.commit && l.rewrite === MANUAL).length;
      words.push(`  ${secret.rule} ${secret.redacted ?? ''} → ${describeTarget(secret.target)} (${automatic} rewritten${manual ? `, ${manual} by hand` : ''})`);
    }
    const falsePositives = plan.secrets.filter((s) => s.action === 'false-positive');
    if (falsePositives.length) words.push(`Mark ${falsePositives.length} as false positive${falsePositives.length === 1 ? '' : 's'} in .vaultsweepignore.`);
    const skipped = plan.secrets.filter((s) => s.action === 'skip').length;
    if (skipped) words.push(`Leave ${skipped} as ${skipped === 1 ? 'it is' : 'they are'} (still listed for rotation).`);
    words.push(`Save the plan to ${this.options.planFile}.`);
    const warnings = report.secrets.filter((s) => s.status === 'stopped').map((s) => `${s.rule} ${s.redacted ?? ''}: ${s.reason ?? 'would stop'}`);
    return { planInWords: words, diffs: changes.map((c) => ({ file: c.file, before: mask(c.before), after: mask(c.after) })), warnings };
  }

  /** Saves the plan, then applies it. */
  async apply(store: SecretStore, onEvent: (event: ApplyEvent) => void): Promise<ApplyReport> {
    const plan = this.plan();
    writePlan(this.options.planFile, plan);
    return applyPlan({ root: this.options.root, plan, store, onConflict: 'fail', dryRun: false, onEvent });
  }
}
