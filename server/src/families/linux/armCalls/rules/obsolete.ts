// eabi-obsolete-mismatch: calls.S's OBSOLETE() rows against the names unistd.h takes away
// from EABI user space.
import type { Finding } from '../../../../core/types';
import type { Rule } from '../../../family';
import { NI } from '../../../../reference/linux/armCalls';
import { ArmContext, defineRelated, finding, onCalls, onHeader, rowRelated } from '../context';
import { shiftOf } from '../model';

export const rule: Rule<ArmContext> = {
  codes: ['eabi-obsolete-mismatch'],
  about:
    "An EABI kernel builds every `OBSOLETE(x)` row of calls.S as sys_ni_syscall (x stays on the OABI table), and unistd.h `#undef`s those syscalls' names for EABI user space (under `__ARM_EABI__`, outside `__KERNEL__`). The two lists must be the same: an OBSOLETE row whose name EABI programs still see is a number they can call and that always fails with ENOSYS; a name taken away whose row is not OBSOLETE is a syscall the EABI kernel has and its programs cannot name.",
  run(ctx) {
    const m = ctx.model;
    const h = m.numbers;
    const calls = m.calls;
    if (!h || !calls || !h.unistd.eabi) return [];
    const undefs = h.unistd.eabiUndefs;
    if (!undefs.length && !calls.rows.some(r => r.obsolete)) return [];
    const out: Finding[] = [];
    const gone = new Set(undefs.map(u => u.name));
    // Rows out of place are row-misnumbered: their names here say nothing.
    const placed = (v: (typeof m.views)[number] | undefined) => !!v && !shiftOf(m, v.row) && !m.strays.includes(v);
    if (onCalls(ctx))
      for (const v of m.views) {
        if (!v.row.obsolete || !placed(v) || !v.here.length || v.here.some(d => gone.has(d.name))) continue;
        const d = v.here[0];
        out.push(
          finding(
            ctx.file,
            'eabi-obsolete-mismatch',
            'warning',
            v.row.ranges.call,
            `${v.row.call} is sys_ni_syscall on an EABI kernel, but ${h.rel} keeps ${d.macro} for EABI programs (it is not #undef'd under __ARM_EABI__): their ${d.name} calls get ENOSYS`,
            {
              related: [
                defineRelated(h, d),
                ...(undefs.length
                  ? [{ location: { file: h.file, range: undefs[0].range }, message: `${h.rel}: the EABI #undef list` }]
                  : []),
              ],
              syscall: d.name,
            },
          ),
        );
      }
    if (onHeader(ctx, h))
      for (const u of undefs) {
        const d = h.unistd.numbers.find(x => x.name === u.name);
        const v = d && m.views[d.number];
        const message = !d
          ? `#undef __NR_${u.name}: this header defines no __NR_${u.name}`
          : v && placed(v) && !v.row.obsolete && v.row.entry !== NI
            ? `EABI programs lose __NR_${u.name}, but calls.S's row ${d.number} (${v.row.call}) is not OBSOLETE: the EABI kernel has ${u.name} and its programs cannot name it`
            : undefined;
        if (message)
          out.push(
            finding(ctx.file, 'eabi-obsolete-mismatch', 'warning', u.range, message, {
              related: v ? [rowRelated(m, v.row)] : [],
              syscall: u.name,
            }),
          );
      }
    return out;
  },
};
