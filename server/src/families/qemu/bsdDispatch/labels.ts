// bsd-user/freebsd/os-syscall.c: the `case TARGET_FREEBSD_NR_x:` labels of freebsd_syscall().
import type { Parser, Tree } from 'web-tree-sitter';

export interface BsdLabel {
  name: string;
  start: number;
  end: number;
}

const PREFIX = 'TARGET_FREEBSD_NR_';

/** The labels; tree-sitter confirms each is a case value (not a comment or a string). */
export function bsdLabels(text: string, tree: Tree): BsdLabel[] {
  const out: BsdLabel[] = [];
  const re = /\bcase\s+TARGET_FREEBSD_NR_(\w+)\s*:/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index + m[0].indexOf(PREFIX);
    const node = tree.rootNode.descendantForIndex(start);
    if (node?.type !== 'identifier' || node.parent?.type !== 'case_statement') continue;
    out.push({ name: m[1], start, end: start + PREFIX.length + m[1].length });
  }
  return out;
}

const cache = new Map<string, { text: string; names: Set<string> }>();

/** The names os-syscall.c dispatches, parsed once per text of the file. */
export function bsdDispatched(file: string, text: string, parser: Parser): Set<string> {
  const hit = cache.get(file);
  if (hit && hit.text === text) return hit.names;
  const tree = parser.parse(text);
  const names = new Set(tree ? bsdLabels(text, tree).map(l => l.name) : []);
  tree?.delete();
  cache.set(file, { text, names });
  if (cache.size > 8) cache.delete(cache.keys().next().value!);
  return names;
}
