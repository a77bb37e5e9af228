import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { constants } from 'node:os';
import { InputError } from '../detect/load-rules.js';
import { loadEnvFiles, resolveReferences, type ResolveFlags } from '../run/resolve.js';

export interface RunArgs extends ResolveFlags {
  envFiles: string[];
  command: string[];
  quiet: boolean;
}

/**
 * `vaultsweep run -- COMMAND`: resolves the store references in the env files and the
 * environment, then runs COMMAND with the secrets in its environment, like `op run`. The exit
 * code is the command's; signals reach it.
 */
export async function runCommand(args: RunArgs): Promise<number> {
  if (!args.command.length) throw new InputError('name the command to run after --, e.g. vaultsweep run -- npm start');
  const files = args.envFiles.length ? args.envFiles : existsSync('.env') ? ['.env'] : [];
  const { env, resolved } = await resolveReferences(loadEnvFiles(files, process.env), args);
  if (!args.quiet && resolved.length) process.stderr.write(`vaultsweep run: ${resolved.length} variable${resolved.length === 1 ? '' : 's'} from the store (${resolved.join(', ')})\n`);
  const child = spawn(args.command[0], args.command.slice(1), { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (error: NodeJS.ErrnoException) => reject(new InputError(`cannot run ${args.command[0]}: ${error.code === 'ENOENT' ? 'command not found' : error.message}`)));
      child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 1)));
    });
  } finally {
    for (const [signal, handler] of handlers) process.off(signal, handler);
  }
}
