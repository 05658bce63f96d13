// unused-slot-zero: a slot the kernel does not implement must hold the unused marker
// (a 0 means "valid syscall with no arguments"); an implemented one must not.
import { guestNumber, O32_ABI } from '../../../../reference/linux/abis';
import { entryPoints, notImplemented } from '../../../../reference/linux/need';
import { UNUSED_MARKER } from '../table';
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { finding, O32Context, replace, tblLocation } from '../context';
import { base } from './missingEntry';
import { entriesByNumber, insertRows, markerDefineEdit, rowName, rowValue } from '../fixes';
import { O32Row } from '../table';

export function unusedSlots(ctx: O32Context): Finding[] {
  const t = ctx.table;
  const out: Finding[] = [];
  const byNr = entriesByNumber(ctx.tbl);
  const tblMax = ctx.tbl.entries.reduce((m, e) => Math.max(m, e.number), -1);
  const what = (n: number) => {
    const e = byNr.get(n);
    if (e?.kernel)
      return `${e.name} is ${e.kernel.entry ?? 'reserved (no entry point)'} in the kernel's ${base(e.kernel.file)}`;
    if (e) return `${e.name} is ${e.entry ? e.entry : 'reserved (no entry point)'} in ${base(ctx.tbl.file)}`;
    const c = ctx.tbl.holeComments.get(n);
    return c
      ? `${base(ctx.tbl.file)} has only a comment there (${c.replace(/^#\s*/, '')})`
      : `${base(ctx.tbl.file)} has no syscall ${n}`;
  };
  for (const row of t.rows) {
    if (row.number > tblMax) continue;
    const e = byNr.get(row.number);
    const related = () =>
      e ? [{ location: tblLocation(ctx.tbl, e), message: `${e.name} in ${base(ctx.tbl.file)}` }] : [];
    if (notImplemented(e) && typeof row.value === 'number') {
      out.push(
        finding(
          ctx,
          'unused-slot-zero',
          'warning',
          row.value_,
          `slot ${row.number} (${guestNumber(O32_ABI, row.number)}) is not implemented (${what(row.number)}) but holds ${row.value}: ` +
            `QEMU treats it as a valid syscall${row.value === 0 ? ' with no arguments' : ` with ${row.value} argument${row.value === 1 ? '' : 's'}`}; it should be ${UNUSED_MARKER}`,
          {
            syscall: e?.name,
            related: related(),
            fixes: [
              {
                title: `Mark slot ${row.number} as ${UNUSED_MARKER}`,
                preferred: true,
                edits: [unusedEdit(ctx, row), ...markerDefineEdit(ctx)],
              },
            ],
          },
        ),
      );
    } else if (!notImplemented(e) && row.value === 'unused') {
      const count = rowValue(ctx, e);
      out.push(
        finding(
          ctx,
          'unused-slot-zero',
          'error',
          row.value_,
          `${e!.name} (${guestNumber(O32_ABI, row.number)}) is implemented by the kernel (${entryPoints(e!).entry}), but the row marks it unused: a MIPS o32 guest gets ENOSYS`,
          {
            syscall: e!.name,
            related: related(),
            fixes:
              typeof count === 'number'
                ? [
                    {
                      title: `Set ${e!.name}'s count to ${count}`,
                      preferred: true,
                      edits: [countEdit(ctx, row, count)],
                    },
                  ]
                : [],
          },
        ),
      );
    }
  }
  if (t.style === 'designated') {
    // Inside the array, a number with no row is an implicit 0.
    const have = new Set(t.rows.map(r => r.number));
    const last = t.rows.reduce((m, r) => Math.max(m, r.number), -1);
    const sorted = [...t.rows].sort((a, b) => a.number - b.number);
    let k = 0;
    // Only up to the .tbl's last syscall: past it, a row is reported as such (names.ts).
    for (let n = 0; n < Math.min(last, tblMax); n++) {
      while (k + 1 < sorted.length && sorted[k + 1].number < n) k++;
      if (have.has(n) || !notImplemented(byNr.get(n))) continue;
      const prev = sorted[k].number < n ? sorted[k] : t.rows[0];
      out.push(
        finding(
          ctx,
          'unused-slot-zero',
          'warning',
          prev.row,
          `slot ${n} (${guestNumber(O32_ABI, n)}) has no row, so it is an implicit 0 (a valid syscall with no arguments); ${what(n)}, so it should be ${UNUSED_MARKER}`,
          {
            syscall: byNr.get(n)?.name,
            fixes: [
              {
                title: `Insert slot ${n} as ${UNUSED_MARKER}`,
                preferred: true,
                edits: [insertRows(ctx, [n], () => 'unused'), ...markerDefineEdit(ctx)],
              },
            ],
          },
        ),
      );
    }
  }
  return out;
}

/**
 * The edit giving an unused row a count. A bare `MIPS_SYSCALL_NUMBER_UNUSED,` in a MIPS_SYS
 * table becomes a whole `MIPS_SYS(sys_name, n)` row (a bare number would not read as a row).
 */
function countEdit(ctx: O32Context, row: O32Row, count: number) {
  if (ctx.table.style !== 'mips-sys' || row.name_) return replace(ctx, row.value_, String(count));
  const text = ctx.table.map.text;
  const comma = /^\s*,/.exec(text.slice(row.row.end, row.lineEnd))?.[0].length ?? 0;
  const e = entriesByNumber(ctx.tbl).get(row.number);
  return replace(
    ctx,
    { start: row.row.start, end: row.row.end + comma },
    `MIPS_SYS(${rowName(ctx, row.number, e)}, ${count})`,
  );
}

/**
 * The edit marking a row unused. A MIPS_SYS row becomes the bare `MIPS_SYSCALL_NUMBER_UNUSED,`
 * QEMU writes for holes (the marker inside `MIPS_SYS(name, ...)` would hang on the name,
 * which need not be a plain identifier).
 */
function unusedEdit(ctx: O32Context, row: O32Row) {
  if (ctx.table.style !== 'mips-sys' || !ctx.table.map.text.startsWith('MIPS_SYS(', row.row.start))
    return replace(ctx, row.value_, UNUSED_MARKER);
  return replace(ctx, row.row, `${UNUSED_MARKER},`);
}

/** A slot the kernel does not implement (`sys_ni_syscall`, or a hole) must hold `MIPS_SYSCALL_NUMBER_UNUSED`: a 0 there means a valid syscall with no arguments. An implemented syscall marked unused is an error: QEMU answers it with ENOSYS. */
export const rule: Rule<O32Context> = {
  codes: ['unused-slot-zero'],
  about:
    'A slot the kernel does not implement (`sys_ni_syscall`, or a hole) must hold `MIPS_SYSCALL_NUMBER_UNUSED`: a 0 there means a valid syscall with no arguments. An implemented syscall marked unused is an error: QEMU answers it with ENOSYS.',
  run: unusedSlots,
};
