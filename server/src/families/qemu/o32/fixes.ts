// Edits that add o32 rows, shared by the missing-entry and unused-slot checks.
import { notImplemented, o32Need, SysEntry } from '../../../reference/linux/need';
import { eol, insertAfter, renderRow, RowValue } from './rows';
import { spanRange } from './table';
import { TextEdit } from '../../../core/types';
import { O32Context, TblSource } from './context';

const byNumber = new WeakMap<TblSource, Map<number, SysEntry>>();

/** A table's entries by number, built once per table source. */
export function entriesByNumber(src: TblSource): Map<number, SysEntry> {
  let m = byNumber.get(src);
  if (!m) byNumber.set(src, (m = new Map(src.entries.map(e => [e.number, e] as const))));
  return m;
}

/** The value a row for `e` should hold, or undefined when it cannot be known. */
export function rowValue(ctx: O32Context, e: SysEntry | undefined): RowValue | undefined {
  if (notImplemented(e)) return 'unused';
  return o32Need(e!, ctx.ref).count;
}

export function rowName(ctx: O32Context, n: number, e: SysEntry | undefined): string {
  if (e) return ctx.table.style === 'mips-sys' ? (notImplemented(e) ? 'sys_ni_syscall' : `sys_${e.name}`) : e.name;
  return ctx.table.style === 'mips-sys' ? 'sys_ni_syscall' : '';
}

/**
 * An edit inserting rows for `numbers` (ascending, adjacent in the table), after the row
 * before the first of them. Insertions at the same place are ordered by number.
 */
export function insertRows(ctx: O32Context, numbers: number[], value: (n: number) => RowValue): TextEdit {
  const t = ctx.table;
  const byNr = entriesByNumber(ctx.tbl);
  const nl = eol(t);
  const rows = numbers.map(n => renderRow(t, n, value(n), rowName(ctx, n, byNr.get(n))));
  const before = t.rows.some(r => r.number < numbers[0]);
  if (!before && t.rows.length) {
    const start = t.rows[0].lineStart;
    return { range: spanRange(t, { start, end: start }), newText: rows.join(nl) + nl, order: numbers[0] };
  }
  const at = insertAfter(t, numbers[0]);
  return { range: spanRange(t, { start: at, end: at }), newText: nl + rows.join(nl), order: numbers[0] };
}
