// Rows strace.list lacks or keeps for nothing, against the tree it is compiled in: where a
// new row goes (the file's order and style), which rows no target compiles, and which of
// those are a missing syscall's row under a misspelt name.
import { lineText, positionAt } from '../../../../core/text';
import { range, Range, TextEdit } from '../../../../core/types';
import type { KernelReference } from '../../../../reference/reference';
import { implemented } from '../../../../reference/linux/tbl';
import { StraceEntry, StraceListModel } from '../model';
import type { StraceTree } from '../targets';

/** The file's order: names compared without case and underscores (`_exit` sits by `exit`). */
export const orderKey = (name: string) => name.toLowerCase().replace(/_/g, '');

const NAME = '\u0000';

/** The most common text among `texts` (the first of equals), or undefined. */
function commonest(texts: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const t of texts) counts.set(t, (counts.get(t) ?? 0) + 1);
  let best: string | undefined;
  for (const [t, n] of counts) if (best === undefined || n > counts.get(best)!) best = t;
  return best;
}

/** How the file writes a plain row and its guard: the commonest shapes, with the name as a hole. */
export interface RowStyle {
  guard: string;
  row: string;
  endif: string;
  eol: string;
}

const styleCache = new WeakMap<StraceListModel, RowStyle>();

export function rowStyle(model: StraceListModel): RowStyle {
  const hit = styleCache.get(model);
  if (hit) return hit;
  const map = model.map;
  const rows: string[] = [],
    guards: string[] = [],
    endifs: string[] = [];
  for (const e of model.entries) {
    const line = lineText(map, e.line);
    const plain = new RegExp(
      `^\\{\\s*${e.nr}\\s*,\\s*"${e.name}"\\s*,\\s*NULL\\s*,\\s*NULL\\s*,\\s*NULL\\s*\\}\\s*,?\\s*$`,
    );
    if (e.ranges.row.start.line === e.ranges.row.end.line && plain.test(line))
      rows.push(line.split(e.name).join(NAME).trimEnd());
    const own = ownBlock(model, e);
    if (own) {
      guards.push(lineText(map, own.start).split(e.name).join(NAME).trimEnd());
      endifs.push(lineText(map, own.end - 1).trimEnd());
    }
  }
  const style = {
    row: commonest(rows) ?? `{ TARGET_NR_${NAME}, "${NAME}" , NULL, NULL, NULL },`,
    guard: commonest(guards) ?? `#ifdef TARGET_NR_${NAME}`,
    endif: commonest(endifs) ?? '#endif',
    eol: map.text.includes('\r\n') ? '\r\n' : '\n',
  };
  styleCache.set(model, style);
  return style;
}

/** The lines `#ifdef TARGET_NR_x` / row / `#endif` of a new row for `name`, in the file's style. */
export function newRowText(model: StraceListModel, name: string): string {
  const s = rowStyle(model);
  return [s.guard, s.row, s.endif].map(l => l.split(NAME).join(name) + s.eol).join('');
}

/**
 * The lines [start, end) of a row that sits alone in its own `#ifdef TARGET_NR_x` ...
 * `#endif`, nothing else on them; undefined for any other shape.
 */
