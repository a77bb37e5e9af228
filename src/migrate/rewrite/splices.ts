/**
 * Splices: replacements at offsets of a file's original text, applied all at once so that every
 * character not replaced survives byte for byte (comments, quoting, key order). Used by the
 * rewriters that edit text in place rather than print a syntax tree again (YAML, Dockerfile).
 */

/** Replace `[from, to)` of the original text with `insert` (an insertion when from === to). */
export interface Splice {
  from: number;
  to: number;
  insert: string;
}

/** Applies non-overlapping splices given in offsets of the original text. */
export function applySplices(text: string, splices: readonly Splice[]): string {
  let out = text;
  for (const s of [...splices].sort((a, b) => b.from - a.from || b.to - a.to)) out = out.slice(0, s.from) + s.insert + out.slice(s.to);
  return out;
}

/** True when two splices touch the same characters (insertions at one point conflict too). */
export function splicesOverlap(splices: readonly Splice[]): boolean {
  const sorted = [...splices].sort((a, b) => a.from - b.from || a.to - b.to);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].from < sorted[i - 1].to || (sorted[i].from === sorted[i - 1].from && sorted[i].from === sorted[i].to)) return true;
  }
  return false;
}

/**
 * Where an offset of the original text is in the spliced text: every splice before it shifts it
 * by its change in length (an offset at an insertion's point stays before the insertion).
 */
export function shiftedOffset(offset: number, splices: readonly Splice[]): number {
  let shift = 0;
  for (const s of splices) if (s.to <= offset && !(s.from === offset && s.to === offset)) shift += s.insert.length - (s.to - s.from);
  return offset + shift;
}
