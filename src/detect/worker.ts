import { workerData } from 'node:worker_threads';
import { ChunkTable } from './chunk-table.js';
import type { ChunkedResult } from './chunked-scan.js';
import { buildRuleSet, scanSlab, scanSlabChunked, type EngineSpec, type SlabBatch } from './engine.js';
import type { FileScan } from '../iac/structure.js';
import { loadAnalyzers } from '../iac/load.js';

const ruleSet = buildRuleSet(workerData as EngineSpec);
const tables = new WeakMap<SharedArrayBuffer, ChunkTable>();
// Warm the analyzers up between the first tasks, so that they are ready when files arrive.
setTimeout(() => void loadAnalyzers().catch(() => undefined), 200);


export default async function scanBatch(batch: SlabBatch): Promise<FileScan[]> {
  // Files with paths get their format's analysis: load the analyzers for the first of them.
  if (batch.items.some((item) => item.path)) await loadAnalyzers();
  return scanSlab(batch, ruleSet);
}

export function scanChunkedBatch({ batch, table }: { batch: SlabBatch; table: SharedArrayBuffer }): ChunkedResult[] {
  let view = tables.get(table);
  if (!view) tables.set(table, (view = new ChunkTable(table)));
  return scanSlabChunked(batch, ruleSet, view);
}
