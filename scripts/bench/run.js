#!/usr/bin/env node
// `npm run bench`: full-history scan speed and memory on a deterministic synthetic history, as
// ratios to the floor (`git cat-file --batch-all-objects --batch`) and to gitleaks when it is
// built, all measured in the same run. `--write` puts the table into BENCHMARKS.md.
//
//   node scripts/bench/run.js [--commits 3000] [--files 2000] [--size-mb 300] [--seed 1]
//                             [--runs 3] [--threads N] [--write] [--no-peers]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureGnuTime, measure, median } from './measure.js';
import { ensureSynthRepo, SYNTH_OPTIONS } from './synth-repo.js';
import { gitleaksBinary } from './peers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({
  options: {
    ...SYNTH_OPTIONS,
    runs: { type: 'string', default: '3' },
    threads: { type: 'string' },
    write: { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
  },
});

ensureGnuTime();
const runs = Number(opts.runs);
const cache = join(root, '.cache', 'bench');
const repo = await ensureSynthRepo(cache, opts);

const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
const commitCount = Number(git('rev-list', '--all', '--count').trim());
let blobCount = 0;
let blobBytes = 0;
for (const line of git('cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize)').split('\n')) {
  const [type, size] = line.split(' ');
  if (type === 'blob') {
    blobCount++;
    blobBytes += Number(size);
  }
}

// Reports go to files in the cache: a tool that writes its report by rename would replace /dev/null.
const vaultsweep = ['node', [join(root, 'bin', 'vaultsweep.js'), 'scan', repo, '--format', 'json', '--output', join(cache, 'vaultsweep-report.json'), '--quiet', ...(opts.threads ? ['--threads', opts.threads] : [])]];
const cases = [
  { name: 'floor: git cat-file --batch-all-objects --batch', cmd: ['git', ['-C', repo, 'cat-file', '--batch-all-objects', '--batch']] },
  { name: 'git cat-file --batch-all-objects --unordered --batch', cmd: ['git', ['-C', repo, 'cat-file', '--batch-all-objects', '--unordered', '--batch']] },
  { name: 'diff walk: git log --all -p (no scanning)', cmd: ['git', ['-C', repo, 'log', '--all', '-p', '--no-textconv', '--no-ext-diff', '--format=%H']] },
  { name: 'vaultsweep scan (full history + working tree)', cmd: vaultsweep, okCodes: [0, 1] },
  { name: 'vaultsweep scan --no-history (working tree)', cmd: [vaultsweep[0], [...vaultsweep[1], '--no-history']], okCodes: [0, 1] },
];
const gitleaks = opts['no-peers'] ? null : gitleaksBinary(root);
if (gitleaks) cases.push({ name: 'gitleaks git (full history)', cmd: [gitleaks, ['git', repo, '--no-banner', '--exit-code', '0', '--report-format', 'json', '--report-path', join(cache, 'gitleaks-report.json'), '--log-level', 'error']] });

measure(...cases[0].cmd); // warm the page cache
const results = cases.map((c) => {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(measure(c.cmd[0], c.cmd[1], { okCodes: c.okCodes ?? [0] }));
  const seconds = median(samples.map((s) => s.seconds));
  const rssMiB = Math.max(...samples.map((s) => s.rssMiB));
  process.stderr.write(`${c.name}: ${seconds.toFixed(2)} s, ${rssMiB.toFixed(0)} MiB\n`);
  return { name: c.name, seconds, rssMiB, samples: samples.map((s) => Number(s.seconds.toFixed(3))) };
});

const floor = results[0].seconds;
const ours = results[3].seconds;
const theirs = results.find((r) => r.name.startsWith('gitleaks'));
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${process.version}; ${git('--version').trim()}`;
const command = `npm run bench -- --commits ${opts.commits} --files ${opts.files} --size-mb ${opts['size-mb']} --seed ${opts.seed} --runs ${runs}${opts.threads ? ` --threads ${opts.threads}` : ''}`;
const lines = [
  `Command: \`${command}\`  `,
  `Machine: ${machine}  `,
  `Repository: synthetic, ${commitCount} commits, ${blobCount} blobs, ${(blobBytes / 2 ** 20).toFixed(0)} MiB of blob content (seed ${opts.seed})  `,
  `Date: ${new Date().toISOString().slice(0, 10)}; median of ${runs} runs each, peak RSS is the largest of the runs.`,
  '',
  '| what | wall time (s) | × floor | peak RSS (MiB) |',
  '| --- | ---: | ---: | ---: |',
  ...results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${(r.seconds / floor).toFixed(2)} | ${r.rssMiB.toFixed(0)} |`),
  '',
  `Full-history scan: **${(ours / floor).toFixed(2)}× the floor**` + (theirs ? `, **${(ours / theirs.seconds).toFixed(2)}× gitleaks' time**` : '') + `, peak RSS **${results[3].rssMiB.toFixed(0)} MiB**.`,
];
const table = lines.join('\n');
process.stdout.write(table + '\n');
writeFileSync(join(cache, 'last-results.json'), JSON.stringify({ command, machine, commitCount, blobCount, blobBytes, results }, null, 2));

if (opts.write) {
  const file = join(root, 'BENCHMARKS.md');
  // The default repository has its own table; a larger one (--commits/--size-mb) gets another.
  const isDefault = opts.commits === '3000' && opts.files === '2000' && opts['size-mb'] === '300' && opts.seed === '1';
  const tag = isDefault ? 'history' : `history-c${opts.commits}-m${opts['size-mb']}`;
  const start = `<!-- bench:${tag}:start -->`;
  const end = `<!-- bench:${tag}:end -->`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${start}\n${end}\n`;
  const heading = `## Full-history scan: ${commitCount} commits, ${(blobBytes / 2 ** 20).toFixed(0)} MiB of blobs`;
  const updated = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`)
    : current.replace('\n## Working tree', `\n${heading}\n\n${start}\n${table}\n${end}\n\n## Working tree`);
  writeFileSync(file, updated);
  process.stderr.write(`updated ${file}\n`);
}
