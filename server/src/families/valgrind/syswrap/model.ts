// valgrind's syscall wrapper files as one target's build sees them: the rows of the table in
// coregrind/m_syswrap/syswrap-<platform>-linux.c (`GENX_(__NR_read, sys_read),` and its
// GENXY/LINX_/LINXY/PLAX_/PLAXY kin, one designated initializer `[__NR_x] = ...` each), and
// in any wrapper file the `PRE(sys_x)` bodies with the registers their `PRE_REG_READn(...)`
// (or `PRRSN; PRAn(...)`) calls declare. `#if`s are evaluated per target (live lines), which
// tree-sitter cannot do, so the reader is textual: a row or call may span lines, its
// parentheses balanced; comments are blanked first; every range is exact.
import { LineMap, lineMap, positionAt, rangeOf, splitLines } from '../../../core/text';
import type { Range } from '../../../core/types';
import { evalCondition } from '../../../syntax/c/defines';
import { Conditionals, PreprocessorLine, preprocessorLines } from '../../../syntax/c/preprocessor';

export type RowKind = 'GENX_' | 'GENXY' | 'LINX_' | 'LINXY' | 'PLAX_' | 'PLAXY';

export interface TableRow {
  file: string;
  kind: RowKind;
  macro: string;
  wrapper: string;
  line: number;
  ranges: { row: Range; macro: Range; wrapper: Range };
}

export interface RegWord {
  type: string;
  /** The argument expression as written (`MERGE64_FIRST(offset)`). */
  expr: string;
  /** Which half of a split 64-bit argument this register holds. */
  half?: 'first' | 'second';
  /** The argument's name (inside MERGE64_* when split). */
  name: string;
}

export interface RegCall {
  file: string;
  /** `PRE_REG_READn`, or the `PRAn` calls after a `PRRSN` (n is then the highest). */
  style: 'PRE_REG_READ' | 'PRA';
  /** The n of PRE_REG_READn: registers declared. */
  count: number;
  /** The registers read, by position (index 0 is ARG1); a gap where PRAn skips one. */
  words: (RegWord | undefined)[];
  range: Range;
  /** The range of the `n` in PRE_REG_READn, or of the whole call. */
  countRange: Range;
}

export interface Wrapper {
  file: string;
  name: string;
  line: number;
  range: Range;
  calls: RegCall[];
}

/** A file's lines with comments blanked, read once per text. */
interface Source {
  text: string;
  lines: PreprocessorLine[];
  map: LineMap;
  /** The text with comments blanked (offsets kept), one string for every target. */
  code: string;
}

const sources = new Map<string, Source>();
function source(file: string, text: string): Source {
  const hit = sources.get(file);
  if (hit && hit.text === text) return hit;
  const lines = preprocessorLines(splitLines(text));
  const s = { text, lines, map: lineMap(text), code: lines.map(l => l.code).join('\n') };
  if (sources.size > 64) sources.clear();
  sources.set(file, s);
  return s;
}

/**
 * Which lines a build compiles: `#if`s evaluated over `macros` (and the file's own `#define`s),
 * unknown names 0. Conditional directives are never live; other directives are when their region is.
 */
export function liveLines(lines: PreprocessorLine[], macros: Map<string, number>, defined: Set<string>): boolean[] {
  const stack = new Conditionals<{ live: boolean; taken: boolean }>(true);
  const own = new Set<string>();
  const isDef = (n: string) => defined.has(n) || own.has(n);
  const lookup = (n: string) => macros.get(n);
  const out: boolean[] = [];
  // Whether the innermost open branch (and so every enclosing one) is compiled.
  let now = true;
  const liveNow = () => now;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const d = l.directive;
    if (!d) {
      out.push(liveNow());
      continue;
    }
    // A directive continued with `\` takes the next lines as its own (never live).
    let rest = d.rest;
    let cont = 0;
    while (lines[i + cont].code.trimEnd().endsWith('\\') && i + cont + 1 < lines.length) {
      cont++;
      rest = rest.replace(/\\\s*$/, ' ') + lines[i + cont].code;
    }
    const skip = () => {
      for (let k = 0; k < cont; k++) out.push(false);
      i += cont;
    };
    const name = d.name;
    if (
      name === 'if' ||
      name === 'ifdef' ||
      name === 'ifndef' ||
      name === 'elif' ||
      name === 'else' ||
      name === 'endif'
    ) {
      const outer = stack.open.slice(0, name === 'if' || name === 'ifdef' || name === 'ifndef' ? undefined : -1);
      const outerLive = outer.every(g => g.branches[g.branches.length - 1].value.live);
      rest = rest.replace(/\\\s*$/, '').trim();
      const test = (): boolean =>
        name === 'ifdef' ? isDef(rest) : name === 'ifndef' ? !isDef(rest) : !!evalCondition(rest, isDef, lookup);
      stack.step(name, g => {
        const taken =
          name === 'if' || name === 'ifdef' || name === 'ifndef' ? false : g.branches.some(b => b.value.taken);
        const live = outerLive && !taken && (name === 'else' || test());
        return { live, taken: taken || live };
      });
      const top = stack.top;
      now = top ? top.branches[top.branches.length - 1].value.live : true;
      out.push(false);
      skip();
      continue;
    }
    const here = liveNow();
    if (here && name === 'define') {
      const m = /^\s*([A-Za-z_]\w*)/.exec(d.rest);
      if (m) own.add(m[1]);
    }
    if (here && name === 'undef') {
      const m = /^\s*([A-Za-z_]\w*)/.exec(d.rest);
      if (m) own.delete(m[1]);
    }
    out.push(here);
    skip();
  }
  return out;
}

