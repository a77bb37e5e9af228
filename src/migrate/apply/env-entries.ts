import { dirname, join } from 'node:path/posix';
import { parse } from 'dotenv';
import { writeFileAtomic } from '../atomic-write.js';
import type { SourceFiles } from './collect.js';
import type { Journal } from '../journal.js';
import { sha256Of } from '../values.js';

/** The journal's name for the variables apply adds to env files (not one secret's rewrite). */
const ENV_ENTRIES = 'env-entries';
import { parseReference } from '../references.js';
import { EXISTING } from '../rewrite/code-names.js';

export interface EnvEntry {
  name: string;
  uri: string;
  /** The env file to record it in (default: `.env` at the repository root); `.env.example` beside it. */
  envFile?: string;
}

/** Names the repository's `.env` already defines: a reference keeps its URI, anything else is simply taken. */
export function takenEnvNames(files: SourceFiles): Map<string, string> {
  const taken = new Map<string, string>();
  const source = files.read('.env');
  if ('error' in source) return taken;
  for (const [name, value] of Object.entries(parse(source.text))) taken.set(name, parseReference(value) ? value : EXISTING);
  return taken;
}

function appendLines(text: string, lines: string[]): string {
  if (!lines.length) return text;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const base = text === '' || text.endsWith('\n') ? text : `${text}${eol}`;
  return `${base}${lines.join(eol)}${eol}`;
}

/**
 * Records the variables rewritten code now reads: `NAME="vault://…"` in the repository's `.env`
 * (where `vaultsweep run` resolves it) and `NAME=` in `.env.example`. Idempotent: a name already
 * holding its reference is left alone; a name holding something else is reported, not replaced.
 */
export function recordEnvEntries(files: SourceFiles, entries: EnvEntry[], dryRun: boolean, journal?: Journal): string[] {
  const byFile = new Map<string, EnvEntry[]>();
  for (const entry of entries) byFile.set(entry.envFile ?? '.env', [...(byFile.get(entry.envFile ?? '.env') ?? []), entry]);
  return [...byFile].flatMap(([envFile, list]) => recordIn(files, envFile, list, dryRun, journal));
}

function recordIn(files: SourceFiles, ENV: string, entries: EnvEntry[], dryRun: boolean, journal: Journal | undefined): string[] {
  const EXAMPLE = join(dirname(ENV), '.env.example');
  const notes: string[] = [];
  const wanted = new Map<string, string>();
  for (const { name, uri } of entries) {
    const other = wanted.get(name);
    if (other !== undefined && other !== uri) notes.push(`${ENV}: ${name} is read for two different secrets (${other} and ${uri}): rename one variable in the code and set it by hand`);
    else wanted.set(name, uri);
  }
  const read = (file: string): string | undefined => {
    const source = files.read(file);
    if (!('error' in source)) return source.text;
    return /no longer exists/.test(source.error) ? '' : undefined;
  };
  const env = read(ENV);
  if (env === undefined) return [...notes, `${ENV} cannot be written (${(files.read(ENV) as { error: string }).error}): set ${[...wanted.keys()].join(', ')} by hand`];
  const current = parse(env);
  const add: string[] = [];
  for (const [name, uri] of wanted) {
    if (current[name] === uri) continue;
    if (name in current) notes.push(`${ENV}: ${name} is already set to something else: make it "${uri}" by hand`);
    else add.push(`${name}="${uri}"`);
  }
  const example = read(EXAMPLE) ?? '';
  const exampleKeys = parse(example);
  const addExample = [...wanted.keys()].filter((name) => !(name in exampleKeys)).map((name) => `${name}=`);
  const added = add.map((line) => line.slice(0, line.indexOf('=')));
  if (add.length) notes.push(`${ENV}: ${added.join(', ')} added as store reference${add.length === 1 ? '' : 's'}; start the program with \`vaultsweep run -- <command>\``);
  // Journaled before the write, as every rewrite: a re-run knows the file is as vaultsweep left it.
  const write = (file: string, text: string, mode: number) => {
    if (dryRun) return files.stage(file, text);
    journal?.record({ step: 'rewritten', secret: ENV_ENTRIES, file, fileSha256: sha256Of(text) });
    writeFileAtomic(join(files.root, file), text, mode);
    files.forget(file);
  };
  if (add.length) write(ENV, appendLines(env, add), 0o600);
  if (addExample.length && read(EXAMPLE) !== undefined) write(EXAMPLE, appendLines(example, addExample), 0o644);
  return notes;
}
