import { dirname, join } from 'node:path/posix';
import { parse } from 'dotenv';
import { writeFileAtomic } from '../atomic-write.js';
import type { SourceFiles } from './collect.js';

export interface EnvEntry {
  name: string;
  uri: string;
  /** The env file to record it in (default: `.env` at the repository root); `.env.example` beside it. */
  envFile?: string;
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
export function recordEnvEntries(files: SourceFiles, entries: EnvEntry[], dryRun: boolean): string[] {
  const byFile = new Map<string, EnvEntry[]>();
  for (const entry of entries) byFile.set(entry.envFile ?? '.env', [...(byFile.get(entry.envFile ?? '.env') ?? []), entry]);
  return [...byFile].flatMap(([envFile, list]) => recordIn(files, envFile, list, dryRun));
}

function recordIn(files: SourceFiles, ENV: string, entries: EnvEntry[], dryRun: boolean): string[] {
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
  if (add.length) notes.push(`${ENV}: ${add.length} variable${add.length === 1 ? '' : 's'} added as store references (${[...wanted.keys()].join(', ')}); start the program with \`vaultsweep run -- <command>\``);
  if (dryRun) return notes;
  if (add.length) {
    writeFileAtomic(join(files.root, ENV), appendLines(env, add), 0o600);
    files.forget(ENV);
  }
  if (addExample.length && read(EXAMPLE) !== undefined) {
    writeFileAtomic(join(files.root, EXAMPLE), appendLines(example, addExample));
    files.forget(EXAMPLE);
  }
  return notes;
}
