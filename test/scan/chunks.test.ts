import { afterAll, describe, expect, it } from 'vitest';
import { chunkBounds, chunkKey } from '../../src/detect/chunked-scan.js';
import { ChunkTable } from '../../src/detect/chunk-table.js';
import { scan } from '../../src/scan/scan.js';
import { fake, TestRepo } from '../helpers/repo.js';

/** A source-like file of `blocks` paragraphs separated by blank lines, about 40 KB. */
function sourceFile(blocks: number, tag = ''): string {
  const out: string[] = [];
  for (let b = 0; b < blocks; b++) {
    const lines = [];
    for (let l = 0; l < 12; l++) lines.push(`  const value_${b}_${l} = compute(${b * 31 + l}, "${tag}${'x'.repeat(l * 3)}");`);
    out.push(`function block${b}() {\n${lines.join('\n')}\n}\n`);
  }
  return out.join('\n');
}

describe('content-defined chunks', () => {
  it('cover the data exactly, at blank lines, between the size bounds', () => {
    const data = Buffer.from(sourceFile(120));
    const bounds = chunkBounds(data);
    expect(bounds[0].start).toBe(0);
    expect(bounds[bounds.length - 1].end).toBe(data.length);
    for (let i = 1; i < bounds.length; i++) expect(bounds[i].start).toBe(bounds[i - 1].end);
    for (const b of bounds.slice(0, -1)) {
      expect(b.end - b.start).toBeGreaterThanOrEqual(4096);
      expect(data.toString('latin1', b.end - 2, b.end)).toBe('\n\n');
    }
  });

  it('stay identical after an edit elsewhere in the file', () => {
    const before = Buffer.from(sourceFile(120));
    const after = Buffer.from('// a new header line\n\n' + sourceFile(120));
    const keys = (d: Buffer) => chunkBounds(d).map((b) => chunkKey(d.subarray(b.start, b.end)).join(':'));
    const old = new Set(keys(before));
    const fresh = keys(after).filter((k) => !old.has(k));
    expect(fresh.length).toBeLessThanOrEqual(2);
  });

  it('fall back to line ends in a file without blank lines, and never loop on one long line', () => {
    const noBlank = Buffer.from('x = 1\n'.repeat(50_000));
    const bounds = chunkBounds(noBlank);
    expect(bounds.length).toBeGreaterThan(3);
    for (const b of bounds.slice(0, -1)) expect(noBlank[b.end - 1]).toBe(10);
    const oneLine = Buffer.from('a'.repeat(300_000));
    expect(chunkBounds(oneLine)).toEqual([{ start: 0, end: 300_000 }]);
  });
});

describe('the shared chunk table', () => {
  it('hands each fingerprint to one claimer, tells halves apart, and degrades when full', () => {
    const table = ChunkTable.forChunks(10);
    expect(table.claim(5n, 7n)).toEqual({ slot: 5, fresh: true });
    expect(table.claim(5n, 7n)).toEqual({ slot: 5, fresh: false });
    // Same high half, other low half: another chunk, in the next slot.
    expect(table.claim(5n, 9n)).toEqual({ slot: 6, fresh: true });
    const tiny = new ChunkTable(new SharedArrayBuffer(2 * 16));
    tiny.claim(1n, 1n);
    tiny.claim(2n, 1n);
    expect(tiny.claim(3n, 1n)).toEqual({ slot: -1, fresh: true });
  });
});

describe('history scan with shared chunks', () => {
  const repo = new TestRepo();
  afterAll(() => repo.cleanup());

  it('places a secret from a reused chunk at the right line in every version', async () => {
    const token = fake.githubPat('s');
    const body = sourceFile(40) + `\nconst token = "${token}";\n\n` + sourceFile(40, 'tail');
    const first = repo.commit('v1', { 'src/app.js': body });
    const lineV1 = body.split('\n').findIndex((l) => l.includes(token)) + 1;
    const header = '// header\n'.repeat(10) + '\n';
    repo.commit('v2', { 'src/app.js': header + body });
    const { findings } = await scan({ path: repo.dir, history: true, staged: false, includeIgnored: false, showSecrets: true, threads: 2 });
    const f = findings.find((x) => x.secret === token)!;
    expect(f.locations).toEqual([
      expect.objectContaining({ file: 'src/app.js', line: lineV1 + 11, column: 16, commit: null }),
      expect.objectContaining({ file: 'src/app.js', line: lineV1, column: 16, commit: first }),
    ]);
  });
});
