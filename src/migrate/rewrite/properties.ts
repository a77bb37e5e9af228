import { referenceUri } from '../references.js';
import { baseEnvName, envNote, envSetup, EnvNameAllocator } from './code-names.js';
import { loadGrammar, stillParses } from './syntax.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';

/** From the start of a line to its value: a key (escapes allowed), then `=`, `:` or blanks. */
const KEY_AND_SEPARATOR = /^[ \t\f]*(?:[^\s=:\\]|\\[^\r\n])+(?:[ \t\f]*[=:][ \t\f]*|[ \t\f]+)$/;

/** Ends with an odd number of backslashes: the line goes on on the next one. */
function continues(line: string): boolean {
  return /(?:^|[^\\])(?:\\\\)*\\\r?$/.test(line);
}

/** The value of the property on the line holding `edit` is exactly the secret. */
function wholeValue(text: string, edit: RewriteEdit): boolean {
  const lineStart = text.lastIndexOf('\n', edit.start - 1) + 1;
  if (lineStart > 0) {
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    if (continues(text.slice(previousStart, lineStart - 1))) return false;
  }
  const newline = text.indexOf('\n', edit.end);
  const rest = text.slice(edit.end, newline === -1 ? text.length : newline);
  return KEY_AND_SEPARATOR.test(text.slice(lineStart, edit.start)) && /^[ \t\f]*\r?$/.test(rest) && !continues(text.slice(lineStart, edit.end));
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/**
 * Java/Spring `.properties`: the value becomes a Spring placeholder,
 * `spring.datasource.password=${SPRING_DATASOURCE_PASSWORD}`, which Spring resolves from the
 * environment that `vaultsweep run` fills from the store. A secret that is only part of a value
 * (a JDBC URL), and `gradle.properties` (Gradle expands no placeholders), are left to the user.
 */
export const propertiesRewriter: Rewriter = {
  name: 'properties-placeholder',
  async prepare() {
    await loadGrammar('properties');
  },
  accepts(location) {
    return location.context?.format === 'properties';
  },
  rewrite(text, edits, context): RewriteResult {
    const manual: RewriteResult['manual'] = [];
    const gradle = baseName(context.file) === 'gradle.properties';
    const names = new EnvNameAllocator(context.envNames);
    // Placeholders the file already has name variables of their own.
    names.reserve([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\}/g)].map((m) => m[1]));
    const applied: { edit: RewriteEdit; name: string; uri: string }[] = [];
    for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
      const uri = referenceUri(edit.target, context.backend);
      const key = edit.location.context?.key || edit.target.key;
      if (gradle) {
        const variable = `ORG_GRADLE_PROJECT_${key}`;
        manual.push({
          edit,
          reason: `Gradle expands no placeholders in gradle.properties: delete the \`${key}\` line and pass it from the environment as ${variable}; add ${variable}="${uri}" to .env and start Gradle with \`vaultsweep run -- ./gradlew <task>\``,
        });
        continue;
      }
      if (!wholeValue(text, edit)) {
        const name = names.allocate(`${baseEnvName(edit.location.context?.key, edit.target.key)}_SECRET`, uri);
        manual.push({ edit, reason: `the secret is only part of the value of \`${key}\`: replace just the secret with \${${name}} (Spring resolves placeholders inside a value); ${envSetup(name, uri)}` });
        continue;
      }
      applied.push({ edit, name: names.allocate(baseEnvName(edit.location.context?.key, edit.target.key), uri), uri });
    }
    let out = text;
    for (const a of [...applied].reverse()) out = `${out.slice(0, a.edit.start)}\${${a.name}}${out.slice(a.edit.end)}`;
    if (applied.length === 0) return { text, manual, notes: [] };
    if (!stillParses('properties', text, out)) {
      for (const a of applied) manual.push({ edit: a.edit, reason: `the rewritten file would not parse as .properties: replace the value with \${${a.name}} by hand; ${envSetup(a.name, a.uri)}` });
      return { text, manual, notes: [] };
    }
    const entries = new Map(applied.map((a) => [a.name, a.uri]));
    return { text: out, manual, notes: [envNote(context.file, [...entries.keys()])], envEntries: [...entries].map(([name, uri]) => ({ name, uri })) };
  },
};
