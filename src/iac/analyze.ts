import { detectFormat } from './format.js';
import type { FileAnalysis, FormatAnalyzer, IacFormat } from './types.js';

const analyzers = new Map<IacFormat, FormatAnalyzer>();

/** Registers the format analyzers (src/iac/index.ts does, once per thread). */
export function registerAnalyzers(list: FormatAnalyzer[]): void {
  for (const analyzer of list) for (const format of analyzer.formats) analyzers.set(format, analyzer);
}

/** Loads what the analyzers need (grammars); call and await once per thread before analysing. */
export async function initAnalyzers(): Promise<void> {
  // Each init is cheap once done, and waits when a parser is being replaced after a crash.
  await Promise.all([...new Set(analyzers.values())].map((a) => a.init?.()));
}

/** The format of a file and, for a structured one, what its analyzer found. Never throws. */
/**
 * Parsed trees take several times the file's size (a 15 MB Terraform state holds about 180 MB, a
 * 4 MB YAML flow sequence of two million numbers about 2 GB before its node count can be
 * checked): larger files are scanned as text only, so that memory stays bounded in every worker.
 */
export const MAX_ANALYSED_BYTES = 4 * 1024 * 1024;
const MAX_ANALYSED_YAML_BYTES = 1024 * 1024;
const YAML_FORMATS = new Set<IacFormat>(['cloudformation', 'kubernetes', 'helm', 'ansible', 'compose', 'github-actions', 'gitlab-ci', 'pulumi', 'serverless']);

export function analyzeFile(data: Buffer, path: string): FileAnalysis {
  const format = detectFormat(path, data);
  const analyzer = analyzers.get(format);
  if (!analyzer) return { format, values: [], notes: [] };
  if (data.length > (YAML_FORMATS.has(format) ? MAX_ANALYSED_YAML_BYTES : MAX_ANALYSED_BYTES)) {
    return { format, values: [], notes: [`${path}: ${data.length} bytes is too large to analyse as ${format}; scanned as text`] };
  }
  try {
    return analyzer.analyze(data, path, format);
  } catch (err) {
    return { format, values: [], notes: [`${path}: could not analyse as ${format} (${(err as Error).message}); scanned as text`] };
  }
}