/** Whether every line from offset `a` to offset `b` is compiled (a call must not span a dead branch). */
function liveSpan(s: Source, live: boolean[], a: number, b: number): boolean {
  for (let l = positionAt(s.map, a).line, e = positionAt(s.map, b).line; l <= e; l++) if (!live[l]) return false;
  return true;
}

/** The arguments of the call whose `(` is at `open`: top-level comma-separated, with offsets; undefined if unbalanced. */
export function callArgs(
  text: string,
  open: number,
): { args: { text: string; start: number }[]; end: number } | undefined {
  let depth = 0;
  const args: { text: string; start: number }[] = [];
  let start = open + 1;
  for (let i = open; i < text.length && i < open + 4000; i++) {
    const c = text[i];
    if (c === '"') {
      const e = text.indexOf('"', i + 1);
      if (e < 0) return undefined;
      i = e;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) {
        args.push({ text: text.slice(start, i), start });
        return { args, end: i + 1 };
      }
    } else if (c === ',' && depth === 1) {
      args.push({ text: text.slice(start, i), start });
      start = i + 1;
    } else if (c === ';' || c === '{' || c === '}') return undefined;
  }
  return undefined;
}

const trimmed = (a: { text: string; start: number }) => {
  const lead = a.text.length - a.text.trimStart().length;
  return { text: a.text.trim(), start: a.start + lead };
};

function regWord(type: string, expr: string): RegWord {
  const m = /^MERGE64_(FIRST|SECOND)\s*\(\s*(\w+)\s*\)$/.exec(expr);
  if (m) return { type, expr, half: m[1] === 'FIRST' ? 'first' : 'second', name: m[2] };
  return { type, expr, name: expr };
}

