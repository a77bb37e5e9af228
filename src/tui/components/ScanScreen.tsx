import { Box, Text } from 'ink';
import type { ScanProgress } from '../../scan/progress.js';
import { colour, fit } from '../theme.js';

const PHASE_WORDS: Record<ScanProgress['phase'], string> = {
  listing: 'listing',
  history: 'history',
  provenance: 'provenance',
  worktree: 'working tree',
  done: 'done',
};

const MIB = 1024 * 1024;

/** `12,345` in full; compact: `9999`, `120k`, `1.2M`. */
function count(value: number, compact: boolean): string {
  if (!compact) return value.toLocaleString('en-US');
  if (value < 10_000) return String(value);
  return value < 1_000_000 ? `${Math.round(value / 1000)}k` : `${(value / 1_000_000).toFixed(1)}M`;
}

function counted(value: number, word: string, compact: boolean): string {
  return `${count(value, compact)} ${word}${value === 1 ? '' : 's'}`;
}

function progressWords(progress: ScanProgress, elapsedMs: number, compact: boolean): string {
  const mib = progress.bytes / MIB;
  const counters = [
    counted(progress.commits, 'commit', compact),
    counted(progress.blobs, 'blob', compact),
    counted(progress.files, 'file', compact),
    compact ? `${mib.toFixed(mib >= 1000 ? 0 : 1)} MiB` : `${mib.toFixed(1)} MiB read`,
    counted(progress.findings, 'finding', compact),
    `${(elapsedMs / 1000).toFixed(1)} s`,
  ];
  const phase = PHASE_WORDS[progress.phase] ?? progress.phase;
  return compact ? `${phase}: ${counters.join(' ')}` : [phase, ...counters].join(' · ');
}

/** The counters line; in a narrow terminal big numbers get a compact form before anything is cut. */
export function progressLine(progress: ScanProgress, elapsedMs: number, width = Infinity): string {
  const full = progressWords(progress, elapsedMs, false);
  return full.length <= width ? full : progressWords(progress, elapsedMs, true);
}

export function ScanScreen({ target, progress, elapsedMs, width }: { target: string; progress: ScanProgress; elapsedMs: number; width: number }) {
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate">
        {fit(`Scanning ${target}`, width)}
      </Text>
      <Text color={colour('cyan')} wrap="truncate">
        {fit(progressLine(progress, elapsedMs, width), width)}
      </Text>
    </Box>
  );
}
