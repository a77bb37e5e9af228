import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LineIndex } from '../../../src/detect/positions.js';
import { yamlAnalyzers } from '../../../src/iac/yaml/index.js';
import type { BoundValue, FileAnalysis, IacFormat } from '../../../src/iac/types.js';

export const FIXTURES = fileURLToPath(new URL('../../../fixtures/iac/yaml/', import.meta.url));

export function analyzerFor(format: IacFormat) {
  const analyzer = yamlAnalyzers.find((a) => a.formats.includes(format));
  if (!analyzer) throw new Error(`no analyzer for ${format}`);
  return analyzer;
}

export interface Analyzed {
  data: Buffer;
  result: FileAnalysis;
}

export function analyzeText(text: string | Buffer, path: string, format: IacFormat): Analyzed {
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  return { data, result: analyzerFor(format).analyze(data, path, format) };
}

export function analyzeFixture(rel: string, format: IacFormat): Analyzed {
  const data = readFileSync(FIXTURES + rel);
  return { data, result: analyzerFor(format).analyze(data, rel, format) };
}

/** A BoundValue as a test states it: context, literal, and where its first byte is (1-based line/column). */
export interface Seen {
  path: string;
  key: string;
  encoding?: 'base64';
  literal: string | null;
  line: number;
  column: number;
  /** The file's bytes in the value's span. */
  text: string;
}

export function seen(data: Buffer, v: BoundValue): Seen {
  const pos = new LineIndex(data).position(v.start);
  const out: Seen = {
    path: v.context.path,
    key: v.context.key,
    literal: v.literal,
    line: pos.line,
    column: pos.column,
    text: data.toString('utf8', v.start, v.end),
  };
  if (v.context.encoding) out.encoding = v.context.encoding;
  return out;
}

export function sensitiveOf({ data, result }: Analyzed): Seen[] {
  return result.values.filter((v) => v.sensitive).map((v) => seen(data, v));
}

/** The value at a path (the first when several). */
export function at({ data, result }: Analyzed, path: string): (Seen & { sensitive: boolean }) | undefined {
  const v = result.values.find((x) => x.context.path === path);
  return v ? { ...seen(data, v), sensitive: v.sensitive } : undefined;
}

/** Every value is well-formed: the format, spans inside the file, no sensitive reference. */
export function checkInvariants({ data, result }: Analyzed, format: IacFormat): void {
  if (result.format !== format) throw new Error(`format ${result.format} !== ${format}`);
  for (const v of result.values) {
    if (v.context.format !== format) throw new Error(`value format ${v.context.format}`);
    if (!(v.start >= 0 && v.start <= v.end && v.end <= data.length)) throw new Error(`bad span ${v.start}-${v.end}`);
    if (v.sensitive && v.literal === null) throw new Error(`sensitive without literal at ${v.context.path}`);
  }
}
