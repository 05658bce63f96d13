// strace's syscallent tables as one personality's build sees them: the rows
// `[NR] = { nargs, flags, SEN(decoder), "name" },` (also `[BASE_NR + N]`, `[A ... B] = { }`
// and explicitly empty rows) of a top file and every piece it `#include`s, with the
// preprocessor run as strace's build runs it (see personalities.ts): `#define`/`#undef`,
// `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif` evaluated over the build's macros.
// An exact textual row parser: every range points into the file the row is in. Never
// throws; what it cannot read is returned as problems.
import * as path from 'path';
import { stripLineComments } from '../../../syntax/c/comments';
import { evalExpr } from '../../../syntax/c/defines';
import { splitLines } from '../../../core/text';
import { Range, range } from '../../../core/types';

export interface Row {
  file: string;
  line: number;
  /** The table index (`BASE_NR + 3` is 4003 on o32); the first of a range. */
  index: number;
  /** The last index of an `[A ... B]` range (= index otherwise). */
  last: number;
  /** `MA`, a count, or undefined for an empty row `{ }`. */
  nargs?: number | 'MA';
  nargsText?: string;
  decoder?: string;
  /** The name as written, without `#64` (x32's 64-bit-only rows) and its quotes. */
  name?: string;
  /** The row names the 64-bit syscall (x32's `"name#64"`). */
  hash64?: boolean;
  /** The index expression mentions a strace-internal base (subcalls, ARM private). */
  internal: boolean;
  ranges: { row: Range; index: Range; nargs?: Range; name?: Range; decoder?: Range };
  /** The whole row's text, for fixes in its style. */
  text: string;
}

export interface Problem {
  file: string;
  range: Range;
  message: string;
}

export interface Build {
  rows: Row[];
  problems: Problem[];
  /** Files read, in order. */
  files: string[];
  /** Macros' values at the end of the build. */
  macros: Map<string, string>;
}

const ROW = /^(\s*)\[([^\]]*)\]\s*=\s*\{([^}]*)\}\s*,?/;
const DIRECTIVE = /^\s*#\s*(\w+)\s*(.*)$/;

/** Evaluate an `#if` expression: `defined X`, `!`, `&&`, `||`, comparisons and arithmetic; unknown names are 0. */
export function evalCondition(expr: string, macros: Map<string, string>): boolean {
  const s = expr.replace(/\bdefined\s*(\(\s*(\w+)\s*\)|(\w+))/g, (_m, _a, b, c) => (macros.has(b ?? c) ? '1' : '0'));
  const toks = s.match(/0[xX][0-9a-fA-F]+|\d+|\w+|&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%()<>!~&|^]/g) ?? [];
  let i = 0;
  const value = (name: string, depth: number): number => {
    const v = macros.get(name);
    if (v === undefined || depth > 20) return 0;
    return evalExpr(v.replace(/[uUlL]+\b/g, ''), n => value(n, depth + 1)) ?? 0;
  };
  const prim = (): number => {
    const t = toks[i++];
    if (t === undefined) return 0;
    if (t === '(') {
      const v = or();
      i++;
      return v;
    }
    if (t === '!') return prim() ? 0 : 1;
    if (t === '-') return -prim();
    if (t === '~') return ~prim();
    if (/^\d/.test(t)) return Number(t.startsWith('0x') || t.startsWith('0X') ? parseInt(t, 16) : t);
    return value(t, 0);
  };
  const BIN: Record<string, [number, (a: number, b: number) => number]> = {
    '*': [6, (a, b) => a * b],
    '/': [6, (a, b) => (b ? Math.trunc(a / b) : 0)],
    '%': [6, (a, b) => (b ? a % b : 0)],
    '+': [5, (a, b) => a + b],
    '-': [5, (a, b) => a - b],
    '<<': [4, (a, b) => a * 2 ** b],
    '>>': [4, (a, b) => Math.floor(a / 2 ** b)],
    '<': [3, (a, b) => +(a < b)],
    '>': [3, (a, b) => +(a > b)],
    '<=': [3, (a, b) => +(a <= b)],
    '>=': [3, (a, b) => +(a >= b)],
    '==': [2, (a, b) => +(a === b)],
    '!=': [2, (a, b) => +(a !== b)],
    '&': [1.5, (a, b) => a & b],
    '^': [1.4, (a, b) => a ^ b],
    '|': [1.3, (a, b) => a | b],
    '&&': [1, (a, b) => +(!!a && !!b)],
    '||': [0.5, (a, b) => +(!!a || !!b)],
  };
  const bin = (min: number): number => {
    let left = prim();
    for (let op = toks[i]; op !== undefined && BIN[op] && BIN[op][0] > min; op = toks[i]) {
      i++;
      left = BIN[op][1](left, bin(BIN[op][0]));
    }
    return left;
  };
  const or = () => bin(0);
  return or() !== 0;
}

