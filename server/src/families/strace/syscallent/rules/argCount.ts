// arg-count-mismatch: a row's nargs against the argument words the kernel's entry points
// need on the row's ABI (needOn), with strace's conventions modelled.
import type { Rule } from '../../../family';
import type { Finding, Related, Severity } from '../../../../core/types';
import { needOn, signature } from '../../../../reference/linux/need';
import { implemented } from '../../../../reference/linux/tbl';
import { protoLocation } from '../../../../reference/reference';
import { finding, kernelNumber, live, mine, registerNumber, sameSyscall, StraceContext, tblRelated } from '../context';

/**
 * On a 64-bit kernel's native ABI, preadv/pwritev take `pos_l, pos_h` and the kernel
 * discards `pos_h` (fs/read_write.c `pos_from_hilo` shifts it out): strace counts 4.
 * Not so on n32 or the 32-bit ABIs, where both halves carry the offset.
 */
const POS_H_DISCARDED = new Set(['preadv', 'pwritev']);

/** The counts strace may write for a syscall needing `need` words on this personality's ABI. */
export function acceptedCounts(ctx: StraceContext, name: string, need: number): number[] {
  const abi = ctx.personality.abi;
  if (abi.words.bits === 64 && !abi.compat && POS_H_DISCARDED.has(name)) return [need, need - 1];
  return [need];
}

export const rule: Rule<StraceContext> = {
  codes: ['arg-count-mismatch'],
  about:
    "A row's `nargs` is how many argument words strace fetches and shows: on a 32-bit ABI both halves of a 64-bit scalar count, and on ARM EABI, o32 and PPC32 so does the padding word that aligns it (o32's fetcher copies words 5..nargs from the user stack). A count below what the kernel prototype needs on that ABI loses arguments (error); one above it shows stray registers or stack words (warning). The fix writes the kernel's count. strace's conventions are not findings: `MA` rows have no fixed count, preadv/pwritev are 4 on 64-bit kernels (which discard `pos_h`), and strace-internal indices are not kernel numbers.",
  run(ctx) {
    const out: Finding[] = [];
    const abi = ctx.personality.abi;
    for (const row of ctx.build.rows) {
      if (!mine(ctx, row) || !live(ctx, row) || typeof row.nargs !== 'number' || row.hash64 || row.index !== row.last)
        continue;
      const n = kernelNumber(ctx, row);
      const k = n === undefined ? undefined : ctx.kernel.get(n);
      if (!k || !implemented(k.entry) || !sameSyscall(row.name!, k.name)) continue;
      let need = needOn(k, ctx.ref, abi);
      // s390 31-bit runs only as compat on s390x (Linux 4.1 dropped the 31-bit kernel):
      // the compat entry point is the one that reads the words.
      if (abi.id === 's390' && need.compat) need = { ...need, native: undefined, count: need.compat.words.length };
      if (need.count === undefined || acceptedCounts(ctx, k.name, need.count).includes(row.nargs)) continue;
      const related: Related[] = [tblRelated(ctx, k)];
      for (const side of [need.native, need.compat])
        if (side)
          related.push({
            location: protoLocation(ctx.ref, side.proto),
            message: `${signature(side.proto)}: ${side.words.length} ${abi.id} word${side.words.length === 1 ? '' : 's'}`,
          });
      const severity: Severity = row.nargs < need.count ? 'error' : 'warning';
      const widest =
        need.compat && need.compat.words.length > (need.native?.words.length ?? 0) ? need.compat : need.native!;
      out.push(
        finding(
          ctx,
          'arg-count-mismatch',
          severity,
          row.ranges.nargs!,
          `${k.name} (${abi.id} ${registerNumber(ctx, n!)}) takes ${need.count} argument word${need.count === 1 ? '' : 's'} on ${abi.id} (${signature(widest.proto)}), the row says ${row.nargs}: ${row.nargs < need.count ? `strace loses the last ${need.count - row.nargs}` : `strace shows ${row.nargs - need.count} word${row.nargs - need.count === 1 ? '' : 's'} the kernel never reads`}`,
          {
            syscall: k.name,
            related,
            fixes: [
              {
                title: `Set nargs to ${need.count}`,
                preferred: true,
                edits: [{ range: row.ranges.nargs!, newText: String(need.count) }],
              },
            ],
          },
        ),
      );
    }
    return out;
  },
};
