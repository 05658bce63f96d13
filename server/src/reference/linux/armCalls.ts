// ARM's syscall table as Linux wrote it before arch/arm/tools/syscall.tbl (4.10): the rows
// of arch/arm/kernel/calls.S, numbered by position from 0, and the names and numbers of the
// arch's unistd.h, `#define __NR_x (__NR_SYSCALL_BASE+N)`.
//
// calls.S in its generations: until 2.6.1x `.long sys_x` rows between `__syscall_start:` and
// `__syscall_end:`, the table size `#define NR_syscalls N` in the file and a `.rept` filling
// the rest with sys_ni_syscall; later `CALL(x)` rows, where entry-common.S includes the file
// twice or thrice defining CALL, `ABI(native, compat)` (the native entry point on the EABI
// table, the OABI-compat wrapper on the OABI one), `OBSOLETE(x)` (sys_ni_syscall on an EABI
// kernel) and, in some trees, `NATIVE(x)`; the table padded with `.rept syscalls_padding`
// to a multiple of four. Every few rows a `/* N */` marker says the row's number.
//
// unistd.h: include/asm-arm/ (to 2.6.27), arch/arm/include/asm/ (to 3.6), then
// arch/arm/include/uapi/asm/; `__NR_OABI_SYSCALL_BASE` 0x900000, the base 0 on EABI and
// Thumb, the list of names EABI user space loses (`#undef` under `__ARM_EABI__`), ARM's
// private calls at `__ARM_NR_BASE` (`__NR_SYSCALL_BASE+0x0f0000`) and, in 3.7-4.9, the
// kernel's asm/unistd.h with `__NR_syscalls`. No disk: the caller hands the texts in.
import type { TableEntry } from '../reference';
import { binaryProblem, looksBinary, splitLines } from '../../core/text';
import { Range, range } from '../../core/types';
import { CDefine, evalCondition, evalExpr, readDefines } from '../../syntax/c/defines';
import { Conditionals, preprocessorLines } from '../../syntax/c/preprocessor';

export const ARM_CALLS = 'arch/arm/kernel/calls.S';
export const ARM_TBL = 'arch/arm/tools/syscall.tbl';
/** Where ARM's unistd.h has been, newest first: the first that numbers syscalls is the one. */
export const ARM_UNISTD = [
  'arch/arm/include/uapi/asm/unistd.h',
  'arch/arm/include/asm/unistd.h',
  'include/asm-arm/unistd.h',
] as const;
/** The OABI base when a header does not say (every header that has one says 0x900000). */
export const OABI_BASE = 0x900000;

export interface Problem {
  line: number;
  range: Range;
  message: string;
}

export interface CallsRow {
  /** The row's number: its position in the table, from 0. */
  number: number;
  line: number;
  /** What the row calls as written: `sys_read`, `OBSOLETE(ABI(sys_ipc, sys_oabi_ipc))`. */
  call: string;
  /** The native entry point (the EABI table's, and the OABI one's when there is no compat). */
  entry: string;
  /** The OABI-compat wrapper of `ABI(native, compat)`. */
  compat?: string;
  /** `OBSOLETE(x)`: sys_ni_syscall on an EABI kernel, x on an OABI one. */
  obsolete: boolean;
  /** The `/* N *\/` marker at the start of the line. */
  marker?: { number: number; range: Range };
  /** The comment after the row (`was sys_waitpid`). */
  comment?: string;
  ranges: { row: Range; call: Range };
}

export interface CallsTable {
  form: 'long' | 'call' | 'none';
  rows: CallsRow[];
  /** The early form's table size, `#define NR_syscalls N`. */
  nrSyscalls?: { value: number; line: number; range: Range };
  /** The table ends in padding rows (`.rept`). */
  padded: boolean;
  problems: Problem[];
}

export const NI = 'sys_ni_syscall';

/** `/* 15 *\/` at the start of a row's line: its digits' place. */
const MARKER = /^(\s*\/\*\s*)(\d+)\s*\*\//;
/** Lines of calls.S that are neither rows nor comments and say nothing of the numbering. */
const IGNORED =
  /^\s*(?:[A-Za-z_.$][\w.$]*:\s*$|\.(?:equ|set|type|align|balign|p2align|globl|global|section|size|long\s+\d)\b)/;

