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
export function analyzeFile(data: Buffer, path: string): FileAnalysis {
  const format = detectFormat(path, data);
  const analyzer = analyzers.get(format);
  if (!analyzer) return { format, values: [], notes: [] };
  try {
    return analyzer.analyze(data, path, format);
  } catch (err) {
    return { format, values: [], notes: [`${path}: could not analyse as ${format} (${(err as Error).message}); scanned as text`] };
  }
}
