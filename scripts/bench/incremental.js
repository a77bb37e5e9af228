#!/usr/bin/env node
// `npm run bench:incremental`: re-scanning a history already scanned, (a) with nothing new since
// and (b) after ten new commits, on a copy of the synthetic history of `npm run bench`.
// vaultsweep with its cache (`--cache`, all refs) and with a commit range (`--range OLD..HEAD`,
// what a CI job that remembers the last commit runs), gitleaks with the same range
// (`--log-opts OLD..HEAD`), all in the same run; the full scan for scale. `--write` puts the
// table into BENCHMARKS.md.
//
//   node scripts/bench/incremental.js [--commits 3000] [--files 2000] [--size-mb 300] [--seed 1]
//                                     [--runs 3] [--write] [--no-peers]
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mulberry32 } from '../synth/generate.mjs';
import { ensureGnuTime, measure, median } from './measure.js';
import { ensureSynthRepo, synthName, SYNTH_OPTIONS } from './synth-repo.js';
import { gitleaksBinary, GITLEAKS_VERSION } from './peers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({
  options: {
    ...SYNTH_OPTIONS,
    runs: { type: 'string', default: '3' },
    write: { type: 'boolean', default: false },
    'no-peers': { type: 'boolean', default: false },
  },
});

ensureGnuTime();
const runs = Number(opts.runs);
const cache = join(root, '.cache', 'bench');
const source = await ensureSynthRepo(cache, opts);
const name = synthName(opts);

// The scans below add commits: they run on a copy, made afresh each time.
const repo = join(cache, `${name}-incremental`);
rmSync(repo, { recursive: true, force: true });
cpSync(source, repo, { recursive: true });
const git = (...args) => execFileSync('git', ['-C', repo, '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
// A copy has new inodes and times: refresh the index's stat data, as a checkout would have it.
git('update-index', '-q', '--refresh');
const oldHead = git('rev-parse', 'HEAD').trim();

const report = (tag) => join(cache, `incremental-${tag}.json`);
const scanCache = join(cache, 'incremental-scan-cache.json');
const savedCache = join(cache, 'incremental-scan-cache.saved.json');
const vaultsweep = (tag, extra) => ['node', [join(root, 'bin', 'vaultsweep.js'), 'scan', repo, '--format', 'json', '--output', report(tag), '--quiet', ...extra]];
const gitleaks = opts['no-peers'] ? null : gitleaksBinary(root);
const gitleaksRange = (range) => [gitleaks, ['git', repo, '--no-banner', '--exit-code', '0', '--log-opts', range, '--report-format', 'json', '--report-path', report('gitleaks'), '--log-level', 'error']];

/** Median wall time and largest peak RSS of `runs` runs; `before` runs ahead of each (not timed). */
function time(label, cmd, before = () => undefined) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    before();
    samples.push(measure(cmd[0], cmd[1], { okCodes: [0, 1] }));
  }
  const result = { name: label, seconds: median(samples.map((s) => s.seconds)), rssMiB: Math.max(...samples.map((s) => s.rssMiB)) };
  process.stderr.write(`${label}: ${result.seconds.toFixed(2)} s, ${result.rssMiB.toFixed(0)} MiB\n`);
  return result;
}

const findings = (tag) => JSON.parse(readFileSync(report(tag), 'utf8'));

// (a) Nothing new since the last scan.
rmSync(scanCache, { force: true });
measure(...vaultsweep('full', ['--cache', scanCache]), { okCodes: [0, 1] }); // writes the cache
copyFileSync(scanCache, savedCache);
const nothingNew = [
  time('vaultsweep scan (full history, no cache)', vaultsweep('full', [])),
  time('vaultsweep scan --cache (all refs)', vaultsweep('cached', ['--cache', scanCache])),
  time('vaultsweep scan --range OLD..HEAD', vaultsweep('range', ['--range', `${oldHead}..HEAD`])),
];
if (gitleaks) nothingNew.push(time(`gitleaks ${GITLEAKS_VERSION} git --log-opts OLD..HEAD`, gitleaksRange(`${oldHead}..HEAD`)));
const fullFindings = JSON.stringify(findings('full'));
if (JSON.stringify(findings('cached')) !== fullFindings) throw new Error('the cached scan reported something else than the full scan');

