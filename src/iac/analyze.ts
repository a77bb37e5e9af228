import { detectFormat } from './format.js';
import type { FileAnalysis, FormatAnalyzer, IacFormat } from './types.js';

const analyzers = new Map<IacFormat, FormatAnalyzer>();
let ready: Promise<void> | null = null;

/** Registers the format analyzers (src/iac/index.ts does, once per thread). */
export function registerAnalyzers(list: FormatAnalyzer[]): void {
  for (const analyzer of list) for (const format of analyzer.formats) analyzers.set(format, analyzer);
}

/** Loads what the analyzers need (grammars); call and await once per thread before analysing. */
export function initAnalyzers(): Promise<void> {
  ready ??= Promise.all([...new Set(analyzers.values())].map((a) => a.init?.() ?? Promise.resolve())).then(() => undefined);
  return ready;
}

/** The format of a file and, for a structured one, what its analyzer found. Never throws. */
/**
 * Parsed trees take several times the file's size (a 15 MB Terraform state holds about 180 MB):
 * larger files are scanned as text only, so that memory stays bounded in every worker.
 */
export const MAX_ANALYSED_BYTES = 4 * 1024 * 1024;

export function analyzeFile(data: Buffer, path: string): FileAnalysis {
  const format = detectFormat(path, data);
  const analyzer = analyzers.get(format);
  if (!analyzer) return { format, values: [], notes: [] };
  if (data.length > MAX_ANALYSED_BYTES) {
    return { format, values: [], notes: [`${path}: ${data.length} bytes is too large to analyse as ${format}; scanned as text`] };
  }
  try {
    return analyzer.analyze(data, path, format);
  } catch (err) {
    return { format, values: [], notes: [`${path}: could not analyse as ${format} (${(err as Error).message}); scanned as text`] };
  }
}
