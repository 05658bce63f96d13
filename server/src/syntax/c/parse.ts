// One tree-sitter parse of a C document under a time budget, optionally inside a wrapper
// (a bare list of initializer rows is not C on its own).
import type { Parser, Tree } from 'web-tree-sitter';

/** A parse of a C document: the tree and how much wrapper text precedes the document. */
export interface CParse {
  tree: Tree;
  prefixLength: number;
}

/** How long one parse may take: tree-sitter's error recovery on pathological input can run for seconds. */
export const PARSE_BUDGET_MS = 1500;

/** Parse `text` (inside `wrap` when given), reusing `old` when the wrapper is the same; undefined when over budget. */
export function parseC(
  parser: Parser,
  text: string,
  old?: CParse,
  wrap?: { prefix: string; suffix: string },
): CParse | undefined {
  const prefix = wrap?.prefix ?? '';
  const source = prefix ? prefix + text + wrap!.suffix : text;
  const deadline = performance.now() + PARSE_BUDGET_MS;
  const tree = parser.parse(source, old && old.prefixLength === prefix.length ? old.tree : undefined, {
    progressCallback: () => performance.now() > deadline,
  });
  if (!tree) {
    parser.reset();
    return undefined;
  } // cancelled: start afresh next time
  return { tree, prefixLength: prefix.length };
}