// (b) Ten new commits on the checked-out branch: files edited, two new fake tokens.
const rng = mulberry32(Number(opts.seed) + 7);
const tracked = git('ls-files').split('\n').filter((p) => /\.(js|ts|py|go|ya?ml|tf)$/.test(p));
const token = () => 'ghp_' + Array.from({ length: 36 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'[Math.floor(rng() * 62)]).join('');
const planted = [];
for (let c = 0; c < 10; c++) {
  for (let f = 0; f < 5; f++) {
    const path = join(repo, tracked[Math.floor(rng() * tracked.length)]);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n// edited in incremental commit ${c}.${f}\n`);
  }
  if (c === 3 || c === 7) {
    const secret = token();
    planted.push(secret);
    writeFileSync(join(repo, `incremental-${c}.py`), `GITHUB_TOKEN = "${secret}"\n`);
  }
  git('add', '-A');
  git('commit', '-q', '-m', `incremental change ${c}`);
}
const tenNew = [
  time('vaultsweep scan (full history, no cache)', vaultsweep('full', [])),
  time('vaultsweep scan --cache (all refs)', vaultsweep('cached', ['--cache', scanCache]), () => copyFileSync(savedCache, scanCache)),
  time('vaultsweep scan --range OLD..HEAD', vaultsweep('range', ['--range', `${oldHead}..HEAD`])),
];
if (gitleaks) tenNew.push(time(`gitleaks ${GITLEAKS_VERSION} git --log-opts OLD..HEAD`, gitleaksRange(`${oldHead}..HEAD`)));
if (JSON.stringify(findings('cached')) !== JSON.stringify(findings('full'))) throw new Error('after new commits, the cached scan reported something else than the full scan');
// And it did use the cache (a scan that falls back to a full one is correct, but measures nothing).
copyFileSync(savedCache, scanCache);
const [node, args] = vaultsweep('cached', ['--cache', scanCache]);
const used = spawnSync(node, args.filter((a) => a !== '--quiet'), { encoding: 'utf8' }).stderr;
if (!/history cache: \d+ blob\(s\) not read/.test(used)) throw new Error(`the cached scan did not use its cache:\n${used.slice(0, 2000)}`);
for (const tag of ['cached', 'range']) {
  const found = findings(tag).filter((f) => f.locations.some((l) => l.file.startsWith('incremental-'))).length;
  if (found !== planted.length) throw new Error(`vaultsweep ${tag} found ${found} of the ${planted.length} new tokens`);
}
const gitleaksFound = gitleaks ? findings('gitleaks').filter((f) => f.File.startsWith('incremental-')).length : null;
rmSync(repo, { recursive: true, force: true });

const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; Node ${process.version}; ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}`;
const command = `npm run bench:incremental -- --commits ${opts.commits} --files ${opts.files} --size-mb ${opts['size-mb']} --seed ${opts.seed} --runs ${runs}`;
const rows = (results) => {
  const full = results[0].seconds;
  return results.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${(r.seconds / full).toFixed(2)} | ${r.rssMiB.toFixed(0)} |`);
};
const header = ['| what | wall time (s) | × full scan | peak RSS (MiB) |', '| --- | ---: | ---: | ---: |'];
const table = [
  `Command: \`${command}\`  `,
  `Machine: ${machine}  `,
  `Repository: a copy of the synthetic history of \`npm run bench\` (${opts.commits} commits, seed ${opts.seed}); OLD is the commit HEAD pointed at when the cache was written.  `,
  `Date: ${new Date().toISOString().slice(0, 10)}; median of ${runs} runs each, peak RSS is the largest of the runs. The cached scans were checked to report exactly what the full scan reports.`,
  '',
  '**Nothing new since the last scan**',
  '',
  ...header,
  ...rows(nothingNew),
  '',
  `**Ten new commits** (50 files edited, ${planted.length} new fake tokens: vaultsweep found ${planted.length} of ${planted.length} with the cache and with the range` + (gitleaksFound !== null ? `, gitleaks ${gitleaksFound})` : ')'),
  '',
  ...header,
  ...rows(tenNew),
].join('\n');
process.stdout.write(`${table}\n`);

if (opts.write) {
  const file = join(root, 'BENCHMARKS.md');
  // The default repository has its own table; a larger one (--commits/--size-mb) gets another.
  const isDefault = opts.commits === '3000' && opts.files === '2000' && opts['size-mb'] === '300' && opts.seed === '1';
  const tag = isDefault ? 'incremental' : `incremental-c${opts.commits}-m${opts['size-mb']}`;
  const start = `<!-- bench:${tag}:start -->`;
  const end = `<!-- bench:${tag}:end -->`;
  const current = readFileSync(file, 'utf8');
  const section = `## Incremental re-scan${isDefault ? '' : `: ${opts.commits} commits`}\n\n${start}\n${table}\n${end}\n`;
  const updated = current.includes(start)
    ? current.replace(new RegExp(`${start}[\\s\\S]*${end}`), `${start}\n${table}\n${end}`)
    : current.replace('\n## Working tree', `\n${section}\n## Working tree`);
  writeFileSync(file, updated);
  process.stderr.write(`updated ${file}\n`);
}
