import yargs, { type Argv } from 'yargs';
import { InputError } from '../detect/load-rules.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.js';
import { GitError } from '../sources/git.js';
import type { ScanArgs } from './scan-command.js';
import type { StoreFlags } from '../migrate/open-store.js';
import { TOOL_VERSION } from '../version.js';

class UsageError extends Error {}

function scanFlags(y: Argv) {
  return y
    .positional('path', { type: 'string', default: '.', describe: 'repository or folder to scan; - for stdin' })
    .option('history', { type: 'boolean', default: true, describe: 'scan the whole git history (--no-history: working tree only)' })
    .option('staged', { type: 'boolean', default: false, describe: 'scan only what is staged (pre-commit hook)' })
    .option('range', { type: 'string', describe: 'scan only commits in a revision range, e.g. main..HEAD' })
    .option('since', { type: 'string', describe: 'scan only commits since DATE (git date syntax)' })
    .option('format', { alias: 'f', choices: REPORT_FORMATS, default: 'text' as ReportFormat, describe: 'report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'write the report to FILE instead of stdout' })
    .option('baseline', { type: 'string', describe: 'do not report findings present in this baseline file' })
    .option('config', { type: 'string', describe: 'config file (default: .vaultsweep.yaml at the root)' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'print secrets in clear (default: redacted)' })
    .option('threads', { type: 'number', describe: 'worker threads (default: number of cores)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress line and no notes on stderr' })
    .option('include-ignored', { type: 'boolean', default: false, describe: 'also scan files that .gitignore excludes' })
    .option('max-file-size', { type: 'string', describe: 'skip files larger than this (default 10MiB), e.g. 2MB' })
    .option('cache', { type: 'string', describe: 'full-history scans: remember in FILE which blobs hold nothing, read only new ones next time' })
    .check((argv) => {
      const modes = [argv.staged, argv.range !== undefined, argv.since !== undefined && argv.range === undefined].filter(Boolean).length;
      if (argv.staged && (argv.range !== undefined || argv.since !== undefined)) throw new UsageError('--staged cannot be combined with --range or --since');
      if (argv.threads !== undefined && (!Number.isInteger(argv.threads) || argv.threads < 1)) throw new UsageError('--threads must be a positive integer');
      if (argv.since !== undefined && !SINCE.test(String(argv.since).trim())) {
        throw new UsageError(`--since "${argv.since}" is not a date (try 2024-01-31, "2 weeks ago" as 2.weeks.ago, or yesterday)`);
      }
      return modes >= 0;
    });
}

/** How to reach the store, as the Vault CLI and the AWS CLI take it: shared by apply and run. */
function storeFlags<T>(y: Argv<T>, help: { namespace: string; region: string }) {
  return y
    .option('address', { type: 'string', describe: 'Vault address (default: VAULT_ADDR)' })
    .option('namespace', { type: 'string', describe: help.namespace })
    .option('ca-cert', { type: 'string', describe: 'Vault: PEM CA certificate file (VAULT_CACERT)' })
    .option('ca-path', { type: 'string', describe: 'Vault: folder of PEM CA certificates (VAULT_CAPATH)' })
    .option('client-cert', { type: 'string', describe: 'Vault: PEM client certificate for TLS auth (VAULT_CLIENT_CERT)' })
    .option('client-key', { type: 'string', describe: 'Vault: PEM client key (VAULT_CLIENT_KEY)' })
    .option('tls-skip-verify', { type: 'boolean', describe: 'Vault: do not verify the server certificate (VAULT_SKIP_VERIFY)' })
    .option('tls-server-name', { type: 'string', describe: 'Vault: SNI name for the server (VAULT_TLS_SERVER_NAME)' })
    .option('region', { type: 'string', describe: help.region })
    .option('endpoint-url', { type: 'string', describe: 'Secrets Manager endpoint (default: AWS_ENDPOINT_URL)' });
}

function storeFlagsFrom(a: Record<string, unknown>): StoreFlags {
  return {
    address: a.address as string | undefined,
    namespace: a.namespace as string | undefined,
    caCert: a.caCert as string | undefined,
    caPath: a.caPath as string | undefined,
    clientCert: a.clientCert as string | undefined,
    clientKey: a.clientKey as string | undefined,
    tlsSkipVerify: a.tlsSkipVerify as boolean | undefined,
    tlsServerName: a.tlsServerName as string | undefined,
    region: a.region as string | undefined,
    endpointUrl: a.endpointUrl as string | undefined,
  };
}

/** PATH from the positional, or after `--` (`vaultsweep scan -- ./dir`); `\0-` is the stdin marker. */
function scanPath(argv: Record<string, unknown>): string {
  const rest = (argv._ as unknown[] | undefined)?.slice(1).map(String) ?? [];
  if (rest.length > 1 || (rest.length === 1 && argv.path !== '.')) throw new UsageError(`one PATH at most, got ${[argv.path, ...rest].join(' ')}`);
  const path = rest.length === 1 ? rest[0] : String(argv.path ?? '.');
  return path === '\0-' ? '-' : path;
}

/** Dates git understands and people write: ISO dates and times, `N.units.ago`, a few words. */
const SINCE = /^(?:\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\d+[. ]?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)(?:[. ]ago)?|yesterday|today|now|last[. ](?:week|month|year)|@\d+)$/i;

function toScanArgs(argv: Record<string, unknown>): ScanArgs {
  return {
    path: scanPath(argv),
    history: argv.history !== false,
    staged: argv.staged === true,
    range: argv.range as string | undefined,
    since: argv.since as string | undefined,
    format: argv.format as ReportFormat,
    output: argv.output as string | undefined,
    baseline: argv.baseline as string | undefined,
    config: argv.config as string | undefined,
    showSecrets: argv.showSecrets === true,
    threads: argv.threads as number | undefined,
    quiet: argv.quiet === true,
    includeIgnored: argv.includeIgnored === true,
    maxFileSize: argv.maxFileSize as string | undefined,
    cache: argv.cache as string | undefined,
  };
}

// Each command's modules are loaded when it runs: the store SDKs and the terminal UI weigh a
// quarter of a second at start-up, which a scan has no use for.
const scanCommands = () => import('./scan-command.js');

/** Parses argv, runs one command, returns the exit code: 0 clean, 1 findings, 2 usage or runtime error. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  // yargs drops a lone `-`; carry it through as a marker that no real path can be.
  const STDIN = '\0-';
  const parser = yargs(argv.map((a) => (a === '-' ? STDIN : a)))
    .scriptName('vaultsweep')
    .usage('$0 <command> [options]')
    .command(
      'scan [path]',
      'find hardcoded secrets in a working tree and its whole git history',
      (y) => scanFlags(y),
      async (a) => {
        code = await (await scanCommands()).scanCommand(toScanArgs(a));
      },
    )
    .command(
      'baseline [path]',
      'record the current findings so later scans report only new ones (writes JSON)',
      (y) => scanFlags(y),
      async (a) => {
        code = await (await scanCommands()).baselineCommand(toScanArgs(a));
      },
    )
    .command(
      'migrate [path]',
      'scan, then write a migration plan to review (vaultsweep apply carries it out)',
      (y) =>
        y
          .positional('path', { type: 'string', default: '.', describe: 'repository or folder' })
          .option('backend', { choices: ['vault', 'aws-secrets-manager'] as const, default: 'vault' as const, describe: 'where the secrets go' })
          .option('plan-out', { type: 'string', describe: 'where to write the plan (default vaultsweep-plan.yaml); given, no screen is shown' })
          .option('interactive', { type: 'boolean', describe: 'the interactive migrator (default: on a terminal, unless --plan-out is given)' })
          .option('resume', { type: 'string', describe: 'take up a plan saved from the interactive migrator (w)' })
          .option('force', { type: 'boolean', default: false, describe: 'replace an existing plan file' })
          .option('prefix', { type: 'string', describe: 'first segments of every store path, e.g. apps/payments' })
          .option('vault-mount', { type: 'string', default: 'secret', describe: 'Vault KV mount (v1 or v2, detected at apply)' })
          .option('vault-namespace', { type: 'string', describe: 'Vault Enterprise / OpenBao namespace (default: VAULT_NAMESPACE at apply)' })
          .option('region', { type: 'string', describe: 'Secrets Manager region (default: the SDK\'s, e.g. AWS_REGION)' })
          .option('kms-key-id', { type: 'string', describe: 'Secrets Manager: KMS key for new secrets' })
          .option('tag', { type: 'string', array: true, default: [] as string[], describe: 'Secrets Manager: tag key=value on new secrets (repeatable)' })
          .option('include-history-only', { type: 'boolean', default: false, describe: 'also migrate secrets found only in git history' })
          .option('terraform-ephemeral', { type: 'boolean', default: false, describe: 'Terraform: ephemeral resources and write-only arguments (the secret stays out of the state)' })
          .option('secret-store', { type: 'string', default: 'vaultsweep', describe: 'Kubernetes/Helm: the External Secrets Operator store that ExternalSecrets refer to' })
          .option('secret-store-kind', { choices: ['ClusterSecretStore', 'SecretStore'] as const, default: 'ClusterSecretStore' as const, describe: 'Kubernetes/Helm: kind of that store' })
          .option('history', { type: 'boolean', default: true, describe: 'scan history too, for the rotation list (--no-history: working tree only)' })
          .option('config', { type: 'string', describe: 'config file (default: .vaultsweep.yaml at the root)' })
          .option('baseline', { type: 'string', describe: 'leave out findings present in this baseline file' })
          .option('threads', { type: 'number', describe: 'worker threads (default: number of cores)' })
          .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no progress line' }),
      async (a) => {
        const { migrateCommand } = await import('./migrate-command.js');
        code = await migrateCommand({
          path: scanPath(a),
          backend: a.backend,
          planOut: a.planOut,
          interactive: a.interactive,
          resume: a.resume,
          force: a.force,
          prefix: a.prefix,
          vaultMount: a.vaultMount,
          vaultNamespace: a.vaultNamespace,
          region: a.region,
          kmsKeyId: a.kmsKeyId,
          tag: a.tag.map(String),
          includeHistoryOnly: a.includeHistoryOnly,
          rewriteOptions: { terraformEphemeral: a.terraformEphemeral, secretStore: a.secretStore, secretStoreKind: a.secretStoreKind },
          history: a.history !== false,
          config: a.config,
          baseline: a.baseline,
          threads: a.threads,
          quiet: a.quiet,
        });
      },
    )
    .command(
      'apply <plan>',
      'carry out a migration plan: store each secret, read it back, then rewrite the files (resumable)',
      (y) =>
        storeFlags(
          y
            .positional('plan', { type: 'string', demandOption: true, describe: 'the plan file from vaultsweep migrate' })
            .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'apply without asking' })
            .option('dry-run', { type: 'boolean', default: false, describe: 'check files and store, change nothing' })
            .option('on-conflict', { choices: ['fail', 'overwrite', 'skip'] as const, default: 'fail' as const, describe: 'when the store already has another value under a key' })
            .option('filter-repo-file', { type: 'string', describe: 'also write a git filter-repo --replace-text file (mode 0600) to purge history' })
            .option('repo', { type: 'string', describe: 'repository the plan\'s paths are relative to (default: the one holding the current folder)' })
            .option('format', { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'summary format' }),
          { namespace: 'Vault namespace (default: the plan\'s, then VAULT_NAMESPACE)', region: 'Secrets Manager region (default: the plan\'s, then the SDK\'s)' },
        ),
      async (a) => {
        const { applyCommand } = await import('./apply-command.js');
        code = await applyCommand({
          plan: a.plan as string,
          repo: a.repo,
          yes: a.yes,
          dryRun: a.dryRun,
          onConflict: a.onConflict,
          filterRepoFile: a.filterRepoFile,
          format: a.format,
          ...storeFlagsFrom(a),
        });
      },
    )
    .command(
      'run',
      'run a command with the store references in .env (vault://, aws-sm://) resolved: vaultsweep run -- npm start',
      (y) =>
        storeFlags(
          y
            .usage('$0 run [--env-file FILE]... -- COMMAND [ARGS...]')
            .option('env-file', { type: 'string', array: true, nargs: 1, default: [] as string[], describe: 'env file(s) to read (default: .env when it exists); the environment wins over them' })
            .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'do not say which variables came from the store' }),
          { namespace: 'Vault namespace for references without one (default: VAULT_NAMESPACE)', region: 'Secrets Manager region (default: the SDK\'s)' },
        ),
      async (a) => {
        const { runCommand } = await import('./run-command.js');
        code = await runCommand({
          envFiles: a.envFile.map(String),
          command: ((a._ as unknown[]).slice(1) as unknown[]).map(String).map((x) => (x === STDIN ? '-' : x)),
          quiet: a.quiet,
          ...storeFlagsFrom(a),
        });
      },
    )
    .command(
      'rules [action] [file]',
      'list the rules, or `rules test FILE` to check a rule file\'s examples',
      (y) =>
        y
          .positional('action', { choices: ['list', 'test'] as const, default: 'list' as const })
          .positional('file', { type: 'string', describe: 'rule file (for test)' })
          .option('format', { choices: ['text', 'json'] as const, default: 'text' as const }),
      async (a) => {
        const { rulesListCommand, rulesTestCommand } = await import('./rules-command.js');
        if (a.action === 'test') {
          if (!a.file) throw new UsageError('rules test needs a FILE');
          code = rulesTestCommand(a.file);
        } else code = rulesListCommand(a.format);
      },
    )
    .demandCommand(1, 'name a command: scan, baseline, migrate, apply, run or rules')
    .strict()
    .version(TOOL_VERSION)
    .help()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`vaultsweep: ${message}\n`);
    if (err instanceof UsageError || (err as Error)?.name === 'YError') process.stderr.write('run `vaultsweep --help` for usage\n');
    else if (!(err instanceof InputError || err instanceof GitError) && process.env.VAULTSWEEP_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    return 2;
  }
  return code;
}
