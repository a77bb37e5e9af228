/** Counters a long scan reports while it runs (the CLI draws them on a TTY). */
export interface ScanProgress {
  commits: number;
  blobs: number;
  files: number;
  bytes: number;
  findings: number;
  phase: 'listing' | 'history' | 'provenance' | 'worktree' | 'done';
}

export function newProgress(): ScanProgress {
  return { commits: 0, blobs: 0, files: 0, bytes: 0, findings: 0, phase: 'listing' };
}
