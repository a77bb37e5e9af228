import { workerData } from 'node:worker_threads';
import { ChunkTable } from './chunk-table.js';
import type { ChunkedResult } from './chunked-scan.js';
import { buildRuleSet, scanSlab, scanSlabChunked, type EngineSpec, type SlabBatch } from './engine.js';
import type { RawMatch } from './scan-buffer.js';

const ruleSet = buildRuleSet(workerData as EngineSpec);
const tables = new WeakMap<SharedArrayBuffer, ChunkTable>();

export default function scanBatch(batch: SlabBatch): RawMatch[][] {
  return scanSlab(batch, ruleSet);
}

export function scanChunkedBatch({ batch, table }: { batch: SlabBatch; table: SharedArrayBuffer }): ChunkedResult[] {
  let view = tables.get(table);
  if (!view) tables.set(table, (view = new ChunkTable(table)));
  return scanSlabChunked(batch, ruleSet, view);
}
