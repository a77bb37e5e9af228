import { describe, expect, it } from 'vitest';
import { compileRules } from '../../src/detect/compile.js';
import { parseRulePack } from '../../src/detect/load-rules.js';
import { scanBuffer } from '../../src/detect/scan-buffer.js';

const pack = parseRulePack(
  `
rules:
  - id: test-token
    description: test token
    keywords: [tok_]
    regex: '\\b(tok_[A-Za-z0-9]{20})\\b'
    secretGroup: 1
    entropy: 3
    severity: high
    examples: { positive: ['tok_a1B2c3D4e5F6g7H8i9J0'] }
  - id: test-pem
    description: test private key
    keywords: ['private key-----']
    regex: '-----BEGIN TEST PRIVATE KEY-----[\\s\\S]{8,200}?-----END TEST PRIVATE KEY-----'
    secretGroup: 0
    severity: critical
    examples: { positive: ["-----BEGIN TEST PRIVATE KEY-----\\nabcdefgh\\n-----END TEST PRIVATE KEY-----"] }
`,
  'inline',
);
const ruleSet = compileRules(pack);
const TOKEN = 'tok_a1B2c3D4e5F6g7H8i9J0';

describe('scanBuffer', () => {
  it('gives 1-based line and column of the secret itself', () => {
    const [m] = scanBuffer(Buffer.from(`first line\n  key = "${TOKEN}"\n`), ruleSet, 'a.txt');
    expect(m).toMatchObject({ line: 2, column: 10, endLine: 2, endColumn: 10 + TOKEN.length });
    expect(m.secret.toString()).toBe(TOKEN);
  });

  it('counts columns in characters after multi-byte text, and survives invalid UTF-8', () => {
    const data = Buffer.concat([Buffer.from('ünïcødé → '), Buffer.from([0xff, 0xfe]), Buffer.from(` ${TOKEN}\n`)]);
    const [m] = scanBuffer(data, ruleSet, 'a.txt');
    expect(m.line).toBe(1);
    expect(m.column).toBe('ünïcødé → '.length + 2 + 2);
  });

  it('reports a multi-line secret with its end position', () => {
    const pem = '-----BEGIN TEST PRIVATE KEY-----\nQUJDREVGR0g=\n-----END TEST PRIVATE KEY-----';
    const [m] = scanBuffer(Buffer.from(`x\n${pem}\n`), ruleSet, 'key.pem');
    // endColumn is exclusive, as in SARIF: the column after the last character.
    expect(m).toMatchObject({ line: 2, column: 1, endLine: 4, endColumn: 31 });
  });

  it('runs no regex when no keyword occurs', () => {
    expect(scanBuffer(Buffer.from('nothing to see here'), ruleSet, 'a.txt')).toEqual([]);
  });

  it.each(['vaultsweep:allow', 'gitleaks:allow', 'pragma: allowlist secret'])('honours %s on the line', (marker) => {
    expect(scanBuffer(Buffer.from(`key = "${TOKEN}" # ${marker}\n`), ruleSet, 'a.txt')).toEqual([]);
  });

  it('honours pragma: allowlist nextline secret on the line above', () => {
    expect(scanBuffer(Buffer.from(`# pragma: allowlist nextline secret\nkey = "${TOKEN}"\n`), ruleSet, 'a.txt')).toEqual([]);
  });

  it('applies the minimum entropy', () => {
    expect(scanBuffer(Buffer.from('tok_aaaaaaaaaaaaaaaaaaab'), ruleSet, 'a.txt')).toEqual([]);
  });

  it('stays linear on hostile input (no backtracking blow-up)', () => {
    const hostile = Buffer.from('-----BEGIN TEST PRIVATE KEY-----' + 'A'.repeat(2_000_000) + ' tok_' + 'a'.repeat(5_000_000));
    const started = process.hrtime.bigint();
    const found = scanBuffer(hostile, ruleSet, 'a.txt');
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(found).toEqual([]);
    // A backtracking engine takes minutes here; RE2 is linear. Generous bound for slow machines.
    expect(ms).toBeLessThan(5_000);
  });
});

describe('rule files', () => {
  it('names the file and the rule in validation errors', () => {
    expect(() => parseRulePack('rules:\n  - id: Bad Id\n    description: x\n', 'mine.yaml')).toThrow(/mine\.yaml at rules\[0\] \(Bad Id\)\.id/);
  });

  it('rejects a regex RE2 cannot compile', () => {
    const [spec] = parseRulePack(
      "rules:\n  - id: lookahead\n    description: x\n    keywords: [ab]\n    regex: 'a(?=b)'\n    severity: low\n    examples: { positive: [ab] }\n",
      'x.yaml',
    );
    expect(() => compileRules([spec])).toThrow(/lookahead: regex does not compile under RE2/);
  });

  it('rejects invalid YAML with the file name', () => {
    expect(() => parseRulePack('rules: [\n  - id', 'broken.yaml')).toThrow(/broken\.yaml: not valid YAML/);
  });
});
