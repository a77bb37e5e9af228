import { workerData } from 'node:worker_threads';
import { ChunkTable } from './chunk-table.js';
import type { ChunkedResult } from './chunked-scan.js';
import { buildRuleSet, scanSlab, scanSlabChunked, type EngineSpec, type SlabBatch } from './engine.js';
import { initAnalyzers, type FileScan } from '../iac/index.js';

const ruleSet = buildRuleSet(workerData as EngineSpec);
await initAnalyzers();
const tables = new WeakMap<SharedArrayBuffer, ChunkTable>();

export default function scanBatch(batch: SlabBatch): FileScan[] {
  return scanSlab(batch, ruleSet);
}

export function scanChunkedBatch({ batch, table }: { batch: SlabBatch; table: SharedArrayBuffer }): ChunkedResult[] {
  let view = tables.get(table);
  if (!view) tables.set(table, (view = new ChunkTable(table)));
  return scanSlabChunked(batch, ruleSet, view);
}
