// arg-fetch: the switch that fetches o32 words 5-8 from the guest stack.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { O32 } from '../../../../reference/linux/words';
import { CpuLoopContext, edit, finding } from '../context';

export function stackFetches(ctx: CpuLoopContext): Finding[] {
  const m = ctx.model.mips;
  if (!m?.fetches.length) return [];
  const out: Finding[] = [];
  const regs = O32.registers.length;
  const s = O32.stack!;
  for (const f of m.fetches) {
    if (f.offset === undefined || f.count <= regs) continue;
    const want = s.offset + (f.count - regs - 1) * s.step;
    if (f.offset === want) continue;
    out.push(
      finding(
        ctx,
        'arg-fetch',
        'error',
        f.offset_!,
        `\`case ${f.count}:\` fetches the word at sp+${f.offset}, but o32 word ${f.count} is at sp+${want}: the syscall gets the wrong argument`,
        { fixes: [{ title: `Fetch sp+${want}`, preferred: true, edits: [edit(ctx, f.offset_!, String(want))] }] },
      ),
    );
  }
  const most = Math.max(...m.fetches.map(f => f.count));
  const rows = m.rows?.rows ?? [];
  for (const r of rows) {
    if (typeof r.value !== 'number' || r.value <= most) continue;
    const where = m.rowsFile ? ` (${m.rowsFile.split(/[\\/]/).pop()}, slot ${r.number})` : '';
    out.push(
      finding(
        ctx,
        'arg-fetch',
        'error',
        m.fetches.find(f => f.count === most)!.span,
        `${r.name ?? `slot ${r.number}`}${where} needs ${r.value} words, but the switch fetches at most ${most}: ${r.value - most === 1 ? `word ${r.value} never reaches` : `words ${most + 1}-${r.value} never reach`} the syscall`,
      ),
    );
  }
  return out;
}

/** The switch on a row's count that fetches o32 words 5-8 from the guest stack: `case N` must read word N (sp+16 for the fifth, 4 bytes further for each next), and no row of the table may need more words than its highest case fetches. */
export const rule: Rule<CpuLoopContext> = {
  codes: ['arg-fetch'],
  about:
    "The switch on a row's count that fetches o32 words 5-8 from the guest stack: `case N` must read word N (sp+16 for the fifth, 4 bytes further for each next), and no row of the table may need more words than its highest case fetches.",
  run: stackFetches,
};
