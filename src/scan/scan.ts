import { availableParallelism } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { readFile } from 'node:fs/promises';
import { lstatSync, readFileSync } from 'node:fs';
import { applyConfigToRules, loadConfig, loadIgnoredIds, parseSize, pathSkipper, emptyConfig } from '../detect/config.js';
import { buildRuleSet, InlineScanner, type BatchScanner, type EngineSpec } from '../detect/engine.js';
import { InputError, loadRuleDir } from '../detect/load-rules.js';
import { PoolScanner } from '../detect/pool.js';
import { scanBuffer } from '../detect/scan-buffer.js';
import { IAC_RULE } from '../iac/rule.js';
import { loadAnalyzers } from '../iac/load.js';
import { scanFile } from '../iac/structure.js';
import { loadBaseline, withoutIds } from '../findings/baseline.js';
import { FindingCollector } from '../findings/collect.js';
import type { Finding } from '../findings/types.js';
import type { RuleInfo } from '../report/types.js';
import { isBinary } from '../sources/types.js';
import { listGitWorktree, listPlainFiles } from '../sources/worktree.js';
import { scanWorktree, surveyWorktree } from './worktree.js';
import { scanFullHistory, type HistoryContext, type ScannedBlobs } from './history.js';
import { scanHistorySlice } from './history-slice.js';
import { newProgress, type ScanProgress } from './progress.js';
import { cacheKey, shallowState } from './history-cache.js';
import { TOOL_VERSION } from '../version.js';
import { scanStaged } from './staged.js';
import { resolveTarget } from './target.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;

export interface ScanOptions {
  path: string;
  history: boolean;
  staged: boolean;
  range?: string;
  since?: string;
  includeIgnored: boolean;
  maxFileSize?: number;
  threads?: number;
  configFile?: string;
  baselineFile?: string;
  /** `--cache FILE`: remember what a full-history scan found nothing in, and read only the rest next time. */
  cacheFile?: string;
  showSecrets: boolean;
  /** Reads stdin for PATH `-` (tests pass their own). */
  stdin?: () => Promise<Buffer>;
  onProgress?: (progress: ScanProgress) => void;
}

