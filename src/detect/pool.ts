import { Piscina } from 'piscina';
import type { FileScan } from '../iac/structure.js';
import type { ChunkedResult } from './chunked-scan.js';
import type { BatchScanner, EngineSpec, SlabBatch } from './engine.js';

/** The young generation of each worker's heap (both semi-spaces and new large objects), in MB. */
const WORKER_YOUNG_GENERATION_MB = 12;

/**
 * Scans batches on worker threads, which read each batch's shared buffer in place. The threads
 * start with the first batch, or earlier with `start()`: a scan of a commit range with nothing in
 * it never pays for them.
 */
export class PoolScanner implements BatchScanner {
  private pool: Piscina | null = null;

  constructor(
    private readonly spec: EngineSpec,
    private readonly threads: number,
  ) {}

  start(): Piscina {
    return (this.pool ??= new Piscina({
      filename: workerUrl(),
      workerData: this.spec,
      minThreads: this.threads,
      maxThreads: this.threads,
      idleTimeout: 1000,
      // A worker keeps little alive (its rules, a grammar) and allocates short-lived bits per
      // chunk: semi-spaces of 4 MB (V8 takes a third of this, rounded up to a power of two)
      // instead of up to 16 save 8 MB or more a thread, for a percent or two of speed.
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    }));
  }

  async scan(batch: SlabBatch): Promise<FileScan[]> {
    const results = (await this.start().run(batch)) as FileScan[];
    // Secrets come back as Uint8Array after structured cloning.
    for (const r of results) {
      for (const m of r.matches) {
        m.secret = toBuffer(m.secret);
        if (m.raw) m.raw = toBuffer(m.raw);
      }
    }
    return results;
  }

  async scanChunked(batch: SlabBatch, table: SharedArrayBuffer): Promise<ChunkedResult[]> {
    const results = (await this.start().run({ batch, table }, { name: 'scanChunkedBatch' })) as ChunkedResult[];
    for (const r of results) for (const f of r.found) for (const m of f.matches) m.match.secret = toBuffer(m.match.secret);
    return results;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}

/** Buffers arrive as plain Uint8Arrays after structured cloning. */
function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The compiled worker; under the test runner this module is TypeScript source, the worker still runs from dist/. */
function workerUrl(): string {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/detect/worker.js', here).href : new URL('./worker.js', here).href;
}
