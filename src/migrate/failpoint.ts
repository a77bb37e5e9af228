/**
 * Crash points for the tests that stop apply between two steps:
 * `VAULTSWEEP_FAILPOINT=<name>` sends SIGKILL (a power cut: no handler runs, nothing is flushed
 * that was not already); `VAULTSWEEP_FAILPOINT=<name>:SIGINT` sends Ctrl-C's signal instead.
 */
export function failpoint(name: string): void {
  const [point, signal = 'SIGKILL'] = (process.env.VAULTSWEEP_FAILPOINT ?? '').split(':');
  if (point !== name) return;
  delete process.env.VAULTSWEEP_FAILPOINT; // once per run
  process.kill(process.pid, signal as NodeJS.Signals);
}
