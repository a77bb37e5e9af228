import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * vitest global setup: starts the real OpenBao and moto servers with scripts/services.sh (the
 * script a person uses), on free loopback ports, and hands their addresses to the test workers
 * through the environment. Each test run has its own pair, stopped at the end.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'services.sh');

export default function setup(): () => void {
  const state = mkdtempSync(join(ROOT, '.cache', 'services-test-'));
  const env = { ...process.env, SERVICES_STATE: state };
  const exports = execFileSync('bash', [SCRIPT, 'start'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  for (const line of exports.split('\n')) {
    const match = /^export ([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) process.env[match[1]] = match[2];
  }
  process.env.VAULTSWEEP_TEST_SERVICES = state;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return () => {
    execFileSync('bash', [SCRIPT, 'stop'], { env, stdio: 'ignore' });
    rmSync(state, { recursive: true, force: true });
  };
}
