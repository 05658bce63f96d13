// nr-mismatch, name-mismatch and not-in-kernel: each `#define __NR_x N` of a header against
// the kernel's table for every target whose chain includes the header.
import type { Rule } from '../../../family';
import type { Finding, Fix } from '../../../../core/types';
import { finding, label, registerNumber, tableNumber, tblRelated, TargetBuild } from '../../context';
import type { NrDefine } from '../../numbers';
import { kernelName, notASyscall, sameSyscall } from '../../platforms';

export interface HeaderContext {
  file: string;
  build: TargetBuild;
}

/** The edit that writes register number `want` in the define's own style (`(__NR_Linux + 344)` or `292`). */
export function renumber(b: TargetBuild, d: NrDefine, want: number): Fix | undefined {
  const v = d.define.value;
  const m = /^(\(?\s*)(?:([A-Za-z_]\w*)(\s*\+\s*))?(\d+)(\s*\)?)$/.exec(v);
  if (!m) return undefined;
  const baseValue = m[2] === undefined ? 0 : b.numbers.values.get(m[2]);
  if (baseValue === undefined || want - baseValue < 0) return undefined;
  const digits = String(want - baseValue).padStart(m[4].length, ' ');
  const start =
    d.define.ranges.value.start.character + m[1].length + (m[2] === undefined ? 0 : m[2].length + m[3].length);
  const line = d.define.line;
  return {
    title: `Make ${d.macro} ${want}`,
    preferred: true,
    edits: [
      { range: { start: { line, character: start }, end: { line, character: start + m[4].length } }, newText: digits },
    ],
  };
}

export const rule: Rule<HeaderContext> = {
  codes: ['nr-mismatch', 'name-mismatch', 'not-in-kernel'],
  about:
    "Each `#define __NR_x N` is the number valgrind's table files index the wrapper of x by, and the number valgrind's own calls put in the syscall register, so it must be the kernel's number for x on the target's ABI, base included (o32 4000, n64 5000, n32 6000). `nr-mismatch` (error): the kernel has x at another number. That includes the asm-generic numbers of vki-scnums-shared-linux.h and vki-scnums-32bit-linux.h, which mips32 and mips64 include without adding their base: the table's slot 424 is never reached and a guest's 4424 finds no wrapper. The fix writes the kernel's number in the define's own form, offered only where every target reading the line wants the same number (not in a shared header that is right for the others). `name-mismatch` (information): the kernel has no x, and gives N to another syscall (a historic alias such as x86's `madvise1`). `not-in-kernel` (information): the kernel has neither x nor a syscall at N on that ABI (a removed syscall, or one of another ABI). Not findings: names that are not syscalls (`__NR_Linux`, `__NR_syscalls`, `__NR3264_*`), ARM's private calls at `__NR_ARM_BASE`, aliases written as another `__NR_` name, valgrind's spellings (arm's `sync_file_range2`), and on arm EABI the OABI-only syscalls the kernel keeps in the same table.",
  run(ctx) {
    const b = ctx.build;
    const out: Finding[] = [];
    for (const d of b.numbers.defines) {
      if (d.file !== ctx.file || notASyscall(d.macro) || d.alias || d.value === undefined) continue;
      const name = d.macro.slice('__NR_'.length);
      const n = tableNumber(b, d.value);
      const at = b.kernel.get(n);
      const mine = b.kernelByName.get(kernelName(name));
      const where = `${label(b)}`;
      const related = [mine, at].filter((e, i, a) => e && a.indexOf(e) === i).map(e => tblRelated(b, e!));
      if (mine && mine.number !== n) {
        const want = mine.number + (b.abi.base ?? 0);
        const noBase = b.abi.base && d.value < b.abi.base && d.value === mine.number;
        const fix = renumber(b, d, want);
        out.push(
          finding(
            ctx.file,
            'nr-mismatch',
            'error',
            d.define.ranges.value,
            noBase
              ? `${where}: ${name} is ${registerNumber(b, mine.number)} in the kernel; this header gives ${d.value}, the asm-generic number without ${b.abi.id}'s base ${b.abi.base}: valgrind's table slot ${d.value} is never reached, and a guest's ${want} finds no wrapper`
              : `${where}: ${name} is ${registerNumber(b, mine.number)} in the kernel, not ${d.value}${at ? ` (which is ${at.name})` : ''}: valgrind wraps ${name} calls as whatever ${d.value} is, and ${at ? `${at.name} calls with ${name}'s wrapper` : 'never sees its own number'}`,
            { syscall: name, related, fixes: fix ? [fix] : [] },
          ),
        );
        continue;
      }
      if (mine) continue;
      if (at && sameSyscall(name, at.name)) continue;
      if (b.oabi?.get(n)?.name === name) continue;
      if (at)
        out.push(
          finding(
            ctx.file,
            'name-mismatch',
            'information',
            d.define.ranges.macro,
            `${where}: the kernel has no ${name}; ${registerNumber(b, n)} is its ${at.name}`,
            { syscall: name, related },
          ),
        );
      else
        out.push(
          finding(
            ctx.file,
            'not-in-kernel',
            'information',
            d.define.ranges.macro,
            `${where}: ${b.ref.label} has no ${name} and no syscall at ${d.value} on ${b.abi.id}: valgrind's wrapper for it is never called`,
            { syscall: name },
          ),
        );
    }
    return out;
  },
};
