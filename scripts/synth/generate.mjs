#!/usr/bin/env node
// Deterministic generator of synthetic git histories for vaultsweep benchmarks and tests.
//
//   node scripts/synth/generate.mjs --out DIR [--commits 3000] [--files 2000] [--size-mb 300]
//        [--seed 1] [--secrets 50] [--labels FILE] [--no-repack]
//
//   import { generateSynthetic } from './scripts/synth/generate.mjs';
//   const summary = await generateSynthetic({ out, commits, files, sizeMb, seed });
//
// The repository gets N commits (mostly on main, a few feature branches of which some are merged,
// annotated tags) over F files of source-like text (JS/TS, Python, Go, YAML, Terraform, JSON,
// Markdown, a few minified bundles with very long lines and a few binary files with NUL bytes).
// Each commit changes a few files, picked with a skewed popularity, so there are many distinct
// blob versions; the blob content across history totals about M MB. About `secrets` fake secrets
// of assorted formats are planted at deterministic places, some removed later, some only on
// feature branches; they are listed in DIR/.git/vaultsweep-synth-labels.json (or --labels FILE),
// which is outside both the work tree and the history.
//
// Everything is derived from the seed with mulberry32 (no Math.random, no clock), authors and
// dates are fixed, so the same arguments give the same commit SHAs. The history is written as one
// `git fast-import` stream, repacked with deltas like `git gc` would (skip with --no-repack), then
// `git checkout -f main` fills the working tree.

import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { secretFactory } from './secret-formats.mjs';

// ---------------------------------------------------------------------------------------------
// PRNG

