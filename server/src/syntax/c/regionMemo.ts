// Results of a pass over a text's regex matches, reused per top-level node: after an edit,
// the nodes it did not touch have the same text and give the same results, so only the
// edited node is walked again (walking every match's subtree costs as much as the reparse).
import type { Tree } from 'web-tree-sitter';
import { registerMemo } from '../../core/memos';

/** What the last call found in each top-level node, by the node's text; only the last call's nodes are kept. */
export class RegionMemo<R> {
  private last = new Map<string, { results: R[]; resume: number }>();

  constructor() {
    registerMemo(() => (this.last = new Map()));
  }

  /**
   * The results of `visit` for each match of `re` (global) in `text`, in order, as a plain
   * loop over the matches gives them. `visit` gives positions in `text`; `shift` moves one
   * result by a number of characters. `offset`: the wrapper's length before `text` in the parse;
   * `salt`: whatever else `visit` depends on (a prefix it looks for).
   */
  run(
    salt: string,
    tree: Tree,
    text: string,
    offset: number,
    re: RegExp,
    visit: (m: RegExpExecArray) => R[],
    shift: (r: R, by: number) => R,
  ): R[] {
    const out: R[] = [];
    const next = new Map<string, { results: R[]; resume: number }>();
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const node = tree.rootNode.firstChildForIndex(m.index + offset);
      const start = node ? node.startIndex - offset : -1;
      const end = node ? node.endIndex - offset : -1;
      if (!node || start < 0 || start > m.index || end <= m.index) {
        out.push(...visit(m));
        continue;
      }
      // The node's matches, from this first one; the key holds where it is, since the plain
      // loop's matches inside the node follow from it.
      const key = `${salt}\0${m.index - start}\0${text.slice(start, end)}`;
      const hit = next.get(key) ?? this.last.get(key);
      if (hit) {
        for (const r of hit.results) out.push(shift(r, start));
        next.set(key, hit);
        re.lastIndex = start + hit.resume;
        continue;
      }
      const results: R[] = [];
      let inside = true;
      for (;;) {
        results.push(...visit(m));
        if (m.index + m[0].length > end) inside = false;
        const at = re.lastIndex;
        const n = re.exec(text);
        if (!n || n.index >= end) {
          re.lastIndex = at;
          break;
        }
        m = n;
      }
      out.push(...results);
      // A match that runs out of the node depends on text after it: such a node is not kept.
      if (inside) next.set(key, { results: results.map(r => shift(r, -start)), resume: re.lastIndex - start });
    }
    this.last = next;
    return out;
  }
}
