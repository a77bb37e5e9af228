import type { ScanItem, SlabBatch } from './engine.js';

export interface BatchLimits {
  /** A batch closes when its buffer is this full (a larger single file gets a buffer of its own). */
  bytes: number;
  items: number;
  /** Batches in flight at once; `push` waits while the window is full. */
  window: number;
}

/**
 * Packs file versions into shared buffers for the scanner and keeps a bounded number of batches in
 * flight, so memory stays bounded however large the input. Bytes are copied into the batch as they
 * arrive: the caller's buffers (pipe chunks) die young instead of waiting for the batch to fill.
 */
export class Batcher<Meta, Result> {
  private slab: SharedArrayBuffer | null = null;
  private used = 0;
  private items: SlabBatch['items'] = [];
  private metas: Meta[] = [];
  private readonly freeSlabs: SharedArrayBuffer[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly run: (batch: SlabBatch) => Promise<Result[]>,
    private readonly onResult: (meta: Meta, result: Result) => void,
    private readonly limits: BatchLimits = { bytes: 4 << 20, items: 512, window: 4 },
  ) {}

  async push(item: ScanItem, meta: Meta): Promise<void> {
    const size = item.data.length;
    if (size > this.limits.bytes) {
      // Too big to share a buffer: it travels alone.
      await this.dispatch();
      const own = new SharedArrayBuffer(size);
      new Uint8Array(own).set(item.data);
      await this.send({ buffer: own, items: [{ path: item.path, offset: 0, length: size, ...(item.matches ? { matches: item.matches } : {}) }] }, [meta]);
      return;
    }
    if (this.slab && this.used + size > this.limits.bytes) await this.dispatch();
    this.slab ??= this.freeSlabs.pop() ?? new SharedArrayBuffer(this.limits.bytes);
    new Uint8Array(this.slab, this.used, size).set(item.data);
    this.items.push({ path: item.path, offset: this.used, length: size, ...(item.matches ? { matches: item.matches } : {}) });
    this.metas.push(meta);
    this.used += size;
    if (this.items.length >= this.limits.items) await this.dispatch();
  }

  private async dispatch(): Promise<void> {
    if (!this.slab || this.items.length === 0) return;
    const batch: SlabBatch = { buffer: this.slab, items: this.items };
    const metas = this.metas;
    this.slab = null;
    this.used = 0;
    this.items = [];
    this.metas = [];
    await this.send(batch, metas);
  }

  private async send(batch: SlabBatch, metas: Meta[]): Promise<void> {
    const job = this.run(batch).then(
      (results) => results.forEach((result, i) => this.onResult(metas[i], result)),
      (err) => {
        this.failure ??= err;
      },
    );
    const tracked = job.finally(() => {
      this.inFlight.delete(tracked);
      if (batch.buffer.byteLength === this.limits.bytes) this.freeSlabs.push(batch.buffer);
    });
    this.inFlight.add(tracked);
    while (this.inFlight.size >= this.limits.window) await Promise.race(this.inFlight);
    if (this.failure) throw this.failure;
  }

  async flush(): Promise<void> {
    await this.dispatch();
    await Promise.all(this.inFlight);
    if (this.failure) throw this.failure;
  }
}
