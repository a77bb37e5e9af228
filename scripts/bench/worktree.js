#!/usr/bin/env node
// `npm run bench:worktree`: scanning a large working tree (files only, no history), vaultsweep
// against gitleaks `dir` and detect-secrets `scan --all-files`, in the same run on the same tree
// of deterministic synthetic files. `--write` puts the table into BENCHMARKS.md.
//
//   node scripts/bench/worktree.js [--files 100000] [--seed 1] [--runs 3] [--write] [--no-peers]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../synth/generate.mjs';
import { ensureGnuTime, measure, median } from './measure.js';
import { detectSecretsBinary, gitleaksBinary, GITLEAKS_VERSION } from './peers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({
  options: {
    files: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
  },
});

const WORDS = 'account amount balance client config context count data error event handler id index items key limit list logger message name options order page params payload request response result service session status store total type user value'.split(' ');
const EXTENSIONS = ['js', 'ts', 'py', 'go', 'yaml', 'tf', 'md', 'json'];

/** One source-like line in the file's language; about one file in 500 carries a fake secret. */
function line(rng, ext) {
  const w = () => WORDS[Math.floor(rng() * WORDS.length)];
  const n = Math.floor(rng() * 1000);
  switch (ext) {
    case 'py':
      return `    ${w()}_${w()} = ${w()}.get("${w()}", ${n})`;
    case 'go':
      return `\t${w()}${n} := ${w()}.${w()}(ctx, "${w()}")`;
    case 'yaml':
      return `  ${w()}_${w()}: ${w()}-${n}`;
    case 'tf':
      return `  ${w()}_${w()} = "${w()}-${n}"`;
    case 'md':
      return `The ${w()} ${w()} keeps the ${w()} of each ${w()} (${n} at most).`;
    case 'json':
      return `  "${w()}${n}": "${w()}",`;
    default:
      return `  const ${w()}${n} = await ${w()}.${w()}({ ${w()}: ${n} });`;
  }
}

function fakeSecret(rng) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (len) => Array.from({ length: len }, () => alphabet[Math.floor(rng() * alphabet.length)]).join('');
  return rng() < 0.5 ? `ghp_${pick(36)}` : `AKIA${pick(16).toUpperCase().replace(/[^A-Z2-7]/g, 'Q')}`;
}

/** Writes the tree once into the bench cache (deterministic from the seed). */
function generateTree(dir, count, seed) {
  const rng = mulberry32(seed);
  const temp = `${dir}.partial`;
  rmSync(temp, { recursive: true, force: true });
  let bytes = 0;
  let secrets = 0;
  for (let i = 0; i < count; i++) {
    const ext = EXTENSIONS[i % EXTENSIONS.length];
    const folder = join(temp, `pkg${Math.floor(i / 1000)}`, `mod${Math.floor(i / 50) % 20}`);
    if (i % 50 === 0) mkdirSync(folder, { recursive: true });
    const lines = Array.from({ length: 10 + Math.floor(rng() * 60) }, () => line(rng, ext));
    if (rng() < 0.002) {
      lines.splice(Math.floor(lines.length / 2), 0, `  api_token = "${fakeSecret(rng)}"`);
      secrets++;
    }
    const text = `${lines.join('\n')}\n`;
    bytes += text.length;
    writeFileSync(join(folder, `file${i}.${ext}`), text);
  }
  renameSync(temp, dir);
  return { bytes, secrets };
}

ensureGnuTime();
const runs = Number(opts.runs);
const files = Number(opts.files);
const cache = join(root, '.cache', 'bench');
// Outside this repository: a folder under it would be a git-ignored subfolder, which vaultsweep
// (rightly) does not scan.
const tree = join(tmpdir(), `vaultsweep-bench-tree-f${files}-s${opts.seed}`);
if (!existsSync(tree)) {
  mkdirSync(cache, { recursive: true });
  process.stderr.write(`generating ${files} files into ${tree} ...\n`);
  generateTree(tree, files, Number(opts.seed));
}
const bytes = Number(execFileSync('du', ['-sb', tree], { encoding: 'utf8' }).split('\t')[0]);
const planted = Number(execFileSync('sh', ['-c', 'grep -rl api_token . | wc -l'], { cwd: tree, encoding: 'utf8' }).trim());

