import { referenceUri } from '../references.js';
import { goOsImport, pythonOsImport } from './code-imports.js';
import { CODE_LANGUAGES, readsOf, type CodeLanguage, type Replacement } from './code-languages.js';
import { baseEnvName, envNote, envSetup, EnvNameAllocator, lineEnding } from './code-names.js';
import { loadTreeGrammar, withTree, type SyntaxNode } from './code-tree.js';
import { stillParses, type Grammar } from './syntax.js';
import type { RewriteEdit, RewriteResult, Rewriter } from './types.js';

const GRAMMARS: Grammar[] = ['javascript', 'typescript', 'tsx', 'python', 'go', 'java', 'kotlin', 'ruby', 'php', 'c_sharp', 'bash'];

/** `--password=secret`: a flag and `=` before a shell value. */
const SHELL_FLAG = /^-{1,2}[A-Za-z][\w-]*=$/;

/** One edit, once its literal is found. */
interface Analysis {
  edit: RewriteEdit;
  uri: string;
  /** The environment variable, once allocated. */
  name?: string;
  /** Why it cannot be rewritten, given the read expression; set: manual. */
  manual?: (read: string) => string;
  /** The literal node, quotes included. */
  node?: SyntaxNode;
  /** What is replaced: the literal, or the whole fallback expression (`process.env.X || "secret"`). */
  start: number;
  end: number;
  /** A fallback: the variable the code already reads. */
  exact?: string;
  bytes: boolean;
  /** Shell `export NAME="secret"`: the end of `NAME` and of the assignment. */
  exported?: { name: string; from: number; to: number };
  replacements: Replacement[];
}

function languageOf(edit: RewriteEdit): string | undefined {
  const language = (edit.location.context as { language?: unknown } | undefined)?.language;
  return typeof language === 'string' ? language : undefined;
}

/** The closest string literal around [start, end). */
function literalAround(root: SyntaxNode, lang: CodeLanguage, start: number, end: number): SyntaxNode | null {
  let node: SyntaxNode | null = root.descendantForIndex(start, end);
  for (let depth = 0; node && depth < 6; depth++, node = node.parent) {
    if (lang.strings.has(node.type) && node.startIndex <= start && end <= node.endIndex) return node;
  }
  return null;
}

