/**
 * How the line-oriented analyzers read a file: as a string holding one character per byte
 * (latin1), so that a string index is a byte offset into the file. Every delimiter these formats
 * use is ASCII and no byte of a multi-byte UTF-8 sequence is ASCII, so parsing the byte string is
 * exact; names and values are decoded from the bytes as UTF-8 once they are cut out.
 */
export class ByteSource {
  /** The file, one character per byte. */
  readonly text: string;
  /** Offset of the first byte after a UTF-8 byte-order mark. */
  readonly bodyStart: number;

  constructor(readonly data: Buffer) {
    this.text = data.toString('latin1');
    this.bodyStart = data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf ? 3 : 0;
  }

  /** The UTF-8 text of bytes [start, end). */
  utf8(start: number, end: number): string {
    return this.data.toString('utf8', start, end);
  }

  /** Offset of the end of the line holding `at` (the `\n`, or the end of the file). */
  lineEnd(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl < 0 ? this.text.length : nl;
  }
}

/** Text built from byte characters (a `ByteSource` slice, possibly unescaped) as UTF-8. */
export function bytesToUtf8(byteChars: string): string {
  // eslint-disable-next-line no-control-regex
  return /[^\x00-\x7f]/.test(byteChars) ? Buffer.from(byteChars, 'latin1').toString('utf8') : byteChars;
}

/** A logical line assembled from pieces of physical lines, mapping its indices back to bytes. */
export class LogicalLine {
  text = '';
  private readonly pieceAt: number[] = [];
  private readonly pieceByte: number[] = [];

  add(piece: string, byteStart: number): void {
    this.pieceAt.push(this.text.length);
    this.pieceByte.push(byteStart);
    this.text += piece;
  }

  /** The byte offset of the character at `index`. */
  byteAt(index: number): number {
    const at = this.pieceAt;
    let lo = 0;
    let hi = at.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.pieceByte[lo] + (index - at[lo]);
  }

  /** Byte offsets [start, end) of the characters [from, to): `end` follows the last character. */
  span(from: number, to: number): { start: number; end: number } {
    if (to <= from) {
      const b = this.byteAt(from);
      return { start: b, end: b };
    }
    return { start: this.byteAt(from), end: this.byteAt(to - 1) + 1 };
  }
}
