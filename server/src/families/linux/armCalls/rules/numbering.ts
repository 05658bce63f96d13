// row-misnumbered and marker-mismatch: where each calls.S row's witnesses (its position,
// its /* N */ marker, its syscall's number in unistd.h) disagree.
import type { Finding, Related } from '../../../../core/types';
import type { Rule } from '../../../family';
import { NI } from '../../../../reference/linux/armCalls';
import { ArmContext, defineRelated, finding, onCalls, onHeader, plural, rowRelated, rowsRange } from '../context';
import { rowName, shiftOf } from '../model';

export const rule: Rule<ArmContext> = {
  codes: ['row-misnumbered', 'marker-mismatch'],
  about:
    "calls.S numbers its rows by position alone: row N is syscall N, `__NR_SYSCALL_BASE+N` in unistd.h, and a `/* N */` marker every few rows says so. A row inserted without renumbering moves every later row one place on, so each of those syscalls runs the function of the one before it; entry-common.S pads the table to a multiple of four, so its own size check (`__NR_syscalls`) often still passes. The check compares each row's syscall with the names unistd.h gives its number, and with its marker: a run of rows displaced alike is one `row-misnumbered` where it starts (the inserted or missing row); a row whose syscall unistd.h numbers elsewhere while its own number is free there is a wrong number in unistd.h (`row-misnumbered` on the define, with a fix to the row's number); a marker that disagrees with a row in place is `marker-mismatch`, fixed to the row's number.",
  run(ctx) {
    const m = ctx.model;
    const out: Finding[] = [];
    const h = m.numbers;
    if (onCalls(ctx)) {
      for (const s of m.shifts) {
        const first = s.rows[0].row;
        const last = s.rows[s.rows.length - 1].row;
        const k = Math.abs(s.off);
        const witness = s.rows[0].by === 'unistd' && h ? `unistd.h (${h.rel})` : 'their /* N */ markers';
        const related: Related[] = s.rows.slice(0, 3).map(v =>
          v.evidence && h
            ? defineRelated(h, v.evidence)
            : {
                location: { file: m.callsFile, range: v.row.marker?.range ?? v.row.ranges.row },
                message: `calls.S: row ${v.row.number} is marked ${v.row.marker?.number}`,
              },
        );
        const span = `from row ${first.number} (${first.call}) to row ${last.number} (${last.call})`;
        const message =
          s.off < 0
            ? `${k === 1 ? 'a row' : `${k} rows`} inserted here without renumbering: the rows ${span} are each ${plural(k, 'place')} past the numbers ${witness} give them, so each of those syscalls runs the function of the one ${k === 1 ? 'before it' : `${k} before it`}`
            : `${plural(k, 'row')} missing before here: the rows ${span} are each ${plural(k, 'place')} before the numbers ${witness} give them, so each of those syscalls runs the function of the one after it`;
        out.push(
          finding(ctx.file, 'row-misnumbered', 'error', rowsRange(s.suspects), message, {
            related,
            syscall: first.entry,
          }),
        );
      }
    }
    for (const v of m.strays) {
      if (v.by !== 'unistd' || !v.evidence || !h) continue;
      const d = v.evidence;
      if (!v.here.length) {
        // The row's own number is free in unistd.h: the define is what moved.
        if (!onHeader(ctx, h)) continue;
        // Certain when the row's marker agrees with its place, and the define's number
        // holds no row of its own (none, sys_ni_syscall, or one in place for another name).
        const at = m.views[d.number];
        const certain =
          (!v.row.marker || v.row.marker.number === v.row.number) && (!at || at.row.entry === NI || at.off === 0);
        out.push(
          finding(
            ctx.file,
            'row-misnumbered',
            'error',
            d.ranges.number ?? d.ranges.value,
            `${d.macro} is __NR_SYSCALL_BASE+${d.number}, but calls.S calls ${v.row.call} at row ${v.row.number}, where unistd.h has no number: user space calling ${d.name} gets ${m.views[d.number] ? `row ${d.number}, ${m.views[d.number].row.call},` : 'ENOSYS'} instead`,
            {
              related: [rowRelated(m, v.row)],
              syscall: d.name,
              fixes: d.ranges.number
                ? [
                    {
                      title: `Make ${d.macro} __NR_SYSCALL_BASE+${v.row.number}`,
                      preferred: certain,
                      edits: [{ range: d.ranges.number, newText: String(v.row.number) }],
                    },
                  ]
                : [],
            },
          ),
        );
      } else if (onCalls(ctx)) {
        out.push(
          finding(
            ctx.file,
            'row-misnumbered',
            'error',
            v.row.ranges.call,
            `row ${v.row.number} calls ${v.row.call}, which unistd.h numbers ${d.number} (${d.macro}); unistd.h's ${v.row.number} is ${v.here.map(x => x.name).join(', ')}`,
            { related: [defineRelated(h, d), ...v.here.map(x => defineRelated(h, x))], syscall: d.name },
          ),
        );
      }
    }
    if (!onCalls(ctx)) return out;
    for (const v of m.views) {
      const mk = v.row.marker;
      if (!mk || mk.number === v.row.number) continue;
      const s = shiftOf(m, v.row);
      if (s && (s.suspects.includes(v.row) || mk.number - v.row.number === s.off)) continue;
      const certain = v.off === 0 || (v.by === 'marker' && m.strays.includes(v));
      out.push(
        finding(
          ctx.file,
          'marker-mismatch',
          'warning',
          mk.range,
          `this marker says ${mk.number}, but the row is number ${v.row.number} (${rowName(m, v)})${v.off === 0 && h ? `, as unistd.h says` : ''}`,
          {
            syscall: rowName(m, v),
            fixes: [
              {
                title: `Mark the row ${v.row.number}`,
                preferred: certain,
                edits: [{ range: mk.range, newText: String(v.row.number) }],
              },
            ],
          },
        ),
      );
    }
    return out;
  },
};
