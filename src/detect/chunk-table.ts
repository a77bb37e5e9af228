/**
 * A set of chunk fingerprints shared by all scanning threads, so that each distinct chunk is
 * scanned by exactly one of them: open addressing over a SharedArrayBuffer, claimed with a
 * compare-and-swap. Fingerprints are 128 bits, so that nobody can craft a chunk that collides with
 * another and is skipped. A slot's index names the chunk. When the table is full, chunks are
 * scanned without deduplication (correct, only slower).
 *
 * The table is sized for the worst case (every chunk distinct), but a history holds far fewer
 * distinct chunks than that: its slots are laid out in levels of 1/8, 1/8, 1/4 and 1/2 of the
 * table, and a fingerprint goes to the next level only when a run of slots in its level is taken.
 * Uniform hashing over the whole table would touch every page of it; levels touch memory in
 * proportion to the chunks actually stored (the untouched pages of the buffer are never resident).
 * Every thread walks the same sequence of slots for a fingerprint and slots are never freed, so
 * the first free slot of the sequence is the one every claimer meets.
 */
export class ChunkTable {
  /** Two 64-bit words per slot: the fingerprint's high half (the claim) and its low half. */
  private readonly words: BigInt64Array;
  /** The same words as 32-bit halves: a cheap look at a slot's claim before the 64-bit compare. */
  private readonly halves: Int32Array;
  private readonly levels: Level[];

  constructor(readonly buffer: SharedArrayBuffer) {
    this.words = new BigInt64Array(buffer);
    this.halves = new Int32Array(buffer);
    this.levels = levelsOf(this.words.length / 2);
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
    const h0 = Number(BigInt.asUintN(32, hi));
    const h1 = Number(BigInt.asUintN(32, hi >> 32n));
    for (let k = 0; k < this.levels.length; k++) {
      const { base, mask, shift, probes } = this.levels[k];
      // Level 0 homes on the low bits of the claim; the others on the top bits of the claim's
      // other half times a multiplier of their own, so that fingerprints crowded together in one
      // level spread out in the next.
      let at = k === 0 ? h0 & mask : Math.imul(h1, LEVEL_MIX[k]) >>> shift;
      for (let p = 0; p < probes; p++) {
        const slot = base + at;
        // The claim's low 32 bits, read alone: another non-zero value is another fingerprint's
        // claim (claims never change once made). Zero or ours: settle it on the whole word.
        const seen = this.halves[4 * slot + LOW_HALF] | 0;
        if (seen === 0 || seen === (h0 | 0)) {
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
        }
        at = (at + 1) & mask;
      }
    }
    return { slot: -1, fresh: true };
  }
}

/** A level: its first slot, its slot count - 1 (a power of two minus one), 32 - log2 of that count, and the probes before the next level. */
interface Level {
  base: number;
  mask: number;
  shift: number;
  probes: number;
}

/** Odd multipliers that mix the claim's bits differently for each level after the first. */
const LEVEL_MIX = [1, 0x9e3779b1, 0x85ebca77, 0xc2b2ae3d];

/** Index of a 64-bit word's low 32 bits among its two halves (the platform's byte order). */
const LOW_HALF = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 0 : 1;

/** Linear probes in a level before a fingerprint moves on to the next one. */
const LEVEL_PROBES = 32;

/**
 * The levels of a table of `slots` (a power of two): small tables are one level; larger ones are
 * levels of 1/8, 1/8, 1/4 and 1/2 of the slots. The last level is probed in full.
 */
function levelsOf(slots: number): Level[] {
  const sizes = slots >= 1 << 10 ? [slots / 8, slots / 8, slots / 4, slots / 2] : [slots];
  let base = 0;
  return sizes.map((size, i) => {
    const level = { base, mask: size - 1, shift: 32 - Math.log2(size), probes: i === sizes.length - 1 ? size : Math.min(LEVEL_PROBES, size) };
    base += size;
    return level;
  });
}
