// Runs a command and reports its wall time and peak resident memory (GNU time's %M: the largest
// RSS of the process and the children it waited for).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const GNU_TIME = '/usr/bin/time';

export function ensureGnuTime() {
  if (existsSync(GNU_TIME)) return;
  if (process.getuid?.() === 0) spawnSync('apt-get', ['install', '-y', '-q', 'time'], { stdio: 'inherit' });
  if (!existsSync(GNU_TIME)) throw new Error('GNU time is needed for peak memory: apt-get install time');
}

/** Runs `command args` in `cwd`; stdout goes to /dev/null. Returns seconds and peak RSS in MiB. */
export function measure(command, args, { cwd, env, okCodes = [0] } = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(GNU_TIME, ['-f', '%M', command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = r.stderr.toString();
  const lines = stderr.trim().split('\n');
  const kib = Number(lines[lines.length - 1]);
  const code = r.status === null ? -1 : /Command exited with non-zero status (\d+)/.exec(stderr)?.[1];
  const exit = code === undefined ? 0 : Number(code);
  if (!okCodes.includes(exit)) throw new Error(`${command} ${args.join(' ')} exited ${exit}:\n${stderr.slice(-2000)}`);
  return { seconds, rssMiB: kib / 1024 };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
