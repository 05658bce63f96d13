// nr-mismatch and name-mismatch: a row's name against the kernel's syscall at that number.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { implemented } from '../../../../reference/linux/tbl';
import { finding, kernelNumber, live, mine, registerNumber, sameSyscall, StraceContext, tblRelated } from '../context';

export const rule: Rule<StraceContext> = {
  codes: ['nr-mismatch'],
  about:
    "Each row names the syscall strace prints for its number. When the kernel gives that number on the row's ABI to another syscall, and has the row's syscall at a different number, strace prints (and decodes) every call of that number as the wrong syscall: `nr-mismatch`, with a fix that renames the row to the kernel's syscall (decoded by `printargs` until a decoder is written). Numbers the kernel leaves unimplemented, or does not have on that ABI (syscalls strace keeps to trace old kernels, OABI-only ones on arm), strace's own spellings (`fadvise64_64`, arm's `sync_file_range2`) and strace-internal indices (below `BASE_NR` on MIPS, the socketcall/ipc subcalls, ARM's private syscalls, x32's `name#64` rows) are not findings.",
  run(ctx) {
    const out: Finding[] = [];
    for (const row of ctx.build.rows) {
      if (!mine(ctx, row) || !live(ctx, row) || row.name === undefined || row.hash64 || row.index !== row.last)
        continue;
      const n = kernelNumber(ctx, row);
      const k = n === undefined ? undefined : ctx.kernel.get(n);
      if (!k || !implemented(k.entry) || sameSyscall(row.name, k.name)) continue;
      const elsewhere = ctx.kernelByName.get(row.name);
      if (!elsewhere || elsewhere.number === n) continue;
      const related = [tblRelated(ctx, k), tblRelated(ctx, elsewhere)];
      out.push(
        finding(
          ctx,
          'nr-mismatch',
          'error',
          row.ranges.name!,
          `${ctx.personality.abi.id} ${registerNumber(ctx, n!)} is ${k.name} in the kernel, not ${row.name} (the kernel's ${row.name} is ${registerNumber(ctx, elsewhere.number)}): strace prints every ${k.name} call as ${row.name}`,
          {
            syscall: row.name,
            related,
            fixes: [
              {
                title: `Make the row ${k.name} (decoded by printargs)`,
                preferred: false,
                edits: [
                  { range: row.ranges.name!, newText: k.name },
                  { range: row.ranges.decoder!, newText: 'SEN(printargs)' },
                ],
              },
            ],
          },
        ),
      );
    }
    return out;
  },
};