export interface ScanResult {
  findings: Finding[];
  notes: string[];
  root: string;
  rules: Map<string, RuleInfo>;
  progress: ScanProgress;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export async function scan(options: ScanOptions): Promise<ScanResult> {
  const target = await resolveTarget(options.path);
  const fullHistory = target.kind === 'repo' && options.history && !options.staged && !options.range && !options.since;
  if (options.cacheFile !== undefined && !fullHistory) {
    throw new InputError('--cache applies to full-history scans of a git repository: not with --no-history, --staged, --range or --since');
  }
  if ((options.staged || options.range || options.since) && target.kind !== 'repo') {
    throw new InputError(`${options.path} is not a git repository: --staged, --range and --since need one`);
  }
  const root = target.kind === 'repo' || target.kind === 'folder' ? target.root : process.cwd();
  const config = target.kind === 'stdin' && !options.configFile ? emptyConfig() : loadConfig(root, options.configFile);
  const specs = [...applyConfigToRules(loadRuleDir(), config), IAC_RULE];
  const engine: EngineSpec = { rules: specs, stopwords: config.stopwords };
  const ruleSet = buildRuleSet(engine);
  const rules = new Map<string, RuleInfo>(ruleSet.rules.map((r) => [r.id, { id: r.id, description: r.description, severity: r.severity, provider: r.provider }]));
  const maxFileSize = options.maxFileSize ?? (config.maxFileSize !== undefined ? parseSize(config.maxFileSize) : DEFAULT_MAX_FILE_SIZE);
  const progress = newProgress();
  const notes: string[] = [];
  const collector = new FindingCollector(ruleSet.rules);
  const skipConfigured = pathSkipper(config.skipPaths);
  // PATH inside a repository (`vaultsweep scan services/api`): only files under it are reported.
  const subdir = target.kind === 'repo' ? target.subdir : '';
  const skipPath = subdir ? (p: string) => !(p === subdir || p.startsWith(`${subdir}/`)) || skipConfigured(p) : skipConfigured;
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const onProgress = options.onProgress;

  const finish = (stillPresent?: (secret: string, files: string[]) => boolean): ScanResult => {
    progress.phase = 'done';
    let findings = collector.findings({ showSecrets: options.showSecrets, stillPresent });
    findings = withoutIds(findings, target.kind === 'stdin' ? new Set() : loadIgnoredIds(root));
    if (options.baselineFile) findings = withoutIds(findings, loadBaseline(options.baselineFile));
    return { findings, notes, root, rules, progress };
  };

  if (target.kind === 'stdin' || target.kind === 'file') {
    const data = target.kind === 'stdin' ? await (options.stdin ?? (() => readAll(process.stdin)))() : await readFile(target.path);
    const name = target.kind === 'stdin' ? '<stdin>' : options.path;
    progress.files = 1;
    progress.bytes = data.length;
    if (isBinary(data)) notes.push(`${name}: binary, not scanned`);
    else if (data.length > maxFileSize) notes.push(`${name}: skipped, ${data.length} bytes is over --max-file-size ${maxFileSize}`);
    else {
      await loadAnalyzers();
      const scanned = target.kind === 'file' ? scanFile(data, target.path, ruleSet) : { matches: scanBuffer(data, ruleSet, ''), notes: [] };
      for (const m of scanned.matches) collector.add(m, name, null, m.context as Record<string, unknown> | undefined);
      notes.push(...scanned.notes);
    }
    return finish();
  }

  if (threads <= 1) await loadAnalyzers();
  const scanner: BatchScanner = threads > 1 ? new PoolScanner(engine, threads) : new InlineScanner(ruleSet);
  const ticker = onProgress ? setInterval(() => onProgress(progress), 100) : null;
  try {
    const ctx: HistoryContext = {
      root,
      maxFileSize,
      progress,
      progressShown: onProgress !== undefined,
      notes,
      collector,
      skipPath,
      scanner,
      limits: { bytes: 4 << 20, items: 512, window: threads * 2 },
    };
    if (options.cacheFile !== undefined && target.kind === 'repo') {
      const key = cacheKey({
        toolVersion: TOOL_VERSION,
        engine,
        maxFileSize,
        skipPaths: config.skipPaths ?? null,
        subdir,
        shallow: shallowState(target.shallowFile),
      });
      ctx.cache = { file: resolvePath(options.cacheFile), key };
    }
    let history: ScannedBlobs | null = null;
    if (target.kind === 'repo') {
      if (target.shallow) notes.push('shallow clone: history before the shallow boundary is not available');
      if (options.staged) {
        await scanStaged(ctx);
        return finish();
      }
      if (options.range || options.since) {
        const revArgs = options.range ? [options.range] : ['--all'];
        if (options.since) revArgs.push(`--since=${options.since}`);
        if (!target.hasCommits) throw new InputError(`${options.path} has no commits: --range and --since need history`);
        await scanHistorySlice(ctx, revArgs);
        return finish(target.bare ? undefined : presentInWorktree(root));
      }
      if (options.history && target.hasCommits) {
        scanner.start?.(); // the threads start while the objects are listed
        // The working tree is read and hashed while the history streams, so that afterwards only
        // files whose bytes the history did not hold are scanned.
        const survey = target.bare ? null : surveyWorktree(ctx, options.includeIgnored);
        survey?.catch(() => undefined);
        history = await scanFullHistory(ctx, survey?.then((w) => new Set(w.ids.values())));
        if (survey) await scanWorktree(ctx, await survey, history);
        return finish();
      }
      if (target.bare) return finish();
    }
    scanner.start?.();
    const listing = target.kind === 'repo' ? await listGitWorktree(root, options.includeIgnored) : await listPlainFiles(root);
    await scanWorktree(ctx, { listing, ids: new Map() }, null);
    return finish();
  } finally {
    if (ticker) clearInterval(ticker);
    await scanner.close();
  }
}

/** For scans of a commit range: whether a secret still sits in one of these working-tree files. */
function presentInWorktree(root: string): (secret: string, files: string[]) => boolean {
  return (secret, files) =>
    files.some((file) => {
      try {
        const abs = join(root, file);
        return lstatSync(abs).isFile() && readFileSync(abs).includes(secret);
      } catch {
        return false;
      }
    });
}