/** The numeric value of an index expression over the macros, or undefined. */
export function evalIndex(expr: string, macros: Map<string, string>): number | undefined {
  const look = (name: string, depth: number): number | undefined => {
    const v = macros.get(name);
    if (v === undefined || depth > 20) return undefined;
    return evalExpr(v.replace(/\b(\d+)[uUlL]+\b/g, '$1'), n => look(n, depth + 1));
  };
  return evalExpr(expr.replace(/\b(\d+)[uUlL]+\b/g, '$1'), n => look(n, 0));
}

const INTERNAL = /\b(SYS_socket_subcall|SYS_ipc_subcall|ARM_FIRST_SHUFFLED_SYSCALL)\b/;

/** Parse one row's text at `line` of `file` (`start` is the row's offset in the line). */
export function parseRow(
  file: string,
  line: number,
  raw: string,
  code: string,
  macros: Map<string, string>,
): Row | Problem | undefined {
  const m = ROW.exec(code);
  if (!m) return undefined;
  const rowStart = m[1].length;
  const rowEnd = m[0].trimEnd().length;
  const indexStart = code.indexOf('[', rowStart) + 1;
  const at = (s: number, e: number) => range(line, s, line, e);
  const indexText = m[2];
  const [a, b, ...more] = indexText.split('...');
  const index = evalIndex(a, macros);
  const last = b === undefined ? index : evalIndex(b, macros);
  if (index === undefined || last === undefined || more.length || last < index)
    return { file, range: at(rowStart, rowEnd), message: `cannot read the index [${indexText.trim()}]` };
  const bodyStart = code.indexOf('{', indexStart + indexText.length) + 1;
  const body = m[3];
  const row: Row = {
    file,
    line,
    index,
    last,
    internal: INTERNAL.test(indexText),
    ranges: { row: at(rowStart, rowEnd), index: at(indexStart, indexStart + indexText.length) },
    text: raw.slice(rowStart, rowEnd),
  };
  if (body.trim() === '') return row;
  // Fields: nargs, flags, SEN(decoder), "name"; commas inside them do not occur.
  const fields: { text: string; start: number }[] = [];
  let pos = 0;
  for (const part of body.split(',')) {
    const lead = part.length - part.trimStart().length;
    fields.push({ text: part.trim(), start: bodyStart + pos + lead });
    pos += part.length + 1;
  }
  if (fields.length > 4 && fields[4].text === '') fields.pop();
  if (fields.length !== 4)
    return {
      file,
      range: at(rowStart, rowEnd),
      message: `a row has ${fields.length} fields, not 4 (nargs, flags, SEN(decoder), "name")`,
    };
  const [n, , sen, name] = fields;
  const count = n.text === 'MA' ? 'MA' : /^\d+$/.test(n.text) ? Number(n.text) : undefined;
  if (count === undefined)
    return {
      file,
      range: at(n.start, n.start + n.text.length),
      message: `nargs "${n.text}" is neither a number nor MA`,
    };
  const s = /^SEN\(\s*(\w+)\s*\)$/.exec(sen.text);
  const q = /^"([^"]*)"$/.exec(name.text);
  if (!s || !q)
    return { file, range: at(rowStart, rowEnd), message: 'a row must read { nargs, flags, SEN(decoder), "name" }' };
  row.nargs = count;
  row.nargsText = n.text;
  row.decoder = s[1];
  row.hash64 = q[1].endsWith('#64');
  row.name = q[1].replace(/#64$/, '');
  row.ranges.nargs = at(n.start, n.start + n.text.length);
  row.ranges.decoder = at(sen.start, sen.start + sen.text.length);
  row.ranges.name = at(name.start + 1, name.start + 1 + q[1].length);
  return row;
}

export interface BuildOptions {
  /** src/linux (include lookups: the file's directory, then linux/<arch>, then linux/generic). */
  linuxDir: string;
  arch: string;
  defines: Record<string, string>;
  read(file: string): string | undefined;
}

const MAX_DEPTH = 16;

// The last builds, each with every file it read: a tree check (or an editor with several of
// an arch's files open) asks for the same personality's build once per file of it.
const builds = new Map<string, { build: Build; reads: [string, string | undefined][] }>();

