import { workerData } from 'node:worker_threads';
import { buildRuleSet, type EngineSpec } from './engine.js';
import { scanBuffer, type RawMatch } from './scan-buffer.js';

/** A batch crosses the thread boundary as one transferred buffer plus offsets: no per-file copies. */
export interface WorkerBatch {
  buffer: ArrayBuffer;
  items: { path: string; offset: number; length: number }[];
}

const ruleSet = buildRuleSet(workerData as EngineSpec);

export default function scanBatch(batch: WorkerBatch): RawMatch[][] {
  const bytes = Buffer.from(batch.buffer);
  return batch.items.map((item) => scanBuffer(bytes.subarray(item.offset, item.offset + item.length), ruleSet, item.path));
}
