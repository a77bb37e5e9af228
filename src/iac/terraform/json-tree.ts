/**
 * JSON with positions (`.tf.json`, `.tfvars.json`, state), read by jsonc-parser. Node offsets
 * are UTF-16 indices of the decoded text, like the Collector's; it stores them as byte offsets.
 *
 * A file with a syntax error gives the tree of what came before the error. jsonc-parser recurses
 * once per level of nesting, so a container nested deeper than MAX_DEPTH counts as an error too
 * (a file nested thousands deep would exhaust the call stack).
 */
import { createScanner, ParseErrorCode, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError, type ParseOptions } from 'jsonc-parser';
import { MAX_DEPTH } from './shared.js';

export type JsonNode = Node;

/** Where the first syntax error is (an index in the text) and what it is, for the note. */
export interface JsonSyntaxError {
  index: number;
  message: string;
}

const OPTIONS: ParseOptions = { allowTrailingComma: false, disallowComments: true };

/** Errors in a token itself; for the others the note says what the text before them expected. */
const TOKEN_ERRORS: Record<string, string> = {
  UnexpectedEndOfString: 'unterminated string',
  InvalidUnicode: 'invalid string escape',
  InvalidEscapeCharacter: 'invalid string escape',
};

/**
 * The root value (undefined when nothing parsed) and the first syntax error. After an error the
 * tree is what came before it, as if the file ended there: jsonc-parser's recovery would guess
 * at the rest (and keep the start of a string that the end of the file cut short).
 */
export function parseJson(text: string): { root: JsonNode | undefined; error: JsonSyntaxError | null } {
  let errors: ParseError[] = [];
  let root: JsonNode | undefined;
  let deep = -1;
  try {
    root = parseTree(text, errors, OPTIONS);
    if (root && deeperThan(root, MAX_DEPTH)) deep = tooDeepAt(text);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error; // call stack exhausted
    root = undefined;
    deep = Math.max(0, tooDeepAt(text));
  }
  // A control character in a string is read as it is, as the replaced reader did.
  const first = errors.find((e) => e.error !== ParseErrorCode.InvalidCharacter);
  if (deep >= 0 && (!first || deep < first.offset)) {
    return { root: parseTree(text.slice(0, deep), [], OPTIONS), error: { index: deep, message: 'nested too deeply' } };
  }
  if (!first) return { root, error: null };
  const index = first.offset;
  if (index < text.length) {
    errors = [];
    root = parseTree(text.slice(0, index), errors, OPTIONS);
  }
  return { root, error: { index, message: TOKEN_ERRORS[printParseErrorCode(first.error)] ?? expected(text, index, errors) } };
}

/**
 * What the text before `end` expected next, from the errors of parsing it alone (the first error
 * at its end is the innermost thing left open), in the words of the reader jsonc-parser replaced.
 */
function expected(text: string, end: number, errors: ParseError[]): string {
  const error = errors.find((e) => e.offset >= end)?.error;
  let k = end - 1;
  while (k >= 0 && (text[k] === ' ' || text[k] === '\n' || text[k] === '\r' || text[k] === '\t')) k--;
  const last = text[k];
  if (error === undefined) return 'unexpected text after the JSON value';
  if (error === ParseErrorCode.PropertyNameExpected || (error === ParseErrorCode.CloseBraceExpected && last === '{')) return 'expected a property name';
  if (error === ParseErrorCode.ColonExpected) return 'expected ":"';
  if (error === ParseErrorCode.CloseBraceExpected) return 'expected "," or "}"';
  if (error === ParseErrorCode.CloseBracketExpected && last !== '[') return 'expected "," or "]"';
  return end >= text.length ? 'unexpected end of input' : 'unexpected character'; // a value
}

/** True when a container sits more than `limit` containers deep below `node`. */
function deeperThan(node: JsonNode, limit: number): boolean {
  if (node.type === 'property') return node.children!.length > 1 && deeperThan(node.children![1], limit);
  if (node.type !== 'object' && node.type !== 'array') return false;
  if (limit < 0) return true;
  for (const child of node.children!) if (deeperThan(child, limit - 1)) return true;
  return false;
}

/** The index of the first `{` or `[` nested more than MAX_DEPTH deep, or -1. */
function tooDeepAt(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (depth > MAX_DEPTH) return scanner.getTokenOffset();
      depth++;
    } else if ((token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) && depth > 0) {
      depth--;
    }
  }
  return -1;
}

/** A string node's text between its quotes (strings cut short end the tree before them). */
export function stringSpan(node: JsonNode): { start: number; end: number } {
  return { start: node.offset + 1, end: node.offset + node.length - 1 };
}

/** An object's properties that have a value, in order: `[name, value]`. */
export function properties(node: JsonNode): Array<[string, JsonNode]> {
  const out: Array<[string, JsonNode]> = [];
  if (node.type !== 'object') return out;
  for (const p of node.children!) {
    const kids = p.children!;
    if (kids.length === 2) out.push([kids[0].value as string, kids[1]]);
  }
  return out;
}

/** An array's items. */
export function items(node: JsonNode): JsonNode[] {
  return node.type === 'array' ? node.children! : [];
}

/** The value of an object's first property named `key`. */
export function entry(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (const p of node.children!) {
    const kids = p.children!;
    if (kids.length === 2 && kids[0].value === key) return kids[1];
  }
  return undefined;
}

export function stringOf(node: JsonNode | undefined): string | undefined {
  return node?.type === 'string' ? (node.value as string) : undefined;
}

export function isTrue(node: JsonNode | undefined): boolean {
  return node?.type === 'boolean' && node.value === true;
}

/** A number, boolean or null as written. */
export function rawOf(text: string, node: JsonNode): string {
  return text.slice(node.offset, node.offset + node.length);
}
