/**
 * What the code rewriter knows of each language: its string literals, how it reads an
 * environment variable, what makes a literal only part of a value (concatenation), where a
 * literal must stay a constant, and the fallback idioms (`process.env.X || "secret"`) whose
 * default is the secret.
 */
import type { Grammar } from './syntax.js';
import { ancestor, childrenOf, type SyntaxNode } from './code-tree.js';

export interface Replacement {
  start: number;
  end: number;
  text: string;
}

/** What a literal's surroundings ask for: a manual edit, or more than replacing the literal. */
export type Constraint = { manual: string } | { extra?: Replacement[]; wrap?: [string, string] } | null;

/** `<env read> <op> "secret"` or `<env read with default>("NAME", "secret")`: the text before and after the literal. */
export interface Fallback {
  before: RegExp;
  after: RegExp;
}

export interface CodeLanguage {
  /** For messages: "would not parse as Go". */
  label: string;
  grammar(file: string): Grammar;
  /** Node types of string literals (the whole literal, with its quotes). */
  strings: ReadonlySet<string>;
  /** The closing delimiter for the text between a literal's start and its contents, or null: the secret is not all of it. */
  close(open: string): string | null;
  /** The expression that reads `name` from the environment (`bytes`: the literal was a bytes literal). */
  read(name: string, file: { text: string; bytes: boolean }): string;
  /** The literal is one operand of a concatenation or format. */
  concatenated(node: SyntaxNode): boolean;
  /** Positions that need a constant, or other edits the replacement needs. */
  constraint(node: SyntaxNode, read: string, text: string): Constraint;
  fallbacks: Fallback[];
  /** The import the read needs, if any (added by code-imports.ts). */
  needs?: 'python-os' | 'go-os';
}

const same = (quotes: string[]) => (open: string) => (quotes.includes(open) ? open : null);

function hasOperator(node: SyntaxNode, ops: string[]): boolean {
  return childrenOf(node).some((c) => !c.isNamed && ops.includes(c.type));
}

function binaryParent(types: string[], ops: string[]): (node: SyntaxNode) => boolean {
  return (node) => {
    const parent = node.parent;
    return !!parent && types.includes(parent.type) && hasOperator(parent, ops);
  };
}

/** A node whose text, from a child, is `const`: the modifier and the blank after it. */
function removeModifier(text: string, modifier: SyntaxNode): Replacement {
  let end = modifier.endIndex;
  while (text[end] === ' ' || text[end] === '\t') end++;
  return { start: modifier.startIndex, end, text: '' };
}

function constModifier(holder: SyntaxNode, types: string[]): SyntaxNode | null {
  const queue = childrenOf(holder).filter((c) => c.type === 'modifiers' || types.includes(c.type));
  for (const c of queue) {
    if (types.includes(c.type) && c.text === 'const') return c;
    if (c.type === 'modifiers') for (const m of childrenOf(c)) if (types.includes(m.type) && m.text === 'const') return m;
  }
  return null;
}

const NAME = String.raw`(?<name>[A-Za-z_][A-Za-z0-9_]*)`;
const quoted = (q: string) => String.raw`(?<q>${q})${NAME}\k<q>`;
const fallback = (before: string, after = ''): Fallback => ({ before: new RegExp(`^${before}$`), after: new RegExp(`^${after}$`) });

const JS_STRINGS = new Set(['string', 'template_string']);

function jsConstraint(node: SyntaxNode, read: string): Constraint {
  const parent = node.parent;
  if (!parent) return null;
  if (parent.type === 'pair' && parent.childForFieldName('key')?.equals(node)) {
    return { manual: `the literal is an object key, not a value: restructure the code so that the secret is a value, read with \`${read}\`` };
  }
  if (parent.type === 'enum_assignment' || parent.type === 'literal_type' || parent.type === 'import_statement' || parent.type === 'export_statement') {
    return { manual: `the literal must be a constant here (${parent.type.replace(/_/g, ' ')}): move the secret out of it and read it at run time with \`${read}\`` };
  }
  if (parent.type === 'jsx_attribute') return { wrap: ['{', '}'] };
  return null;
}

const JS_FALLBACKS = [
  fallback(String.raw`process\.env\.${NAME}\s*(?:\|\||\?\?)\s*`),
  fallback(String.raw`process\.env\[\s*${quoted('["\'`]')}\s*\]\s*(?:\|\||\?\?)\s*`),
];

const javascript: CodeLanguage = {
  label: 'JavaScript',
  grammar: () => 'javascript',
  strings: JS_STRINGS,
  close: same(['"', "'", '`']),
  read: (name) => `process.env.${name}`,
  concatenated: binaryParent(['binary_expression'], ['+']),
  constraint: jsConstraint,
  fallbacks: JS_FALLBACKS,
};

/** `process.env.X` is `string | undefined`; `!` keeps the type the literal had, so the program still type-checks. */
const typescript: CodeLanguage = {
  ...javascript,
  label: 'TypeScript',
  grammar: (file) => (/\.tsx$/i.test(file) ? 'tsx' : 'typescript'),
  read: (name) => `process.env.${name}!`,
};

