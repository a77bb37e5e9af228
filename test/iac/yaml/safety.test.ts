import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { detectFormat } from '../../../src/iac/format.js';
import { IAC_FORMATS, type IacFormat } from '../../../src/iac/types.js';
import { yamlAnalyzers } from '../../../src/iac/yaml/index.js';
import { decodeUtf8 } from '../../../src/iac/yaml/text.js';
import { FIXTURES, analyzeFixture, analyzeText, sensitiveOf } from './helpers.js';

const ALL_FORMATS: IacFormat[] = [
  'cloudformation', 'kubernetes', 'helm', 'ansible', 'compose', 'github-actions', 'gitlab-ci', 'pulumi', 'serverless',
];

describe('the analyzers', () => {
  it('cover each YAML-family format exactly once', () => {
    const formats = yamlAnalyzers.flatMap((a) => [...a.formats]);
    expect([...formats].sort()).toEqual([...ALL_FORMATS].sort());
    for (const f of formats) expect(IAC_FORMATS).toContain(f);
  });

  it('are the ones format detection picks for the fixtures', () => {
    const cases: Array<[string, IacFormat]> = [
      ['cloudformation/ledger-stack.yaml', 'cloudformation'],
      ['cloudformation/ledger-stack.json', 'cloudformation'],
      ['kubernetes/ledger.yaml', 'kubernetes'],
      ['helm/values.yaml', 'helm'],
      ['helm/values-i18n.yaml', 'helm'],
      ['ansible/group_vars/all.yml', 'ansible'],
      ['ansible/host_vars/db1.yml', 'ansible'],
      ['ansible/deploy.yml', 'ansible'],
      ['compose/docker-compose.yml', 'compose'],
      ['github-actions/.github/workflows/deploy.yml', 'github-actions'],
      ['gitlab-ci/.gitlab-ci.yml', 'gitlab-ci'],
      ['pulumi/Pulumi.prod.yaml', 'pulumi'],
      ['serverless/serverless.yml', 'serverless'],
    ];
    for (const [rel, format] of cases) {
      expect(detectFormat(rel, readFileSync(FIXTURES + rel)), rel).toBe(format);
    }
  });
});

describe('alias bombs', () => {
  const bomb = readFileSync(FIXTURES + 'bomb/bomb.yaml');

  it('the fixture really is one: the parser refuses to expand it', () => {
    expect(() => parseDocument(bomb.toString()).toJS({ maxAliasCount: 100 })).toThrow(/resource exhaustion/);
  });

  it('is refused by every analyzer within bounded time and memory', () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    for (const format of ALL_FORMATS) {
      const analyzer = yamlAnalyzers.find((a) => a.formats.includes(format))!;
      const result = analyzer.analyze(bomb, 'bomb/bomb.yaml', format);
      expect(result.values).toEqual([]);
      expect(result.notes).toHaveLength(1);
      expect(result.notes[0]).toMatch(/^bomb\/bomb\.yaml: YAML not analyzed: aliases expand to more than \d+ nodes/);
    }
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a deeper bomb built with merge keys in a multi-document manifest', () => {
    const lines = ['apiVersion: v1', 'kind: ConfigMap', '---', 'l0: &l0 {a: lol, b: lol, c: lol, d: lol}'];
    for (let i = 1; i <= 30; i++) lines.push(`l${i}: &l${i} {<<: *l${i - 1}, x: [*l${i - 1}, *l${i - 1}, *l${i - 1}]}`);
    const started = performance.now();
    const { result } = analyzeText(lines.join('\n') + '\n', 'deep-bomb.yaml', 'kubernetes');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.values).toEqual([]);
    expect(result.notes[0]).toMatch(/alias bomb/);
  });

  it('lets ordinary anchors through (compose defaults, GitLab templates)', () => {
    const text = ['.defaults: &defaults', '  image: node:20', '  variables:', '    LOG_LEVEL: info'];
    for (let i = 0; i < 300; i++) text.push(`job${i}:`, '  <<: *defaults', '  script: [make]');
    text.push('deploy:', '  variables:', '    DEPLOY_TOKEN: anchors-Ok-Tok-1');
    const file = analyzeText(text.join('\n') + '\n', '.gitlab-ci.yml', 'gitlab-ci');
    expect(file.result.notes).toEqual([]);
    expect(sensitiveOf(file).map((s) => s.path)).toEqual(['deploy.variables.DEPLOY_TOKEN']);
  });
});

