import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../src/detect/positions.js';
import { analyze } from './helpers.js';

/** Files with multi-byte UTF-8 before (and in) the secret, one per format or language. */
const NON_ASCII: [path: string, text: string, secret: string][] = [
  ['Dockerfile', 'FROM alpine\n# Größe — “café” 🔑\nLABEL über="ja" \nENV NAÏVE=1 API_TOKEN="tök-🔑-ünïcode"\n', 'tök-🔑-ünïcode'],
  ['.env', '# Ünïcødé “comment” 🔑\nNAME=Zoë\nDB_PASSWORD=pässwörd-Ω # ñ\n', 'pässwörd-Ω'],
  ['application.properties', '# Größe\ngreeting=Grüß Gott 🔑\nspring.datasource.password=pässwörd-Ω\n', 'pässwörd-Ω'],
  ['config.js', '// “café” 🔑\nconst naïve = "é"; const apiKey = "kéy-🔑-value";\n', 'kéy-🔑-value'],
  ['settings.py', '# -*- coding: utf-8 -*-\nNAME = "Zoë"  # 🔑\nSECRET_KEY = "sécret-🔑"\n', 'sécret-🔑'],
  ['main.go', 'package main\n// “café” 🔑\nvar naïve = "é"\nconst token = "tøken-🔑"\n', 'tøken-🔑'],
  ['deploy.sh', '# “café” 🔑\nNAME="Zoë"; export API_TOKEN="tøken-🔑"\n', 'tøken-🔑'],
  ['config.php', '<p>Größe “café” 🔑</p><?php $naïve = "é"; $password = "pässwörd-🔑";\n', 'pässwörd-🔑'],
];

describe('byte offsets', () => {
  it.each(NON_ASCII)('%s: the span is the secret\'s bytes after multi-byte characters', (path, text, secret) => {
    const { data, values } = analyze(path, text);
    const hits = values.filter((v) => v.sensitive);
    expect(hits).toHaveLength(1);
    const [hit] = hits;
    const offset = data.indexOf(Buffer.from(secret, 'utf8'));
    const lineStart = data.lastIndexOf(10, offset) + 1;
    expect(hit.literal).toBe(secret);
    expect(hit.text).toBe(secret);
    expect(hit.column).toBe(offset - lineStart + 1); // bytes
    expect(hit.line).toBe(text.slice(0, text.indexOf(secret)).split('\n').length);
    // What the report shows: the column in UTF-16 code units, as the line's text counts them.
    const lineText = text.split('\n')[hit.line - 1];
    const start = analyze(path, text).analysis.values.find((v) => v.sensitive)!.start;
    expect(new LineIndex(data).position(start)).toEqual({ line: hit.line, column: lineText.indexOf(secret) + 1 });
  });

  it('stays exact after bytes that are not UTF-8', () => {
    const data = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0xff, 0x80]), Buffer.from(' \nAPI_TOKEN=abc-\u00e9-123\n')]);
    const { values } = analyze('.env', data);
    expect(values).toHaveLength(1);
    expect(values[0]).toMatchObject({ literal: 'abc-é-123', line: 2, column: 11, text: 'abc-é-123' });
  });

  it('skips a UTF-8 byte-order mark', () => {
    const { values } = analyze('.env', '\ufeffAPI_TOKEN=bom-token-1\n');
    expect(values[0]).toMatchObject({ context: { key: 'API_TOKEN' }, literal: 'bom-token-1', line: 1, column: 14 });
  });
});

describe('CRLF files', () => {
  it.each([
    ['config.js', 'const a = 1;\r\n// note\r\nconst dbPassword = "crlf-js-1";\r\n', 'dbPassword', 3, 21],
    ['settings.py', 'A = 1\r\n# note\r\nPASSWORD = """crlf\r\npy"""\r\n', 'PASSWORD', 3, 15],
    ['main.go', 'package main\r\n\r\nvar apiKey = `crlf-go-1`\r\n', 'apiKey', 3, 15],
    ['deploy.sh', '#!/bin/sh\r\nexport TOKEN="crlf-sh-1"\r\nSECRET=crlf-sh-2\r\n', 'SECRET', 3, 8],
    ['App.java', 'class A {\r\n  String password = "crlf-java-1";\r\n}\r\n', 'password', 2, 22],
  ])('%s', (path, text, key, line, column) => {
    const { values } = analyze(path, text);
    const [hit] = values.filter((v) => v.context.key === key);
    expect(hit).toMatchObject({ line, column, sensitive: true });
    expect(hit.text).not.toMatch(/\r$/);
    expect(hit.literal).not.toMatch(/\r/);
  });
});
