// Peers for the benchmark only, built into a git-ignored folder; the product never uses them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const GITLEAKS_VERSION = 'v8.28.0';

/** Builds gitleaks from the Go module proxy once; returns its path, or null when it cannot be built. */
export function gitleaksBinary(root) {
  const bin = join(root, '.cache', 'bench', 'bin');
  const exe = join(bin, 'gitleaks');
  if (existsSync(exe)) return exe;
  mkdirSync(bin, { recursive: true });
  process.stderr.write(`building gitleaks ${GITLEAKS_VERSION} with go install ...\n`);
  const r = spawnSync('go', ['install', `github.com/zricethezav/gitleaks/v8@${GITLEAKS_VERSION}`], {
    env: { ...process.env, GOBIN: bin },
    stdio: 'inherit',
  });
  if (r.status !== 0 || !existsSync(exe)) {
    process.stderr.write('gitleaks could not be built; comparing against the floor only\n');
    return null;
  }
  return exe;
}
