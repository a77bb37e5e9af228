import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { ZodError } from 'zod';
import { rulePackSchema, type RuleSpec } from './rule.js';

/** A rule file, a config file or a plan that does not say what it must: the user's error (exit 2). */
export class InputError extends Error {
  override name = 'InputError';
}

/** The bundled rule packs: `detectors/` at the package root (two levels above dist/detect/). */
export function bundledDetectorsDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'detectors');
}

export function formatZodError(error: ZodError, where: string, pathOf?: (p: (string | number)[]) => string): string {
  return error.issues
    .map((issue) => {
      const at = pathOf ? pathOf(issue.path) : issue.path.join('.');
      return `${where}${at ? ` at ${at}` : ''}: ${issue.message}`;
    })
    .join('\n');
}

/** Parses and validates one rule pack; errors name the file and the rule. */
export function parseRulePack(text: string, source: string): RuleSpec[] {
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 });
  } catch (err) {
    const detail = err instanceof YAMLParseError ? err.message : String(err);
    throw new InputError(`${source}: not valid YAML: ${detail}`);
  }
  const parsed = rulePackSchema.safeParse(data);
  if (!parsed.success) {
    throw new InputError(
      formatZodError(parsed.error, source, (path) => {
        if (path[0] === 'rules' && typeof path[1] === 'number') {
          const rules = (data as { rules?: { id?: unknown }[] }).rules;
          const id = rules?.[path[1]]?.id;
          return `rules[${path[1]}]${typeof id === 'string' ? ` (${id})` : ''}${path.length > 2 ? '.' + path.slice(2).join('.') : ''}`;
        }
        return path.join('.');
      }),
    );
  }
  return parsed.data.rules;
}

export function loadRuleFile(file: string): RuleSpec[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read rule file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  return parseRulePack(text, file);
}

function ruleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
}

/** What the packs looked like when the cache was written: name, size and mtime of each file. */
function packStamp(dir: string): string {
  return ruleFiles(dir)
    .map((f) => {
      const st = statSync(join(dir, f));
      return `${f}:${st.size}:${st.mtimeMs}`;
    })
    .join('|');
}

/** `npm run build` writes the validated bundled rules as JSON: parsing 300 rules of YAML takes longer than a small scan. */
export function bundledRulesCache(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', 'detectors.json');
}

export function writeRulesCache(dir: string = bundledDetectorsDir(), file: string = bundledRulesCache()): number {
  const rules = loadRuleDir(dir, false);
  writeFileSync(file, JSON.stringify({ stamp: packStamp(dir), rules }));
  return rules.length;
}

/** Loads every `*.yaml` in a detectors folder, in name order, refusing duplicate ids. */
export function loadRuleDir(dir: string = bundledDetectorsDir(), useCache = true): RuleSpec[] {
  if (useCache && dir === bundledDetectorsDir()) {
    try {
      const cached = JSON.parse(readFileSync(bundledRulesCache(), 'utf8')) as { stamp: string; rules: RuleSpec[] };
      if (cached.stamp === packStamp(dir)) return cached.rules;
    } catch {
      // no cache, or a stale one: read the YAML
    }
  }
  return mergeRules(ruleFiles(dir).flatMap((f) => loadRuleFile(join(dir, f))));
}

export function mergeRules(rules: RuleSpec[], extra: RuleSpec[] = []): RuleSpec[] {
  const seen = new Set<string>();
  for (const rule of [...rules, ...extra]) {
    if (seen.has(rule.id)) throw new InputError(`duplicate rule id "${rule.id}"`);
    seen.add(rule.id);
  }
  return [...rules, ...extra];
}