/** The call inside `CALL(...)` as the table sees it: native and compat entry points, OBSOLETE. */
function readCall(text: string): { entry: string; compat?: string; obsolete: boolean } | undefined {
  let t = text.trim();
  let obsolete = false;
  for (let i = 0; i < 4; i++) {
    const m = /^(OBSOLETE|NATIVE)\s*\(([^]*)\)$/.exec(t);
    if (!m) break;
    if (m[1] === 'OBSOLETE') obsolete = true;
    t = m[2].trim();
  }
  const abi = /^ABI\s*\(\s*([A-Za-z_]\w*)\s*,\s*([A-Za-z_]\w*)\s*\)$/.exec(t);
  if (abi) return { entry: abi[1], compat: abi[2], obsolete };
  return /^[A-Za-z_]\w*$/.test(t) ? { entry: t, obsolete } : undefined;
}

/** The text between `(` at `open` and its match, or undefined. */
function inside(s: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return s.slice(open + 1, i);
  }
  return undefined;
}

/** The rows of arch/arm/kernel/calls.S, in order, numbered by position. */
export function parseCallsS(text: string): CallsTable {
  const out: CallsTable = { form: 'none', rows: [], padded: false, problems: [] };
  if (looksBinary(text)) {
    out.problems.push(binaryProblem('an ARM calls.S'));
    return out;
  }
  const lines = preprocessorLines(splitLines(text));
  const stack = new Conditionals<number>();
  let rept: number | undefined; // the line of an open `.rept`
  for (const l of lines) {
    const n = l.line;
    const code = l.code.replace(/@.*$/, ''); // `@` starts an ARM assembler comment
    const d = l.directive;
    if (d) {
      if (d.name === 'if' || d.name === 'ifdef' || d.name === 'ifndef' || d.name === 'elif' || d.name === 'else')
        stack.step(d.name, () => n);
      else if (d.name === 'endif' && stack.step('endif', () => n) === 'without-if')
        out.problems.push({ line: n, range: range(n, 0, n, l.raw.length), message: '`#endif` without `#if`' });
      else if (d.name === 'define') {
        const m = /^\s*NR_syscalls\s+(\d+)\s*$/.exec(d.rest);
        if (m) {
          const at = l.raw.indexOf(m[1], d.restStart);
          out.nrSyscalls = { value: Number(m[1]), line: n, range: range(n, at, n, at + m[1].length) };
        }
      }
      continue;
    }
    if (/^\s*\.rept\b/.test(code)) {
      rept = n;
      out.padded = true;
      continue;
    }
    if (/^\s*\.endr\b/.test(code)) {
      rept = undefined;
      continue;
    }
    if (!code.trim() || IGNORED.test(code)) continue;
    const start = code.length - code.trimStart().length;
    const end = code.trimEnd().length;
    let callText: string | undefined;
    let callStart = 0;
    const long = /^(\s*)\.long\s+/.exec(code);
    const call = /^(\s*)CALL\s*\(/.exec(code);
    if (long) {
      callStart = long[0].length;
      callText = code.slice(callStart).trimEnd();
      if (rept === undefined && out.form === 'none') out.form = 'long';
    } else if (call) {
      const body = inside(code, call[0].length - 1);
      if (body !== undefined) {
        callStart = call[0].length + (body.length - body.trimStart().length);
        callText = body.trim();
      }
      if (rept === undefined && out.form === 'none') out.form = 'call';
    }
    const read = callText !== undefined ? readCall(callText) : undefined;
    if (!read) {
      out.problems.push({
        line: n,
        range: range(n, start, n, end),
        message: `not a calls.S row: \`${code.trim()}\` (rows are \`CALL(sys_x)\`, \`CALL(ABI(native, compat))\`, \`CALL(OBSOLETE(x))\` or \`.long sys_x\`)`,
      });
      continue;
    }
    if (rept !== undefined) continue; // padding, not a row
    const mk = MARKER.exec(l.raw);
    const at = mk ? mk[1].length : 0;
    const comment = /\/\*\s*(.*?)\s*\*\//.exec(l.raw.slice(end))?.[1];
    out.rows.push({
      number: out.rows.length,
      line: n,
      call: callText!,
      ...read,
      ...(mk ? { marker: { number: Number(mk[2]), range: range(n, at, n, at + mk[2].length) } } : {}),
      ...(comment ? { comment } : {}),
      ranges: { row: range(n, start, n, end), call: range(n, callStart, n, callStart + callText!.length) },
    });
  }
  for (const g of stack.open) {
    const line = g.branches[0].value;
    out.problems.push({
      line,
      range: range(line, 0, line, lines[line].raw.length),
      message: 'this `#if` has no `#endif`',
    });
  }
  if (rept !== undefined)
    out.problems.push({
      line: rept,
      range: range(rept, 0, rept, lines[rept].raw.length),
      message: 'this `.rept` has no `.endr`',
    });
  return out;
}

// ---------------------------------------------------------------------------------------
// unistd.h

export interface ArmNumber {
  /** The syscall's name: `read` for `__NR_read`, `breakpoint` for `__ARM_NR_breakpoint`. */
  name: string;
  macro: string;
  /** N of `__NR_SYSCALL_BASE+N`; for a private call, its number past `__ARM_NR_BASE`. */
  number: number;
  line: number;
  ranges: { macro: Range; value: Range; line: Range; number?: Range };
  /** The `#if` tests around the define, innermost last. */
  conditions: string[];
}

export interface ArmUnistd {
  /** `__NR_x (__NR_SYSCALL_BASE+N)`, in file order. */
  numbers: ArmNumber[];
  /** `__NR_x __NR_y`: another name for y's number (`sync_file_range2`). */
  aliases: { name: string; target: string; line: number }[];
  /** ARM's private calls, `__ARM_NR_x (__ARM_NR_BASE+k)`. */
  private: ArmNumber[];
  /** `__ARM_NR_BASE`'s offset from `__NR_SYSCALL_BASE` (0x0f0000). */
  privateBase?: number;
  /** The line that defines `__ARM_NR_BASE`. */
  privateBaseLine?: number;
  /** The names EABI user space loses: `#undef __NR_x` where `__ARM_EABI__` is defined, outside the kernel. */
  eabiUndefs: { name: string; line: number; range: Range }[];
  /** The kernel header's `#define __NR_syscalls (N)` (3.7-4.9). */
  nrSyscalls?: { value: number; line: number; range: Range };
  oabiBase: number;
  /** The header includes a list generated from syscall.tbl (4.10 on): it numbers nothing itself. */
  generated: boolean;
  /** The header knows EABI (2.6.16 on): before it ARM had the OABI only. */
  eabi: boolean;
  problems: Problem[];
}

const has = (conds: string[], defined: string[]) =>
  conds.every(
    c =>
      !!evalCondition(
        c,
        n => defined.includes(n),
        () => undefined,
      ),
  );

/** Is a define seen by user space on some ARM ABI (not under `#ifdef __KERNEL__`, nor a CONFIG_ test)? */
export const userVisible = (conds: string[]) =>
  has(conds, []) || has(conds, ['__ARM_EABI__']) || has(conds, ['__thumb__']);

/** The `CONFIG_` tests around a define that user space would otherwise see: it never sees it. */
export function configTests(conds: string[]): string[] {
  const config = conds.filter(c => /\bCONFIG_\w+/.test(c));
  return config.length && userVisible(conds.filter(c => !config.includes(c))) ? config : [];
}

/** The last integer literal of a define's value, where a fix rewrites the number. */
function numberRange(d: CDefine, raw: string): Range | undefined {
  const v = d.ranges.value;
  const text = raw.slice(v.start.character, v.end.character);
  let last: RegExpExecArray | undefined;
  for (const m of text.matchAll(/\b(0[xX][0-9a-fA-F]+|\d+)\b/g)) last = m as RegExpExecArray;
  if (!last) return undefined;
  const s = v.start.character + last.index!;
  return range(v.start.line, s, v.start.line, s + last[0].length);
}

/** ARM's unistd.h: numbers, aliases, private calls, the EABI `#undef` list, `__NR_syscalls`. */
export function parseArmUnistd(text: string): ArmUnistd {
  const out: ArmUnistd = {
    numbers: [],
    aliases: [],
    private: [],
    eabiUndefs: [],
    oabiBase: OABI_BASE,
    generated: false,
    eabi: /\b__ARM_EABI__\b/.test(text),
    problems: [],
  };
  if (looksBinary(text)) {
    out.problems.push(binaryProblem("ARM's unistd.h"));
    return out;
  }
  const lines = splitLines(text).map(l => l.replace(/\r$/, ''));
  // The header also holds function-like macros and C (the _syscallN macros of 2.6): only
  // its object-like defines matter here, so readDefines' complaints about the rest are not kept.
  const h = readDefines(lines);
  const body = new Map<string, string>();
  for (const d of h.defines) if (!body.has(d.macro)) body.set(d.macro, d.value);
  // Numbers relative to the base: __NR_SYSCALL_BASE is 0 for that (its OABI value is added by the ABI).
  const value = (name: string, depth = 0): number | undefined => {
    if (name === '__NR_SYSCALL_BASE') return 0;
    const b = body.get(name);
    return b === undefined || depth > 20 ? undefined : evalExpr(b, x => value(x, depth + 1));
  };
  const oabi = value('__NR_OABI_SYSCALL_BASE');
  if (oabi !== undefined) out.oabiBase = oabi;
  out.privateBase = value('__ARM_NR_BASE');
  out.privateBaseLine = h.defines.find(d => d.macro === '__ARM_NR_BASE')?.line;
  out.generated = h.includes.some(i => /^asm\/unistd-(eabi|oabi|common)\.h$/.test(i.path));
  for (const d of h.defines) {
    const raw = lines[d.line];
    const entry = (name: string, number: number): ArmNumber => ({
      name,
      macro: d.macro,
      number,
      line: d.line,
      ranges: { ...d.ranges, number: numberRange(d, raw) },
      conditions: d.conditions,
    });
    if (d.macro === '__NR_syscalls') {
      const v = evalExpr(d.value, () => undefined);
      if (v !== undefined) out.nrSyscalls = { value: v, line: d.line, range: numberRange(d, raw) ?? d.ranges.value };
      continue;
    }
    const priv = /^__ARM_NR_(\w+)$/.exec(d.macro);
    if (priv && d.macro !== '__ARM_NR_BASE') {
      if (!/\b__ARM_NR_BASE\b/.test(d.value)) continue;
      const k = evalExpr(d.value, n => (n === '__ARM_NR_BASE' ? 0 : value(n)));
      if (k === undefined) out.problems.push({ line: d.line, range: d.ranges.value, message: `no number: ${d.value}` });
      else out.private.push(entry(priv[1], k));
      continue;
    }
    const nr = /^__NR_(\w+)$/.exec(d.macro);
    if (!nr || /^(SYSCALL_BASE|OABI_SYSCALL_BASE|SYSCALL_MASK)$/.test(nr[1])) continue;
    if (/^__NR_\w+$/.test(d.value)) {
      out.aliases.push({ name: nr[1], target: d.value.slice(5), line: d.line });
      continue;
    }
    if (!/\b__NR_SYSCALL_BASE\b/.test(d.value)) continue;
    const v = evalExpr(d.value, n => value(n));
    if (v === undefined || v < 0)
      out.problems.push({ line: d.line, range: d.ranges.value, message: `\`${d.macro}\` has no number: ${d.value}` });
    else out.numbers.push(entry(nr[1], v));
  }
  for (const u of h.undefs) {
    const m = /^__NR_(\w+)$/.exec(u.macro);
    // Gone for EABI user space: under a test that holds with __ARM_EABI__ and not without it.
    if (m && has(u.conditions, ['__ARM_EABI__']) && !has(u.conditions, []))
      out.eabiUndefs.push({ name: m[1], line: u.line, range: u.range });
  }
  for (const p of h.unclosed) out.problems.push(p);
  return out;
}

/** The header among a tree's unistd.h files that numbers the syscalls (the first that does). */
export function numbersHeader<T extends { unistd: ArmUnistd }>(headers: T[]): T | undefined {
  return headers.find(h => h.unistd.numbers.length > 0);
}

// ---------------------------------------------------------------------------------------
// The table as a reference source.

export interface ArmTableInput {
  calls: string;
  /** The tree's unistd.h files by path (relative to the kernel root). */
  unistd: Map<string, string>;
}

/**
 * The EABI and OABI tables of a tree without syscall.tbl, tagged with the ABIs' ids: each
 * row numbered by position and named by unistd.h (the number's first name), as 4.10's
 * syscall.tbl writes it: a named row calling sys_ni_syscall is a line without entry point,
 * an unnamed one no line, and an OBSOLETE row is on OABI only (the .tbl's `oabi` lines);
 * a header that knows no EABI (before 2.6.16) gives the OABI table only.
 */
export function armTables(input: ArmTableInput, ids: { eabi: string; oabi: string }): TableEntry[] {
  const calls = parseCallsS(input.calls);
  const headers = ARM_UNISTD.filter(p => input.unistd.has(p)).map(p => ({
    unistd: parseArmUnistd(input.unistd.get(p)!),
  }));
  const names = numbersHeader(headers)?.unistd;
  if (!names) return [];
  const byNumber = new Map<number, string>();
  for (const n of names.numbers) if (!byNumber.has(n.number)) byNumber.set(n.number, n.name);
  const out: TableEntry[] = [];
  for (const row of calls.rows) {
    const name = byNumber.get(row.number);
    if (!name) continue;
    const base = {
      number: row.number,
      name,
      ...(row.entry === NI ? {} : { entry: row.entry }),
      ...(row.compat && row.entry !== NI ? { compat: row.compat } : {}),
      line: row.line,
    };
    if (!row.obsolete && names.eabi) out.push({ ...base, abi: ids.eabi });
    out.push({ ...base, abi: ids.oabi });
  }
  return out;
}