const python: CodeLanguage = {
  label: 'Python',
  grammar: () => 'python',
  strings: new Set(['string']),
  close(open) {
    const m = /^[rRuUbBfF]{0,2}("""|'''|"|')$/.exec(open);
    return m ? m[1] : null;
  },
  read: (name, file) => `os.environ["${name}"]${file.bytes ? '.encode()' : ''}`,
  concatenated: (node) => node.parent?.type === 'concatenated_string' || binaryParent(['binary_operator'], ['+', '%'])(node),
  constraint: () => null,
  fallbacks: [
    fallback(String.raw`(?:os\.)?(?:getenv|environ\.get)\(\s*${quoted('["\']')}\s*,\s*(?:default\s*=\s*)?`, String.raw`\s*,?\s*\)`),
    fallback(String.raw`(?:os\.)?(?:getenv|environ\.get)\(\s*${quoted('["\']')}\s*\)\s*or\s+`),
  ],
  needs: 'python-os',
};

const go: CodeLanguage = {
  label: 'Go',
  grammar: () => 'go',
  strings: new Set(['interpreted_string_literal', 'raw_string_literal']),
  close: same(['"', '`']),
  read: (name) => `os.Getenv("${name}")`,
  concatenated: binaryParent(['binary_expression'], ['+']),
  constraint(node, read) {
    const parent = node.parent;
    if (parent?.type === 'field_declaration' || parent?.type === 'import_spec') return { manual: 'the literal is a struct tag or an import path, not a value: edit it by hand' };
    const spec = ancestor(node, ['const_spec'], 3);
    if (!spec?.parent) return null;
    const decl = spec.parent;
    const keyword = decl.firstChild;
    if (decl.type !== 'const_declaration' || !keyword || keyword.type !== 'const') return null;
    if (childrenOf(decl).some((c) => c.type === '(')) {
      const names = childrenOf(spec).filter((c) => c.type === 'identifier').map((c) => c.text).join(', ');
      return { manual: `\`${names}\` is declared in a const block and a Go constant cannot read the environment: move it out of the block into \`var ${names} = ${read}\`` };
    }
    return { extra: [{ start: keyword.startIndex, end: keyword.endIndex, text: 'var' }] };
  },
  fallbacks: [],
  needs: 'go-os',
};

const JAVA_ANNOTATION = ['annotation', 'marker_annotation', 'annotation_argument_list', 'element_value_pair', 'element_value_array_initializer'];

const java: CodeLanguage = {
  label: 'Java',
  grammar: () => 'java',
  strings: new Set(['string_literal']),
  close: same(['"']),
  read: (name) => `System.getenv("${name}")`,
  concatenated: binaryParent(['binary_expression'], ['+']),
  constraint(node, read) {
    if (ancestor(node, JAVA_ANNOTATION, 4)) return { manual: `the literal is an annotation argument, which must be a compile-time constant: take the secret out of the annotation and read it at run time with \`${read}\`` };
    if (ancestor(node, ['switch_label'], 2)) return { manual: `the literal is a case label, which must be a constant: compare with \`${read}\` in an if instead` };
    return null;
  },
  fallbacks: [
    fallback(String.raw`System\.getenv\(\s*\)\s*\.getOrDefault\(\s*${quoted('"')}\s*,\s*`, String.raw`\s*\)`),
    fallback(String.raw`Optional\.ofNullable\(\s*System\.getenv\(\s*${quoted('"')}\s*\)\s*\)\s*\.orElse\(\s*`, String.raw`\s*\)`),
  ],
};

const kotlin: CodeLanguage = {
  label: 'Kotlin',
  grammar: () => 'kotlin',
  strings: new Set(['string_literal', 'line_string_literal', 'multi_line_string_literal']),
  close: same(['"""', '"']),
  read: (name) => `System.getenv("${name}")`,
  concatenated: binaryParent(['additive_expression'], ['+']),
  constraint(node, read, text) {
    if (ancestor(node, ['annotation'], 6)) return { manual: `the literal is an annotation argument, which must be a compile-time constant: take the secret out of the annotation and read it at run time with \`${read}\`` };
    const property = ancestor(node, ['property_declaration'], 3);
    const modifier = property && constModifier(property, ['property_modifier']);
    // `const val` needs a compile-time constant; a plain `val` reads the environment once, at initialisation.
    return modifier ? { extra: [removeModifier(text, modifier)] } : null;
  },
  fallbacks: [fallback(String.raw`System\.getenv\(\s*${quoted('"')}\s*\)\s*\?:\s*`)],
};

const ruby: CodeLanguage = {
  label: 'Ruby',
  grammar: () => 'ruby',
  strings: new Set(['string']),
  close(open) {
    if (open === '"' || open === "'") return open;
    const m = /^%[qQ]?([^\sA-Za-z0-9])$/.exec(open);
    if (!m) return null;
    return { '(': ')', '[': ']', '{': '}', '<': '>' }[m[1]] ?? m[1];
  },
  read: (name) => `ENV.fetch("${name}")`,
  concatenated: (node) => node.parent?.type === 'chained_string' || binaryParent(['binary'], ['+', '%', '<<'])(node),
  constraint: () => null,
  fallbacks: [
    fallback(String.raw`ENV\.fetch\(\s*${quoted('["\']')}\s*,\s*`, String.raw`\s*\)`),
    fallback(String.raw`ENV\[\s*${quoted('["\']')}\s*\]\s*(?:\|\||or)\s*`),
  ],
};

const PHP_CONSTANT = ['const_declaration', 'const_element', 'property_element', 'property_declaration', 'simple_parameter', 'property_promotion_parameter', 'static_variable_declaration', 'enum_case', 'attribute'];

const php: CodeLanguage = {
  label: 'PHP',
  grammar: () => 'php',
  strings: new Set(['string', 'encapsed_string']),
  close: same(['"', "'"]),
  read: (name) => `getenv('${name}')`,
  concatenated: binaryParent(['binary_expression'], ['.']),
  constraint(node, read) {
    const holder = ancestor(node, PHP_CONSTANT, 3);
    if (!holder) return null;
    const what = holder.type.includes('parameter') ? 'a parameter default' : holder.type.startsWith('property') ? 'a property default' : holder.type === 'static_variable_declaration' ? 'a static variable' : 'a constant';
    return { manual: `the literal is ${what}, which PHP requires to be a constant expression: set it at run time instead (in the constructor or where it is used) with \`${read}\`` };
  },
  fallbacks: [
    fallback(String.raw`getenv\(\s*${quoted('["\']')}\s*\)\s*(?:\?:|\?\?)\s*`),
    fallback(String.raw`\$_(?:ENV|SERVER)\[\s*${quoted('["\']')}\s*\]\s*\?\?\s*`),
  ],
};

const csharp: CodeLanguage = {
  label: 'C#',
  grammar: () => 'c_sharp',
  strings: new Set(['string_literal', 'verbatim_string_literal', 'interpolated_string_expression', 'raw_string_literal']),
  close(open) {
    const m = /^[@$]{0,2}("""|")$/.exec(open);
    return m ? m[1] : null;
  },
  read: (name, file) => `${/^\s*(?:global\s+)?using\s+System\s*;/m.test(file.text) ? '' : 'System.'}Environment.GetEnvironmentVariable("${name}")`,
  concatenated: binaryParent(['binary_expression'], ['+']),
  constraint(node, read, text) {
    // The grammar predates raw strings: `"""secret"""` reads as three strings.
    if (text[node.startIndex - 1] === '"' || text[node.endIndex] === '"') return { manual: `the literal is a raw string: replace it with \`${read}\` by hand` };
    if (ancestor(node, ['attribute_argument', 'attribute'], 3)) return { manual: `the literal is an attribute argument, which must be a constant: take the secret out of the attribute and read it at run time with \`${read}\`` };
    if (ancestor(node, ['case_switch_label', 'constant_pattern', 'case_pattern_switch_label'], 2)) return { manual: `the literal is a case label, which must be a constant: compare with \`${read}\` in an if instead` };
    if (node.parent?.type === 'equals_value_clause' && node.parent.parent?.type === 'parameter') {
      return { manual: `the literal is a parameter default, which must be a constant: make the default null and read \`${read}\` in the method body` };
    }
    const field = ancestor(node, ['field_declaration', 'local_declaration_statement'], 4);
    const modifier = field && constModifier(field, ['modifier']);
    if (!field || !modifier) return null;
    // A const field becomes `static readonly` (read once, like a constant); a local const, a local.
    if (field.type === 'field_declaration') return { extra: [{ start: modifier.startIndex, end: modifier.endIndex, text: 'static readonly' }] };
    return { extra: [removeModifier(text, modifier)] };
  },
  fallbacks: [fallback(String.raw`(?:System\.)?Environment\.GetEnvironmentVariable\(\s*${quoted('"')}\s*\)\s*\?\?\s*`)],
};

/** Shell: the literal's node and where it sits are handled by code.ts (assignments, flags, export). */
const shell: CodeLanguage = {
  label: 'shell',
  grammar: () => 'bash',
  strings: new Set(['string', 'raw_string', 'ansi_c_string', 'word']),
  close: (open) => (open === '"' || open === "'" ? open : open === "$'" ? "'" : open === '' ? '' : null),
  read: (name) => `"\${${name}}"`,
  concatenated: () => false,
  constraint: () => null,
  fallbacks: [],
};

export const CODE_LANGUAGES: Record<string, CodeLanguage> = { javascript, typescript, python, go, java, kotlin, ruby, php, csharp, shell };

/** Environment variables a file already reads (`process.env.X`, `os.getenv("X")`, `ENV["X"]`...). */
export function readsOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/process\.env\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  const call = /(?:process\.env|getenv|Getenv|LookupEnv|GetEnvironmentVariable|environ(?:\.get)?|ENV(?:\.fetch)?|\$_ENV|\$_SERVER)\s*[[(]\s*[rRbBuU]?(["'`])([A-Za-z_][A-Za-z0-9_]*)\1/g;
  for (const m of text.matchAll(call)) names.add(m[2]);
  return names;
}
