// duplicate-entry: a row a later row for the same index silently replaces.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { finding, StraceContext } from '../context';

export const rule: Rule<StraceContext> = {
  codes: ['duplicate-entry'],
  about:
    "The tables are C designated initializers: a later row for an index replaces an earlier one without a word from the compiler (no -Woverride-init in strace's build), so the earlier row, often in another included piece, is dead and whoever edits it changes nothing. Reported at the earlier row, with the one that wins as related information; the fix deletes the dead row.",
  run(ctx) {
    const out: Finding[] = [];
    const rows = ctx.build.rows;
    const winner = new Map<number, number>();
    rows.forEach((r, i) => {
      for (let n = r.index; n <= r.last && n - r.index < 4096; n++) winner.set(n, i);
    });
    rows.forEach((r, i) => {
      if (r.file !== ctx.file) return;
      const later = [
        ...new Set(Array.from({ length: Math.min(r.last - r.index + 1, 4096) }, (_, k) => winner.get(r.index + k)!)),
      ].filter(j => j !== i);
      if (!later.length) return;
      const w = rows[later[0]];
      const whole = later.length === 1 && w.index <= r.index && w.last >= r.last;
      out.push(
        finding(
          ctx,
          'duplicate-entry',
          'warning',
          r.ranges.row,
          `${r.index === r.last ? `index ${r.index}` : `indices ${r.index}-${r.last}`}${r.name ? ` (${r.name})` : ''} ${whole ? 'is' : 'are partly'} replaced by the later row${w.name ? ` for ${w.name}` : ''} at ${w.file === ctx.file ? '' : `${w.file.split('/').slice(-2).join('/')}:`}${w.line + 1} on ${ctx.personality.abi.id}: this row is dead`,
          {
            syscall: r.name,
            related: [{ location: { file: w.file, range: w.ranges.row }, message: 'the row that wins' }],
            fixes: whole
              ? [
                  {
                    title: 'Delete the dead row',
                    preferred: false,
                    edits: [
                      {
                        range: { start: { line: r.line, character: 0 }, end: { line: r.line + 1, character: 0 } },
                        newText: '',
                      },
                    ],
                  },
                ]
              : [],
          },
        ),
      );
    });
    return out;
  },
};
