import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { formatZodError, InputError } from './load-rules.js';
import { ruleSchema, type RuleSpec } from './rule.js';
import { compileRules } from './compile.js';

/** `.vaultsweep.yaml`: what a team adds to or takes from the bundled rules. */
const configSchema = z
  .object({
    rules: z.array(ruleSchema).default([]),
    disabledRules: z.array(z.string()).default([]),
    skipPaths: z.array(z.string()).default([]),
    stopwords: z.array(z.string().min(3)).default([]),
    maxFileSize: z.union([z.number().int().positive(), z.string()]).optional(),
  })
  .strict();

export type ScanConfig = z.infer<typeof configSchema>;

export const CONFIG_FILE = '.vaultsweep.yaml';
export const IGNORE_FILE = '.vaultsweepignore';

export function emptyConfig(): ScanConfig {
  return configSchema.parse({});
}

/** Loads `--config FILE`, or `.vaultsweep.yaml` at the root when present. */
export function loadConfig(root: string, explicit?: string): ScanConfig {
  const file = explicit ?? join(root, CONFIG_FILE);
  if (!explicit && !existsSync(file)) return emptyConfig();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read config ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 }) ?? {};
  } catch (err) {
    throw new InputError(`${file}: not valid YAML: ${err instanceof YAMLParseError ? err.message : String(err)}`);
  }
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) throw new InputError(formatZodError(parsed.error, file));
  return parsed.data;
}

/** Bundled rules less the disabled ones, plus the config's own; unknown disabled ids are an error. */
export function applyConfigToRules(bundled: RuleSpec[], config: ScanConfig): RuleSpec[] {
  const known = new Set(bundled.map((r) => r.id));
  for (const id of config.disabledRules) {
    if (!known.has(id)) throw new InputError(`disabledRules: no rule "${id}" (see \`vaultsweep rules\`)`);
  }
  const disabled = new Set(config.disabledRules);
  const kept = bundled.filter((r) => !disabled.has(r.id));
  for (const rule of config.rules) if (known.has(rule.id)) throw new InputError(`rules: "${rule.id}" is already a bundled rule; pick another id`);
  compileRules(config.rules); // a team's own regexes are checked now, not on first use
  return [...kept, ...config.rules];
}

export function pathSkipper(globs: string[]): (path: string) => boolean {
  if (globs.length === 0) return () => false;
  const match = picomatch(globs, { dot: true });
  return (path) => match(path);
}

/** `.vaultsweepignore`: one finding id per line; `#` starts a comment (the reason). */
export function loadIgnoredIds(root: string): Set<string> {
  const file = join(root, IGNORE_FILE);
  if (!existsSync(file)) return new Set();
  const ids = new Set<string>();
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (line) ids.add(line.split(/\s+/)[0]);
  }
  return ids;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i;

export function parseSize(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = SIZE.exec(value.trim());
  if (!m) throw new InputError(`"${value}" is not a size (try 1MB, 512KiB or a byte count)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * factor);
}
