/**
 * Crash points for the tests that kill apply between two steps (VAULTSWEEP_FAILPOINT=name).
 * A SIGKILL, like a power cut: no handler runs, nothing is flushed that was not already.
 */
export function failpoint(name: string): void {
  if (process.env.VAULTSWEEP_FAILPOINT === name) process.kill(process.pid, 'SIGKILL');
}
