import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScanScreen } from '../../../src/tui/components/ScanScreen.js';
import type { ScanProgress } from '../../../src/scan/progress.js';

const strip = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
const COLOUR_CODE = /\u001b\[(?:3[0-79]|9[0-7]|38;)[0-9;]*m/;

const progress: ScanProgress = { commits: 12, blobs: 345, files: 6, bytes: 3.25 * 1024 * 1024, findings: 2, phase: 'history' };

describe('ScanScreen', () => {
  beforeAll(() => {
    chalk.level = 1; // the test stdout is not a TTY; without this no style would ever be emitted
  });
  afterEach(() => {
    delete process.env.NO_COLOR;
  });

  it('shows the target and every counter on one line', () => {
    const { lastFrame } = render(<ScanScreen target="my-repo" progress={progress} elapsedMs={4567} width={100} />);
    const lines = strip(lastFrame()!).split('\n');
    expect(lines[0]).toBe('Scanning my-repo');
    expect(lines[1]).toBe('history · 12 commits · 345 blobs · 6 files · 3.3 MiB read · 2 findings · 4.6 s');
    expect(lines).toHaveLength(2);
  });

  it('keeps big counters within 80 columns, elapsed time included', () => {
    const big: ScanProgress = { commits: 25_000, blobs: 1_234_567, files: 18_000, bytes: 5_000 * 1024 * 1024, findings: 1234, phase: 'worktree' };
    const { lastFrame } = render(<ScanScreen target={'x'.repeat(200)} progress={big} elapsedMs={1_234_567} width={80} />);
    const lines = strip(lastFrame()!).split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/…$/);
    expect(lines[1]).toBe('working tree: 25k commits 1.2M blobs 18k files 5000 MiB 1234 findings 1234.6 s');
  });

  it('uses no colour under NO_COLOR', () => {
    expect(render(<ScanScreen target="r" progress={progress} elapsedMs={0} width={80} />).lastFrame()).toMatch(COLOUR_CODE);
    process.env.NO_COLOR = '1';
    const frame = render(<ScanScreen target="r" progress={progress} elapsedMs={0} width={80} />).lastFrame()!;
    expect(frame).not.toMatch(COLOUR_CODE);
    expect(strip(frame)).toContain('0.0 s');
  });
});
