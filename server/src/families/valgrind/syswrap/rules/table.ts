// duplicate-entry and nr-mismatch on a wrapper table's rows.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { finding, label, registerNumber, tableNumber, tblRelated } from '../../context';
import { kernelName } from '../../platforms';
import type { SyswrapContext } from '../context';

export const rule: Rule<SyswrapContext> = {
  codes: ['duplicate-entry', 'nr-mismatch'],
  about:
    "Each row `GENXY(__NR_read, sys_read),` is a designated initializer `[__NR_read] = { pre, post }`: a second row for the same number replaces the first without a word from the compiler, so the first wrapper is dead (`duplicate-entry`, at the dead row, with the one that wins). A row whose `__NR_x` the target's number headers do not define does not build (`nr-mismatch`); one whose header gives x another number than the kernel does sits at the wrong slot: valgrind runs that wrapper for whatever syscall the kernel has there, and finds none for x (`nr-mismatch`, with the header's line; the fix belongs in the header, where the number-header check offers it).",
  run(ctx) {
    const b = ctx.build;
    const out: Finding[] = [];
    const winner = new Map<number, (typeof ctx.rows)[number]>();
    for (const r of ctx.rows) {
      const v = b.numbers.byMacro.get(r.macro)?.value;
      if (v !== undefined) winner.set(v, r);
    }
    for (const r of ctx.rows) {
      const d = b.numbers.byMacro.get(r.macro);
      const mineRow = r.file === ctx.file;
      if (!d || d.value === undefined) {
        if (mineRow)
          out.push(
            finding(
              ctx.file,
              'nr-mismatch',
              'error',
              r.ranges.macro,
              `${label(b)}: the number headers (${b.numbers.files.map(f => f.split(/[\\/]/).pop()).join(', ')}) do not define ${r.macro}, so this row does not build`,
              { syscall: r.macro.slice(5) },
            ),
          );
        continue;
      }
      const v = d.value;
      const w = winner.get(v)!;
      if (mineRow && w !== r)
        out.push(
          finding(
            ctx.file,
            'duplicate-entry',
            'warning',
            r.ranges.row,
            `${label(b)}: ${r.macro} (${v}) has a later row, ${w.macro === r.macro ? '' : `${w.macro}, `}${w.wrapper} at line ${w.line + 1}, which replaces this one: ${r.wrapper} never runs here`,
            {
              syscall: r.macro.slice(5),
              related: [{ location: { file: w.file, range: w.ranges.row }, message: 'the row that wins' }],
            },
          ),
        );
      const name = kernelName(r.macro.slice(5));
      const k = b.kernelByName.get(name);
      const n = tableNumber(b, v);
      if (mineRow && k && k.number !== n) {
        const at = b.kernel.get(n);
        out.push(
          finding(
            ctx.file,
            'nr-mismatch',
            'error',
            r.ranges.macro,
            `${label(b)}: ${r.macro} is ${v} in ${d.file.split(/[\\/]/).pop()}, but the kernel's ${name} is ${registerNumber(b, k.number)}: ${r.wrapper} runs for ${at ? `${at.name} calls` : 'a number no guest uses'}, and ${name} calls find no wrapper`,
            {
              syscall: name,
              related: [
                {
                  location: { file: d.file, range: d.define.ranges.line },
                  message: `#define ${r.macro} ${d.define.value}`,
                },
                tblRelated(b, k),
                ...(at ? [tblRelated(b, at)] : []),
              ],
            },
          ),
        );
      }
    }
    return out;
  },
};
