// duplicate-entry and out-of-order in a designated table, and rows that cannot be read.
import { guestNumber, O32_ABI } from '../../../../reference/linux/abis';
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { positionAt } from '../../../../core/text';
import { finding, O32Context, replace } from '../context';

export function order(ctx: O32Context): Finding[] {
  const out: Finding[] = [];
  const t = ctx.table;
  for (const p of t.problems) out.push(finding(ctx, 'malformed-line', 'error', p.span, p.message));
  if (t.style !== 'designated') return out;
  const seen = new Map<number, number>();
  let prev = -1;
  for (const row of t.rows) {
    const at = row.number_ ?? row.row;
    const first = seen.get(row.number);
    if (first !== undefined) {
      const line = positionAt(t.map, first).line + 1;
      const lineEnd = t.map.text.indexOf('\n', row.lineEnd);
      out.push(
        finding(
          ctx,
          'duplicate-entry',
          'error',
          at,
          `slot ${row.number} (${guestNumber(O32_ABI, row.number)}) has a second row (the first is on line ${line}); in C the later one wins`,
          {
            syscall: row.name,
            related: [
              {
                location: { file: ctx.file, range: { start: pos(ctx, first), end: pos(ctx, first) } },
                message: 'first row for this slot',
              },
            ],
            fixes: [
              {
                title: `Delete this duplicate row for ${row.number}`,
                preferred: false,
                edits: [replace(ctx, { start: row.lineStart, end: lineEnd < 0 ? row.lineEnd : lineEnd + 1 }, '')],
              },
            ],
          },
        ),
      );
    } else seen.set(row.number, row.row.start);
    if (row.number < prev) {
      out.push(
        finding(
          ctx,
          'out-of-order',
          'warning',
          at,
          `slot ${row.number} comes after slot ${prev}: rows should ascend (use "Regenerate table" to reorder)`,
          { syscall: row.name },
        ),
      );
    }
    prev = Math.max(prev, row.number);
  }
  return out;
}

const pos = (ctx: O32Context, offset: number) => positionAt(ctx.table.map, offset);

/** Rows that cannot be read, a slot given two rows (in C the later initializer silently wins), and designated rows that do not ascend. Duplicates offer a deletion, never applied by fix-all, since which row is right is the user's call. */
export const rule: Rule<O32Context> = {
  codes: ['malformed-line', 'duplicate-entry', 'out-of-order'],
  about:
    "Rows that cannot be read, a slot given two rows (in C the later initializer silently wins), and designated rows that do not ascend. Duplicates offer a deletion, never applied by fix-all, since which row is right is the user's call.",
  run: order,
};
