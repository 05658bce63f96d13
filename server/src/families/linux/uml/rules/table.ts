// uml-override, uml-enosys and uml-unlinkable on UML's table file: each `#define` that makes a
// host entry `sys_ni_syscall` or another symbol, and each host entry UML leaves ENOSYS or
// cannot link, at the `#include` that turns the host's lines into UML's table.
import type { Rule } from '../../../family';
import { Finding, makeFinding, range, Related } from '../../../../core/types';
import { protoLocation } from '../../../../reference/reference';
import { UmlContext } from '../context';
import { SYS_NI } from '../tree';

export function tblRelated(ctx: UmlContext, l: UmlContext['lines'][number]): Related[] {
  const out: Related[] = [
    {
      location: { file: ctx.abs(ctx.table.tbl), range: range(l.entry.line, 0, l.entry.line, 0) },
      message: `${l.entry.number} ${l.entry.name} in ${ctx.table.tbl}`,
    },
  ];
  for (const p of [...l.defs, ...l.elsewhere].slice(0, 3))
    out.push({ location: protoLocation(ctx.ref, p), message: `${p.entry} (${p.kind})` });
  if (l.cond !== undefined)
    out.push({ location: { file: ctx.abs(SYS_NI), range: range(l.cond, 0, l.cond, 0) }, message: 'COND_SYSCALL' });
  return out;
}

function table(ctx: UmlContext): Finding[] {
  const out: Finding[] = [];
  const file = ctx.file.file;
  const where = ctx.file.includes[ctx.file.includes.length - 1]?.range ?? range(0, 0, 0, 0);
  for (const o of ctx.file.overrides) {
    const hits = ctx.lines.filter(l => l.overrides[0] === o);
    if (!hits.length) continue;
    const enosys = o.to === 'sys_ni_syscall';
    out.push(
      makeFinding(
        file,
        'uml-override',
        'information',
        o.ranges.line,
        `${hits.map(l => `${l.entry.number} ${l.entry.name}`).join(', ')}: UML ${enosys ? 'gives the guest ENOSYS' : `links ${o.to}`} instead of ${o.from}${o.why ? ` (“${o.why}”)` : ''}`,
        { related: hits.map(l => tblRelated(ctx, l)[0]), syscall: hits[0].entry.name },
      ),
    );
  }
  for (const l of ctx.lines) {
    if (l.status !== 'enosys' && l.status !== 'unlinkable') continue;
    out.push(
      makeFinding(
        file,
        l.status === 'enosys' ? 'uml-enosys' : 'uml-unlinkable',
        l.status === 'enosys' ? 'information' : 'error',
        where,
        `${l.entry.number} ${l.entry.name} (${ctx.table.tbl}:${l.entry.line + 1}): ${l.why}`,
        { related: tblRelated(ctx, l), syscall: l.entry.name },
      ),
    );
  }
  return out;
}

/** On `arch/x86/um/sys_call_table_{32,64}.c`: every `#define` that renames a host entry (`sys_iopl` to `sys_ni_syscall`: UML has no I/O ports) with the `.tbl` lines it changes; every host entry nothing UML builds defines, which kernel/sys_ni.c's weak `COND_SYSCALL` alias turns into ENOSYS (x86's `modify_ldt`, `uretprobe`, `map_shadow_stack` in Linux 6.12, each with the x86 file and option that would build it); and, as an error, every entry UML's link cannot resolve: a pt_regs wrapper spelling such as 4.17-5.6's `__x64_sys_*` where the generator does not strip it, or a name nothing defines. */
export const rule: Rule<UmlContext> = {
  codes: ['uml-override', 'uml-enosys', 'uml-unlinkable'],
  about:
    "On `arch/x86/um/sys_call_table_{32,64}.c`: every `#define` that renames a host entry (`sys_iopl` to `sys_ni_syscall`: UML has no I/O ports) with the `.tbl` lines it changes; every host entry nothing UML builds defines, which kernel/sys_ni.c's weak `COND_SYSCALL` alias turns into ENOSYS (x86's `modify_ldt`, `uretprobe`, `map_shadow_stack` in Linux 6.12, each with the x86 file and option that would build it); and, as an error, every entry UML's link cannot resolve: a pt_regs wrapper spelling such as 4.17-5.6's `__x64_sys_*` where the generator does not strip it, or a name nothing defines.",
  run: table,
};
