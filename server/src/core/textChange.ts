// Where a text differs from the one before it, found without a character loop: an edit in the
// editor changes a few characters of a long file, and what is read from the rest is kept.
import { registerMemo } from './memos';

/** The differing span of two texts: `a.slice(start, aEnd)` became `b.slice(start, bEnd)`, the rest is the same. */
export interface TextChange {
  start: number;
  aEnd: number;
  bEnd: number;
}

/** The common prefix and suffix of `a` and `b`, by halving: each step compares one slice of both (a memory compare). */
export function textChange(a: string, b: string): TextChange {
  // Every reader of an edited text asks about the same two texts: the last answer is kept.
  if (lastChange && lastChange.a === a && lastChange.b === b) return lastChange.c;
  const c = changeOf(a, b);
  lastChange = { a, b, c };
  return c;
}

let lastChange: { a: string; b: string; c: TextChange } | undefined;
registerMemo(() => (lastChange = undefined));

function changeOf(a: string, b: string): TextChange {
  const max = Math.min(a.length, b.length);
  // The longest common prefix: [0, lo) is common, the answer is at most hi.
  let lo = 0,
    hi = max;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(lo, mid) === b.slice(lo, mid)) lo = mid;
    else hi = mid - 1;
  }
  const start = lo;
  // The longest common suffix that does not reach into the prefix.
  const room = max - start;
  lo = 0;
  hi = room;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (a.slice(a.length - mid, a.length - lo) === b.slice(b.length - mid, b.length - lo)) lo = mid;
    else hi = mid - 1;
  }
  return { start, aEnd: a.length - lo, bEnd: b.length - lo };
}

let last: { text: string; lines: string[] } | undefined;
registerMemo(() => (last = undefined));

/**
 * `text.split('\n')` for a text that often differs from the last one asked by an edit (typing
 * in syscall.c): the lines the edit did not touch are the last answer's strings, so comparing
 * them with what was read from them before is a pointer compare.
 */
export function linesAgain(text: string): string[] {
  const prev = last;
  let lines: string[];
  if (prev && prev.text === text) lines = prev.lines;
  else if (prev) {
    const c = textChange(prev.text, text);
    // The lines holding the change, in both texts: from the line the change starts on to
    // the one it ends on.
    const first = lineIndex(prev.lines, c.start);
    const lastOld = lineIndex(prev.lines, c.aEnd, first);
    const from = lineStart(prev.lines, first);
    const oldTo = lineStart(prev.lines, lastOld) + prev.lines[lastOld].length;
    const newTo = oldTo + (c.bEnd - c.aEnd);
    const middle = text.slice(from, newTo).split('\n');
    if (middle.length === lastOld - first + 1) {
      lines = prev.lines.slice();
      for (let k = 0; k < middle.length; k++) lines[first + k] = middle[k];
    } else lines = prev.lines.slice(0, first).concat(middle, prev.lines.slice(lastOld + 1));
  } else lines = text.split('\n');
  last = { text, lines };
  return lines;
}

/** The line of `lines` (joined by '\n') holding offset `at`, searching from line `from`. */
function lineIndex(lines: string[], at: number, from = 0): number {
  let pos = lineStart(lines, from);
  let n = from;
  while (n < lines.length - 1 && pos + lines[n].length < at) pos += lines[n++].length + 1;
  return n;
}

function lineStart(lines: string[], n: number): number {
  let pos = 0;
  for (let k = 0; k < n; k++) pos += lines[k].length + 1;
  return pos;
}

/** One match of a regex: where it starts, its text and its first group. */
export interface Match {
  index: number;
  text: string;
  group?: string;
}

/**
 * The matches of a global regex in a text, redone after an edit only between barriers around
 * it: the last `;` or `}` before the change and the first after it. For a regex whose matches
 * hold neither and whose every attempt stops on reading one (a C statement's end), an attempt
 * that starts before the first barrier reads nothing after it, and one after the second reads
 * only text the edit left as it was: outside the barriers the last text's matches hold.
 */
export class MatchMemo {
  private last: { source: string; text: string; matches: Match[] } | undefined;

  constructor() {
    registerMemo(() => (this.last = undefined));
  }

  matches(text: string, re: RegExp): Match[] {
    const prev = this.last;
    let matches: Match[];
    if (prev && prev.source === re.source && prev.text === text) return prev.matches;
    if (prev && prev.source === re.source) {
      const c = textChange(prev.text, text);
      const before = Math.max(prev.text.lastIndexOf(';', c.start - 1), prev.text.lastIndexOf('}', c.start - 1), 0);
      const semi = text.indexOf(';', c.bEnd),
        brace = text.indexOf('}', c.bEnd);
      const after = semi < 0 ? (brace < 0 ? text.length : brace) : brace < 0 ? semi : Math.min(semi, brace);
      const by = c.bEnd - c.aEnd;
      matches = [
        ...prev.matches.filter(m => m.index < before),
        // Read up to the second barrier only: where the text ends there, an attempt stops as it
        // would on the barrier.
        ...scan(text.slice(before, after), re, before),
        ...prev.matches.filter(m => m.index >= after - by).map(m => (by ? { ...m, index: m.index + by } : m)),
      ];
    } else matches = scan(text, re, 0);
    this.last = { source: re.source, text, matches };
    return matches;
  }
}

/** The matches of `re` (global) in `text`, which starts at `at` of the whole. */
function scan(text: string, re: RegExp, at: number): Match[] {
  const out: Match[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ index: at + m.index, text: m[0], group: m[1] });
  re.lastIndex = 0;
  return out;
}
