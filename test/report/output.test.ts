import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { reporterFor } from '../../src/report/index.js';
import { writeChunks } from '../../src/report/output.js';
import { REPORT_FORMATS } from '../../src/report/types.js';
import { reportOptions, sampleFindings } from './sample-findings.js';

/** A stream that takes a while to flush each write and asks for drains early (highWaterMark 16). */
class SlowOutput extends Writable {
  flushed = '';
  pending = 0;
  constructor() {
    super({ highWaterMark: 16 });
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending++;
    setTimeout(() => {
      this.flushed += chunk.toString('utf8');
      this.pending--;
      callback();
    }, 2);
  }
}

describe('writing reports to a stream', () => {
  it('resolves only after the last chunk was flushed, honouring backpressure', async () => {
    const out = new SlowOutput();
    const chunks = Array.from({ length: 20 }, (_, i) => `chunk ${i} ${'x'.repeat(20)}\n`);
    await writeChunks(out, chunks);
    expect(out.pending).toBe(0);
    expect(out.writableLength).toBe(0);
    expect(out.flushed).toBe(chunks.join(''));
  });

  it.each(REPORT_FORMATS)('%s: everything is flushed when the reporter resolves', async (format) => {
    const out = new SlowOutput();
    await reporterFor(format)(sampleFindings, out, reportOptions());
    expect(out.pending).toBe(0);
    expect(out.flushed.length).toBeGreaterThan(0);
    expect(out.flushed.endsWith('\n')).toBe(true);
  });

  it('rejects when the stream fails', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    await expect(writeChunks(failing, ['a', 'b'])).rejects.toThrow('disk full');
  });

  it('resolves at once when there is nothing to write', async () => {
    const out = new SlowOutput();
    await writeChunks(out, []);
    expect(out.flushed).toBe('');
  });

  it('picks a reporter for every format and refuses an unknown one', () => {
    for (const format of REPORT_FORMATS) expect(typeof reporterFor(format)).toBe('function');
    expect(() => reporterFor('xml' as never)).toThrow(/unknown report format "xml"/);
  });

  it.each(['json', 'sarif', 'text'] as const)(
    '%s: a process that exits right after the reporter resolves loses nothing through a pipe',
    async (format) => {
      const script = fileURLToPath(new URL('./report-then-exit.ts', import.meta.url));
      const viteNode = fileURLToPath(new URL('../../node_modules/.bin/vite-node', import.meta.url));
      const child = spawn(viteNode, [script, '--', format, '3000'], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(0);
      if (format === 'json') expect(JSON.parse(stdout)).toHaveLength(3000);
      if (format === 'sarif') expect(JSON.parse(stdout).runs[0].results).toHaveLength(6000);
      if (format === 'text') expect(stdout.endsWith('3000 secrets (3000 critical) in 6000 locations; 3000 in the working tree, 0 only in history\n')).toBe(true);
    },
    30_000,
  );
});