export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(s) {
  if (typeof s === 'number' && Number.isFinite(s)) return s >>> 0;
  if (/^\d+$/.test(String(s))) return Number(s) >>> 0;
  let h = 0x811c9dc5; // FNV-1a of a non-numeric seed
  for (const c of String(s)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

function makeRng(seed) {
  const f = mulberry32(seed);
  const int = (n) => Math.floor(f() * n);
  return {
    f,
    int,
    range: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => f() < p,
    pick: (arr) => arr[int(arr.length)],
    gauss: () => {
      const u = 1 - f();
      const v = f();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Vocabulary. Identifiers never contain words that generic secret rules key on, so the only
// secrets in the history are the planted ones (and a few labelled decoys).

const WORDS = (
  'user order item cache queue request response config server handler worker session event ' +
  'metric report invoice account payment shipment profile product catalog search index batch ' +
  'stream buffer record entry node cluster region zone route policy bucket table column schema ' +
  'field value count limit offset timeout retry status state result error message logger ' +
  'context builder factory manager service controller adapter parser writer reader filter ' +
  'mapper loader store inventory ledger customer vendor warehouse delivery tracking label ' +
  'price discount coupon cart checkout refund audit export import summary window chart layout ' +
  'theme widget panel dialog form button tab menu sidebar header footer page view model'
).split(' ');
const VERBS = (
  'get set load save parse build update fetch render validate compute handle create remove ' +
  'sync flush merge resolve format emit apply reset check list find count open close start stop'
).split(' ');
const FORBIDDEN = /access|auth|api|credential|creds|key|passw|secret|token|pwd|private|client/i;
for (const w of [...WORDS, ...VERBS]) if (FORBIDDEN.test(w)) throw new Error(`bad vocabulary word ${w}`);

const AUTHORS = [
  'Ada Lovelace <ada@synth.example.test>',
  'Grace Hopper <grace@synth.example.test>',
  'Alan Turing <alan@synth.example.test>',
  'Edsger Dijkstra <edsger@synth.example.test>',
  'Barbara Liskov <barbara@synth.example.test>',
  'Ken Thompson <ken@synth.example.test>',
  'Margaret Hamilton <margaret@synth.example.test>',
  'Donald Knuth <don@synth.example.test>',
  'Frances Allen <fran@synth.example.test>',
  'Dennis Ritchie <dmr@synth.example.test>',
  'Radia Perlman <radia@synth.example.test>',
  'John Backus <john@synth.example.test>',
];

// ---------------------------------------------------------------------------------------------
// Line generators

function lineGenerators(R) {
  const { int, pick, chance } = R;
  const w = () => pick(WORDS);
  const cap = (s) => s[0].toUpperCase() + s.slice(1);
  const camel = () => {
    const n = 1 + int(3);
    let s = chance(0.4) ? pick(VERBS) : w();
    for (let i = 1; i < n; i++) s += cap(w());
    return s;
  };
  const pascal = () => cap(w()) + cap(w());
  const snake = () => (chance(0.5) ? w() : `${w()}_${w()}`);
  const upper = () => `${w()}_${w()}`.toUpperCase();
  const num = () => (chance(0.7) ? String(int(1000)) : chance(0.5) ? String(int(100000)) : (int(10000) / 100).toFixed(2));
  const sentence = (lo = 2, hi = 9) => {
    const n = lo + int(hi - lo + 1);
    let s = cap(w());
    for (let i = 1; i < n; i++) s += ' ' + w();
    return s;
  };
  const hex = (n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[int(16)];
    return s;
  };
  const strBody = () => {
    switch (int(8)) {
      case 0: return `/${w()}/${w()}/${int(100)}`;
      case 1: return `https://${w()}.svc.example.test/v${1 + int(3)}/${w()}s`;
      case 2: return `${w()}.${w()}@example.test`;
      case 3: return `${w()}-${w()}-${int(100)}`;
      case 4: return `0x${hex(8)}`;
      default: return sentence(1, 6);
    }
  };
  const dq = () => `"${strBody()}"`;
  const sq = () => `'${strBody()}'`;
  const ind = (unit, max = 4) => unit.repeat(chance(0.15) ? 0 : 1 + int(max));
  const comment = () => sentence(3, chance(0.1) ? 30 : 12);

  const js = () => {
    const i = ind('  ');
    switch (int(16)) {
      case 0: return `${i}const ${camel()} = ${chance(0.5) ? sq() : num()};`;
      case 1: return `${i}let ${camel()} = await ${camel()}.${pick(VERBS)}${pascal()}(${camel()}, ${num()});`;
      case 2: return `${i}if (${camel()}.${camel()} > ${num()}) {`;
      case 3: return `${i}}`;
      case 4: return `${i}return ${camel()}.${camel()}(${sq()});`;
      case 5: return `${i}// ${comment()}`;
      case 6: return `import { ${camel()}, ${camel()} } from './${w()}/${w()}.js';`;
      case 7: return `export async function ${pick(VERBS)}${pascal()}(${camel()}, ${camel()} = {}) {`;
      case 8: return `${i}throw new Error(${sq()});`;
      case 9: return `${i}logger.${pick(['info', 'debug', 'warn'])}(${sq()}, { ${camel()}: ${camel()}.${camel()}, count: ${num()} });`;
      case 10: return `${i}const ${camel()} = [${num()}, ${num()}, ${num()}, ${num()}];`;
      case 11: return `${i}${camel()}: ${chance(0.5) ? sq() : num()},`;
      case 12: return `${i}for (const ${w()} of ${camel()}) ${camel()}.push(${w()}.${camel()});`;
      case 13: return `${i}const { ${camel()}, ${camel()}, ${camel()} } = ${camel()};`;
      case 14: return '';
      default: return `${i}${camel()}.${camel()}(${dq()}, ${num()}, ${chance(0.5)});`;
    }
  };
  const py = () => {
    const i = ind('    ', 3);
    switch (int(14)) {
      case 0: return `${i}${snake()} = ${chance(0.5) ? dq() : num()}`;
      case 1: return `def ${pick(VERBS)}_${snake()}(${snake()}, ${snake()}=None):`;
      case 2: return `${i}if ${snake()}.${snake()} > ${num()}:`;
      case 3: return `${i}return ${snake()}(${dq()}, ${num()})`;
      case 4: return `${i}# ${comment()}`;
      case 5: return `from ${w()}.${w()} import ${pascal()}, ${snake()}`;
      case 6: return `class ${pascal()}(${pascal()}):`;
      case 7: return `${i}raise ValueError(f"${sentence(2, 6)} {${snake()}!r}")`;
      case 8: return `${i}log.${pick(['info', 'debug', 'warning'])}("${sentence(2, 7)} %s", ${snake()})`;
      case 9: return `${i}${snake()} = [${snake()}.${snake()} for ${w()} in ${snake()} if ${w()}]`;
      case 10: return '';
      case 11: return `${i}"""${comment()}"""`;
      case 12: return `${i}self.${snake()} = ${snake()}`;
      default: return `${i}${snake()}.${pick(VERBS)}(${dq()}, ${num()})`;
    }
  };
  const go = () => {
    const i = ind('\t', 3);
    switch (int(14)) {
      case 0: return `${i}${camel()} := ${chance(0.5) ? dq() : num()}`;
      case 1: return `func (${w()[0]} *${pascal()}) ${cap(pick(VERBS))}${pascal()}(ctx context.Context, ${camel()} string) error {`;
      case 2: return `${i}if err != nil {`;
      case 3: return `${i}}`;
      case 4: return `${i}return fmt.Errorf("${sentence(2, 6)}: %w", err)`;
      case 5: return `${i}// ${comment()}`;
      case 6: return `type ${pascal()} struct {`;
      case 7: return `${i}${pascal()} ${pick(['string', 'int', 'int64', 'bool', 'float64', '[]string', 'time.Duration'])} \`json:"${snake()}"\``;
      case 8: return `${i}log.Printf("${sentence(2, 6)} %d", ${camel()})`;
      case 9: return `${i}${camel()}, err := ${w()}.${cap(pick(VERBS))}${pascal()}(ctx, ${camel()})`;
      case 10: return '';
      case 11: return `${i}for _, ${w()} := range ${camel()} {`;
      case 12: return `${i}${camel()} = append(${camel()}, ${dq()})`;
      default: return `${i}${camel()}.${pascal()} = ${num()}`;
    }
  };
  const yaml = () => {
    const i = ind('  ', 4);
    switch (int(9)) {
      case 0: return `${snake()}:`;
      case 1: return `${i}- ${chance(0.5) ? snake() : strBody()}`;
      case 2: return `${i}# ${comment()}`;
      case 3: return `${i}${snake()}: ${num()}`;
      case 4: return `${i}${snake()}: ${chance(0.3) ? 'true' : 'false'}`;
      case 5: return `${i}image: registry.example.test/${w()}/${w()}:${int(10)}.${int(30)}.${int(10)}`;
      default: return `${i}${snake()}: ${chance(0.5) ? dq() : snake()}`;
    }
  };
  const tf = () => {
    switch (int(10)) {
      case 0: return `resource "aws_${snake()}" "${snake()}" {`;
      case 1: return `variable "${snake()}" {`;
      case 2: return '}';
      case 3: return `# ${comment()}`;
      case 4: return `  tags = { Name = "${w()}-${w()}", Team = "${w()}" }`;
      case 5: return `  ${snake()} = ${num()}`;
      case 6: return `  ${snake()} = var.${snake()}`;
      case 7: return `  ${snake()} = aws_${snake()}.${snake()}.id`;
      case 8: return '';
      default: return `  ${snake()} = ${dq()}`;
    }
  };
  const json = () => {
    const i = ind('  ', 4);
    switch (int(6)) {
      case 0: return `${i}"${camel()}": {`;
      case 1: return `${i}},`;
      case 2: return `${i}"${camel()}": ${num()},`;
      case 3: return `${i}"${camel()}": [${num()}, ${num()}, ${num()}],`;
      default: return `${i}"${camel()}": ${dq()},`;
    }
  };
  const md = () => {
    switch (int(8)) {
      case 0: return `## ${sentence(2, 5)}`;
      case 1: return '';
      case 2: return `* ${sentence(3, 12)}`;
      case 3: return `    ${camel()}(${dq()})`;
      default: return sentence(6, 40) + '.';
    }
  };
  const minified = (bytes) => {
    const parts = [];
    let n = 0;
    const v = () => String.fromCharCode(97 + int(26)) + (chance(0.5) ? String.fromCharCode(97 + int(26)) : '');
    while (n < bytes) {
      let p;
      switch (int(5)) {
        case 0: p = `var ${v()}=${num()},${v()}="${w()}";`; break;
        case 1: p = `function ${v()}(${v()},${v()}){return ${v()}.${camel()}(${v()})||${num()}}`; break;
        case 2: p = `${v()}.prototype.${camel()}=function(${v()}){this.${camel()}=${v()}};`; break;
        case 3: p = `if(${v()}>${num()}){${v()}=${v()}+"${w()}"}`; break;
        default: p = `${v()}.${camel()}({${camel()}:${num()},${camel()}:"${sentence(1, 3)}"});`;
      }
      parts.push(p);
      n += p.length;
    }
    return parts.join('');
  };
  return { js, py, go, yaml, tf, json, md, minified, hex, camel, snake, upper, w };
}

const HEADERS = {
  js: ["'use strict';", '', "import { logger } from '../logger.js';", ''],
  py: ['"""Generated module."""', 'import logging', '', 'log = logging.getLogger(__name__)', ''],
  go: ['package main', '', 'import (', '\t"context"', '\t"fmt"', '\t"log"', ')', ''],
  yaml: ['---'],
  tf: [],
  json: ['{'],
  md: ['# Notes', ''],
};

// File kinds: [lang, ext, dirs, share]
const KINDS = [
  ['js', 'js', ['src', 'web/src', 'lib', 'services/web/src'], 0.2],
  ['js', 'ts', ['src', 'packages/core/src', 'services/gateway/src'], 0.1],
  ['py', 'py', ['app', 'scripts', 'tests', 'services/reports'], 0.2],
  ['go', 'go', ['pkg', 'internal', 'cmd'], 0.18],
  ['yaml', 'yaml', ['deploy/k8s', 'config', 'charts/app/templates'], 0.1],
  ['yaml', 'yml', ['.github/workflows', 'ansible/roles'], 0.02],
  ['tf', 'tf', ['infra/terraform/modules', 'infra/terraform/envs'], 0.08],
  ['json', 'json', ['config', 'testdata/fixtures'], 0.04],
  ['md', 'md', ['docs'], 0.04],
  ['min', 'min.js', ['public/dist', 'web/vendor'], 0.01],
  ['bin', 'png', ['assets/img'], 0.006],
  ['bin', 'bin', ['testdata/blobs'], 0.004],
];

// ---------------------------------------------------------------------------------------------
// Secrets

const SECRET_KINDS = [
  'aws', 'github-classic-pat', 'github-fine-grained-pat', 'gitlab-pat', 'slack-bot-token',
  'slack-webhook-url', 'stripe-secret-key', 'sendgrid-api-key', 'openai-project-key',
  'anthropic-api-key', 'npm-access-token', 'jwt', 'private-key-pem', 'postgres-uri-password',
  'mongodb-uri-password', 'redis-uri-password', 'generic-password', 'generic-high-entropy',
];

const ASSIGN_NAME = {
  'github-classic-pat': 'github_token', 'github-fine-grained-pat': 'gh_pat', 'gitlab-pat': 'gitlab_token',
  'slack-bot-token': 'slack_bot_token', 'slack-webhook-url': 'slack_webhook_url',
  'stripe-secret-key': 'stripe_secret_key', 'sendgrid-api-key': 'sendgrid_api_key',
  'openai-project-key': 'openai_api_key', 'anthropic-api-key': 'anthropic_api_key',
  'npm-access-token': 'npm_token', jwt: 'service_jwt', 'postgres-uri-password': 'database_url',
  'mongodb-uri-password': 'mongo_url', 'redis-uri-password': 'redis_url', 'generic-password': 'db_password',
  'generic-high-entropy': 'client_secret',
};

const toCamel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** One source line binding `name` to `value` in the syntax of `lang`. */
function assignLine(lang, name, value) {
  switch (lang) {
    case 'js': return `const ${toCamel(name)} = '${value}';`;
    case 'py': return `${name.toUpperCase()} = "${value}"`;
    case 'go': return `\t${toCamel(name)} := "${value}"`;
    case 'yaml': return `${name}: "${value}"`;
    case 'tf': return `  ${name} = "${value}"`;
    case 'json': return `  "${toCamel(name)}": "${value}",`;
    default: return `    export ${name.toUpperCase()}=${value}`;
  }
}

/** Secret values and the lines that carry them. */
function makeSecret(kind, F, R, index) {
  const host = `${R.pick(WORDS)}-${R.int(10)}.db.example.test`;
  switch (kind) {
    case 'aws': {
      const id = F.awsAccessKeyId();
      const sk = F.awsSecretAccessKey();
      return {
        values: [
          { secret: id, kind: 'aws-access-key-id' },
          { secret: sk, kind: 'aws-secret-access-key' },
        ],
        lines: (lang) => [assignLine(lang, 'aws_access_key_id', id), assignLine(lang, 'aws_secret_access_key', sk)],
      };
    }
    case 'private-key-pem': {
      const pem = F.fakeRsaPem();
      return { values: [{ secret: pem, kind }], file: `certs/service-${index}.key`, content: pem + '\n' };
    }
    case 'postgres-uri-password':
    case 'mongodb-uri-password':
    case 'redis-uri-password': {
      const pw = F.alnum(16 + R.int(12));
      const uri =
        kind === 'postgres-uri-password' ? `postgres://app:${pw}@${host}:5432/app`
          : kind === 'mongodb-uri-password' ? `mongodb://app:${pw}@${host}:27017/app?authSource=admin`
            : `redis://:${pw}@${host}:6379/0`;
      return { values: [{ secret: pw, kind }], lines: (lang) => [assignLine(lang, ASSIGN_NAME[kind], uri)] };
    }
    default: {
      const v = {
        'github-classic-pat': F.githubClassic, 'github-fine-grained-pat': F.githubFineGrained,
        'gitlab-pat': F.gitlabPat, 'slack-bot-token': F.slackBot, 'slack-webhook-url': F.slackWebhook,
        'stripe-secret-key': F.stripeLive, 'sendgrid-api-key': F.sendgrid, 'openai-project-key': F.openaiProject,
        'anthropic-api-key': F.anthropic, 'npm-access-token': F.npm, jwt: () => F.jwt(),
        'generic-password': F.humanPassword, 'generic-high-entropy': () => F.generic(40),
      }[kind]();
      return { values: [{ secret: v, kind }], lines: (lang) => [assignLine(lang, ASSIGN_NAME[kind], v)] };
    }
  }
}

// A few well-known non-secrets sprinkled into the history (listed as decoys in the labels).
const DECOY_LINES = {
  js: ['const awsExampleId = "AKIAIOSFODNN7EXAMPLE"; // documentation example', 'const dbPassword = process.env.DB_PASSWORD;'],
  py: ['password = "changeme"  # default for local development', 'API_KEY = os.environ["API_KEY"]'],
  go: ['\tdbPassword := os.Getenv("DB_PASSWORD")'],
  yaml: ['  password: ${DB_PASSWORD}', '  token: ${{ secrets.DEPLOY_TOKEN }}', '  password: "{{ .Values.password }}"'],
  tf: ['  password = var.db_password'],
  json: [],
  md: ['    export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE', '    password = <your-password>'],
};

// ---------------------------------------------------------------------------------------------
// Plan: which commit touches which file (schedule), then the size of every file.

function plan({ commits: N, files: F, sizeMb, secrets: nSecrets }, R) {
  const specs = [];
  const usedPaths = new Set();
  const cum = [];
  let acc = 0;
  for (const k of KINDS) cum.push((acc += k[3]));
  const newPath = (dir, ext) => {
    for (let tries = 0; ; tries++) {
      const sub = R.chance(0.7) ? `/${R.pick(WORDS)}` : '';
      const base = R.chance(0.5) ? R.pick(WORDS) : `${R.pick(WORDS)}_${R.pick(WORDS)}`;
      const p = `${dir}${sub}/${base}${tries > 3 ? `_${tries}` : ''}.${ext}`;
      if (!usedPaths.has(p)) {
        usedPaths.add(p);
        return p;
      }
    }
  };
  const addSpec = (lang, ext, dir, branch = null) => {
    const s = { id: specs.length, lang, path: newPath(dir, ext), branch, versions: 0, protected: false };
    specs.push(s);
    return s;
  };
  for (let i = 0; i < F; i++) {
    const x = R.f() * acc;
    const k = KINDS[cum.findIndex((c) => x < c)];
    addSpec(k[0], k[1], R.pick(k[2]));
  }
  // popularity: Zipf-like over a random permutation; bundles and binaries change rarely
  const order = specs.map((s) => s.id);
  for (let i = order.length - 1; i > 0; i--) {
    const j = R.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const weight = new Float64Array(F);
  order.forEach((id, rank) => {
    const lang = specs[id].lang;
    weight[id] = (1 / Math.pow(rank + 8, 0.85)) * (lang === 'min' || lang === 'bin' ? 0.15 : 1);
  });
  const wcum = new Float64Array(F);
  let wsum = 0;
  for (let i = 0; i < F; i++) wcum[i] = wsum += weight[i];
  const popular = () => {
    const x = R.f() * wsum;
    let lo = 0;
    let hi = F - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (wcum[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };

  // skeleton: branch of each commit, merges, tags
  const commits = Array.from({ length: N }, () => ({ branch: 'main', ops: [], merge: null, tag: null }));
  const branches = [];
  const nBranches = Math.max(N >= 50 ? 1 : 0, Math.floor(N / 300));
  for (let b = 0; b < nBranches; b++) {
    const start = Math.max(1, Math.floor(((b + 0.3 + 0.4 * R.f()) * N) / nBranches));
    const len = R.range(10, 60);
    const name = `feature/${R.pick(WORDS)}-${R.pick(WORDS)}-${b + 1}`;
    const br = { name, commits: [], merged: R.chance(0.6), files: [] };
    for (let i = start; i < Math.min(N - 1, start + len); i++) {
      if (commits[i].branch === 'main' && !commits[i].merge && (i === start || R.chance(0.35))) {
        commits[i].branch = name;
        br.commits.push(i);
      }
    }
    if (br.commits.length === 0) continue;
    const m = br.commits.at(-1) + 1 + R.int(5);
    if (br.merged && m < N && commits[m].branch === 'main' && !commits[m].merge) commits[m].merge = br;
    else br.merged = false;
    branches.push(br);
  }
  const tagEvery = Math.max(25, Math.floor(N / 12));
  let tagNo = 0;
  for (let i = tagEvery; i < N; i += tagEvery) {
    let j = i;
    while (j < N && commits[j].branch !== 'main') j++;
    if (j < N) commits[j].tag = `v1.${tagNo++}.0`;
  }

  // secrets: when and where (branch secrets go to a random branch commit)
  const mainIdx = commits.map((c, i) => (c.branch === 'main' ? i : -1)).filter((i) => i >= 0);
  const branchIdx = commits.map((c, i) => (c.branch !== 'main' ? i : -1)).filter((i) => i >= 0);
  const secretPlans = [];
  for (let s = 0; s < nSecrets; s++) {
    const kind = SECRET_KINDS[s % SECRET_KINDS.length];
    const onBranch = branchIdx.length > 0 && s % 9 === 4 && kind !== 'private-key-pem';
    const pool = onBranch ? branchIdx : mainIdx;
    const at = pool[Math.min(pool.length - 1, Math.floor(((s + R.f()) * pool.length) / nSecrets))];
    const p = { index: s, kind, at, onBranch, removeAt: null, copies: 1 };
    if (!onBranch && R.chance(0.3)) {
      const later = mainIdx.filter((i) => i > at);
      if (later.length) p.removeAt = later[R.int(later.length)];
    }
    if (!onBranch && kind !== 'private-key-pem' && R.chance(0.12)) p.copies = 2;
    secretPlans.push(p);
    (commits[at].plants ??= []).push(p);
    if (p.removeAt != null) (commits[p.removeAt].unplants ??= []).push(p);
  }

  // simulate file operations
  const present = new Set();
  const pending = [];
  const initial = Math.ceil(F * 0.6);
  for (let i = 0; i < F; i++) {
    if (i < initial) present.add(i);
    else pending.push(i);
  }
  const addUntil = Math.max(1, Math.floor(N * 0.85));
  const textLangs = new Set(['js', 'py', 'go', 'yaml', 'tf', 'json', 'md']);
  const randomPresentText = (exclude) => {
    for (let t = 0; t < 1000; t++) {
      const id = popular();
      if (present.has(id) && textLangs.has(specs[id].lang) && !exclude.has(id)) return id;
    }
    for (const id of present) if (textLangs.has(specs[id].lang) && !exclude.has(id)) return id;
    return null;
  };
  for (let i = 0; i < N; i++) {
    const c = commits[i];
    const touched = new Set();
    const op = (o) => {
      c.ops.push(o);
      if (o.t !== 'del' && o.t !== 'ren' && o.t !== 'merge' && !touched.has(o.f)) {
        touched.add(o.f);
        specs[o.f].versions++;
      }
    };
    if (c.branch !== 'main') {
      const br = branches.find((b) => b.name === c.branch);
      if (br.files.length === 0 || R.chance(0.2)) {
        const dir = `experimental/${c.branch.slice(8)}`;
        for (let k = br.files.length ? 1 : R.range(2, 4); k > 0; k--) {
          const kd = KINDS[R.int(7)];
          const s = addSpec(kd[0], kd[1], dir, c.branch);
          br.files.push(s.id);
          op({ t: 'add', f: s.id });
        }
      } else {
        for (let k = R.range(1, 2); k > 0; k--) op({ t: 'mod', f: R.pick(br.files) });
      }
      for (const p of c.plants ?? []) {
        p.files = [R.pick(br.files)];
        p.branch = c.branch;
        op({ t: 'plant', f: p.files[0], p });
        specs[p.files[0]].protected = true;
      }
      continue;
    }
    if (i === 0) {
      for (const id of present) op({ t: 'add', f: id });
    } else {
      if (pending.length && i < addUntil) {
        const mean = pending.length / (addUntil - i);
        let k = Math.floor(mean) + (R.chance(mean - Math.floor(mean)) ? 1 : 0);
        while (k-- > 0 && pending.length) {
          const id = pending.splice(R.int(pending.length), 1)[0];
          present.add(id);
          op({ t: 'add', f: id });
        }
      }
      let k = 1;
      while (k < 10 && R.chance(0.6)) k++;
      for (let t = 0; t < k * 3 && k > 0; t++) {
        const id = popular();
        if (!present.has(id) || touched.has(id)) continue;
        op({ t: 'mod', f: id });
        k--;
      }
      if (R.chance(0.01) && present.size > 10) {
        const id = popular();
        if (present.has(id) && !specs[id].protected && !touched.has(id)) {
          present.delete(id);
          op({ t: 'del', f: id });
        }
      } else if (R.chance(0.01) && present.size > 10) {
        const id = popular();
        const s = specs[id];
        if (present.has(id) && !s.protected && !touched.has(id)) {
          const dir = s.path.slice(0, s.path.lastIndexOf('/'));
          const ext = s.path.slice(s.path.indexOf('.', s.path.lastIndexOf('/')) + 1);
          op({ t: 'ren', f: id, to: newPath(dir, ext) });
        }
      }
    }
    if (c.merge) {
      for (const f of c.merge.files) op({ t: 'merge', f });
    }
    for (const p of c.unplants ?? []) for (const f of p.files ?? []) op({ t: 'unplant', f, p });
    for (const p of c.plants ?? []) {
      if (p.kind === 'private-key-pem') {
        const s = addSpec('pem', 'key', 'certs');
        s.path = `certs/service-${p.index}.key`;
        p.files = [s.id];
        p.branch = 'main';
        s.protected = true;
        op({ t: 'add', f: s.id, pem: p });
        continue;
      }
      const exclude = new Set();
      p.files = [];
      for (let k = 0; k < p.copies; k++) {
        const id = randomPresentText(exclude);
        if (id == null) break;
        exclude.add(id);
        p.files.push(id);
        specs[id].protected = true;
        op({ t: 'plant', f: id, p });
      }
      p.branch = 'main';
    }
  }

  // sizes: log-normal raw weights scaled so that the sum over all versions is the target
  const target = sizeMb * 1024 * 1024;
  const raw = specs.map((s) => {
    const r = Math.exp(R.gauss() * 1.1);
    return s.lang === 'min' ? r * 8 : s.lang === 'bin' ? r * 4 : s.lang === 'pem' ? 0 : r;
  });
  let denom = 0;
  specs.forEach((s, i) => (denom += raw[i] * s.versions));
  const scale = denom > 0 ? target / denom : 0;
  const maxSize = Math.max(64 * 1024, Math.min(4 * 1024 * 1024, target / 50));
  specs.forEach((s, i) => {
    s.size = Math.round(Math.min(maxSize, Math.max(120, raw[i] * scale)));
  });
  return { specs, commits, branches, secretPlans };
}

// ---------------------------------------------------------------------------------------------
// fast-import stream writer with backpressure

class StreamOut {
  constructor(stream) {
    this.stream = stream;
    this.parts = [];
    this.len = 0;
  }
  push(x) {
    const b = typeof x === 'string' ? Buffer.from(x, 'utf8') : x;
    this.parts.push(b);
    this.len += b.length;
  }
  async flush(force = false) {
    if (!force && this.len < 8 * 1024 * 1024) return;
    const buf = Buffer.concat(this.parts, this.len);
    this.parts = [];
    this.len = 0;
    if (!this.stream.write(buf)) await once(this.stream, 'drain');
  }
}

const hermeticEnv = () => {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_')) delete env[k];
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
};
const GIT_CFG = ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgsign=false', '-c', 'core.autocrlf=false'];

// ---------------------------------------------------------------------------------------------

/**
 * Generate a synthetic repository. Returns a summary
 * { out, commits, branches, tags, uniqueBlobs, blobBytes, secrets, seconds, labelsFile }.
 */
export async function generateSynthetic({
  out,
  commits = 3000,
  files = 2000,
  sizeMb = 300,
  seed = 1,
  secrets = 50,
  labels,
  repack = true,
} = {}) {
  const t0 = process.hrtime.bigint();
  if (!out) throw new Error('generateSynthetic: out is required');
  const N = Math.max(1, Math.floor(commits));
  const F = Math.max(1, Math.floor(files));
  const dir = path.resolve(out);
  fs.mkdirSync(dir, { recursive: true });
  if (fs.readdirSync(dir).length) throw new Error(`output directory is not empty: ${dir}`);
  const s0 = seedOf(seed);

  const R = makeRng(s0); // schedule and sizes
  const C = makeRng((s0 ^ 0x9e3779b9) >>> 0); // content
  const S = makeRng((s0 + 0x7f4a7c15) >>> 0); // secret values
  const F_ = secretFactory(S.int);
  const G = lineGenerators(C);
  const { specs, commits: plan_, branches, secretPlans } = plan({ commits: N, files: F, sizeMb, secrets }, R);
  for (const p of secretPlans) p.made = makeSecret(p.kind, F_, S, p.index);

  const env = hermeticEnv();
  execFileSync('git', [...GIT_CFG, 'init', '-q', '-b', 'main', '--template=', dir], { env });
  const marksFile = path.join(dir, '.git', 'vaultsweep-synth-marks');
  // Level-1 zlib keeps fast-import quick; the repack below recompresses at git's default level.
  const fi = spawn('git', [...GIT_CFG, '-c', 'core.compression=1', 'fast-import', '--quiet', '--done', `--export-marks=${marksFile}`], {
    cwd: dir,
    env,
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const fiDone = once(fi, 'exit');
  const o = new StreamOut(fi.stdin);

  // per-file state
  const st = specs.map(() => null); // { lines, bytes, buf, mark, path, secretLines }
  let mark = 0;
  const blobSizes = new Map(); // mark -> bytes
  const lineGen = G;

  const genLines = (lang, target) => {
    const lines = [...(HEADERS[lang] ?? [])];
    let bytes = lines.reduce((a, l) => a + l.length + 1, 0);
    const gen = lineGen[lang];
    const decoys = DECOY_LINES[lang] ?? [];
    while (bytes < target) {
      const l = decoys.length && C.chance(0.0004) ? C.pick(decoys) : gen();
      lines.push(l);
      bytes += l.length + 1;
    }
    return { lines, bytes };
  };
  const genBinary = (size) => {
    const b = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i += 4) {
      const x = (C.f() * 4294967296) >>> 0;
      b[i] = x & 0xff;
      if (i + 1 < size) b[i + 1] = x & 0x300 ? (x >>> 8) & 0xff : 0;
      if (i + 2 < size) b[i + 2] = x & 0x30000 ? (x >>> 16) & 0xff : 0;
      if (i + 3 < size) b[i + 3] = 0;
    }
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]).copy(b, 0, 0, Math.min(12, size));
    return b;
  };
  const create = (spec, pemPlan) => {
    if (pemPlan) return { buf: Buffer.from(pemPlan.made.content), path: spec.path, secretLines: new Set() };
    if (spec.lang === 'bin') return { buf: genBinary(spec.size), path: spec.path, secretLines: new Set() };
    if (spec.lang === 'min') {
      const n = C.range(1, 3);
      const lines = [];
      for (let i = 0; i < n; i++) lines.push(G.minified(Math.ceil(spec.size / n)));
      return { lines, bytes: spec.size, path: spec.path, secretLines: new Set() };
    }
    const { lines, bytes } = genLines(spec.lang, spec.size);
    return { lines, bytes, path: spec.path, secretLines: new Set() };
  };
  const modify = (spec, f) => {
    if (spec.lang === 'bin') {
      const b = Buffer.from(f.buf);
      for (let k = 0; k < 64; k++) b[C.int(b.length)] = C.int(256);
      f.buf = b;
      return;
    }
    if (spec.lang === 'min') {
      const fresh = create(spec); // a rebuilt bundle
      f.lines = fresh.lines;
      f.bytes = fresh.bytes;
      f.text = null;
      return;
    }
    const gen = lineGen[spec.lang];
    const hunks = C.range(1, 4);
    for (let h = 0; h < hunks; h++) {
      const L = linesOf(f);
      const j = C.int(L.length + 1);
      const ratio = f.bytes / spec.size;
      const r = C.f();
      const mode = ratio > 1.1 ? (r < 0.6 ? 'del' : 'rep') : ratio < 0.9 ? (r < 0.6 ? 'ins' : 'rep') : r < 0.33 ? 'ins' : r < 0.66 ? 'del' : 'rep';
      const n = C.range(1, 6);
      if (mode === 'ins') {
        const add = [];
        for (let k = 0; k < n; k++) add.push(gen());
        L.splice(j, 0, ...add);
        for (const l of add) f.bytes += l.length + 1;
      } else {
        for (let k = Math.min(L.length, j + n) - 1; k >= j; k--) {
          if (f.secretLines.size && f.secretLines.has(L[k])) continue;
          f.bytes -= L[k].length + 1;
          if (mode === 'del') L.splice(k, 1);
          else {
            L[k] = gen();
            f.bytes += L[k].length + 1;
          }
        }
      }
    }
  };
  const plant = (spec, f, p) => {
    const lines = p.made.lines(spec.lang);
    const L = linesOf(f);
    const at = Math.min(L.length, (HEADERS[spec.lang]?.length ?? 0) + C.int(Math.max(1, L.length)));
    L.splice(at, 0, ...lines);
    for (const l of lines) {
      f.secretLines.add(l);
      f.bytes += l.length + 1;
    }
  };
  const unplant = (spec, f, p) => {
    const L = linesOf(f);
    for (const l of p.made.lines(spec.lang)) {
      const k = L.indexOf(l);
      if (k >= 0) {
        L.splice(k, 1);
        f.bytes -= l.length + 1;
      }
      f.secretLines.delete(l);
    }
  };
  // Between versions a text file is kept as one flat string (much smaller than an array of the
  // concatenated line strings); it is split into lines again when next edited.
  const linesOf = (f) => {
    if (!f.lines) f.lines = f.text ? f.text.split('\n') : [];
    f.text = null;
    return f.lines;
  };
  const emitBlob = (f) => {
    let buf = f.buf;
    if (!buf) {
      const text = f.lines ? f.lines.join('\n') : f.text;
      buf = Buffer.from(text ? text + '\n' : '', 'utf8');
      f.text = text;
      f.lines = null;
    }
    mark++;
    o.push(`blob\nmark :${mark}\ndata ${buf.length}\n`);
    o.push(buf);
    o.push('\n');
    blobSizes.set(mark, buf.length);
    f.mark = mark;
  };
  const quotePath = (p) => (/[\s"\\]/.test(p) ? JSON.stringify(p) : p);

  let date = Date.UTC(2019, 0, 7, 9, 0, 0) / 1000;
  const heads = new Map(); // branch -> commit mark
  const commitMarks = [];
  const tags = [];
  const branchFiles = new Map();
  for (let i = 0; i < N; i++) {
    const c = plan_[i];
    const changed = new Set(); // files that get an M line
    const dirty = new Set(); // files whose content changed: a new blob
    const lines = [];
    for (const op of c.ops) {
      const spec = specs[op.f];
      if (op.t === 'add') {
        st[op.f] = create(spec, op.pem);
        changed.add(op.f);
        dirty.add(op.f);
      } else if (op.t === 'mod') {
        modify(spec, st[op.f]);
        changed.add(op.f);
        dirty.add(op.f);
      } else if (op.t === 'plant') {
        plant(spec, st[op.f], op.p);
        changed.add(op.f);
        dirty.add(op.f);
      } else if (op.t === 'unplant') {
        if (spec.lang === 'pem') {
          lines.push(`D ${quotePath(st[op.f].path)}`);
          st[op.f] = null;
        } else {
          unplant(spec, st[op.f], op.p);
          changed.add(op.f);
          dirty.add(op.f);
        }
      } else if (op.t === 'del') {
        lines.push(`D ${quotePath(st[op.f].path)}`);
        st[op.f] = null;
      } else if (op.t === 'ren') {
        lines.push(`D ${quotePath(st[op.f].path)}`);
        st[op.f].path = op.to;
        changed.add(op.f);
      } else if (op.t === 'merge') {
        changed.add(op.f);
      }
    }
    for (const fid of changed) {
      const f = st[fid];
      if (!f) continue;
      if (dirty.has(fid) || f.mark == null) emitBlob(f);
      lines.push(`M 100644 :${f.mark} ${quotePath(f.path)}`);
    }
    // commit
    date += 600 + C.int(16 * 3600);
    const author = AUTHORS[C.int(AUTHORS.length)];
    const subject = `${C.pick(VERBS)} ${G.w()} ${G.w()}${C.chance(0.3) ? ` (#${100 + i})` : ''}`;
    const msg = c.merge ? `Merge branch '${c.merge.name}'\n` : `${subject[0].toUpperCase()}${subject.slice(1)}\n`;
    const ref = `refs/heads/${c.branch}`;
    mark++;
    const cm = mark;
    o.push(`commit ${ref}\nmark :${cm}\n`);
    o.push(`author ${author} ${date} +0000\ncommitter ${author} ${date} +0000\n`);
    const mb = Buffer.from(msg, 'utf8');
    o.push(`data ${mb.length}\n`);
    o.push(mb);
    if (c.branch !== 'main' && !heads.has(c.branch)) o.push(`from :${heads.get('main')}\n`);
    if (c.merge) o.push(`merge :${heads.get(c.merge.name)}\n`);
    o.push(lines.join('\n') + (lines.length ? '\n' : '') + '\n');
    heads.set(c.branch, cm);
    commitMarks.push(cm);
    if (c.tag) {
      o.push(`tag ${c.tag}\nfrom :${cm}\ntagger ${author} ${date} +0000\n`);
      const tb = Buffer.from(`Release ${c.tag}\n`);
      o.push(`data ${tb.length}\n`);
      o.push(tb);
      o.push('\n');
      tags.push(c.tag);
    }
    if (c.branch !== 'main') branchFiles.set(c.branch, true);
    await o.flush();
  }
  o.push('done\n');
  await o.flush(true);
  fi.stdin.end();
  const [code] = await fiDone;
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);

  // marks -> SHAs; unique blobs and their bytes
  const sha = new Map();
  for (const line of fs.readFileSync(marksFile, 'utf8').split('\n')) {
    const m = /^:(\d+) ([0-9a-f]{40,64})$/.exec(line);
    if (m) sha.set(Number(m[1]), m[2]);
  }
  fs.rmSync(marksFile, { force: true });
  const uniq = new Map();
  for (const [m, size] of blobSizes) uniq.set(sha.get(m), size);
  let blobBytes = 0;
  for (const s of uniq.values()) blobBytes += s;

  // fast-import writes undeltified objects; a real clone or gc'ed repository has delta chains
  // between versions of a file, which changes what reading all objects costs. Repack like gc does.
  if (repack) execFileSync('git', [...GIT_CFG, 'repack', '-a', '-d', '-F', '-q'], { cwd: dir, env });
  execFileSync('git', [...GIT_CFG, 'checkout', '-q', '-f', 'main'], { cwd: dir, env });

  // labels
  const mergedBranches = new Set(branches.filter((b) => b.merged).map((b) => b.name));
  const labelSecrets = [];
  for (const p of secretPlans) {
    if (!p.files?.length) continue;
    const inHead = p.removeAt == null && (p.branch === 'main' || mergedBranches.has(p.branch));
    for (const v of p.made.values) {
      labelSecrets.push({
        secret: v.secret,
        kind: v.kind,
        files: p.files.map((fid) => specs[fid].path),
        branch: p.branch,
        addedIn: sha.get(commitMarks[p.at]),
        removedIn: p.removeAt == null ? null : sha.get(commitMarks[p.removeAt]),
        inWorktree: inHead,
        historyOnly: !inHead,
      });
    }
  }
  const labelsFile = labels ? path.resolve(labels) : path.join(dir, '.git', 'vaultsweep-synth-labels.json');
  const decoys = [...new Set(Object.values(DECOY_LINES).flat())];
  fs.writeFileSync(
    labelsFile,
    JSON.stringify(
      {
        generator: 'scripts/synth/generate.mjs',
        args: { commits: N, files: F, sizeMb, seed, secrets },
        note: 'files are the paths where each secret was planted (a file may be renamed later only if it holds no secret)',
        secrets: labelSecrets,
        decoyLines: decoys,
      },
      null,
      1,
    ) + '\n',
  );

  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    out: dir,
    commits: N,
    branches: branches.length + 1,
    tags: tags.length,
    uniqueBlobs: uniq.size,
    blobBytes,
    secrets: labelSecrets.length,
    seconds,
    labelsFile,
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

function parseArgs(argv) {
  const opts = {};
  const names = { '--out': 'out', '--commits': 'commits', '--files': 'files', '--size-mb': 'sizeMb', '--seed': 'seed', '--secrets': 'secrets', '--labels': 'labels' };
  for (let i = 0; i < argv.length; i++) {
    let [k, v] = argv[i].split('=', 2);
    if (k === '--no-repack') {
      opts.repack = false;
      continue;
    }
    if (k === '--help' || k === '-h') {
      opts.help = true;
      continue;
    }
    if (!(k in names)) throw new Error(`unknown option ${k}`);
    if (v === undefined) v = argv[++i];
    if (v === undefined) throw new Error(`${k} needs a value`);
    opts[names[k]] = ['out', 'labels', 'seed'].includes(names[k]) ? v : Number(v);
    if (typeof opts[names[k]] === 'number' && !(opts[names[k]] >= 0)) throw new Error(`${k}: not a number: ${v}`);
  }
  return opts;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(e.message);
    process.exit(2);
  }
  if (opts.help || !opts.out) {
    console.error('usage: node scripts/synth/generate.mjs --out DIR [--commits 3000] [--files 2000] [--size-mb 300] [--seed 1] [--secrets 50] [--labels FILE] [--no-repack]');
    process.exit(opts.help ? 0 : 2);
  }
  const { help, ...args } = opts;
  generateSynthetic(args).then(
    (s) => {
      console.log(
        `synth: ${s.commits} commits, ${s.uniqueBlobs} unique blobs, ${(s.blobBytes / 1048576).toFixed(1)} MB (${s.blobBytes} bytes) of blobs, ` +
          `${s.secrets} secrets, ${s.branches} branches, ${s.tags} tags, ${s.seconds.toFixed(1)} s -> ${s.out}`,
      );
    },
    (e) => {
      console.error(e.stack ?? e.message);
      process.exit(1);
    },
  );
}
