/**
 * A set of chunk fingerprints shared by all scanning threads, so that each distinct chunk is
 * scanned by exactly one of them: open addressing over a SharedArrayBuffer, claimed with a
 * compare-and-swap. Fingerprints are 128 bits, so that nobody can craft a chunk that collides with
 * another and is skipped. A slot's index names the chunk. When the table is full, chunks are
 * scanned without deduplication (correct, only slower).
 */
export class ChunkTable {
  /** Two 64-bit words per slot: the fingerprint's high half (the claim) and its low half. */
  private readonly words: BigInt64Array;
  private readonly mask: number;

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new BigInt64Array(buffer);
    this.mask = this.words.length / 2 - 1;
  }

  /** A table with room for `chunks` fingerprints at most half full (a power of two of slots). */
  static forChunks(chunks: number): ChunkTable {
    let size = 1 << 16;
    while (size < chunks * 2 && size < 1 << 23) size <<= 1;
    return new ChunkTable(new SharedArrayBuffer(size * 16));
  }

  /** Claims a fingerprint: `fresh` tells the caller it must scan the chunk. */
  claim(high: bigint, low: bigint): { slot: number; fresh: boolean } {
    // Zero marks an empty word: keep both halves non-zero.
    const hi = high === 0n ? 1n : high;
    const lo = low | 1n;
    let slot = Number(BigInt.asUintN(32, hi) & BigInt(this.mask));
    for (let probes = 0; probes <= this.mask; probes++) {
      const previous = Atomics.compareExchange(this.words, 2 * slot, 0n, hi);
      if (previous === 0n) {
        Atomics.store(this.words, 2 * slot + 1, lo);
        return { slot, fresh: true };
      }
      if (previous === hi) {
        let stored = Atomics.load(this.words, 2 * slot + 1);
        while (stored === 0n) stored = Atomics.load(this.words, 2 * slot + 1); // its claimer is writing it
        if (stored === lo) return { slot, fresh: false };
      }
      slot = (slot + 1) & this.mask;
    }
    return { slot: -1, fresh: true };
  }
}
