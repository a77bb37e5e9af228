import type { BatchScanner, ScanItem } from './engine.js';
import type { RawMatch } from './scan-buffer.js';

/**
 * Groups file versions into batches for the scanner and keeps a bounded number of batches in
 * flight, so memory stays bounded however large the input: `push` waits while the window is full.
 */
export class Batcher<Meta> {
  private items: ScanItem[] = [];
  private metas: Meta[] = [];
  private bytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;

  constructor(
    private readonly scanner: BatchScanner,
    private readonly onResult: (meta: Meta, matches: RawMatch[], item: ScanItem) => void,
    private readonly limits = { bytes: 4 * 1024 * 1024, items: 256, window: 4 },
  ) {}

  async push(item: ScanItem, meta: Meta): Promise<void> {
    this.items.push(item);
    this.metas.push(meta);
    this.bytes += item.data.length;
    if (this.bytes >= this.limits.bytes || this.items.length >= this.limits.items) await this.dispatch();
  }

  private async dispatch(): Promise<void> {
    if (this.items.length === 0) return;
    const items = this.items;
    const metas = this.metas;
    this.items = [];
    this.metas = [];
    this.bytes = 0;
    const job = this.scanner.scan(items).then(
      (results) => results.forEach((matches, i) => this.onResult(metas[i], matches, items[i])),
      (err) => {
        this.failure ??= err;
      },
    );
    const tracked = job.finally(() => this.inFlight.delete(tracked));
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