export function ownBlock(model: StraceListModel, e: StraceEntry): { start: number; end: number } | undefined {
  const c = e.conditions[e.conditions.length - 1];
  const endLine = e.ranges.row.end.line + 1;
  if (!c || c.directive !== 'ifdef' || c.line !== e.line - 1) return undefined;
  if (!/^\s*#\s*endif\b/.test(lineText(model.map, endLine))) return undefined;
  if (lineText(model.map, e.line).slice(0, e.ranges.row.start.character).trim() !== '') return undefined;
  const tail = lineText(model.map, e.ranges.row.end.line).slice(e.ranges.row.end.character);
  if (tail.replace(/\s*,?\s*$/, '') !== '') return undefined;
  return { start: c.line, end: endLine + 1 };
}

/** The first line of the conditional block a row opens at the top level (its outermost `#if`), or its own line. */
function blockStart(e: StraceEntry): number {
  return e.conditions.length ? e.conditions[0].line : e.line;
}

/** The line after the block a row sits in: past the `#endif` of its outermost `#if`. */
function blockEnd(model: StraceListModel, e: StraceEntry): number {
  let depth = e.conditions.length;
  let n = e.ranges.row.end.line + 1;
  const last = model.map.starts.length;
  for (; depth > 0 && n < last; n++) {
    const t = lineText(model.map, n);
    if (/^\s*#\s*if(n?def)?\b/.test(t)) depth++;
    else if (/^\s*#\s*endif\b/.test(t)) depth--;
  }
  return n;
}

const sortedCache = new WeakMap<StraceListModel, StraceEntry[]>();

/**
 * The rows that make the file's order: the longest run (not necessarily adjacent) in
 * ascending order, so a row out of place (QEMU 7.2's rmdir among the m's, a tail appended
 * later) does not pull a new row after it.
 */
function orderedRows(model: StraceListModel): StraceEntry[] {
  const hit = sortedCache.get(model);
  if (hit) return hit;
  const rows = model.entries.filter(e => e.conditions.length <= 2);
  const keys = rows.map(e => orderKey(e.name));
  // Patience sorting (strictly ascending: a repeated row is not part of the order): tails[k]
  // is the index ending the best run of length k + 1.
  const tails: number[] = [];
  const prev: number[] = [];
  keys.forEach((k, i) => {
    let lo = 0,
      hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[tails[mid]] < k) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  });
  const out: StraceEntry[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.push(rows[i]);
  out.reverse();
  sortedCache.set(model, out);
  return out;
}

/** Where a row for `name` goes: before the first row of the file's order that sorts after it, else after the last. */
export function insertionLine(model: StraceListModel, name: string): number {
  const k = orderKey(name);
  const rows = orderedRows(model);
  if (!rows.length) return model.map.starts.length;
  const next = rows.find(e => orderKey(e.name) > k);
  return next ? blockStart(next) : blockEnd(model, rows[rows.length - 1]);
}

/** An insertion of a new row for `name` (ordered among insertions at the same line by name). */
export function insertRow(model: StraceListModel, name: string): TextEdit {
  const line = insertionLine(model, name);
  let text = newRowText(model, name);
  // After the last line of a file without a final newline, the row starts on a line of its own.
  const lastLine = model.map.starts.length - 1;
  let at = range(line, 0, line, 0);
  if (line > lastLine) {
    const end = positionAt(model.map, model.map.text.length);
    at = { start: end, end };
    if (!model.map.text.endsWith('\n') && model.map.text.length) text = rowStyle(model).eol + text;
  }
  return { range: at, newText: text, order: orderRank(name) };
}

/** A number that orders names as the file does, for insertions at one place. */
function orderRank(name: string): number {
  const k = orderKey(name);
  let v = 0;
  for (let i = 0; i < 6; i++) v = v * 64 + (i < k.length ? k.charCodeAt(i) - 32 : 0);
  return v;
}

/** Where the finding for a missing row sits: the start of the line its row would take. */
export function missingRange(model: StraceListModel, name: string): Range {
  const line = Math.min(insertionLine(model, name), model.map.starts.length - 1);
  return range(line, 0, line, 0);
}

/** Optimal string alignment distance, capped: small misspellings only. */
function distance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.length][b.length];
}

export interface RowsPlan {
  /** Names some target defines and syscall.c dispatches that no row prints. */
  missing: string[];
  /** Rows no target's header compiles, each with the missing syscall it is a misspelling of (if one is unambiguous). */
  dead: { entry: StraceEntry; meant?: string }[];
}

const planCache = new WeakMap<StraceListModel, { tree: StraceTree; plan: RowsPlan }>();

/** Missing and dead rows of `model` in `tree`; a dead row's misspelt syscall is not also missing. */
export function rowsPlan(model: StraceListModel, tree: StraceTree): RowsPlan {
  const hit = planCache.get(model);
  if (hit && hit.tree === tree) return hit.plan;
  const rows = new Set(model.entries.map(e => e.name));
  const unrowed = [...tree.defines.keys()].filter(n => !rows.has(n) && tree.cases.has(n)).sort();
  const dead: RowsPlan['dead'] = [];
  // A tree whose tables could not all be read may define a row's name where systab cannot see it.
  if (!tree.unread.length)
    for (const e of model.entries) {
      if (tree.defines.has(e.name)) continue;
      // A row guarded by another, defined name is compiled (and breaks the build): names.ts says so.
      if (e.guard && e.guard.macros.some(m => tree.defines.has(m.macro.slice('TARGET_NR_'.length)))) continue;
      const close = unrowed.filter(n => distance(n, e.name) <= 2);
      dead.push({ entry: e, meant: close.length === 1 ? close[0] : undefined });
    }
  // A name two dead rows would both take is left to the user.
  const taken = new Map<string, number>();
  for (const d of dead) if (d.meant) taken.set(d.meant, (taken.get(d.meant) ?? 0) + 1);
  for (const d of dead) if (d.meant && taken.get(d.meant)! > 1) d.meant = undefined;
  const meant = new Set(dead.flatMap(d => (d.meant ? [d.meant] : [])));
  const plan = { missing: unrowed.filter(n => !meant.has(n)), dead };
  planCache.set(model, { tree, plan });
  return plan;
}

/** The dead rows dead-row renames into a missing syscall's row: the other rules leave their fixes to it. */
export function renamedRows(model: StraceListModel, tree: StraceTree | undefined): Set<StraceEntry> {
  return new Set(tree ? rowsPlan(model, tree).dead.flatMap(d => (d.meant ? [d.entry] : [])) : []);
}

const kernelNames = new WeakMap<KernelReference, Map<string, boolean>>();

/** How the kernel has a syscall of this name: implemented on some ABI, only reserved (`sys_ni_syscall`), or not at all. */
export function kernelHas(ref: KernelReference | undefined, name: string): 'implemented' | 'reserved' | undefined {
  if (!ref) return 'implemented';
  let names = kernelNames.get(ref);
  if (!names) {
    kernelNames.set(ref, (names = new Map()));
    for (const p of ref.tablePaths())
      for (const e of ref.table(p)!) names.set(e.name, names.get(e.name) || implemented(e.entry));
  }
  const v = names.get(name);
  return v === undefined ? undefined : v ? 'implemented' : 'reserved';
}
