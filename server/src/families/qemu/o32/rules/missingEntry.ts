// missing-entry: a number the `.tbl` implements has no row. Past the table's end QEMU
// answers ENOSYS; inside a designated table the slot is an implicit 0.
import { guestNumber, O32_ABI } from '../../../../reference/linux/abis';
import { notImplemented } from '../../../../reference/linux/need';
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { finding, O32Context, tblLocation } from '../context';
import { insertRows, markerDefineEdit, rowValue } from '../fixes';

export function missingEntries(ctx: O32Context): Finding[] {
  const t = ctx.table;
  if (!t.rows.length) return [];
  const have = new Set(t.rows.map(r => r.number));
  const last = t.rows.reduce((m, r) => Math.max(m, r.number), -1);
  const lastRow = t.rows[t.rows.length - 1];
  const implemented = new Map(ctx.tbl.entries.filter(e => !notImplemented(e)).map(e => [e.number, e] as const));
  const missing = [...implemented.values()]
    .filter(e => !have.has(e.number) && (t.style === 'designated' || e.number > last))
    .sort((a, b) => a.number - b.number);
  const pastEnd = missing.filter(e => e.number > last).map(e => e.number);
  const out: Finding[] = [];
  for (const e of missing) {
    // Holes just before it, past the table's end, go in with it (as unused rows) so
    // numbering stays aligned; inside the table a hole is its own unused-slot finding.
    const numbers = [e.number];
    for (let k = e.number - 1; k > last && !have.has(k) && !implemented.has(k); k--) numbers.unshift(k);
    const value = (n: number) => (n === e.number ? rowValue(ctx, e) : 'unused');
    const count = rowValue(ctx, e);
    const fixes =
      count === undefined
        ? []
        : [
            {
              title: `Insert the row for ${e.name} (${guestNumber(O32_ABI, e.number)})`,
              preferred: true,
              edits: [
                insertRows(ctx, numbers, n => value(n) ?? 'unused'),
                ...(numbers.some(n => (value(n) ?? 'unused') === 'unused') ? markerDefineEdit(ctx) : []),
              ],
            },
          ];
    if (pastEnd.length > 1 && e.number > last && !pastEnd.some(n => rowValue(ctx, implemented.get(n)) === undefined)) {
      const all: number[] = [];
      for (let n = last + 1; n <= pastEnd[pastEnd.length - 1]; n++) all.push(n);
      fixes.push({
        title: `Insert all ${pastEnd.length} missing rows (${guestNumber(O32_ABI, last + 1)}-${guestNumber(O32_ABI, all[all.length - 1])})`,
        preferred: false,
        edits: [
          insertRows(ctx, all, n => (implemented.has(n) ? rowValue(ctx, implemented.get(n))! : 'unused')),
          ...(all.some(n => !implemented.has(n)) ? markerDefineEdit(ctx) : []),
        ],
      });
    }
    const at = e.number > last ? lastRow.row : (t.rows.filter(r => r.number < e.number).pop() ?? lastRow).row;
    const why =
      e.number > last
        ? `the table ends at ${last} (${guestNumber(O32_ABI, last)}), so a MIPS o32 guest calling ${e.name} gets ENOSYS`
        : `the slot is an implicit 0, so QEMU treats it as a call with no arguments`;
    out.push(
      finding(
        ctx,
        'missing-entry',
        'error',
        at,
        `${e.name} (${guestNumber(O32_ABI, e.number)}) is in ${base(ctx.tbl.file)} but has no row: ${why}` +
          (count === undefined ? '; its argument count is unknown, so no row can be written for it' : ''),
        {
          syscall: e.name,
          fixes,
          related: [{ location: tblLocation(ctx.tbl, e), message: `${e.name} is defined here` }],
        },
      ),
    );
  }
  return out;
}

export const base = (f: string) => f.replace(/\\/g, '/').split('/').pop() ?? f;

/** Every number the `.tbl` defines past the end of the table, or inside it with no row, is a syscall QEMU answers with ENOSYS: `cpu_loop.c` bounds the table by its size. The fix inserts the rows with the counts the kernel's prototypes give, in the file's own row style, and leaves them out when no prototype is known. */
export const rule: Rule<O32Context> = {
  codes: ['missing-entry'],
  about:
    "Every number the `.tbl` defines past the end of the table, or inside it with no row, is a syscall QEMU answers with ENOSYS: `cpu_loop.c` bounds the table by its size. The fix inserts the rows with the counts the kernel's prototypes give, in the file's own row style, and leaves them out when no prototype is known.",
  run: missingEntries,
};
