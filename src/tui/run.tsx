import { render } from 'ink';
import { basename, resolve } from 'node:path';
import type { PlanBackend, RewriteOptions } from '../migrate/plan/schema.js';
import { loadPlan } from '../migrate/plan/file.js';
import { openStore } from '../migrate/open-store.js';
import { scan } from '../scan/scan.js';
import { App, type Outcome } from './app.js';
import { MigrationSession } from './session.js';

export interface InteractiveOptions {
  path: string;
  backend: PlanBackend;
  prefix?: string;
  rewriteOptions: Partial<RewriteOptions>;
  planFile: string;
  /** A plan saved earlier with `w`: its decisions and targets are taken up again. */
  resume?: string;
  history: boolean;
  config?: string;
  baseline?: string;
  threads?: number;
}

/** `vaultsweep migrate` on a terminal: the interactive migrator. Resolves with the exit code. */
export async function runInteractive(options: InteractiveOptions): Promise<number> {
  const resumed = options.resume ? loadPlan(options.resume) : undefined;
  const backend = resumed?.backend ?? options.backend;
  let outcome: Outcome = { kind: 'quit' };
  let repository = resumed?.repository ?? basename(resolve(options.path));
  const instance = render(
    <App
      target={options.path}
      load={async (onProgress) => {
        const result = await scan({
          path: options.path,
          history: options.history,
          staged: false,
          includeIgnored: false,
          threads: options.threads,
          configFile: options.config,
          baselineFile: options.baseline,
          showSecrets: false,
          onProgress,
        });
        repository = resumed?.repository ?? basename(result.root);
        return new MigrationSession(
          result.findings,
          { root: result.root, repository, backend, prefix: options.prefix, rewriteOptions: resumed?.rewriteOptions ?? options.rewriteOptions, planFile: resolve(options.planFile) },
          resumed,
        );
      }}
      openStore={(current) => openStore(current, repository)}
      onDone={(o) => (outcome = o)}
    />,
    { exitOnCtrlC: true },
  );
  await instance.waitUntilExit();
  const done = outcome as Outcome;
  if (done.kind === 'quit') {
    process.stderr.write('\nnothing changed\n');
    return 0;
  }
  if (done.kind === 'saved') {
    process.stderr.write(`\nplan saved to ${done.planFile}: resume with  vaultsweep migrate --resume ${done.planFile}  or apply it with  vaultsweep apply ${done.planFile}\n`);
    return 0;
  }
  return done.report.exitCode;
}