const cases = [
  { name: 'floor: read every file (find, xargs cat)', cmd: ['sh', ['-c', `find . -type f -print0 | xargs -0 cat > /dev/null`]], cwd: tree },
  { name: 'vaultsweep scan (folder)', cmd: ['node', [join(root, 'bin', 'vaultsweep.js'), 'scan', tree, '--format', 'json', '--output', join(cache, 'tree-vaultsweep.json'), '--quiet']], okCodes: [0, 1] },
];
if (!opts['no-peers']) {
  const gitleaks = gitleaksBinary(root);
  if (gitleaks) cases.push({ name: `gitleaks ${GITLEAKS_VERSION} dir`, cmd: [gitleaks, ['dir', tree, '--no-banner', '--exit-code', '0', '--report-format', 'json', '--report-path', join(cache, 'tree-gitleaks.json'), '--log-level', 'error']] });
  const detectSecrets = detectSecretsBinary(root);
  if (detectSecrets) cases.push({ name: 'detect-secrets scan --all-files', cmd: [detectSecrets, ['scan', '--all-files']], cwd: tree, once: true });
}

measure(...cases[0].cmd, { cwd: tree }); // warm the page cache
const results = cases.map((c) => {
  if (c.name.startsWith('vaultsweep')) {
    // A scan that finds nothing would be fast and worthless: check it found the planted tokens.
    measure(c.cmd[0], c.cmd[1], { cwd: c.cwd, okCodes: c.okCodes });
    const found = JSON.parse(readFileSync(join(cache, 'tree-vaultsweep.json'), 'utf8')).reduce((n, f) => n + f.locations.length, 0);
    if (found < planted) throw new Error(`vaultsweep found ${found} of the ${planted} planted tokens: the benchmark would measure nothing`);
  }
  const samples = [];
  // detect-secrets takes minutes on a large tree: measured once.
  for (let i = 0; i < (c.once ? 1 : runs); i++) samples.push(measure(c.cmd[0], c.cmd[1], { cwd: c.cwd, okCodes: c.okCodes ?? [0] }));
  const seconds = median(samples.map((s) => s.seconds));
  const rssMiB = Math.max(...samples.map((s) => s.rssMiB));
  process.stderr.write(`${c.name}: ${seconds.toFixed(2)} s, ${rssMiB.toFixed(0)} MiB\n`);
  return { name: c.name, seconds, rssMiB };
});

const ours = results[1].seconds;
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${process.version}`;
const command = `npm run bench:worktree -- --files ${files} --seed ${opts.seed} --runs ${runs}`;
const table = [
  `Command: \`${command}\`  `,
  `Machine: ${machine}  `,
  `Tree: ${files} synthetic source files (JS, TS, Python, Go, YAML, Terraform, Markdown, JSON) in ${files / 1000} packages, ${(bytes / 2 ** 20).toFixed(0)} MiB, a fake token in ${planted} of them (seed ${opts.seed}), all of them found by vaultsweep (the script checks); not a git repository, so every tool reads files.  `,
  `Date: ${new Date().toISOString().slice(0, 10)}; median of ${runs} runs each (detect-secrets: one run), peak RSS is the largest of the runs.`,
  '',
  '| what | wall time (s) | × vaultsweep | peak RSS (MiB) |',
  '| --- | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${(r.seconds / ours).toFixed(2)} | ${r.rssMiB.toFixed(0)} |`),
].join('\n');
process.stdout.write(`${table}\n`);

if (opts.write) {
  const file = join(root, 'BENCHMARKS.md');
  const start = '<!-- bench:worktree:start -->';
  const end = '<!-- bench:worktree:end -->';
  const current = readFileSync(file, 'utf8');
  const section = `## Working tree: ${files} files\n\n${start}\n${table}\n${end}\n`;
  const updated = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`)
    : current.replace('\n## Accuracy', `\n${section}\n## Accuracy`);
  writeFileSync(file, updated);
  process.stderr.write(`updated ${file}\n`);
}