const ROW = /\b(GENX_|GENXY|LINX_|LINXY|PLAX_|PLAXY)\s*\(/g;
const TABLE_START = /\bSyscallTableEntry\s+syscall_(?:main_)?table\s*\[\s*\]\s*=\s*\{/;

/** The live rows of the file's syscall table (`syscall_table[]` or `syscall_main_table[]`). */
export function tableRows(file: string, text: string, live: boolean[]): { rows: TableRow[]; found: boolean } {
  const s = source(file, text);
  const lt = s.code;
  const start = lt.search(TABLE_START);
  if (start < 0) return { rows: [], found: false };
  const end = lt.indexOf('\n};', start);
  const body = lt.slice(start, end < 0 ? lt.length : end);
  const rows: TableRow[] = [];
  ROW.lastIndex = 0;
  for (let m = ROW.exec(body); m; m = ROW.exec(body)) {
    const at = start + m.index;
    const call = callArgs(lt, at + m[0].length - 1);
    if (!call || call.args.length !== 2 || !liveSpan(s, live, at, call.end)) continue;
    const [a, b] = call.args.map(trimmed);
    if (!/^__NR_\w+$/.test(a.text) || !/^\w+$/.test(b.text)) continue;
    const pos = positionAt(s.map, at);
    rows.push({
      file,
      kind: m[1] as RowKind,
      macro: a.text,
      wrapper: b.text,
      line: pos.line,
      ranges: {
        row: rangeOf(s.map, at, call.end),
        macro: rangeOf(s.map, a.start, a.start + a.text.length),
        wrapper: rangeOf(s.map, b.start, b.start + b.text.length),
      },
    });
  }
  return { rows, found: true };
}

const PRE_LINE = /^PRE\s*\(\s*(\w+)\s*\)/;
// PRAn, and the `PRA_*` names a file defines as one of them.
const CALL = /\b(PRE_REG_READ(\d)|PRA(\d)|PRA_\w+)\s*\(/g;
const PRA_ALIAS = /^\s*(PRA_\w+)\s+PRA(\d)\s*$/;

/** The live `PRE(name)` bodies of a wrapper file, with their register reads. */
const HELPER_LINE = /^(?:static\s+)?void\s+(\w+_pre_helper)\s*\(/;
const HELPER_CALL = /\b(\w+_pre_helper)\s*\(/g;

/**
 * The live `PRE(name)` bodies of a wrapper file, with their register reads; a body that
 * reads none but calls a `*_pre_helper` of the same file (futex, pselect6, ppoll) gets the
 * helper's.
 */
export function wrappers(file: string, text: string, live: boolean[]): Map<string, Wrapper> {
  const s = source(file, text);
  const out = new Map<string, Wrapper>();
  const helpers = new Map<string, RegCall[]>();
  const lt = s.code;
  // `#define PRA_TLS PRA4` (sys_clone: the register order differs per platform).
  const aliases = new Map<string, number>();
  const alias = (i: number) => {
    const dv = s.lines[i].directive;
    const a = live[i] && dv?.name === 'define' ? PRA_ALIAS.exec(dv.rest) : null;
    if (a) aliases.set(a[1], Number(a[2]));
  };
  /** The register reads between two offsets of the live text. */
  const readCalls = (from: number, to: number): RegCall[] => {
    const body = lt.slice(from, to);
    const calls: RegCall[] = [];
    let pra: RegCall | undefined;
    CALL.lastIndex = 0;
    for (let c = CALL.exec(body); c; c = CALL.exec(body)) {
      const aliased = c[2] === undefined && c[3] === undefined ? aliases.get(c[1]) : undefined;
      if (c[2] === undefined && c[3] === undefined && aliased === undefined) continue;
      const at = from + c.index;
      const call = callArgs(lt, at + c[0].length - 1);
      if (!call || !liveSpan(s, live, at, call.end)) continue;
      const args = call.args.map(trimmed);
      const whole = rangeOf(s.map, at, call.end);
      if (c[2] !== undefined) {
        const n = Number(c[2]);
        if (args.length !== 2 + 2 * n) continue;
        const words: RegWord[] = [];
        for (let k = 0; k < n; k++) words.push(regWord(args[2 + 2 * k].text, args[3 + 2 * k].text));
        const digit = at + 'PRE_REG_READ'.length;
        calls.push({
          file,
          style: 'PRE_REG_READ',
          count: n,
          words,
          range: whole,
          countRange: rangeOf(s.map, digit, digit + 1),
        });
      } else {
        const k = aliased ?? Number(c[3]);
        if (args.length !== 3 || k < 1) continue;
        if (!pra) {
          pra = { file, style: 'PRA', count: 0, words: [], range: whole, countRange: whole };
          calls.push(pra);
        }
        pra.words[k - 1] = regWord(args[1].text, args[2].text);
        if (k > pra.count) {
          pra.count = k;
          pra.countRange = whole;
        }
        pra.range = { start: pra.range.start, end: whole.end };
      }
    }
    return calls;
  };
  const helperCalls: [Wrapper, string[]][] = [];
  for (let i = 0; i < s.lines.length; i++) {
    alias(i);
    if (!live[i]) continue;
    const m = PRE_LINE.exec(s.lines[i].code);
    const h = m ? null : HELPER_LINE.exec(s.lines[i].code);
    if (!m && !h) continue;
    let j = i + 1;
    while (j < s.lines.length && !/^\}/.test(s.lines[j].code)) j++;
    for (let k = i; k < j; k++) alias(k);
    const from = s.map.starts[i];
    const to = j < s.lines.length ? s.map.starts[j] : lt.length;
    if (h) {
      helpers.set(h[1], readCalls(from, to));
      i = j;
      continue;
    }
    const name = m![1];
    const at = from + m![0].indexOf(name);
    const w: Wrapper = { file, name, line: i, range: rangeOf(s.map, at, at + name.length), calls: readCalls(from, to) };
    if (!w.calls.length)
      helperCalls.push([
        w,
        [...lt.slice(from, to).matchAll(HELPER_CALL)]
          .filter(x => live[positionAt(s.map, from + x.index!).line])
          .map(x => x[1]),
      ]);
    out.set(name, w);
    i = j;
  }
  for (const [w, names] of helperCalls) for (const n of names) w.calls.push(...(helpers.get(n) ?? []));
  return out;
}

/** Whether a file is a wrapper file at all (cheap: it defines PRE(...) bodies or a table). */
export const looksLikeSyswrap = (text: string) => /^PRE\s*\(\s*\w+\s*\)/m.test(text) || TABLE_START.test(text);

/** The file's preprocessor lines, for liveLines. */
export const linesOf = (file: string, text: string) => source(file, text).lines;
