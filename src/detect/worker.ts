import { workerData } from 'node:worker_threads';
import { buildRuleSet, scanSlab, type EngineSpec, type SlabBatch } from './engine.js';
import type { RawMatch } from './scan-buffer.js';

const ruleSet = buildRuleSet(workerData as EngineSpec);

export default function scanBatch(batch: SlabBatch): RawMatch[][] {
  return scanSlab(batch, ruleSet);
}
