// ARM's private syscalls (`__ARM_NR_BASE`, 0xf0000 past the syscall base) as the kernel
// has them, from three known files: the numbers (`__ARM_NR_*` in the uapi unistd.h), what
// `arm_syscall()` does with each (arch/arm/kernel/traps.c), and the entry code's bound that
// sends a number there (arch/arm/kernel/entry-common.S). Each file fills its own part, so
// the indexer may read them in any order.
import { stripComments } from '../../syntax/c/comments';
import { parseArmUnistd } from './armCalls';

export const ARM_UNISTD = 'arch/arm/include/uapi/asm/unistd.h';
export const ARM_TRAPS = 'arch/arm/kernel/traps.c';
export const ARM_ENTRY = 'arch/arm/kernel/entry-common.S';

export interface ArmPrivateCall {
  /** `cacheflush` for `__ARM_NR_cacheflush`. */
  name: string;
  /** Its number less `__ARM_NR_BASE`. */
  offset: number;
  /** Zero-based line of the `#define`. */
  line: number;
}

/** One `case` of arm_syscall()'s switch on `no & 0xffff`. */
export interface ArmSyscallCase {
  /** The private call's name (`NR(cacheflush)`), absent for a plain number (`case 0`). */
  name?: string;
  /** Its offset when written as a number. */
  offset?: number;
  line: number;
  /** The expressions it returns (`regs->ARM_r0` leaves r0 as it was). */
  returns: string[];
  /** Signals it raises itself (`arm_notify_die(..., SIGSEGV, ...)`). */
  signals: string[];
  /** The conditions under which it `break`s to the SIGILL after the switch ('' for always). */
  breaks: string[];
  /** The case's comment or first line, for messages. */
  note?: string;
}

export interface ArmPrivate {
  unistd?: { file: string; base: number; baseLine: number; calls: ArmPrivateCall[] };
  traps?: {
    file: string;
    /** arm_syscall()'s own line. */
    line: number;
    cases: ArmSyscallCase[];
    /** Unknown offsets up to this answer -ENOSYS (`(no & 0xffff) <= 0x7ff`); past it, the SIGILL. */
    enosysMax?: number;
    enosysLine?: number;
    /** The signal raised after the switch (a `break`), and where. */
    fallback?: { signal: string; line: number };
  };
  entry?: { file: string; op: '>=' | '>'; line: number };
}

const lineAt = (text: string, offset: number) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/** `__ARM_NR_BASE` (with the EABI's `__NR_SYSCALL_BASE` of 0) and every `__ARM_NR_x` as an offset from it, as ARM's one unistd.h reader (armCalls.ts) has them. */
export function readArmUnistd(text: string): ArmPrivate['unistd'] {
  const u = parseArmUnistd(text);
  if (u.privateBase === undefined || u.privateBaseLine === undefined) return undefined;
  const calls: ArmPrivateCall[] = u.private.map(p => ({ name: p.name, offset: p.number, line: p.line }));
  return { file: ARM_UNISTD, base: u.privateBase, baseLine: u.privateBaseLine, calls };
}

