/**
 * Environment variable names for the code and `.properties` rewriters: one UPPER_SNAKE_CASE name
 * per secret of a file (`githubToken` → `GITHUB_TOKEN`, `spring.datasource.password` →
 * `SPRING_DATASOURCE_PASSWORD`), `_2`, `_3`... when two secrets would share one.
 */

/** Names the process environment already uses for something else than a secret. */
const RESERVED = new Set([
  'PATH', 'HOME', 'USER', 'USERNAME', 'LOGNAME', 'SHELL', 'PWD', 'OLDPWD', 'LANG', 'TERM', 'TMPDIR', 'TEMP', 'TMP',
  'HOSTNAME', 'IFS', 'PS1', 'PS2', 'NODE_OPTIONS', 'NODE_ENV', 'PYTHONPATH', 'JAVA_HOME', 'GOPATH', 'CI',
]);

/** Names written in camel case that are one word: `GitHubToken` is GITHUB_TOKEN, not GIT_HUB_TOKEN. */
const COMPOUNDS = /GitHub|GitLab|BitBucket|OAuth|OpenAI|OpenID|PayPal|MySQL|PostgreSQL|MongoDB|DynamoDB|CosmosDB|LinkedIn|YouTube|WordPress|SendGrid|HubSpot|DataDog|PagerDuty|CloudFlare|WebHook|WebSocket|NuGet|PyPI|RabbitMQ|ElasticSearch/g;

/** `githubToken` → `GITHUB_TOKEN`, `db-password` → `DB_PASSWORD`, `APIKey` → `API_KEY`; '' when nothing is left. */
export function envName(raw: string): string {
  let name = raw
    .replace(COMPOUNDS, (word) => word[0] + word.slice(1).toLowerCase())
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (name === '') return '';
  if (/^[0-9]/.test(name)) name = `_${name}`;
  if (RESERVED.has(name)) name = `${name}_SECRET`;
  return name;
}

/** A valid environment variable name as the code spells it (`GITHUB_TOKEN`, `api_key`). */
export function isEnvName(name: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

/** Held by a name the file already reads from the environment for its own purposes. */
export const EXISTING = '\0existing';

/** Hands out the names of one file: one name never stands for two different store references. */
export class EnvNameAllocator {
  /**
   * `shared`: the names of the whole apply run (and of the repository's `.env`), so two files
   * never read one name for two different secrets. Without it, names are unique per file only.
   */
  constructor(private readonly taken: Map<string, string> = new Map()) {}

  /** Names the file already reads (`process.env.X`): a derived name never reuses them. */
  reserve(names: Iterable<string>): void {
    for (const name of names) if (!this.taken.has(name)) this.taken.set(name, EXISTING);
  }

  /** `base`, or `base_2`, `base_3`... when another secret (or the file itself) already uses it. */
  allocate(base: string, uri: string): string {
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}_${n}`;
      const holder = this.taken.get(candidate);
      if (holder === undefined || holder === uri) {
        this.taken.set(candidate, uri);
        return candidate;
      }
    }
  }

  /** Exactly `name` (a fallback the code already reads): false when another secret has it. */
  claim(name: string, uri: string): boolean {
    const holder = this.taken.get(name);
    if (holder !== undefined && holder !== EXISTING && holder !== uri) return false;
    this.taken.set(name, uri);
    return true;
  }
}

/** The name a secret is read under: from the context key, else from the store key. */
export function baseEnvName(key: string | undefined, targetKey: string): string {
  return envName(key ?? '') || envName(targetKey) || 'SECRET';
}

/** The summary note for a rewritten file. */
export function envNote(file: string, names: string[]): string {
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${file}: reads ${list} from the environment; \`vaultsweep run -- <command>\` sets ${names.length === 1 ? 'it' : 'them'} from the store`;
}

/** The end of every manual instruction: where the value comes from once the file reads it. */
export function envSetup(name: string, uri: string): string {
  return `add ${name}="${uri}" to .env and start the program with \`vaultsweep run -- <command>\``;
}

/** The file's line ending: CRLF when its first line break is one. */
export function lineEnding(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 13 ? '\r\n' : '\n';
}