function analyze(text: string, root: SyntaxNode, lang: CodeLanguage, shell: boolean, edit: RewriteEdit, uri: string): Analysis {
  const a: Analysis = { edit, uri, start: edit.start, end: edit.end, bytes: false, replacements: [] };
  const bound = edit.location.context?.path ? ` (bound to \`${edit.location.context.path}\`)` : '';
  const node = literalAround(root, lang, edit.start, edit.end);
  if (!node) {
    a.manual = (read) => `no string literal around the secret: replace it with \`${read}\` by hand`;
    return a;
  }
  a.node = node;
  a.start = node.startIndex;
  a.end = node.endIndex;
  const open = text.slice(node.startIndex, edit.start);
  const close = text.slice(edit.end, node.endIndex);
  const partial = (read: string) => `the secret is only part of a longer string${bound}: build that string with \`${read}\` in place of the secret (a template or concatenation)`;
  if (shell && node.type === 'word' && close === '' && SHELL_FLAG.test(open)) a.start = edit.start;
  else if (lang.close(open) !== close || (shell && node.type === 'word' && open !== '')) {
    a.manual = partial;
    return a;
  }
  a.bytes = /^[a-zA-Z]*[bB][a-zA-Z]*["']/.test(open) && lang.needs === 'python-os';
  const concatenation = (read: string) => `the literal is one operand of a concatenation or format${bound}: replace the literal, quotes included, with \`${read}\``;
  if (shell) {
    const parent = node.parent;
    if (parent?.type === 'concatenation') {
      const siblings = parent.namedChildren.filter((c): c is SyntaxNode => c !== null);
      const flag = siblings.length === 2 && siblings[1].equals(node) && siblings[0].type === 'word' && SHELL_FLAG.test(siblings[0].text);
      if (!flag) a.manual = concatenation;
    } else if (parent?.type === 'variable_assignment' && parent.parent?.type === 'declaration_command' && parent.parent.firstChild?.type === 'export') {
      const variable = parent.firstNamedChild;
      if (variable?.type === 'variable_name') a.exported = { name: variable.text, from: variable.endIndex, to: parent.endIndex };
    }
    return a;
  }
  for (let holder = node.parent, depth = 0; holder && depth < 3; holder = holder.parent, depth++) {
    const before = text.slice(holder.startIndex, node.startIndex);
    const after = text.slice(node.endIndex, holder.endIndex);
    const match = lang.fallbacks.map((f) => (f.after.test(after) ? f.before.exec(before) : null)).find((m) => m);
    if (match?.groups?.name) {
      a.exact = match.groups.name;
      a.start = holder.startIndex;
      a.end = holder.endIndex;
      return a;
    }
  }
  if (lang.concatenated(node)) a.manual = concatenation;
  return a;
}

/**
 * Application code: a hardcoded literal becomes the language's environment read, which
 * `vaultsweep run` fills from the store. `const githubToken = "ghp_..."` →
 * `const githubToken = process.env.GITHUB_TOKEN`; Python `os.environ["X"]` (adding `import os`),
 * Go `os.Getenv("X")` (adding `"os"`), Java and Kotlin `System.getenv("X")`, Ruby
 * `ENV.fetch("X")`, PHP `getenv('X')`, C# `Environment.GetEnvironmentVariable("X")`, shell
 * `"${X}"`. A fallback default (`process.env.X || "secret"`, `os.getenv("X", "secret")`) is
 * dropped: the code reads `X`. Shell `export X="secret"` becomes `export X`: `vaultsweep run`
 * already exports it. TypeScript reads `process.env.X!`, which keeps the literal's type `string`.
 * A secret that is only part of a string, a concatenation operand, or in a place that needs a
 * constant (an annotation, a PHP property default, a Go const block) is left to the user.
 */
export const codeRewriter: Rewriter = {
  name: 'code-env-read',
  async prepare() {
    await Promise.all(GRAMMARS.map((g) => loadTreeGrammar(g)));
  },
  accepts(location) {
    const context = location.context as { format?: string; language?: unknown } | undefined;
    return context?.format === 'code' && typeof context.language === 'string' && Object.hasOwn(CODE_LANGUAGES, context.language);
  },
  rewrite(text, edits, context): RewriteResult {
    const language = edits.map(languageOf).find((l) => l !== undefined && Object.hasOwn(CODE_LANGUAGES, l));
    if (!language) return { text, manual: edits.map((edit) => ({ edit, reason: 'not a language the code rewriter knows: replace the literal with an environment read by hand' })), notes: [] };
    const lang = CODE_LANGUAGES[language];
    const shell = language === 'shell';
    const grammar = lang.grammar(context.file);
    return withTree(grammar, text, (root) => {
      const manual: RewriteResult['manual'] = [];
      const analyses: Analysis[] = [];
      for (const edit of [...edits].sort((x, y) => x.start - y.start)) {
        const uri = referenceUri(edit.target, context.backend);
        if (languageOf(edit) !== language) manual.push({ edit, reason: `the location is ${languageOf(edit) ?? 'not code'}, the file ${language}: edit it by hand` });
        else analyses.push(analyze(text, root, lang, shell, edit, uri));
      }
      // Names: fallbacks keep the variable the code already reads; the others get one from their key.
      const names = new EnvNameAllocator(context.envNames);
      if (!shell) names.reserve(readsOf(text));
      for (const a of analyses) {
        if (a.exact === undefined || a.manual) continue;
        if (names.claim(a.exact, a.uri)) a.name = a.exact;
        else a.manual = (read) => `the code reads ${a.exact} with this secret as its default, and ${a.exact} already stands for another secret in this file: drop the default and read the secret with \`${read}\``;
      }
      for (const a of analyses) a.name ??= names.allocate(baseEnvName(a.edit.location.context?.key, a.edit.target.key), a.uri);
      const fileInfo = (a: Analysis) => ({ text, bytes: a.bytes });
      const reasonOf = (a: Analysis, why: string) => `${why}; ${envSetup(a.name as string, a.uri)}`;

      // Replacements, each analysis all or nothing; identical ones (two literals of one Go const spec) once.
      const accepted: Replacement[] = [];
      const applied: Analysis[] = [];
      for (const a of analyses) {
        const name = a.name as string;
        const read = lang.read(name, fileInfo(a));
        if (a.manual) {
          manual.push({ edit: a.edit, reason: reasonOf(a, a.manual(read)) });
          continue;
        }
        if (a.exported && a.exported.name === name) {
          a.replacements.push({ start: a.exported.from, end: a.exported.to, text: '' });
        } else if (a.exact !== undefined || !a.node) {
          a.replacements.push({ start: a.start, end: a.end, text: read });
        } else {
          const constraint = lang.constraint(a.node, read, text);
          if (constraint && 'manual' in constraint) {
            manual.push({ edit: a.edit, reason: reasonOf(a, constraint.manual) });
            continue;
          }
          const [left, right] = constraint?.wrap ?? ['', ''];
          a.replacements.push({ start: a.start, end: a.end, text: `${left}${read}${right}` }, ...(constraint?.extra ?? []));
        }
        const fresh = a.replacements.filter((r) => !accepted.some((o) => o.start === r.start && o.end === r.end && o.text === r.text));
        if (fresh.some((r) => accepted.some((o) => r.start < o.end && o.start < r.end))) {
          manual.push({ edit: a.edit, reason: reasonOf(a, `another rewrite in this file overlaps this literal: replace it with \`${read}\` by hand`) });
          continue;
        }
        accepted.push(...fresh);
        applied.push(a);
      }
      if (applied.length === 0) return { text, manual, notes: [] };

      const eol = lineEnding(text);
      const needed = lang.needs === 'python-os' ? pythonOsImport(root, text, eol) : lang.needs === 'go-os' ? goOsImport(root, text, eol) : null;
      if (needed && !accepted.some((o) => needed.start < o.end && o.start < needed.end)) accepted.push(needed);
      let out = text;
      for (const r of [...accepted].sort((x, y) => y.start - x.start || y.end - x.end)) out = out.slice(0, r.start) + r.text + out.slice(r.end);

      if (!stillParses(grammar, text, out)) {
        for (const a of applied) {
          const read = lang.read(a.name as string, fileInfo(a));
          manual.push({ edit: a.edit, reason: reasonOf(a, `the rewritten file would not parse as ${lang.label}: replace the literal, quotes included, with \`${read}\` by hand`) });
        }
        return { text, manual, notes: [] };
      }
      const entries = new Map<string, string>();
      for (const a of applied) entries.set(a.name as string, a.uri);
      return {
        text: out,
        manual,
        notes: [envNote(context.file, [...entries.keys()])],
        envEntries: [...entries].map(([name, uri]) => ({ name, uri })),
      };
    });
  },
};
