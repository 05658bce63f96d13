// ptrace-mismatch: a UML private PTRACE_* constant whose value is not the host kernel's.
import { Finding } from '../../../../core/types';
import type { Rule } from '../../../family';
import { PtraceDefine, relatedDefine, showValue, under, where } from '../model';

export interface PtraceContext {
  file: string;
  /** The PTRACE_* defines of the document. */
  mine: PtraceDefine[];
  /** Every UML file's PTRACE_* defines, the document's included. */
  all: PtraceDefine[];
  /** The uapi definitions by name. */
  uapi: Map<string, PtraceDefine>;
}

function mismatch(ctx: PtraceContext): Finding[] {
  const out: Finding[] = [];
  for (const m of ctx.mine) {
    const u = ctx.uapi.get(m.define.macro);
    if (!u || m.define.number === undefined || m.define.number === u.define.number) continue;
    const other = [...ctx.uapi.values()].find(o => o.define.number === m.define.number);
    const instead = other ? `, but ${other.define.macro} (${where(other)})` : '';
    out.push({
      file: ctx.file,
      range: m.define.ranges.value,
      severity: 'warning',
      code: 'ptrace-mismatch',
      message: `${m.define.macro} is ${showValue(m.define)} here${under(m) && ` (${under(m)})`}, but the kernel's ${where(u)} defines it as ${showValue(u.define)}: so the requests UML makes with it are not ${m.define.macro}${instead}`,
      related: [relatedDefine(u)],
      fixes: [
        {
          title: `Set ${m.define.macro} to ${u.define.value} (${u.rel})`,
          preferred: true,
          edits: [{ range: m.define.ranges.value, newText: u.define.value }],
        },
      ],
      syscall: m.define.macro,
    });
  }
  return out;
}

export const rule: Rule<PtraceContext> = {
  codes: ['ptrace-mismatch'],
  about:
    "User-mode Linux drives its guests through the host's ptrace and defines the requests it needs itself when the host's C library lacks them (`PTRACE_SYSEMU`, `PTRACE_SYSEMU_SINGLESTEP`, `PTRACE_OLDSETOPTIONS`, `PTRACE_GET_THREAD_AREA`, ... in `arch/um/include/shared/ptrace_user.h`, `arch/um/include/asm/ptrace-generic.h`, `arch/x86/um/shared/sysdep/`, `arch/x86/um/os-Linux/tls.c`). Each value, evaluated with the uapi names it uses, is compared with `include/uapi/linux/ptrace.h` and `arch/x86/include/uapi/asm/ptrace-abi.h` in the same tree; the fix writes the uapi value in place.",
  run: mismatch,
};
