import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectFormat } from '../../../src/iac/format.js';
import { lineAnalyzers } from '../../../src/iac/lines/index.js';
import type { BoundValue, FileAnalysis, LocationContext } from '../../../src/iac/types.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/iac/lines/', import.meta.url));

/** A bound value as a test states it: where it is (1-based, from its byte offset) and what it holds. */
export interface Located {
  context: LocationContext;
  literal: string | null;
  sensitive: boolean;
  line: number;
  /** 1-based column of the value's first byte, counted in bytes. */
  column: number;
  /** The file's bytes in the value's span, as UTF-8. */
  text: string;
}

export function locate(data: Buffer, value: BoundValue): Located {
  const before = data.subarray(0, value.start);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return {
    context: value.context,
    literal: value.literal,
    sensitive: value.sensitive,
    line,
    column: value.start - lineStart + 1,
    text: data.toString('utf8', value.start, value.end),
  };
}

/** Analyses `data` as the analyzer for its path's format would (format detection included). */
export function analyze(path: string, data: Buffer | string): { data: Buffer; analysis: FileAnalysis; values: Located[] } {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const format = detectFormat(path, bytes);
  const analyzer = lineAnalyzers.find((a) => a.formats.includes(format));
  if (!analyzer) throw new Error(`no line analyzer for ${path} (${format})`);
  const analysis = analyzer.analyze(bytes, path, format);
  return { data: bytes, analysis, values: analysis.values.map((v) => locate(bytes, v)) };
}

export function analyzeFixture(name: string): ReturnType<typeof analyze> {
  return analyze(name, readFileSync(FIXTURES + name));
}

/** The sensitive values with what a finding reports of them. */
export function sensitive(values: Located[]): Pick<Located, 'context' | 'literal' | 'line' | 'column'>[] {
  return values.filter((v) => v.sensitive).map(({ context, literal, line, column }) => ({ context, literal, line, column }));
}

export function byKey(values: Located[], key: string): Located[] {
  return values.filter((v) => v.context.key === key);
}
