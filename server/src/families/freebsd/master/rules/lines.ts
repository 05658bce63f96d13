// malformed-line in syscalls.master: entries FreeBSD's generator cannot read, and unknown types.
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { MASTER_TYPES } from '../../../../reference/freebsd/master';
import type { MasterContext } from './context';

const KNOWN = new Set<string>(MASTER_TYPES);
/** The types an entry must have exactly one of. */
const PRIMARY = /^(STD|COMPAT\d*|OBSOL|RESERVED|UNIMPL|NOSTD|NODEF|NOARGS|NOPROTO|SYSMUX)$/;

function lines({ file, model }: MasterContext): Finding[] {
  const out: Finding[] = model.problems.map(p => ({
    file,
    range: p.range,
    severity: 'error' as const,
    code: 'malformed-line' as const,
    message: `${p.message}: FreeBSD's generator stops at this entry, so no sysent, syscall.h or libc stub is made from the file`,
    related: [],
    fixes: [],
  }));
  for (const e of model.entries) {
    e.flags.forEach((f, i) => {
      if (KNOWN.has(f)) return;
      out.push({
        file,
        range: e.ranges.flags[i],
        severity: 'error',
        code: 'malformed-line',
        syscall: e.name,
        message: `entry ${e.number}: \`${f}\` is not a syscalls.master type (${MASTER_TYPES.join(', ')}): FreeBSD's generator rejects the file`,
        related: [],
        fixes: [],
      });
    });
    if (!e.flags.some(f => PRIMARY.test(f)) && e.flags.every(f => KNOWN.has(f)))
      out.push({
        file,
        range: e.ranges.type,
        severity: 'error',
        code: 'malformed-line',
        syscall: e.name,
        message: `entry ${e.number}: the type \`${e.type}\` has only modifiers; it needs one of STD, COMPATn, OBSOL, RESERVED, UNIMPL, NOSTD, NODEF, NOARGS, NOPROTO or SYSMUX`,
        related: [],
        fixes: [],
      });
    const needsProto =
      e.flags.some(f => /^(STD|COMPAT\d*|NOSTD|SYSMUX|NOARGS|NOPROTO)$/.test(f)) && !e.flags.includes('NODEF');
    if (needsProto && !e.proto && !model.problems.some(p => p.line >= e.line && p.line <= e.endLine))
      out.push({
        file,
        range: e.ranges.type,
        severity: 'error',
        code: 'malformed-line',
        syscall: e.name,
        message: `entry ${e.number} is \`${e.type}\` but has no \`{ prototype }\`: the generator cannot make its argument structure or syscall.h line`,
        related: [],
        fixes: [],
      });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line);
}

/** An entry of `syscalls.master` that cannot be read (no audit event or type, a `{` never closed, a prototype that is not `type name(parameters);`), a type word FreeBSD does not know, a type of modifiers only, or a callable type without a prototype, is an error: FreeBSD's generator stops there, and nothing (sysent, syscall.h, libc) is made from the file. */
export const rule: Rule<MasterContext> = {
  codes: ['malformed-line'],
  about:
    "An entry of `syscalls.master` that cannot be read (no audit event or type, a `{` never closed, a prototype that is not `type name(parameters);`), a type word FreeBSD does not know, a type of modifiers only, or a callable type without a prototype, is an error: FreeBSD's generator stops there, and nothing (sysent, syscall.h, libc) is made from the file.",
  run: lines,
};