/** The body of `arm_syscall()` read case by case (comments stripped, offsets kept). */
export function readArmTraps(text: string): ArmPrivate['traps'] {
  const code = stripComments(text);
  const fn = /^asmlinkage\s+int\s+arm_syscall\s*\([^)]*\)\s*\{/m.exec(code);
  if (!fn) return undefined;
  const open = fn.index + fn[0].length - 1;
  const close = matching(code, open);
  if (close < 0) return undefined;
  const sw = /switch\s*\(\s*no\s*&\s*0xffff\s*\)\s*\{/.exec(code.slice(open, close));
  if (!sw) return undefined;
  const swOpen = open + sw.index + sw[0].length - 1;
  const swClose = matching(code, swOpen);
  if (swClose < 0) return undefined;
  const out: NonNullable<ArmPrivate['traps']> = { file: ARM_TRAPS, line: lineAt(text, fn.index), cases: [] };
  // Labels at the switch's own depth.
  const labels: { at: number; end: number; label: string }[] = [];
  let depth = 0;
  for (let i = swOpen + 1; i < swClose; i++) {
    const c = code[i];
    if (c === '{' || c === '(') depth++;
    else if (c === '}' || c === ')') depth--;
    else if (depth === 0 && /[a-z]/.test(c) && !/\w/.test(code[i - 1])) {
      const m = /^(case\s+([^:]+?)|default)\s*:/.exec(code.slice(i, i + 80));
      if (m) {
        labels.push({ at: i, end: i + m[0].length, label: m[2] ?? 'default' });
        i += m[0].length - 1;
      }
    }
  }
  labels.forEach((l, k) => {
    const body = code.slice(l.end, k + 1 < labels.length ? labels[k + 1].at : swClose);
    if (l.label === 'default') {
      const m = /if\s*\(\s*\(\s*no\s*&\s*0xffff\s*\)\s*(<=?)\s*(0x[0-9a-fA-F]+|\d+)\s*\)\s*return\s+-ENOSYS/.exec(body);
      if (m) {
        out.enosysMax = Number(m[2]) - (m[1] === '<' ? 1 : 0);
        out.enosysLine = lineAt(text, l.end + m.index);
      }
      return;
    }
    const nr = /^NR\s*\(\s*(\w+)\s*\)$/.exec(l.label.trim());
    const num = /^(0x[0-9a-fA-F]+|\d+)$/.exec(l.label.trim());
    if (!nr && !num) return;
    const breaks: string[] = [];
    // A `break` guarded by an `if` on its own line is conditional; any other ends the case.
    for (const b of body.matchAll(/(?:if\s*\(([^;{]*)\)\s*)?\bbreak\s*;/g)) breaks.push(b[1]?.trim() ?? '');
    const returns = [...body.matchAll(/\breturn\s+([^;]+);/g)].map(r => r[1].replace(/\s+/g, ' ').trim());
    const signals = [...new Set([...body.matchAll(/\b(SIG[A-Z]+)\b/g)].map(s => s[1]))];
    const raw = text.slice(l.at, l.end + 60).split('\n')[0];
    const note = /\/\*\s*(.*?)\s*\*\//.exec(raw)?.[1];
    out.cases.push({
      ...(nr ? { name: nr[1] } : { offset: Number(num![1]) }),
      line: lineAt(text, l.at),
      returns,
      signals,
      breaks,
      note,
    });
  });
  // After the switch: the signal a `break` leads to.
  const tail = code.slice(swClose, close);
  const sig = /arm_notify_die\s*\([^;]*?\b(SIG[A-Z]+)\b/.exec(tail);
  if (sig) out.fallback = { signal: sig[1], line: lineAt(text, swClose + sig.index) };
  return out;
}

/** `cmp scno, #(__ARM_NR_BASE - __NR_SYSCALL_BASE)` and the branch to arm_syscall after it. */
export function readArmEntry(text: string): ArmPrivate['entry'] {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/\bcmp\s+scno\s*,\s*#\s*\(?\s*__ARM_NR_BASE\b/.test(lines[i])) continue;
    for (let j = i + 1; j < Math.min(lines.length, i + 4); j++) {
      const b = /\b(bcs|bhs|bge|bhi|bgt)\s+arm_syscall\b/.exec(lines[j]);
      if (b) return { file: ARM_ENTRY, op: b[1] === 'bhi' || b[1] === 'bgt' ? '>' : '>=', line: j };
    }
  }
  return undefined;
}

/** Offset of the brace matching the one at `open`, or -1. */
function matching(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The part one known file gives, or undefined for any other file. */
export function armPrivatePart(rel: string, text: string): Partial<ArmPrivate> | undefined {
  if (rel === ARM_UNISTD) return { unistd: readArmUnistd(text) };
  if (rel === ARM_TRAPS) return { traps: readArmTraps(text) };
  if (rel === ARM_ENTRY) return { entry: readArmEntry(text) };
  return undefined;
}
