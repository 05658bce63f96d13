// unnumbered-row, missing-entry, duplicate-entry and table-size: what one file has that
// the other lacks, and the table's size against NR_syscalls / __NR_syscalls.
import type { Finding } from '../../../../core/types';
import type { Rule } from '../../../family';
import { NI } from '../../../../reference/linux/armCalls';
import { ArmContext, defineRelated, finding, onCalls, onHeader, plural, rowRelated } from '../context';
import { shiftOf } from '../model';

export const rule: Rule<ArmContext> = {
  codes: ['unnumbered-row', 'missing-entry', 'duplicate-entry', 'table-size'],
  about:
    "Every syscall calls.S implements needs a number in unistd.h, or user space cannot name it (`unnumbered-row`); every number unistd.h gives needs a row, or the call gets ENOSYS (`missing-entry`); one number has one name (`duplicate-entry`; `__NR_sync_file_range2 __NR_arm_sync_file_range`-style aliases are fine). Rows calling sys_ni_syscall may keep a name (`vserver`, `nfsservctl`: the .tbl's reserved lines). The table's size: the early `.long` form must not hold more rows than its `#define NR_syscalls` (the entry code refuses every number from there), and from 3.7 the padded table must be exactly the kernel header's `__NR_syscalls` (`table-size`). Rows displaced by a shift or a wrong number are `row-misnumbered` instead.",
  run(ctx) {
    const m = ctx.model;
    const h = m.numbers;
    const calls = m.calls;
    if (!calls || !h) return [];
    const out: Finding[] = [];
    const rows = calls.rows;
    const explained = new Set(
      [...m.strays, ...m.shifts.flatMap(s => s.rows)].flatMap(v => (v.evidence ? [v.evidence] : [])),
    );
    if (onCalls(ctx)) {
      for (const v of m.views) {
        if (v.row.entry === NI || v.here.length || v.evidence || shiftOf(m, v.row)) continue;
        out.push(
          finding(
            ctx.file,
            'unnumbered-row',
            'warning',
            v.row.ranges.call,
            `row ${v.row.number} calls ${v.row.call}, but ${h.rel} gives no syscall the number ${v.row.number}: user space has no __NR_ name for it`,
            { syscall: v.row.entry },
          ),
        );
      }
      const padded = Math.ceil(rows.length / 4) * 4;
      const nr = calls.nrSyscalls;
      if (calls.form === 'long' && nr && rows.length > nr.value)
        out.push(
          finding(
            ctx.file,
            'table-size',
            'error',
            nr.range,
            `NR_syscalls is ${nr.value}, but the table has ${plural(rows.length, 'row')}: the entry code refuses every number from ${nr.value}, so rows ${nr.value} to ${rows.length - 1} are never called`,
            { related: [rowRelated(m, rows[rows.length - 1])] },
          ),
        );
      const size = m.sizeHeader?.unistd.nrSyscalls;
      if (calls.form === 'call' && size && m.sizeHeader && size.value !== padded && rows.length)
        out.push(
          finding(
            ctx.file,
            'table-size',
            'error',
            rows[rows.length - 1].ranges.row,
            `the table has ${plural(rows.length, 'row')}, padded to ${padded}, but __NR_syscalls in ${m.sizeHeader.rel} is ${size.value}`,
            {
              related: [
                {
                  location: { file: m.sizeHeader.file, range: size.range },
                  message: `${m.sizeHeader.rel}: __NR_syscalls is ${size.value}`,
                },
              ],
            },
          ),
        );
    }
    if (!onHeader(ctx, h)) return out;
    const seen = new Map<number, (typeof h.unistd.numbers)[number]>();
    // A number a wrong define moved onto is that define's finding, not a duplicate.
    const moved = new Set([...explained].map(d => d.number));
    for (const d of h.unistd.numbers) {
      const before = seen.get(d.number);
      if (!before) seen.set(d.number, d);
      if (explained.has(d) || moved.has(d.number)) continue;
      if (before && before.name !== d.name) {
        // The one of the two no row calls is the odd one out.
        const odd = m.claimed.has(d) && !m.claimed.has(before) ? before : d;
        const other = odd === d ? before : d;
        out.push(
          finding(
            ctx.file,
            'duplicate-entry',
            'error',
            odd.ranges.number ?? odd.ranges.value,
            `${odd.macro} is __NR_SYSCALL_BASE+${odd.number}, the number ${other.macro} has (line ${other.line + 1})`,
            { related: [defineRelated(h, other)], syscall: odd.name },
          ),
        );
      } else if (!before && d.number >= rows.length)
        out.push(
          finding(
            ctx.file,
            'missing-entry',
            'error',
            d.ranges.number ?? d.ranges.value,
            `${d.macro} is __NR_SYSCALL_BASE+${d.number}, but calls.S has rows 0 to ${rows.length - 1}: calling ${d.name} gets ENOSYS`,
            {
              related: rows.length ? [rowRelated(m, rows[rows.length - 1], 'the last row of calls.S')] : [],
              syscall: d.name,
            },
          ),
        );
    }
    return out;
  },
};
