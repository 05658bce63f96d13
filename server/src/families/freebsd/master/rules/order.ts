// out-of-order and duplicate-entry in syscalls.master: numbers must run 0, 1, 2, ... with no
// gap and no repeat, except where `#ifdef` branches give one number once each.
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { alternatives, MasterEntry } from '../../../../reference/freebsd/master';
import type { MasterContext } from './context';

function order({ file, model }: MasterContext): Finding[] {
  const out: Finding[] = [];
  const seen = new Map<number, MasterEntry[]>();
  let next = 0;
  for (const e of model.entries) {
    const earlier = (seen.get(e.number) ?? []).filter(x => !alternatives(x, e));
    if (earlier.length) {
      out.push({
        file,
        range: e.ranges.number,
        severity: 'error',
        code: 'duplicate-entry',
        syscall: e.name,
        message: `${e.number} is given twice (first on line ${earlier[0].line + 1}, ${earlier[0].name ?? earlier[0].type}), outside alternative #ifdef branches: FreeBSD's generator refuses the file, since sysent[] has one slot per number`,
        related: [{ location: { file, range: earlier[0].ranges.number }, message: `${e.number} first given here` }],
        fixes: [],
      });
    } else if ((seen.get(e.number) ?? []).length === 0 && e.number !== next) {
      const gap = e.number > next;
      out.push({
        file,
        range: e.ranges.number,
        severity: gap ? 'warning' : 'error',
        code: 'out-of-order',
        syscall: e.name,
        message: gap
          ? `after ${next - 1} comes ${e.number}: ${next === e.number - 1 ? next : `${next}-${e.number - 1}`} ${e.number - next === 1 ? 'has' : 'have'} no entry; FreeBSD's generator wants every number in order (use RESERVED or UNIMPL for a hole)`
          : `${e.number} comes after ${next - 1}: numbers must ascend, or the generated sysent[] puts syscalls in the wrong slots`,
        related: [],
        fixes: [],
      });
    }
    for (let n = e.number; n <= e.last; n++) seen.set(n, [...(seen.get(n) ?? []), e]);
    next = Math.max(next, e.last + 1);
  }
  return out;
}

/** Numbers in `syscalls.master` must run from 0 with no gap and no repeat, since the generated `sysent[]` has one slot per number in order: a number given twice (outside alternative `#ifdef` branches, as the freebsd32 file's `#ifdef PAD64_REQUIRED` blocks give some) is an error, a number lower than the one before is an error, a gap is a warning (a hole needs a RESERVED or UNIMPL entry). */
export const rule: Rule<MasterContext> = {
  codes: ['out-of-order', 'duplicate-entry'],
  about:
    "Numbers in `syscalls.master` must run from 0 with no gap and no repeat, since the generated `sysent[]` has one slot per number in order: a number given twice (outside alternative `#ifdef` branches, as the freebsd32 file's `#ifdef PAD64_REQUIRED` blocks give some) is an error, a number lower than the one before is an error, a gap is a warning (a hole needs a RESERVED or UNIMPL entry).",
  run: order,
};