describe('hostile and broken input', () => {
  it('a half-written file gives a note with the line, and no values', () => {
    const { result } = analyzeFixture('broken/half-written.yaml', 'kubernetes');
    expect(result.values).toEqual([]);
    expect(result.notes).toEqual(['broken/half-written.yaml: not valid YAML (line 7): Missing closing "quote; scanned as text']);
  });

  it('keeps the documents that parsed when another one is broken', () => {
    const text = 'kind: Secret\nstringData:\n  token: ok-Doc-Tok-1\n---\nkind: Secret\nstringData:\n  bad: [unclosed\n';
    const file = analyzeText(text, 'm.yaml', 'kubernetes');
    expect(sensitiveOf(file).map((s) => s.literal)).toEqual(['ok-Doc-Tok-1']);
    expect(file.result.notes).toHaveLength(1);
    expect(file.result.notes[0]).toMatch(/^m\.yaml: not valid YAML \(line \d+\): .+; scanned as text$/);
  });

  it('refuses absurd document counts and nesting depth', () => {
    const many = analyzeText('a: 1\n---\n'.repeat(20_000), 'many.yaml', 'kubernetes');
    expect(many.result.values).toEqual([]);
    expect(many.result.notes).toEqual(['many.yaml: YAML not analyzed: more than 10000 documents; scanned as text']);
    const deep = analyzeText('a: ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n', 'deep.yaml', 'helm');
    expect(deep.result.values).toEqual([]);
    expect(deep.result.notes).toHaveLength(1);
    expect(deep.result.notes[0]).toMatch(/^deep\.yaml: YAML not analyzed: nesting/);
  });

  it('never throws, whatever the bytes', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const alphabet = ['a', ':', ' ', '\n', '-', '[', ']', '{', '}', '"', "'", '&x', '*x', '!Ref ', '|', '>', '#', 'é', '\t', '---\n', '\u0000', '?', ','];
    for (let i = 0; i < 300; i++) {
      const parts: string[] = [];
      const n = Math.floor(rand() * 80);
      for (let k = 0; k < n; k++) parts.push(alphabet[Math.floor(rand() * alphabet.length)]);
      const data = Buffer.concat([Buffer.from(parts.join('')), Buffer.from([0xff, 0xfe])]);
      for (const format of ALL_FORMATS) {
        const result = yamlAnalyzers.find((a) => a.formats.includes(format))!.analyze(data, 'fuzz.yaml', format);
        expect(result.format).toBe(format);
        for (const v of result.values) {
          expect(v.start).toBeGreaterThanOrEqual(0);
          expect(v.end).toBeLessThanOrEqual(data.length);
          expect(v.start).toBeLessThanOrEqual(v.end);
        }
      }
    }
  });

  it('maps offsets exactly past invalid UTF-8, CRLF line ends and a BOM', () => {
    const bad = Buffer.concat([Buffer.from('note: "'), Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from('"\r\npassword: s3cr3t-Value-9\r\n')]);
    const v = analyzeText(bad, 'values.yaml', 'helm').result.values.find((x) => x.context.path === 'password')!;
    expect(bad.toString('latin1', v.start, v.end)).toBe('s3cr3t-Value-9');
    const bom = Buffer.from('\uFEFFpassword: bom-Pass-55\n');
    const w = analyzeText(bom, 'values.yaml', 'helm').result.values[0];
    expect([w.start, w.end]).toEqual([13, 24]);
  });

  it('decodes like Node for valid UTF-8 and maps every index to its byte offset', () => {
    const text = 'a€b😀c\u00e9\u0800\uffff\n中文';
    const { text: decoded, toByte } = decodeUtf8(Buffer.from(text));
    expect(decoded).toBe(text);
    for (let i = 0; i <= text.length; i++) {
      if (i > 0 && i < text.length && (text.charCodeAt(i) & 0xfc00) === 0xdc00) continue; // inside a pair
      expect(toByte(i), `index ${i}`).toBe(Buffer.byteLength(text.slice(0, i)));
    }
  });
});
