/**
 * A set of chunk fingerprints shared by all scanning threads, so that each distinct chunk is
 * scanned by exactly one of them: open addressing over a SharedArrayBuffer, claimed with a
 * compare-and-swap. A slot's index names the chunk. When the table is full, chunks are scanned
 * without deduplication (correct, only slower).
 */
export class ChunkTable {
  private readonly slots: BigInt64Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.slots = new BigInt64Array(buffer);
    this.mask = this.slots.length - 1;
  }

  /** A table with room for `chunks` fingerprints at most half full (a power of two of slots). */
  static forChunks(chunks: number): ChunkTable {
    let size = 1 << 16;
    while (size < chunks * 2 && size < 1 << 24) size <<= 1;
    return new ChunkTable(new SharedArrayBuffer(size * 8));
  }

  /** Claims a fingerprint (any non-zero 64-bit value): `fresh` tells the caller it must scan the chunk. */
  claim(key: bigint): { slot: number; fresh: boolean } {
    const k = key === 0n ? 1n : key;
    let slot = Number(k & BigInt(this.mask));
    for (let probes = 0; probes <= this.mask; probes++) {
      const previous = Atomics.compareExchange(this.slots, slot, 0n, k);
      if (previous === 0n) return { slot, fresh: true };
      if (previous === k) return { slot, fresh: false };
      slot = (slot + 1) & this.mask;
    }
    return { slot: -1, fresh: true };
  }
}
