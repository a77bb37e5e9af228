/**
 * Syntax trees for the code rewriter, to find the string literal around a secret. The same
 * grammars as `syntax.ts` (which only counts errors), loaded the same way.
 */
import * as WTS from 'web-tree-sitter';
import { loadGrammar, parserFor, type Grammar } from './syntax.js';

export type SyntaxNode = WTS.Node;

/** Loads a grammar for `withTree` and for `stillParses` (one parser each, shared with syntax.ts). */
export async function loadTreeGrammar(name: Grammar): Promise<void> {
  await loadGrammar(name);
}

/** Parses `text`, hands the tree to `use`, and frees it. Indices are UTF-16 offsets. */
export function withTree<T>(name: Grammar, text: string, use: (root: SyntaxNode) => T): T {
  const tree = parserFor(name).parse(text);
  if (!tree) throw new Error(`${name} parse failed`);
  try {
    return use(tree.rootNode);
  } finally {
    tree.delete();
  }
}

/** The node's children, without the nulls the typings allow. */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c): c is SyntaxNode => c !== null);
}

/** The closest ancestor (or `node` itself) of one of `types`, at most `depth` levels up. */
export function ancestor(node: SyntaxNode, types: ReadonlySet<string> | string[], depth = 64): SyntaxNode | null {
  const set = Array.isArray(types) ? new Set(types) : types;
  let at: SyntaxNode | null = node;
  for (let d = 0; at && d <= depth; d++, at = at.parent) if (set.has(at.type)) return at;
  return null;
}
