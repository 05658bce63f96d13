// Results of a pass over a text's regex matches, reused per top-level node: after an edit,
// the nodes it did not touch have the same text and give the same results, so only the
// edited node is walked again (walking every match's subtree costs as much as the reparse).
import type { Tree } from 'web-tree-sitter';
import { registerMemo } from '../../core/memos';
import type { Match } from '../../core/textChange';

interface Region<R> {
  /** The node's text. */
  text: string;
  results: R[];
  /** How many matches after its first the node holds. */
  resume: number;
}

/**
 * What the last call found in each top-level node, by the node's text; only the last call's
 * nodes are kept. The map's key is short (the node's length and where its first match is), and
 * the text is compared on a hit: hashing a 4,000-line function on every edit would cost more
 * than comparing it.
 */
export class RegionMemo<R> {
  private last = new Map<string, Region<R>[]>();

  constructor() {
    registerMemo(() => (this.last = new Map()));
  }

  /**
   * The results of `visit` for each of `matches` (a global regex's, in order, in `text`), as a
   * plain loop over the matches gives them. `visit` gives positions in `text`; `shift` moves one
   * result by a number of characters. `offset`: the wrapper's length before `text` in the parse;
   * `salt`: whatever else `visit` depends on (a prefix it looks for).
   */
  run(
    salt: string,
    tree: Tree,
    text: string,
    offset: number,
    matches: Match[],
    visit: (m: Match) => R[],
    shift: (r: R, by: number) => R,
  ): R[] {
    const out: R[] = [];
    const next = new Map<string, Region<R>[]>();
    const find = (map: Map<string, Region<R>[]>, key: string, body: string) => map.get(key)?.find(r => r.text === body);
    const keep = (key: string, r: Region<R>) => {
      const list = next.get(key);
      if (!list) next.set(key, [r]);
      else if (!list.includes(r)) list.push(r);
    };
    for (let k = 0; k < matches.length; k++) {
      const m = matches[k];
      const node = tree.rootNode.firstChildForIndex(m.index + offset);
      const start = node ? node.startIndex - offset : -1;
      const end = node ? node.endIndex - offset : -1;
      if (!node || start < 0 || start > m.index || end <= m.index) {
        out.push(...visit(m));
        continue;
      }
      // The node's matches, from this first one; the key holds where it is.
      const key = `${salt}\0${m.index - start}\0${end - start}`;
      const body = text.slice(start, end);
      // The node's matches: this one and those after it that start inside it.
      let last = k;
      while (last + 1 < matches.length && matches[last + 1].index < end) last++;
      const hit = find(next, key, body) ?? find(this.last, key, body);
      if (hit && hit.resume === last - k) {
        for (const r of hit.results) out.push(shift(r, start));
        keep(key, hit);
        k = last;
        continue;
      }
      const results: R[] = [];
      let inside = true;
      for (let j = k; j <= last; j++) {
        results.push(...visit(matches[j]));
        if (matches[j].index + matches[j].text.length > end) inside = false;
      }
      out.push(...results);
      // A match that runs out of the node depends on text after it: such a node is not kept.
      if (inside) keep(key, { text: body, results: results.map(r => shift(r, -start)), resume: last - k });
      k = last;
    }
    this.last = next;
    return out;
  }
}
