import { createWriteStream, fchmodSync, openSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { parseSize } from '../detect/config.js';
import { reporterFor, type ReportFormat } from '../report/index.js';
import { scan, type ScanOptions, type ScanResult } from '../scan/scan.js';
import { ProgressLine } from './progress-line.js';
import { TOOL_VERSION } from '../version.js';

export interface ScanArgs {
  path: string;
  history: boolean;
  staged: boolean;
  range?: string;
  since?: string;
  format: ReportFormat;
  output?: string;
  baseline?: string;
  config?: string;
  showSecrets: boolean;
  threads?: number;
  quiet: boolean;
  includeIgnored: boolean;
  maxFileSize?: string;
  cache?: string;
}

export function scanOptionsFrom(args: ScanArgs): ScanOptions {
  return {
    path: args.path,
    history: args.history,
    staged: args.staged,
    range: args.range,
    since: args.since,
    includeIgnored: args.includeIgnored,
    maxFileSize: args.maxFileSize !== undefined ? parseSize(args.maxFileSize) : undefined,
    threads: args.threads,
    configFile: args.config,
    baselineFile: args.baseline,
    cacheFile: args.cache,
    showSecrets: args.showSecrets,
  };
}

/** Runs a scan with a progress line on a terminal (unless --quiet). */
export async function runScanWithProgress(options: ScanOptions, quiet: boolean): Promise<ScanResult> {
  const progress = !quiet && process.stderr.isTTY ? new ProgressLine(process.stderr) : null;
  try {
    return await scan({ ...options, onProgress: progress ? (p) => progress.draw(p) : undefined });
  } finally {
    progress?.clear();
  }
}

export async function writeReport(result: ScanResult, format: ReportFormat, output: string | undefined, showSecrets: boolean): Promise<void> {
  const toFile = output !== undefined && output !== '-';
  let out: Writable = process.stdout;
  if (toFile) {
    // A report may hold secrets (--show-secrets): only the owner reads it, also when it existed.
    const fd = openSync(output, 'w', 0o600);
    fchmodSync(fd, 0o600);
    out = createWriteStream('', { fd });
  }
  const color = !toFile && format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
  await reporterFor(format)(result.findings, out, {
    color,
    showSecrets,
    rules: result.rules,
    notes: result.notes,
    toolVersion: TOOL_VERSION,
    root: result.root,
  });
  if (toFile) await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** `vaultsweep scan`: exit 0 when nothing is left after allow-lists and baseline, 1 when something is. */
export async function scanCommand(args: ScanArgs): Promise<number> {
  const result = await runScanWithProgress(scanOptionsFrom(args), args.quiet);
  try {
    await writeReport(result, args.format, args.output, args.showSecrets);
  } catch (err) {
    // The reader went away (`vaultsweep scan | head`): not an error of the scan.
    if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
  }
  if (!args.quiet && args.format !== 'text') {
    for (const note of result.notes) process.stderr.write(`note: ${note}\n`);
  }
  return result.findings.length > 0 ? 1 : 0;
}

/** `vaultsweep baseline`: records today's findings so later scans report only new ones. */
export async function baselineCommand(args: ScanArgs): Promise<number> {
  const output = args.output ?? '.vaultsweep-baseline.json';
  const result = await runScanWithProgress(scanOptionsFrom({ ...args, baseline: undefined }), args.quiet);
  await writeReport(result, 'json', output, false);
  if (!args.quiet) process.stderr.write(`wrote ${result.findings.length} finding(s) to ${output}\n`);
  return 0;
}
