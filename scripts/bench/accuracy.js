#!/usr/bin/env node
// `npm run bench:accuracy`: recall and precision of vaultsweep, gitleaks and detect-secrets on the
// three labelled fixture repositories (fixtures/repos/*), all run in the same run on this machine.
// `--write` replaces the `## Accuracy` section of BENCHMARKS.md with the result.
//
//   node scripts/bench/accuracy.js [--write]
//
// Modes:
//   full history   vaultsweep scan (all refs + working tree); gitleaks git --log-opts=--all
//                  (commits of all refs; it does not read uncommitted changes). Every label counts.
//   working tree   vaultsweep scan --no-history; gitleaks dir; detect-secrets scan --all-files, on
//                  the fixture's checkout (HEAD + its uncommitted changes). Labels with
//                  inWorktree: true count; a finding matching a history-only label is a real
//                  secret, so it is not a false alarm, but it adds nothing to recall.
// Matching (the rule of test/helpers/accuracy.ts): a reported value counts for a label when one
// string contains the other and the shorter is at least 8 characters (or they are equal); a label
// stored encoded (`encoding: base64`) also matches its stored form. detect-secrets prints no
// value, only the SHA-1 of it: a result counts for a label when its hashed_secret is the SHA-1 of
// the label (or of its stored form), or when an occurrence of the label in that working-tree file
// covers the reported line. Each tool's findings are counted once per distinct (rule, value) in a
// repository (detect-secrets: per (type, hashed_secret)), as vaultsweep groups its own findings.
// Secrets are never printed: misses and false alarms show the first 4 characters and `…`.
//
// Peers are installed by scripts/bench/peers.js into .cache/bench (git-ignored); one that cannot
// be installed is reported as not available. Reports are written to .cache/bench/accuracy/.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildFixtureRepo, listFixtureRepos, loadFixtureLabels } from '../../fixtures/build-repo.mjs';
import { DETECT_SECRETS_VERSION, GITLEAKS_VERSION, detectSecretsBinary, gitleaksBinary } from './peers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({ options: { write: { type: 'boolean', default: false } } });

