// arg-count-mismatch and unknown-signature: each row's count against the o32 words the
// kernel's entry points need (the larger of native and compat).
import { guestNumber, O32_ABI } from '../../../../reference/linux/abis';
import { describeLayout, notImplemented, o32Need, signature } from '../../../../reference/linux/need';
import type { Rule } from '../../../family';
import { Finding, Related, Severity } from '../../../../core/types';
import { finding, O32Context, protoLocation, replace, tblLocation } from '../context';
import { base } from './missingEntry';
import { entriesByNumber } from '../fixes';

export function argCounts(ctx: O32Context): Finding[] {
  const out: Finding[] = [];
  const byNr = entriesByNumber(ctx.tbl);
  if (!ctx.ref) {
    const first = ctx.table.rows[0];
    if (first)
      out.push(
        finding(
          ctx,
          'unknown-signature',
          'information',
          first.row,
          'argument counts are not checked: no kernel prototypes are loaded (set systab.kernelPath, or pass --kernel DIR to the CLI)',
        ),
      );
    return out;
  }
  for (const row of ctx.table.rows) {
    const e = byNr.get(row.number);
    if (typeof row.value !== 'number' || !e || notImplemented(e)) continue;
    const need = o32Need(e, ctx.ref);
    if (need.count === row.value) continue;
    const related: Related[] = [
      {
        location: tblLocation(ctx.tbl, e),
        message: `${base(ctx.tbl.file)}: ${e.name} -> ${e.entry}${e.compat ? `, ${e.compat}` : ''}`,
      },
    ];
    if (e.kernel)
      related.push({
        location: {
          file: e.kernel.file,
          range: { start: { line: e.kernel.line, character: 0 }, end: { line: e.kernel.line, character: 0 } },
        },
        message: `the kernel's table: ${e.name} -> ${e.kernel.entry}${e.kernel.compat ? `, ${e.kernel.compat}` : ''}`,
      });
    for (const side of [need.native, need.compat]) {
      if (side)
        related.push({
          location: protoLocation(ctx.ref, side.proto),
          message: `${side.proto.kind === 'assembly' ? `${side.proto.entry} (assembly) reads ${side.proto.reads?.join(', ')}` : signature(side.proto)}: ${side.words.length} o32 word${side.words.length === 1 ? '' : 's'}`,
        });
    }
    if (need.count === undefined) {
      const kernel = `${ctx.ref.kernel} ${ctx.ref.release ?? '(unknown release)'}`;
      const newer = !e.kernel && kernelMax(ctx) < e.number;
      out.push(
        finding(
          ctx,
          'unknown-signature',
          'information',
          row.value_,
          `${e.name} (${guestNumber(O32_ABI, e.number)}): no C prototype for ${need.missing.join(' or ')} in ${kernel}, so the count ${row.value} cannot be checked` +
            (newer
              ? `; ${base(ctx.tbl.file)} is newer than ${kernel}: point systab.kernelPath (or --kernel) at a tree that has ${e.name}`
              : ' (assembly entry points have none); confirm it by hand and add the name to systab.ignore with the reason'),
          { syscall: e.name, related },
        ),
      );
      continue;
    }
    const widest =
      need.compat && need.compat.words.length > (need.native?.words.length ?? 0) ? need.compat : need.native!;
    // Fetching too few words loses arguments 5-8; any other difference is harmless at run time.
    const severity: Severity = row.value < need.count && need.count > 4 ? 'error' : 'warning';
    out.push(
      finding(
        ctx,
        'arg-count-mismatch',
        severity,
        row.value_,
        `${e.name} (${guestNumber(O32_ABI, e.number)}) needs ${need.count} o32 argument word${need.count === 1 ? '' : 's'}, the row says ${row.value}: ` +
          `${signature(widest.proto)} puts ${describeLayout(widest)}`,
        {
          syscall: e.name,
          related,
          fixes: [
            {
              title: `Set ${e.name}'s count to ${need.count}`,
              preferred: true,
              edits: [replace(ctx, row.value_, String(need.count))],
            },
          ],
        },
      ),
    );
  }
  return out;
}

/** The highest o32 number in the kernel's own table (-1 without one). */
function kernelMax(ctx: O32Context): number {
  const rel = ctx.ref?.tablePaths().find(p => p.endsWith('mips/kernel/syscalls/syscall_o32.tbl'));
  const t = rel && ctx.ref!.table(rel);
  return t ? t.reduce((m, k) => Math.max(m, k.number), -1) : -1;
}

/** Each row's count against the o32 argument words the kernel's entry points need: the larger of the native prototype laid out in words (a 64-bit argument takes an even-aligned register pair) and the compat wrapper's parameters. A count too small past four loses stack arguments (an error); one too large fetches a spare word (a warning). An entry point with no C prototype is reported as unknown, never guessed. */
export const rule: Rule<O32Context> = {
  codes: ['arg-count-mismatch', 'unknown-signature'],
  about:
    "Each row's count against the o32 argument words the kernel's entry points need: the larger of the native prototype laid out in words (a 64-bit argument takes an even-aligned register pair) and the compat wrapper's parameters. A count too small past four loses stack arguments (an error); one too large fetches a spare word (a warning). An entry point with no C prototype is reported as unknown, never guessed.",
  run: argCounts,
};
