/**
 * Crash points for the tests that stop apply between two steps:
 * `VAULTSWEEP_FAILPOINT=<name>` sends SIGKILL (a power cut: no handler runs, nothing is flushed
 * that was not already); `VAULTSWEEP_FAILPOINT=<name>:SIGINT` runs the Ctrl-C handlers at that
 * very point (emitted in-process: a real signal would arrive at some later turn of the loop).
 */
export function failpoint(name: string): void {
  const [point, signal = 'SIGKILL'] = (process.env.VAULTSWEEP_FAILPOINT ?? '').split(':');
  if (point !== name) return;
  delete process.env.VAULTSWEEP_FAILPOINT; // once per run
  if (signal === 'SIGKILL') process.kill(process.pid, 'SIGKILL');
  else process.emit(signal as NodeJS.Signals, signal as NodeJS.Signals);
}
