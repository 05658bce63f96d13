// register-mismatch and arg-count-mismatch: the registers a wrapper's PRE_REG_READn declares
// against the argument words the kernel's entry point reads on the target's ABI (needOn).
import type { Rule } from '../../../family';
import type { Finding, Related, Severity } from '../../../../core/types';
import { needOn, signature } from '../../../../reference/linux/need';
import { implemented } from '../../../../reference/linux/tbl';
import { wordPlace } from '../../../../reference/linux/words';
import { protoLocation } from '../../../../reference/reference';
import { finding, label, registerNumber, tableNumber, tblRelated } from '../../context';
import { sameSyscall } from '../../platforms';
import type { RegCall } from '../model';
import { SyswrapContext, wrapperOf } from '../context';

/**
 * On a 64-bit kernel's native ABI preadv/pwritev take `pos_l, pos_h` and the kernel discards
 * `pos_h` (fs/read_write.c pos_from_hilo), its last word: a wrapper that reads 4 misses
 * nothing. Not so for preadv2/pwritev2, whose `flags` comes after `pos_h`.
 */
const POS_H_LAST = new Set(['preadv', 'pwritev']);

/** The 0-based positions of MERGE64_FIRST halves that start on an odd register. */
export const oddPairs = (c: RegCall) => c.words.flatMap((w, i) => (w?.half === 'first' && i % 2 === 1 ? [i] : []));

export const rule: Rule<SyswrapContext> = {
  codes: ['register-mismatch', 'arg-count-mismatch'],
  about:
    "A wrapper's `PRE_REG_READn(ret, name, t1, a1, ..., tn, an)` tells valgrind which registers carry the syscall's arguments: memcheck reports any of them that is undefined, and the wrapper's checks read the same ARGn. On ARM EABI, MIPS o32 and PPC32 a 64-bit argument starts on an even register, after a pad word: a wrapper that splits it with `MERGE64_FIRST`/`MERGE64_SECOND` at an odd register reads the pad and one half as the value, and never checks the other (`register-mismatch`, error; generic wrappers written for x86, where there is no pad, do this on the aligned ABIs). A declared count that differs from the words the kernel prototype needs on that ABI either leaves the last arguments unchecked (error) or checks registers the kernel never reads, so a caller's leftovers show as false errors (warning): `arg-count-mismatch`, when no `PRE_REG_READn` in the wrapper (runtime branches for old kernels are several) declares the kernel's count. Not findings: rows whose wrapper is `sys_ni_syscall` (valgrind refuses the call), wrappers that read no registers themselves nor through a `*_pre_helper` of their file, rows whose number the kernel gives another syscall (the number checks report those), preadv/pwritev reading 4 on 64-bit kernels, which discard the last word `pos_h`.",
  run(ctx) {
    const b = ctx.build;
    const abi = b.abi;
    const out: Finding[] = [];
    for (const row of ctx.rows) {
      const v = b.numbers.byMacro.get(row.macro)?.value;
      if (v === undefined || row.wrapper === 'sys_ni_syscall') continue;
      const n = tableNumber(b, v);
      const k = b.kernel.get(n);
      if (!k || !implemented(k.entry) || !sameSyscall(row.macro.slice(5), k.name)) continue;
      const w = wrapperOf(ctx, row);
      if (!w || w.file !== ctx.file || !w.calls.length) continue;
      const need = needOn(k, b.ref, abi);
      if (need.count === undefined) continue;
      const side =
        need.compat && need.compat.words.length > (need.native?.words.length ?? 0) ? need.compat : need.native!;
      const related: Related[] = [
        tblRelated(b, k),
        ...[need.native, need.compat].flatMap(s =>
          s
            ? [
                {
                  location: protoLocation(b.ref, s.proto),
                  message: `${signature(s.proto)}: ${s.words.length} ${abi.id} word${s.words.length === 1 ? '' : 's'}`,
                },
              ]
            : [],
        ),
        { location: { file: ctx.tableFile, range: row.ranges.row }, message: `the ${label(b)} row` },
      ];
      const what = `${k.name} (${label(b)} ${registerNumber(b, n)})`;
      let misaligned = false;
      if (abi.words.align64)
        for (const c of w.calls) {
          const odd = oddPairs(c);
          if (!odd.length) continue;
          misaligned = true;
          const pairs = odd.map(
            i =>
              `${c.words[i]!.name} from ARG${i + 1}/ARG${i + 2} (${wordPlace(abi.words, i)}/${wordPlace(abi.words, i + 1)})`,
          );
          out.push(
            finding(
              ctx.file,
              'register-mismatch',
              'error',
              c.range,
              `${what}: this wrapper reads ${pairs.join(' and ')}, but on ${abi.id} a 64-bit argument starts on an even register after a pad word; the kernel reads ${need.count} words (${signature(side.proto)}): valgrind checks the wrong registers${c.count < need.count ? ` and never the last ${need.count - c.count}` : ''}`,
              { syscall: k.name, related },
            ),
          );
        }
      if (misaligned) continue;
      const accepted =
        abi.words.bits === 64 && !abi.compat && POS_H_LAST.has(k.name) ? [need.count, need.count - 1] : [need.count];
      if (w.calls.some(c => accepted.includes(c.count))) continue;
      const c = w.calls.reduce((a, x) => (x.count > a.count ? x : a));
      const severity: Severity = c.count < need.count ? 'error' : 'warning';
      out.push(
        finding(
          ctx.file,
          'arg-count-mismatch',
          severity,
          c.countRange,
          `${what} takes ${need.count} argument word${need.count === 1 ? '' : 's'} on ${abi.id} (${signature(side.proto)}), this wrapper declares ${c.count}: ${c.count < need.count ? `valgrind never checks the last ${need.count - c.count}` : `valgrind checks ${c.count - need.count} register${c.count - need.count === 1 ? '' : 's'} the kernel never reads`}`,
          { syscall: k.name, related },
        ),
      );
    }
    return out;
  },
};
