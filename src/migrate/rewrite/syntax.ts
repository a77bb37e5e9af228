/**
 * "Does the rewritten file still parse?" for the rewriters, with real grammars: tree-sitter
 * (WebAssembly, from @cursorless/tree-sitter-wasms) for code and HCL. YAML and JSON are checked
 * with their own parsers by the rewriters that produce them.
 */
import { createRequire } from 'node:module';
import * as WTS from 'web-tree-sitter';

const { Parser, Language } = WTS;

export type Grammar = 'hcl' | 'javascript' | 'typescript' | 'tsx' | 'python' | 'go' | 'java' | 'ruby' | 'bash' | 'properties' | 'kotlin' | 'php' | 'c_sharp';

const parsers = new Map<Grammar, WTS.Parser>();
const loading = new Map<Grammar, Promise<void>>();
let runtime: Promise<void> | undefined;

/** The WebAssembly runtime, started once: concurrent starts leave grammars unloadable. */
function initRuntime(): Promise<void> {
  runtime ??= Parser.init().catch((error: unknown) => {
    runtime = undefined;
    throw error;
  });
  return runtime;
}

function grammarPath(name: Grammar): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`@cursorless/tree-sitter-wasms/out/tree-sitter-${name}.wasm`);
}

/** Loads a grammar once; parsing with it is synchronous afterwards. */
export async function loadGrammar(name: Grammar): Promise<void> {
  if (parsers.has(name)) return;
  let pending = loading.get(name);
  if (!pending) {
    pending = (async () => {
      await initRuntime();
      const parser = new Parser();
      parser.setLanguage(await Language.load(grammarPath(name)));
      parsers.set(name, parser);
    })();
    loading.set(name, pending);
  }
  try {
    await pending;
  } catch (error) {
    loading.delete(name);
    throw error;
  }
}

/** The parser of a loaded grammar (for rewriters that walk the tree themselves). */
export function parserFor(name: Grammar): WTS.Parser {
  const parser = parsers.get(name);
  if (!parser) throw new Error(`grammar ${name} not loaded: await loadGrammar('${name}') in the rewriter's prepare()`);
  return parser;
}

/** How many syntax errors (ERROR or MISSING nodes) the text has in this grammar. */
export function syntaxErrors(name: Grammar, text: string): number {
  const parser = parsers.get(name);
  if (!parser) throw new Error(`grammar ${name} not loaded: await loadGrammar('${name}') in the rewriter's prepare()`);
  const tree = parser.parse(text);
  if (!tree) throw new Error(`${name} parse failed`);
  try {
    if (!tree.rootNode.hasError) return 0;
    let count = 0;
    const cursor = tree.walk();
    const visit = (): void => {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) count++;
      else if (node.hasError && cursor.gotoFirstChild()) {
        do visit();
        while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
    };
    visit();
    cursor.delete();
    return count;
  } finally {
    tree.delete();
  }
}

/**
 * True when the rewrite added no syntax error: a file that already had some (tree-sitter reads
 * broken files too) may keep them, but may not gain any.
 */
export function stillParses(name: Grammar, before: string, after: string): boolean {
  return syntaxErrors(name, after) <= syntaxErrors(name, before);
}
