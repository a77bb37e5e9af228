#!/usr/bin/env node
// Checks the labels written by generate.mjs against the generated repository:
//
//   node scripts/synth/verify-labels.mjs DIR [LABELS_FILE]
//
// For every planted secret: it is in each listed file at `addedIn`; it is gone from those files at
// `removedIn` (when set); it is in the working tree exactly when `inWorktree`. Exit 1 on mismatch.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const [dirArg, labelsArg] = process.argv.slice(2);
if (!dirArg) {
  console.error('usage: node scripts/synth/verify-labels.mjs DIR [LABELS_FILE]');
  process.exit(2);
}
const dir = path.resolve(dirArg);
const labelsFile = labelsArg ?? path.join(dir, '.git', 'vaultsweep-synth-labels.json');
const labels = JSON.parse(fs.readFileSync(labelsFile, 'utf8'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const show = (rev, file) => {
  try {
    return execFileSync('git', ['show', `${rev}:${file}`], { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    if (/does not exist|exists on disk, but not in/.test(String(e.stderr))) return null; // absent at rev
    throw new Error(`git show ${rev}:${file} failed: ${String(e.stderr).trim() || e.message}`);
  }
};
const worktree = (file) => {
  try {
    return fs.readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return null;
  }
};

const errors = [];
for (const s of labels.secrets) {
  const id = `${s.kind} ${s.secret.slice(0, 14)}…`;
  for (const f of s.files) {
    if (!show(s.addedIn, f)?.includes(s.secret)) errors.push(`${id}: not in ${f} at ${s.addedIn}`);
    if (s.removedIn && show(s.removedIn, f)?.includes(s.secret)) errors.push(`${id}: still in ${f} at ${s.removedIn}`);
  }
  const inWt = s.files.some((f) => worktree(f)?.includes(s.secret));
  if (inWt !== s.inWorktree) errors.push(`${id}: inWorktree is ${s.inWorktree}, worktree says ${inWt}`);
}
const kinds = new Set(labels.secrets.map((s) => s.kind));
console.log(
  `${errors.length ? 'FAIL' : 'ok'}: ${labels.secrets.length} secrets of ${kinds.size} kinds, ` +
    `${labels.secrets.filter((s) => s.inWorktree).length} in the working tree, ` +
    `${labels.secrets.filter((s) => s.removedIn).length} removed later, ` +
    `${labels.secrets.filter((s) => s.branch !== 'main').length} planted on feature branches`,
);
for (const e of errors) console.log(`  - ${e}`);
process.exit(errors.length ? 1 : 0);
