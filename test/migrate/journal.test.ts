import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Journal, parseJournal } from '../../src/migrate/journal.js';

describe('the apply journal', () => {
  it('appends one JSON line per step and reads them back in a new run', () => {
    const root = mkdtempSync(join(tmpdir(), 'vaultsweep-journal-'));
    const first = new Journal(root, 'run-1');
    first.record({ step: 'stored', secret: 'abc:secret/x#k', target: 'secret/x#k', outcome: 'created' });
    first.record({ step: 'rewritten', secret: 'abc:secret/x#k', file: '.env', fileSha256: 'f'.repeat(64) });
    const second = new Journal(root, 'run-2');
    expect(second.has('abc:secret/x#k', 'stored')).toBe(true);
    expect(second.has('abc:secret/x#k', 'verified')).toBe(false);
    expect(second.rewrites('.env')).toEqual(['f'.repeat(64)]);
    expect(second.rewroteSecretIn('abc:secret/x#k', '.env')).toBe(true);
    expect(readFileSync(join(root, '.vaultsweep', '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('drops a torn last line (a crash mid-append) and refuses damage elsewhere', () => {
    const good = JSON.stringify({ time: 't', run: 'r', step: 'stored', secret: 's' });
    expect(parseJournal(`${good}\n{"time":"t","ru`)).toHaveLength(1);
    expect(() => parseJournal(`{"broken\n${good}\n`)).toThrow(/journal\.jsonl line 1 is not JSON/);
  });

  it('a damaged journal stops apply with a message, it is not overwritten', () => {
    const root = mkdtempSync(join(tmpdir(), 'vaultsweep-journal-'));
    new Journal(root, 'r').record({ step: 'stored', secret: 's' });
    const file = join(root, '.vaultsweep', 'journal.jsonl');
    writeFileSync(file, `garbage\n${readFileSync(file, 'utf8')}`);
    expect(() => new Journal(root, 'r2')).toThrow(/line 1 is not JSON: fix or remove that line/);
    expect(readFileSync(file, 'utf8')).toMatch(/^garbage\n/);
  });
});
