/** Converts byte offsets in a UTF-8 buffer to 1-based line and column (UTF-16 code units, as SARIF counts). */
export class LineIndex {
  private lineStarts: number[] | null = null;

  constructor(private readonly data: Buffer) {}

  private starts(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    let at = this.data.indexOf(10);
    while (at !== -1) {
      starts.push(at + 1);
      at = this.data.indexOf(10, at + 1);
    }
    this.lineStarts = starts;
    return starts;
  }

  /** 0-based index of the line holding `offset`. */
  lineOf(offset: number): number {
    const starts = this.starts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  position(offset: number): { line: number; column: number } {
    const line = this.lineOf(offset);
    const start = this.starts()[line];
    const column = this.data.toString('utf8', start, offset).length + 1;
    return { line: line + 1, column };
  }

  /** The bytes of a 0-based line, without its newline. */
  lineText(line: number): string {
    const starts = this.starts();
    const start = starts[line];
    const end = line + 1 < starts.length ? starts[line + 1] - 1 : this.data.length;
    const cut = Math.min(end, start + 4096);
    return this.data.toString('utf8', start, cut).replace(/\r$/, '');
  }

  get lineCount(): number {
    return this.starts().length;
  }
}
