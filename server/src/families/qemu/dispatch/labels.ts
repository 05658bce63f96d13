// QEMU's linux-user/syscall.c: which syscalls its `case TARGET_NR_x:` labels dispatch.
import type { Parser, Tree } from 'web-tree-sitter';
import { LineMap, rangeOf } from '../../../core/text';
import { Range } from '../../../core/types';
import { RegionMemo } from '../../../syntax/c/regionMemo';
import { MatchMemo } from '../../../core/textChange';
import { registerMemo } from '../../../core/memos';

export interface CaseLabel {
  name: string;
  start: number;
  end: number;
}

/** A label's range, for the few that become findings. */
export const labelRange = (map: LineMap, l: CaseLabel): Range => rangeOf(map, l.start, l.end);

/**
 * `case TARGET_NR_x:` labels. The text finds candidates; tree-sitter confirms each is a
 * case statement's value (not in a comment or a string): a walk of every node of a
 * 13,000-line file would cost more than the incremental reparse itself.
 */
export function caseLabels(text: string, tree: Tree, prefixLength = 0, prefix = 'TARGET_NR_'): CaseLabel[] {
  const re = new RegExp(`\\bcase\\s+${prefix}(\\w+)\\s*:`, 'g');
  return labelMemo.run(
    `${prefix}\0${prefixLength}`,
    tree,
    text,
    prefixLength,
    labelMatches.matches(text, re),
    m => {
      const start = m.index + m.text.indexOf(prefix);
      const node = tree.rootNode.descendantForIndex(start + prefixLength);
      if (node?.type !== 'identifier' || node.parent?.type !== 'case_statement') return [];
      return [{ name: m.group!, start, end: start + prefix.length + m.group!.length }];
    },
    (l, by) => ({ name: l.name, start: l.start + by, end: l.end + by }),
  );
}

// The labels are confirmed again only in the top-level definitions an edit changed.
const labelMemo = new RegionMemo<CaseLabel>();
const labelMatches = new MatchMemo();

const dispatched = new Map<string, { text: string; labels: CaseLabel[]; names: Set<string> }>();
registerMemo(() => dispatched.clear());

/** The case labels of a dispatch file (syscall.c, os-syscall.c), parsed once per text of the file. */
export function dispatchedLabels(file: string, text: string, parser: Parser, prefix = 'TARGET_NR_'): CaseLabel[] {
  return dispatchedEntry(file, text, parser, prefix).labels;
}

/** The names a dispatch file (syscall.c, os-syscall.c) dispatches, parsed once per text of the file. */
export function dispatchedNames(file: string, text: string, parser: Parser, prefix = 'TARGET_NR_'): Set<string> {
  return dispatchedEntry(file, text, parser, prefix).names;
}

function dispatchedEntry(file: string, text: string, parser: Parser, prefix: string) {
  const key = `${prefix}\0${file}`;
  const hit = dispatched.get(key);
  if (hit && hit.text === text) return hit;
  const tree = parser.parse(text);
  const labels = tree ? caseLabels(text, tree, 0, prefix) : [];
  tree?.delete();
  const entry = { text, labels, names: new Set(labels.map(c => c.name)) };
  dispatched.set(key, entry);
  if (dispatched.size > 8) dispatched.delete(dispatched.keys().next().value!);
  return entry;
}
