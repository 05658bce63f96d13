// Offsets <-> positions over a document's text, computed once per text.

/** Files larger than this are not syscall tables a person edits; they are reported, not read. */
export const MAX_TEXT = 8 << 20;
import { Position, Range } from './types';
import { registerMemo } from './memos';
import { textChange } from './textChange';

export interface LineMap {
  text: string;
  starts: number[];
}

/** Line starts, breaking where LSP does: at \n, \r\n and a lone \r. */
export function lineMap(text: string): LineMap {
  // Several rules of one check, and the check after an edit, ask for the same long text's map:
  // the last one is given again, or redone only where the text changed.
  const prev = lastMap;
  if (prev && prev.map.text === text) return prev.map;
  const map = prev && !prev.cr ? mapAgain(prev.map, text) : undefined;
  if (map) {
    lastMap = { map, cr: false };
    return map;
  }
  const fresh = freshLineMap(text);
  lastMap = { map: fresh, cr: text.includes('\r') };
  return fresh;
}

let lastMap: { map: LineMap; cr: boolean } | undefined;
registerMemo(() => (lastMap = undefined));

/** The map of `text` from the map of a text before it with no carriage return; undefined when the change brings one. */
function mapAgain(prev: LineMap, text: string): LineMap | undefined {
  const c = textChange(prev.text, text);
  const added = text.slice(c.start, c.bEnd);
  if (added.includes('\r')) return undefined;
  const old = prev.starts;
  // Line starts after a line break before the change stay; those after a break inside the
  // old span go; those after it move with the text.
  const keep = firstAbove(old, c.start);
  const after = firstAbove(old, c.aEnd);
  const starts = old.slice(0, keep);
  for (let i = added.indexOf('\n'); i >= 0; i = added.indexOf('\n', i + 1)) starts.push(c.start + i + 1);
  const by = c.bEnd - c.aEnd;
  for (let k = after; k < old.length; k++) starts.push(old[k] + by);
  return { text, starts };
}

/** The first index of sorted `a` whose value is above `x`. */
function firstAbove(a: number[], x: number): number {
  let lo = 0,
    hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function freshLineMap(text: string): LineMap {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  if (text.includes('\r')) {
    // Rare: merge in the lone carriage returns.
    const lone: number[] = [];
    for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) if (text[i + 1] !== '\n') lone.push(i + 1);
    if (lone.length) (starts.push(...lone), starts.sort((a, b) => a - b));
  }
  return { text, starts };
}

/** Split into lines as LSP counts them. */
export const splitLines = (text: string) => text.split(/\r\n|\r|\n/);

export function positionAt(map: LineMap, offset: number): Position {
  const o = Math.max(0, Math.min(offset, map.text.length));
  let lo = 0,
    hi = map.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map.starts[mid] <= o) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: o - map.starts[lo] };
}

export function offsetAt(map: LineMap, pos: Position): number {
  if (pos.line >= map.starts.length) return map.text.length;
  if (pos.line < 0) return 0;
  const start = map.starts[pos.line];
  const end = pos.line + 1 < map.starts.length ? map.starts[pos.line + 1] : map.text.length;
  return Math.min(start + Math.max(0, pos.character), end);
}

export const rangeOf = (map: LineMap, start: number, end: number): Range => ({
  start: positionAt(map, start),
  end: positionAt(map, end),
});

/** Line `n` with its line break: what an edit deleting the whole line replaces. */
export const wholeLineRange = (map: LineMap, n: number): Range =>
  rangeOf(map, map.starts[n], map.starts[n + 1] ?? map.text.length);

/** The text of line `n` without its line break. */
export function lineText(map: LineMap, n: number): string {
  const s = map.starts[n];
  if (s === undefined) return '';
  const e = n + 1 < map.starts.length ? map.starts[n + 1] - 1 : map.text.length;
  return map.text.slice(s, e).replace(/\r$/, '');
}

/** A file is treated as binary when it holds NUL bytes or mostly control characters. */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 4096);
  let bad = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return sample.length > 0 && bad / sample.length > 0.1;
}

export function contains(r: { start: Position; end: Position }, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

/** The one problem a binary file gets: what it is not, and that nothing in it was read. */
export const binaryProblem = (what: string) => ({
  line: 0,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  message: `this file is binary, not ${what}; nothing in it can be read`,
});
