// copy-drift for x86's generated headers: tools/arch/x86/include/uapi/asm/unistd_{32,64}.h
// copy a few `#define __NR_x N` of a header the build writes from the `.tbl` (the source
// tree has no such file), so their numbers are checked against that `.tbl` itself.
import { Finding, range } from '../../../../core/types';
import type { TblModel } from '../../../../reference/linux/tbl';
import type { Rule } from '../../../family';
import type { HeaderModel } from '../model';

export interface NumbersContext {
  copy: HeaderModel;
  table: TblModel;
  /** The table's path relative to the tree's root, and the ABI tags the header is written from. */
  rel: string;
  tags: readonly string[];
}

function numbers(ctx: NumbersContext): Finding[] {
  const byName = new Map(ctx.table.entries.filter(e => ctx.tags.includes(e.abi)).map(e => [e.name, e] as const));
  const out: Finding[] = [];
  for (const l of ctx.copy.lines) {
    if (l.item.kind !== 'define' || !l.item.define.macro.startsWith('__NR_')) continue;
    const d = l.item.define;
    const name = d.macro.slice('__NR_'.length);
    const e = byName.get(name);
    const abis = ctx.tags.join('/');
    if (!e) {
      out.push({
        file: ctx.copy.file,
        range: d.ranges.macro,
        severity: 'warning',
        code: 'copy-drift',
        message: `${name} has no ${abis} line in ${ctx.rel}, from which the build writes the header this copies`,
        related: [],
        fixes: [],
        syscall: name,
      });
      continue;
    }
    if (d.number === e.number) continue;
    out.push({
      file: ctx.copy.file,
      range: d.ranges.value,
      severity: 'warning',
      code: 'copy-drift',
      message: `${d.macro} is ${d.value} here, but ${ctx.rel} numbers ${name} ${e.number}`,
      related: [
        {
          location: { file: ctx.table.file, range: range(e.line, 0, e.line, 0) },
          message: `${e.number} ${e.abi} ${e.name} in ${ctx.rel}`,
        },
      ],
      fixes: [
        {
          title: `Set ${d.macro} to ${e.number}`,
          preferred: true,
          edits: [{ range: d.ranges.value, newText: String(e.number) }],
        },
      ],
      syscall: name,
    });
  }
  return out;
}

export const rule: Rule<NumbersContext> = {
  codes: ['copy-drift'],
  about:
    "x86's `tools/arch/x86/include/uapi/asm/unistd_{32,64}.h` copy a few numbers of the headers the kernel's build writes from `arch/x86/entry/syscalls/syscall_{32,64}.tbl`, which the source tree does not hold: each `#define __NR_x N` is checked against the `.tbl` lines of the header's ABI (`i386`; `common` and `64`), a wrong number fixed in place, a name the table lacks reported.",
  run: numbers,
};
