// QEMU's linux-user/syscall.c: which syscalls its `case TARGET_NR_x:` labels dispatch.
import type { Parser, Tree } from 'web-tree-sitter';
import { LineMap, lineMap, rangeOf } from './text';
import { Range } from './types';

export interface CaseLabel { name: string; range: Range; line: number }

/** `case TARGET_NR_x:` labels, from tree-sitter's case statements. */
export function caseLabels(text: string, tree: Tree, map: LineMap = lineMap(text)): CaseLabel[] {
  const out: CaseLabel[] = [];
  for (const n of tree.rootNode.descendantsOfType('case_statement')) {
    const v = n?.childForFieldName('value');
    if (!v || v.type !== 'identifier') continue;
    const start = v.startIndex;
    if (!text.startsWith('TARGET_NR_', start)) continue;
    const name = v.text.slice('TARGET_NR_'.length);
    const range = rangeOf(map, start, start + v.text.length);
    out.push({ name, range, line: range.start.line });
  }
  return out;
}

const dispatched = new Map<string, { text: string; names: Set<string> }>();

/** The names syscall.c dispatches, parsed once per text of the file. */
export function dispatchedNames(file: string, text: string, parser: Parser): Set<string> {
  const hit = dispatched.get(file);
  if (hit && hit.text === text) return hit.names;
  const tree = parser.parse(text);
  const names = new Set(tree ? caseLabels(text, tree).map(c => c.name) : []);
  tree?.delete();
  dispatched.set(file, { text, names });
  return names;
}
