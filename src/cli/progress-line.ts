import type { ScanProgress } from '../scan/progress.js';

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/** A single self-overwriting status line on stderr; only used when stderr is a terminal. */
export class ProgressLine {
  private readonly started = Date.now();
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  draw(p: ScanProgress): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = `${p.phase}: ${p.commits} commits, ${p.blobs} blobs, ${p.files} files, ${bytes(p.bytes)}, ${p.findings} matches, ${seconds}s`;
    this.stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (this.stream.columns ?? 80) - 1))}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
