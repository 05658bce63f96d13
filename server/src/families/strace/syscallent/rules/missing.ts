// missing-entry: syscalls the kernel implements on the ABI that the table has no row for.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { needOn } from '../../../../reference/linux/need';
import { implemented } from '../../../../reference/linux/tbl';
import type { Row } from '../model';
import { finding, registerNumber, StraceContext, tblRelated } from '../context';

/** A new row in the style of `like`: its index form and padding, its field layout. */
export function rowLike(like: Row, index: number, base: number, nargs: string, name: string): string | undefined {
  const m =
    /^(\[\s*(?:BASE_NR\s*\+)?)(\s*\d+)(\s*\]\s*=\s*\{\s*)(MA|\d+)(,\s*)([^,]*?)(\s*,\s*)SEN\(\w+\)(,\s*)"[^"]*"(.*)$/.exec(
      like.text,
    );
  if (!m) return undefined;
  const n = String(/BASE_NR/.test(m[1]) ? index - base : index).padStart(m[2].length, ' ');
  return `${m[1]}${n}${m[3]}${nargs}${m[5]}0${m[7]}SEN(printargs)${m[8]}"${name}"${m[9]}`;
}

export const rule: Rule<StraceContext> = {
  codes: ['missing-entry'],
  about:
    "Every syscall the kernel implements on the personality's ABI should have a row: without one strace prints `syscall_0x...` with no name, no decoding and no `-e trace=` class. Reported at the row after which it belongs (or the empty row that holds its number), with a fix that adds a row in the table's own style, decoded by `printargs` and counted from the kernel prototype.",
  run(ctx) {
    const out: Finding[] = [];
    const base = ctx.personality.base;
    const rows = [...ctx.build.rows].sort((a, b) => a.index - b.index);
    const have = new Set<number>();
    for (const r of ctx.build.rows) if (r.name !== undefined) for (let i = r.index; i <= r.last; i++) have.add(i);
    for (const k of [...ctx.kernel.values()].sort((a, b) => a.number - b.number)) {
      const index = k.number + base;
      if (!implemented(k.entry) || have.has(index)) continue;
      const empty = rows.filter(r => r.index <= index && r.last >= index).pop();
      const prev = empty ?? rows.filter(r => r.index < index).pop();
      if (!prev || prev.file !== ctx.file) continue;
      const count = needOn(k, ctx.ref, ctx.personality.abi).count;
      const nargs = count === undefined ? 'MA' : String(count);
      const like = rows.filter(r => r.file === ctx.file && r.name !== undefined && !r.internal).pop();
      const text = like && rowLike(like, index, base, nargs, k.name);
      const fixes = [];
      if (text && (!empty || empty.index === empty.last))
        fixes.push({
          title: `Add a row for ${k.name}`,
          preferred: true,
          edits: empty
            ? [{ range: empty.ranges.row, newText: text }]
            : [{ range: { start: prev.ranges.row.end, end: prev.ranges.row.end }, newText: `\n${text}` }],
        });
      out.push(
        finding(
          ctx,
          'missing-entry',
          'warning',
          empty ? empty.ranges.row : prev.ranges.row,
          `no row for ${k.name} (${ctx.personality.abi.id} ${registerNumber(ctx, k.number)}), which the kernel implements: strace shows it as an unnamed syscall`,
          { syscall: k.name, related: [tblRelated(ctx, k)], fixes },
        ),
      );
    }
    return out;
  },
};
