import { Piscina } from 'piscina';
import type { RawMatch } from './scan-buffer.js';
import type { BatchScanner, EngineSpec, ScanItem } from './engine.js';
import type { WorkerBatch } from './worker.js';

/** Scans batches on worker threads; each batch is copied once into a buffer that is moved, not cloned. */
export class PoolScanner implements BatchScanner {
  private readonly pool: Piscina;

  constructor(spec: EngineSpec, threads: number) {
    this.pool = new Piscina({
      filename: workerUrl(),
      workerData: spec,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 1000,
    });
  }

  async scan(items: ScanItem[]): Promise<RawMatch[][]> {
    let total = 0;
    for (const item of items) total += item.data.length;
    const buffer = new ArrayBuffer(total);
    const view = new Uint8Array(buffer);
    const batchItems: WorkerBatch['items'] = [];
    let offset = 0;
    for (const item of items) {
      view.set(item.data, offset);
      batchItems.push({ path: item.path, offset, length: item.data.length });
      offset += item.data.length;
    }
    const batch: WorkerBatch = { buffer, items: batchItems };
    const results = (await this.pool.run(batch, { transferList: [buffer] })) as RawMatch[][];
    // Secrets come back as Uint8Array after structured cloning.
    for (const list of results) for (const m of list) m.secret = Buffer.from(m.secret.buffer, m.secret.byteOffset, m.secret.byteLength);
    return results;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}

/** The compiled worker; under the test runner this module is TypeScript source, the worker still runs from dist/. */
function workerUrl(): string {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/detect/worker.js', here).href : new URL('./worker.js', here).href;
}
