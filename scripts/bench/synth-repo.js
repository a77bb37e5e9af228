// The deterministic synthetic history the history benchmarks run on, generated once into the cache.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateSynthetic } from '../synth/generate.mjs';

/** Command-line options (node:util parseArgs) that choose the repository. */
export const SYNTH_OPTIONS = {
  commits: { type: 'string', default: '3000' },
  files: { type: 'string', default: '2000' },
  'size-mb': { type: 'string', default: '300' },
  seed: { type: 'string', default: '1' },
};

/** The repository's folder name in the cache. */
export const synthName = (opts) => `synth-c${opts.commits}-f${opts.files}-m${opts['size-mb']}-s${opts.seed}`;

/** Generates the repository the options name unless it is already in `cache`; returns its path. */
export async function ensureSynthRepo(cache, opts) {
  const repo = join(cache, synthName(opts));
  if (!existsSync(join(repo, '.git'))) {
    mkdirSync(cache, { recursive: true });
    process.stderr.write(`generating ${repo} ...\n`);
    await generateSynthetic({ out: repo, commits: Number(opts.commits), files: Number(opts.files), sizeMb: Number(opts['size-mb']), seed: Number(opts.seed), quiet: true });
  }
  return repo;
}