const cache = join(root, '.cache', 'bench', 'accuracy');
mkdirSync(cache, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'vaultsweep-bench-accuracy-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------------------------------------
// matching

/** The rule of test/helpers/accuracy.ts: one holds the other, the shorter being >= 8 chars. */
function sameSecret(found, label) {
  if (!found) return false;
  return found === label || (found.length >= 8 && label.includes(found)) || (label.length >= 8 && found.includes(label));
}
const stored = (l) => (l.encoding === 'base64' ? Buffer.from(l.secret).toString('base64') : l.secret);
const forms = (l) => [...new Set([l.secret, stored(l)])];
const sha1 = (s) => createHash('sha1').update(s, 'utf8').digest('hex');
const short = (s) => `${String(s).replace(/\s+/g, ' ').slice(0, 4)}…`;
const labelMatchesValue = (l, value) => forms(l).some((f) => sameSecret(value, f));

/** 1-based line ranges of every occurrence of `text` in `content`. */
function occurrenceLines(content, text) {
  const out = [];
  if (!text) return out;
  for (let i = content.indexOf(text); i !== -1; i = content.indexOf(text, i + 1)) {
    const start = content.slice(0, i).split('\n').length;
    out.push([start, start + text.split('\n').length - 1]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// running the tools

function run(cmd, args, { cwd, okCodes = [0], env } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: env ?? process.env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error || !okCodes.includes(r.status)) {
    const why = r.error ? r.error.message : `exit ${r.status ?? r.signal}`;
    throw new Error(`${cmd} ${args.join(' ')}: ${why}\n${(r.stderr ?? '').slice(-2000)}`);
  }
  return r;
}
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8') || 'null') ?? [];

/** vaultsweep: one finding per distinct secret and rule already. */
function vaultsweep(repo, name, history) {
  const out = join(cache, `${name}-vaultsweep-${history ? 'history' : 'worktree'}.json`);
  rmSync(out, { force: true });
  const args = [join(root, 'bin', 'vaultsweep.js'), 'scan', repo, '-f', 'json', '--show-secrets', '--quiet', '--output', out];
  if (!history) args.push('--no-history');
  const r = run(process.execPath, args, { okCodes: [0, 1] }); // 1: findings were reported
  if (!existsSync(out)) throw new Error(`no report (is dist/ built? npm run build)\n${r.stderr.slice(-2000)}`);
  return readJson(out).map((f) => ({
    rule: f.rule,
    value: f.secret ?? '',
    where: `${f.locations[0].file}:${f.locations[0].line}${f.locations[0].commit ? `@${f.locations[0].commit.slice(0, 7)}` : ''}`,
  }));
}

// gitleaks reads its configuration from these when they are set; the default rules are compared.
const peerEnv = { ...process.env };
delete peerEnv.GITLEAKS_CONFIG;
delete peerEnv.GITLEAKS_CONFIG_TOML;

/** gitleaks git (all refs) or gitleaks dir; one report line per occurrence, grouped by (rule, value). */
function gitleaks(exe, repo, name, history) {
  const out = join(cache, `${name}-gitleaks-${history ? 'git' : 'dir'}.json`);
  rmSync(out, { force: true });
  const args = history ? ['git', repo, '--log-opts=--all'] : ['dir', repo];
  args.push('--report-format', 'json', '--report-path', out, '--no-banner', '--exit-code', '0', '--log-level', 'error');
  run(exe, args, { cwd: repo, env: peerEnv });
  const groups = new Map();
  for (const f of readJson(out)) {
    const key = `${f.RuleID}\0${f.Secret}`;
    if (groups.has(key)) continue;
    const file = isAbsolute(f.File) ? relative(repo, f.File) : f.File;
    groups.set(key, { rule: f.RuleID, value: f.Secret ?? '', where: `${file}:${f.StartLine}${f.Commit ? `@${f.Commit.slice(0, 7)}` : ''}` });
  }
  return [...groups.values()];
}

/** detect-secrets scan --all-files in the checkout; results keep file and line to match by line. */
function detectSecrets(exe, repo, name) {
  const r = run(exe, ['scan', '--all-files'], { cwd: repo, env: peerEnv });
  writeFileSync(join(cache, `${name}-detect-secrets.json`), r.stdout);
  const groups = new Map();
  for (const [file, results] of Object.entries(JSON.parse(r.stdout).results ?? {})) {
    for (const x of results) {
      const key = `${x.type}\0${x.hashed_secret}`;
      if (!groups.has(key)) groups.set(key, { rule: x.type, hash: x.hashed_secret, places: [], where: `${file}:${x.line_number}` });
      groups.get(key).places.push({ file, line: x.line_number });
    }
  }
  return [...groups.values()];
}

// ---------------------------------------------------------------------------------------------
// scoring

/** Does finding `f` (of `tool`) stand for label/decoy text `texts`? */
function findingMatches(f, texts, repo, fileCache) {
  if (f.hash === undefined) return texts.some((t) => sameSecret(f.value, t));
  if (texts.some((t) => sha1(t) === f.hash)) return true;
  return f.places.some(({ file, line }) => {
    const key = join(repo, file);
    if (!fileCache.has(key)) fileCache.set(key, existsSync(key) ? readFileSync(key, 'utf8') : '');
    return texts.some((t) => occurrenceLines(fileCache.get(key), t).some(([a, b]) => line >= a && line <= b));
  });
}

function decoyOf(f, decoys, repo, fileCache) {
  if (f.hash === undefined) return f.value.length >= 4 ? decoys.find((d) => d.text.includes(f.value) || f.value.includes(d.text)) : undefined;
  return decoys.find((d) => findingMatches(f, [d.text], repo, fileCache));
}

/** Scores the findings of one tool on one repository in one mode. */
function score(findings, fixture, mode) {
  const { name, dir, labels, decoys, committed } = fixture;
  const fileCache = new Map();
  const counted = mode === 'history' ? labels : labels.filter((l) => l.inWorktree);
  const matchOf = (f) => labels.filter((l) => findingMatches(f, forms(l), dir, fileCache));
  const matches = findings.map(matchOf);
  const found = counted.filter((l) => matches.some((m) => m.includes(l)));
  const missed = counted
    .filter((l) => !found.includes(l))
    .map((l) => ({ repo: name, kind: l.kind, secret: short(l.secret), uncommitted: !forms(l).some((t) => committed.includes(t)) }));
  const falseAlarms = findings
    .filter((f, i) => matches[i].length === 0)
    .map((f) => ({ repo: name, rule: f.rule, where: f.where, value: f.value !== undefined ? short(f.value) : null, decoy: decoyOf(f, decoys, dir, fileCache)?.why ?? null }));
  return { labels: counted.length, found: found.length, findings: findings.length, truePositives: findings.length - falseAlarms.length, missed, falseAlarms };
}

function sum(parts) {
  const t = { labels: 0, found: 0, findings: 0, truePositives: 0, missed: [], falseAlarms: [] };
  for (const p of parts) {
    t.labels += p.labels;
    t.found += p.found;
    t.findings += p.findings;
    t.truePositives += p.truePositives;
    t.missed.push(...p.missed);
    t.falseAlarms.push(...p.falseAlarms);
  }
  t.recall = t.labels ? t.found / t.labels : 1;
  t.precision = t.findings ? t.truePositives / t.findings : 1;
  return t;
}

// ---------------------------------------------------------------------------------------------
// the run

/** All text of the blobs reachable from any ref (to tell a miss that is only in uncommitted changes). */
function committedText(dir) {
  const objects = execFileSync('git', ['-C', dir, 'rev-list', '--all', '--objects'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter(Boolean);
  const types = execFileSync('git', ['-C', dir, 'cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: objects.join('\n') + '\n', encoding: 'utf8' });
  const blobs = types.split('\n').filter((l) => l.endsWith(' blob')).map((l) => l.split(' ')[0]);
  return blobs.map((b) => execFileSync('git', ['-C', dir, 'cat-file', 'blob', b], { encoding: 'utf8', maxBuffer: 1 << 28 })).join('\n\0\n');
}

const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return null;
  }
};

const fixtures = [];
for (const name of listFixtureRepos()) {
  const dir = join(work, name);
  await buildFixtureRepo(name, dir);
  const spec = loadFixtureLabels(name);
  fixtures.push({ name, dir, labels: spec.secrets ?? [], decoys: (spec.decoys ?? []).filter((d) => typeof d.text === 'string'), committed: committedText(dir) });
}

const gitleaksExe = gitleaksBinary(root);
const detectSecretsExe = detectSecretsBinary(root);
const gitleaksVersion = gitleaksExe
  ? (/\bmod\s+\S+gitleaks\S*\s+(v\S+)/.exec(version('go', ['version', '-m', gitleaksExe]) ?? '')?.[1] ?? GITLEAKS_VERSION)
  : null;
const detectSecretsVersion = detectSecretsExe ? version(detectSecretsExe, ['--version']) ?? DETECT_SECRETS_VERSION : null;
const vaultsweepVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

const tools = [
  { tool: `vaultsweep ${vaultsweepVersion}`, mode: 'history', what: 'scan', run: (fx) => vaultsweep(fx.dir, fx.name, true) },
  { tool: `gitleaks ${gitleaksVersion ?? GITLEAKS_VERSION}`, mode: 'history', what: 'git --log-opts=--all', available: !!gitleaksExe, run: (fx) => gitleaks(gitleaksExe, fx.dir, fx.name, true) },
  { tool: `detect-secrets ${detectSecretsVersion ?? DETECT_SECRETS_VERSION}`, mode: 'history', what: 'no history scan', available: !!detectSecretsExe, unsupported: true },
  { tool: `vaultsweep ${vaultsweepVersion}`, mode: 'worktree', what: 'scan --no-history', run: (fx) => vaultsweep(fx.dir, fx.name, false) },
  { tool: `gitleaks ${gitleaksVersion ?? GITLEAKS_VERSION}`, mode: 'worktree', what: 'dir', available: !!gitleaksExe, run: (fx) => gitleaks(gitleaksExe, fx.dir, fx.name, false) },
  { tool: `detect-secrets ${detectSecretsVersion ?? DETECT_SECRETS_VERSION}`, mode: 'worktree', what: 'scan --all-files', available: !!detectSecretsExe, run: (fx) => detectSecrets(detectSecretsExe, fx.dir, fx.name) },
];

const errors = [];
for (const t of tools) {
  if (t.unsupported || t.available === false) continue;
  try {
    t.result = sum(fixtures.map((fx) => score(t.run(fx), fx, t.mode)));
  } catch (err) {
    errors.push(`${t.tool} ${t.what}: ${err.message}`);
    t.error = true;
  }
}
if (!tools[0].result || !tools[3].result) {
  // vaultsweep itself did not run (dist/ not built?): nothing to compare against
  process.stderr.write(`${errors.join('\n\n')}\n`);
  process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// report

const modeName = { history: 'full history', worktree: 'working tree' };
const pct = (x) => x.toFixed(3);
const row = (t) => {
  const head = `| ${t.tool}${t.unsupported ? '' : ` \`${t.what}\``} | ${modeName[t.mode]}`;
  if (t.unsupported) return `${head} | — | — | — | ${t.what} |`;
  if (t.available === false) return `${head} | — | — | — | not available (could not be installed) |`;
  if (t.error) return `${head} | — | — | — | failed to run |`;
  const r = t.result;
  return `${head} | ${r.found}/${r.labels} | ${pct(r.recall)} | ${pct(r.precision)} | ${r.falseAlarms.length} of ${r.findings} |`;
};
const missLine = (m) => `${m.repo}: ${m.kind} \`${m.secret}\`${m.uncommitted ? ' (only in uncommitted changes)' : ''}`;
const alarmLine = (a) => `${a.repo}: ${a.rule} ${a.where}${a.value ? ` \`${a.value}\`` : ''}${a.decoy ? ` (decoy: ${a.decoy})` : ''}`;

const allLabels = fixtures.flatMap((f) => f.labels);
const wtLabels = allLabels.filter((l) => l.inWorktree).length;
const decoyCount = fixtures.reduce((n, f) => n + f.decoys.length, 0);
const ours = tools[0].result;
const nproc = version('nproc', []) ?? '?';
const machine = [
  `Node ${process.version}`,
  version('go', ['version'])?.replace(/^go version /, 'Go ') ?? 'Go not found',
  (detectSecretsExe ? version(join(dirname(detectSecretsExe), 'python'), ['--version']) : version('python3', ['--version'])) ?? 'Python not found',
  version('git', ['--version']) ?? 'git not found',
  `nproc ${nproc}`,
].join('; ');
const toolVersions = [
  `vaultsweep ${vaultsweepVersion} (this checkout, dist/ built by the command)`,
  gitleaksExe ? `gitleaks ${gitleaksVersion} (built with \`go install\` into .cache/bench/bin)` : 'gitleaks not available',
  detectSecretsExe ? `detect-secrets ${detectSecretsVersion} (pip, in .cache/bench/detect-secrets-venv)` : 'detect-secrets not available',
].join('; ');

const lines = [
  `\`npm test\` builds the three labelled fixture repositories in \`fixtures/repos/\` (${allLabels.length} planted`,
  `secrets, ${decoyCount} decoys) and measures recall and precision; the suite fails below recall 0.95 or`,
  `precision 0.9. Today: **recall ${pct(ours.recall)}, precision ${pct(ours.precision)}** (${ours.found} of ${ours.labels} found, ${ours.falseAlarms.length ? `${ours.falseAlarms.length} false alarm${ours.falseAlarms.length > 1 ? 's' : ''}` : 'no false alarm'}).`,
  '',
  '### Against gitleaks and detect-secrets',
  '',
  'Command: `npm run bench:accuracy -- --write` (`scripts/bench/accuracy.js`)  ',
  `Machine: ${machine}  `,
  `Tools: ${toolVersions}  `,
  `Date: ${new Date().toISOString().slice(0, 10)}; all tools in the same run, with their default rules and settings.`,
  '',
  `The same three repositories, built into a temporary folder: ${allLabels.length} labelled secrets in all, ${wtLabels} of them`,
  'still in the working tree (HEAD plus the fixtures\' uncommitted changes). **Full history** counts every',
  'label: vaultsweep scans all refs and the working tree, `gitleaks git --log-opts=--all` the commits of',
  'all refs (it never reads uncommitted changes; such misses are marked). detect-secrets has no history',
  'scan. **Working tree** counts the labels with `inWorktree: true`; there a finding that matches a',
  'history-only label would be a real secret, so it is not a false alarm, but it adds nothing to recall.',
  '',
  '| tool | mode | found / labels | recall | precision | false alarms / findings |',
  '| --- | --- | ---: | ---: | ---: | ---: |',
  ...tools.map(row),
  '',
  'A finding counts for a label when one value contains the other and the shorter is at least 8',
  'characters, as in `test/helpers/accuracy.ts` (a Kubernetes `data:` value also matches in its base64',
  'form). detect-secrets reports only a SHA-1 of the value: a result counts when its `hashed_secret` is',
  'the SHA-1 of the label, or when an occurrence of the label in that file covers the reported line (a',
  'PEM key is reported on its BEGIN line). Findings are counted once per distinct (rule, value) in a',
  'repository (detect-secrets: (type, hashed_secret)), the way vaultsweep groups its own. Values are',
  'cut to 4 characters below; the reports are in `.cache/bench/accuracy/`.',
];
for (const t of tools) {
  if (!t.result) continue;
  const { missed, falseAlarms } = t.result;
  lines.push('', `**${t.tool}, ${modeName[t.mode]}** — missed ${missed.length}${missed.length ? ':' : ''}`);
  if (missed.length) lines.push(...missed.map((m) => `- ${missLine(m)}`));
  lines.push('', `false alarms ${falseAlarms.length}${falseAlarms.length ? ':' : ''}`);
  if (falseAlarms.length) lines.push(...falseAlarms.map((a) => `- ${alarmLine(a)}`));
}
// labels a peer found and vaultsweep missed in the same mode: product bugs
const ourMissed = (mode) => new Set((tools.find((t) => t.mode === mode && t.tool.startsWith('vaultsweep')).result?.missed ?? []).map(missLine));
const peerOnly = [];
for (const t of tools) {
  if (!t.result || t.tool.startsWith('vaultsweep')) continue;
  const theirs = new Set(t.result.missed.map(missLine));
  for (const m of ourMissed(t.mode)) if (!theirs.has(m)) peerOnly.push(`${t.tool} (${modeName[t.mode]}) found ${m}`);
}
lines.push('', peerOnly.length ? `Found by a peer and missed by vaultsweep:\n${peerOnly.map((p) => `- ${p}`).join('\n')}` : 'No label was found by a peer and missed by vaultsweep.');

const section = lines.join('\n');
process.stdout.write(section + '\n');
writeFileSync(join(cache, 'last-results.json'), JSON.stringify({ machine, tools: tools.map(({ run: _r, ...t }) => t) }, null, 2));

if (errors.length) {
  process.stderr.write(`\n${errors.join('\n\n')}\n`);
  process.exit(1);
}

if (opts.write) {
  const file = join(root, 'BENCHMARKS.md');
  const current = readFileSync(file, 'utf8');
  const start = current.search(/^## Accuracy[ \t]*$/m);
  if (start < 0) throw new Error('BENCHMARKS.md has no "## Accuracy" section');
  const bodyStart = current.indexOf('\n', start) + 1;
  const next = current.slice(bodyStart).search(/^## /m);
  const end = next < 0 ? current.length : bodyStart + next;
  const tail = next < 0 ? '' : `\n${current.slice(end)}`;
  writeFileSync(file, `${current.slice(0, bodyStart)}\n${section}\n${tail}`);
  process.stderr.write(`updated ${file}\n`);
}
