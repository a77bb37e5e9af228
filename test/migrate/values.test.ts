import { describe, expect, it } from 'vitest';
import type { PlanLocation } from '../../src/migrate/plan/schema.js';
import { readLocation, sha256Of } from '../../src/migrate/values.js';

function locate(text: string, raw: string): PlanLocation {
  const start = text.indexOf(raw);
  const before = text.slice(0, start).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  return { file: 'f', line, column, endLine: line, endColumn: column + raw.length, commit: null, rewrite: 'manual' };
}

describe('reading a planned secret back from its file', () => {
  it('reads the literal at its place and checks its hash', () => {
    const text = 'a = 1\npassword = "Hx4mP9qW2zT7vK3n"\n';
    const read = readLocation(text, locate(text, 'Hx4mP9qW2zT7vK3n'), sha256Of('Hx4mP9qW2zT7vK3n'));
    expect(read).toEqual({ ok: true, value: 'Hx4mP9qW2zT7vK3n', start: 18, end: 34 });
  });

  it('reads an escaped literal as the format does (the scanner hashes the unescaped secret)', () => {
    const text = 'password = "Hx4m\\"P9q\\\\W2z$${T7v}"\n';
    const secret = 'Hx4m"P9q\\W2z${T7v}';
    const read = readLocation(text, locate(text, 'Hx4m\\"P9q\\\\W2z$${T7v}'), sha256Of(secret));
    expect(read.ok && read.value).toBe(secret);
  });

  it('decodes base64 locations, and says when the file no longer holds the secret', () => {
    const text = 'data:\n  password: SHg0bVA5cVcyelQ3dkszbg==\n';
    const location = { ...locate(text, 'SHg0bVA5cVcyelQ3dkszbg=='), context: { format: 'kubernetes', path: 'data.password', key: 'password', encoding: 'base64' } };
    expect(readLocation(text, location, sha256Of('Hx4mP9qW2zT7vK3n')).ok).toBe(true);
    expect(readLocation(text, location, sha256Of('other'))).toEqual({ ok: false, reason: expect.stringMatching(/no longer holds the planned secret/) });
    expect(readLocation('short\n', { ...location, line: 9, endLine: 9 }, sha256Of('x'))).toEqual({ ok: false, reason: expect.stringMatching(/is no longer in the file/) });
  });
});
