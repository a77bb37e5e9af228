import { parse } from 'dotenv';
import { referenceUri } from '../references.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';

/** `KEY=value`, `export KEY="value"`: the value part of one dotenv line. */
const ASSIGNMENT = /^(\s*(?:export\s+)?([\w.-]+)\s*=\s*)(?:"([^"\n]*)"|'([^'\n]*)'|([^#\s][^#\n]*?))?(\s*(?:#.*)?)$/;

/**
 * `.env` files: the literal becomes a reference URI that `vaultsweep run` resolves at start-up,
 * `DB_PASSWORD="vault://secret/app/env#DB_PASSWORD"`. Only a whole value is replaced: a secret
 * inside a longer value (a URL with a password) is left to the user.
 */
export const dotenvRewriter: Rewriter = {
  name: 'dotenv-reference',
  accepts(location) {
    return location.context?.format === 'dotenv';
  },
  rewrite(text, edits, context): RewriteResult {
    const manual: RewriteResult['manual'] = [];
    const applied: { edit: RewriteEdit; key: string; uri: string; lineStart: number; lineEnd: number; replacement: string }[] = [];
    for (const edit of edits) {
      const lineStart = text.lastIndexOf('\n', edit.start - 1) + 1;
      const newline = text.indexOf('\n', edit.end);
      const lineEnd = newline === -1 ? text.length : newline;
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      const match = ASSIGNMENT.exec(line);
      const value = match ? (match[3] ?? match[4] ?? match[5] ?? '') : '';
      const valueStart = match ? lineStart + match[1].length + (match[3] !== undefined || match[4] !== undefined ? 1 : 0) : -1;
      if (!match || valueStart !== edit.start || valueStart + value.length !== edit.end) {
        manual.push({ edit, reason: 'the secret is part of a longer value: move it to its own variable, then reference it' });
        continue;
      }
      const uri = referenceUri(edit.target, context.backend);
      const quote = match[4] !== undefined ? "'" : '"';
      const replacement = `${match[1]}${quote}${uri}${quote}${match[6]}${line.length < lineEnd - lineStart ? '\r' : ''}`;
      applied.push({ edit, key: match[2], uri, lineStart, lineEnd, replacement });
    }
    let out = text;
    for (const a of [...applied].sort((x, y) => y.lineStart - x.lineStart)) out = out.slice(0, a.lineStart) + a.replacement + out.slice(a.lineEnd);
    const parsed = parse(out);
    const broken = applied.filter((a) => parsed[a.key] !== a.uri);
    if (broken.length) {
      return { text, manual: [...manual, ...applied.map((a) => ({ edit: a.edit, reason: 'the rewritten file would not parse as dotenv: edit it by hand' }))], notes: [] };
    }
    const notes = applied.length ? [`${context.file}: values are now store references; start the program with \`vaultsweep run --env-file ${context.file} -- <command>\``] : [];
    // Already in this file; recorded so that `.env.example` beside it gains the names.
    const envEntries = applied.map((a) => ({ name: a.key, uri: a.uri, envFile: context.file }));
    return { text: out, manual, notes, envEntries };
  },
};
