import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { simpleGit, type SimpleGit, type SimpleGitOptions } from 'simple-git';
import type { Readable, Writable } from 'node:stream';

/**
 * A scanned repository may be hostile. These settings keep anything its config names from
 * running: fsmonitor hooks, hooks, external diff drivers, textconv filters, pagers, credential
 * helpers, and any transport.
 */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.untrackedCache=false',
  'core.quotePath=false',
  'diff.external=',
  'credential.helper=',
  'protocol.allow=never',
  'core.sshCommand=false',
  'gc.auto=0',
  'maintenance.auto=false',
  'log.showSignature=false',
];

export const SAFE_GIT_ENV: NodeJS.ProcessEnv = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_NO_REPLACE_OBJECTS: '1',
  // Nor grafts (info/grafts): the history is what the objects say, not what a file pretends.
  GIT_GRAFT_FILE: '/dev/null/no-grafts',
  GIT_ASKPASS: 'false',
  GIT_EXTERNAL_DIFF: '',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
};

export function gitArgs(args: string[]): string[] {
  return [...SAFE_CONFIG.flatMap((c) => ['-c', c]), ...args];
}

/**
 * git gets a clean environment: no GIT_* variable of the caller's can point it at another
 * repository, config or program.
 */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'TMP', 'TEMP', 'SYSTEMROOT', 'USERPROFILE']) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  return { ...env, ...SAFE_GIT_ENV };
}

export class GitError extends Error {
  override name = 'GitError';
}

export type GitProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/** Starts git with the safe settings; the caller streams stdout. */
export function spawnGit(cwd: string, args: string[]): GitProcess {
  return spawn('git', gitArgs(args), { cwd, env: gitEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs git to completion and returns stdout as a Buffer; rejects with stderr on failure. */
export function runGit(cwd: string, args: string[], input?: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawnGit(cwd, args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new GitError(`cannot run git: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new GitError(`git ${args[0]} failed (exit ${code}): ${Buffer.concat(err).toString('utf8').trim()}`));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** Lines of a -z output. */
export function splitNul(data: Buffer): string[] {
  const text = data.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const SIMPLE_GIT_UNSAFE = {
  // simple-git guards against callers that pass these settings through from untrusted input;
  // here they are our own fixed values that switch the dangerous features off.
  allowUnsafeFsMonitor: true,
  allowUnsafeHooksPath: true,
  allowUnsafePager: true,
  allowUnsafeDiffExternal: true,
  allowUnsafeCredentialHelper: true,
  allowUnsafeProtocolOverride: true,
  allowUnsafeSshCommand: true,
  allowUnsafeAskPass: true,
};

/** simple-git for short queries, with the same safe settings and environment. */
export function repoGit(baseDir: string): SimpleGit {
  const options = { baseDir, config: SAFE_CONFIG, unsafe: SIMPLE_GIT_UNSAFE, allowEnvironment: Object.keys(SAFE_GIT_ENV) };
  return simpleGit(options as Partial<SimpleGitOptions>).env(gitEnv());
}