/** `buildTable`, the same Build again while every file it read reads the same (the Build is never changed). */
export function cachedBuildTable(top: string, opts: BuildOptions): Build {
  const key = JSON.stringify([top, opts.linuxDir, opts.arch, opts.defines]);
  const hit = builds.get(key);
  if (hit && hit.reads.every(([f, t]) => opts.read(f) === t)) return hit.build;
  const reads: [string, string | undefined][] = [];
  const build = buildTable(top, {
    ...opts,
    read: f => {
      const t = opts.read(f);
      reads.push([f, t]);
      return t;
    },
  });
  builds.delete(key); // re-inserted last: the map keeps the most recent builds only
  builds.set(key, { build, reads });
  if (builds.size > 32) builds.delete(builds.keys().next().value!);
  return build;
}

/** Run one personality's build from its top file. */
export function buildTable(top: string, opts: BuildOptions): Build {
  const macros = new Map(Object.entries(opts.defines));
  const out: Build = { rows: [], problems: [], files: [], macros };
  const visit = (file: string, depth: number) => {
    const text = opts.read(file);
    if (text === undefined) return false;
    out.files.push(file);
    // The active state of each open group: [taking now, some branch taken, parent active].
    const stack: { active: boolean; taken: boolean; parent: boolean }[] = [];
    const active = () => stack.length === 0 || stack[stack.length - 1].active;
    let inComment = false;
    splitLines(text).forEach((raw, line) => {
      const stripped = stripLineComments(raw, inComment);
      inComment = stripped.inComment;
      const code = stripped.code;
      const d = DIRECTIVE.exec(code);
      if (d) {
        const [, name, rest] = d;
        const arg = rest.trim();
        if (name === 'if' || name === 'ifdef' || name === 'ifndef') {
          const parent = active();
          const v =
            parent &&
            (name === 'if' ? evalCondition(arg, macros) : name === 'ifdef' ? macros.has(arg) : !macros.has(arg));
          stack.push({ active: v, taken: v, parent });
        } else if (name === 'elif' || name === 'else') {
          const g = stack[stack.length - 1];
          if (!g) out.problems.push({ file, range: range(line, 0, line, raw.length), message: `#${name} without #if` });
          else {
            const v = g.parent && !g.taken && (name === 'else' || evalCondition(arg, macros));
            g.active = v;
            g.taken ||= v;
          }
        } else if (name === 'endif') {
          if (!stack.pop())
            out.problems.push({ file, range: range(line, 0, line, raw.length), message: '#endif without #if' });
        } else if (!active()) {
          // skipped
        } else if (name === 'define') {
          const dm = /^(\w+)(\([^)]*\))?\s*(.*)$/.exec(arg);
          if (dm && !dm[2]) macros.set(dm[1], dm[3].trim());
        } else if (name === 'undef') {
          macros.delete(arg);
        } else if (name === 'include') {
          const inc = /^"([^"]+)"/.exec(arg)?.[1];
          if (!inc) return;
          const found = [path.dirname(file), path.join(opts.linuxDir, opts.arch), path.join(opts.linuxDir, 'generic')]
            .map(dir => path.join(dir, inc))
            .find(c => opts.read(c) !== undefined);
          const r = range(line, 0, line, raw.length);
          if (depth >= MAX_DEPTH || (found && out.files.filter(f => f === found).length > 2))
            out.problems.push({ file, range: r, message: `#include "${inc}" nests too deep` });
          // The other MIPS ABIs' stubs are generated by mips/genstub.sh at build time.
          else if (!found && /-stub\.h$/.test(inc)) return;
          else if (!found)
            out.problems.push({
              file,
              range: r,
              message: `#include "${inc}": no such file beside it, in linux/${opts.arch} or in linux/generic`,
            });
          else visit(found, depth + 1);
        }
        return;
      }
      if (!active()) return;
      const row = parseRow(file, line, raw, code, macros);
      if (!row) return;
      if ('message' in row) out.problems.push(row);
      else out.rows.push(row);
    });
    if (stack.length)
      out.problems.push({ file, range: range(0, 0, 0, 0), message: `${stack.length} #if without #endif` });
    return true;
  };
  if (!visit(top, 0)) out.problems.push({ file: top, range: range(0, 0, 0, 0), message: `cannot read ${top}` });
  return out;
}

/** Does the text look like a syscallent table (a row list)? Cheap. */
export const looksLikeSyscallent = (text: string) =>
  /^\s*\[[^\]\n]*\]\s*=\s*\{[^}\n]*\}/m.test(text) || /^\s*#\s*include\s+"[^"]*syscallent[^"]*"/m.test(text);
