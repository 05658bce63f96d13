// ptrace-redefined: one PTRACE_* name UML defines in two places with two values, both of
// which one build can see: which wins depends on the include order.
import { Finding, range } from '../../../../core/types';
import type { Rule } from '../../../family';
import { PtraceDefine, showValue, together } from '../model';
import type { PtraceContext } from './mismatch';

const where = (d: PtraceDefine) => `${d.rel}:${d.define.line + 1}`;
const under = (d: PtraceDefine) => (d.define.conditions.length ? ` under ${d.define.conditions.join(' && ')}` : '');

function redefined(ctx: PtraceContext): Finding[] {
  const out: Finding[] = [];
  for (const m of ctx.mine) {
    if (m.define.number === undefined) continue;
    const others = ctx.all.filter(
      o =>
        o !== m &&
        o.define.macro === m.define.macro &&
        o.define.number !== undefined &&
        o.define.number !== m.define.number &&
        together(m, o),
    );
    if (!others.length) continue;
    out.push({
      file: ctx.file,
      range: m.define.ranges.line,
      severity: 'warning',
      code: 'ptrace-redefined',
      message: `${m.define.macro} is ${showValue(m.define)} here${under(m)}, and ${others
        .map(o => `${showValue(o.define)} at ${where(o)}${under(o)}`)
        .join(', ')}: which one a file gets depends on what it includes first`,
      related: others.map(o => ({
        location: { file: o.file, range: range(o.define.line, 0, o.define.line, 0) },
        message: `${o.define.macro} ${o.define.value} in ${o.rel}`,
      })),
      fixes: [],
      syscall: m.define.macro,
    });
  }
  return out;
}

export const rule: Rule<PtraceContext> = {
  codes: ['ptrace-redefined'],
  about:
    "One PTRACE_* name defined with two values in UML's headers (the files of `ptrace-mismatch`, the document's own lines included), where one build sees both: not i386's and x86_64's own `_32.h`/`_64.h` files, nor two branches of one `#if`. Which value a file gets depends on the order of its includes and `#ifndef` guards; the finding names every other definition. No fix: where one value is the kernel's, `ptrace-mismatch` fixes the other.",
  run: redefined,
};
