// ptrace-redefined: one PTRACE_* name UML defines in two places with two values, both of
// which one build can see: which wins depends on the include order.
import { Finding } from '../../../../core/types';
import type { Rule } from '../../../family';
import { relatedDefine, showValue, together, under as tests, where } from '../model';
import type { PtraceContext } from './mismatch';

const under = (d: Parameters<typeof tests>[0]) => (tests(d) ? ` ${tests(d)}` : '');

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
      related: others.map(relatedDefine),
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
