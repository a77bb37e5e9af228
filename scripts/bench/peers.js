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

export const DETECT_SECRETS_VERSION = '1.5.0';

/**
 * Installs detect-secrets (pinned) from PyPI into a virtualenv in the cache once; returns the path
 * of its `detect-secrets` command, or null when it cannot be installed.
 */
export function detectSecretsBinary(root) {
  const venv = join(root, '.cache', 'bench', 'detect-secrets-venv');
  const exe = join(venv, 'bin', 'detect-secrets');
  const pip = join(venv, 'bin', 'pip');
  const installed = () => {
    if (!existsSync(exe)) return false;
    const v = spawnSync(exe, ['--version'], { encoding: 'utf8' });
    return v.status === 0 && v.stdout.trim() === DETECT_SECRETS_VERSION;
  };
  if (installed()) return exe;
  process.stderr.write(`installing detect-secrets ${DETECT_SECRETS_VERSION} into ${venv} ...\n`);
  mkdirSync(join(root, '.cache', 'bench'), { recursive: true });
  if (!existsSync(pip)) {
    const python = process.env.PYTHON ?? 'python3';
    const v = spawnSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
    if (v.status !== 0 || !existsSync(pip)) {
      process.stderr.write(`could not create a virtualenv with ${python} -m venv; detect-secrets is not available\n`);
      return null;
    }
  }
  const r = spawnSync(pip, ['install', '--quiet', '--disable-pip-version-check', `detect-secrets==${DETECT_SECRETS_VERSION}`], {
    stdio: 'inherit',
  });
  if (r.status !== 0 || !installed()) {
    process.stderr.write('detect-secrets could not be installed; it is left out of the comparison\n');
    return null;
  }
  return exe;
}
