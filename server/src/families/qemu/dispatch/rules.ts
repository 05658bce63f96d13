// syscall.c against the targets: case labels no target defines (dead code), and syscalls a
// target's .tbl defines that syscall.c never dispatches (ENOSYS from QEMU).
import type { Rule } from '../../family';
import { CaseLabel, labelRange } from './labels';
import { lineMap } from '../../../core/text';
import { targetAbis } from '../tree';
import { TargetConfig } from '../syscallhdr';
import { implemented, TblModel } from '../../../reference/linux/tbl';
import { Finding } from '../../../core/types';
import type { Fallthrough } from '../fallthrough';
import { fallthroughFindings } from '../bsdDispatch/rules';

export function caseFindings(file: string, text: string, labels: CaseLabel[], defined: Set<string>): Finding[] {
  const unknown = labels.filter(l => !defined.has(l.name));
  const map = unknown.length ? lineMap(text) : undefined;
  return unknown.map(l => ({
    file,
    range: labelRange(map!, l),
    severity: 'warning' as const,
    code: 'dead-case' as const,
    syscall: l.name,
    related: [],
    fixes: [],
    message: `case TARGET_NR_${l.name}: no target defines TARGET_NR_${l.name} (in its .tbl or syscall_nr.h), so this case is dead code`,
  }));
}

/**
 * Information on each `.tbl` line a target selects that has no case in syscall.c; lines
 * the kernel itself no longer implements (`kernelNi`: "number/name") are left out.
 */
export function notDispatched(
  model: TblModel,
  targets: TargetConfig[],
  dispatched: Set<string>,
  syscallC: string,
  kernelNi = new Set<string>(),
): Finding[] {
  const abis = new Set(targets.flatMap(targetAbis));
  const names = targets.map(t => t.target).join(', ');
  return model.entries
    .filter(
      e => abis.has(e.abi) && implemented(e.entry) && !kernelNi.has(`${e.number}/${e.name}`) && !dispatched.has(e.name),
    )
    .map(e => ({
      file: model.file,
      range: e.ranges.name,
      severity: 'information' as const,
      code: 'not-dispatched' as const,
      syscall: e.name,
      message: `${e.name} has no case TARGET_NR_${e.name} in linux-user/syscall.c: ${names} guests calling it get ENOSYS`,
      related: [
        {
          location: { file: syscallC, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
          message: 'linux-user/syscall.c',
        },
      ],
      fixes: [],
    }));
}

/** A `case TARGET_NR_x:` in `linux-user/syscall.c` whose name no target defines (in its `.tbl`, as `syscallhdr.sh` names it, or in a hand-written `syscall_nr.h`) is dead code: the `#ifdef` around it is never true, so the syscall it was written for is answered with ENOSYS. Usually a misspelt name. */
export const deadCase: Rule<{ file: string; text: string; labels: CaseLabel[]; defined: Set<string> }> = {
  codes: ['dead-case'],
  about:
    'A `case TARGET_NR_x:` in `linux-user/syscall.c` whose name no target defines (in its `.tbl`, as `syscallhdr.sh` names it, or in a hand-written `syscall_nr.h`) is dead code: the `#ifdef` around it is never true, so the syscall it was written for is answered with ENOSYS. Usually a misspelt name.',
  run: c => caseFindings(c.file, c.text, c.labels, c.defined),
};

/** Each line of a QEMU `.tbl` copy that a target selects (by its `TARGET_SYSTBL_ABI`) and that `syscall.c` has no `case` for: guests of those targets get ENOSYS. Lines the kernel itself does not implement are left out. Information, since some are left out on purpose. */
export const notDispatchedRule: Rule<{
  model: TblModel;
  targets: TargetConfig[];
  dispatched: Set<string>;
  syscallC: string;
  kernelNi: Set<string>;
}> = {
  codes: ['not-dispatched'],
  about:
    'Each line of a QEMU `.tbl` copy that a target selects (by its `TARGET_SYSTBL_ABI`) and that `syscall.c` has no `case` for: guests of those targets get ENOSYS. Lines the kernel itself does not implement are left out. Information, since some are left out on purpose.',
  run: c => notDispatched(c.model, c.targets, c.dispatched, c.syscallC, c.kernelNi),
};

/** A `case TARGET_NR_x:` in `linux-user/syscall.c` whose last statement neither breaks, returns nor jumps runs on into the next syscall's case: the guest's call does both syscalls' work and gets the second one's result. Labels that share one body and an explicit fallthrough (a comment saying so, `fallthrough;`, `QEMU_FALLTHROUGH;`) are fine; a body that ends in an `#if` block or a loop is not judged. */
export const fallthroughRule: Rule<{ file: string; text: string; falls: Fallthrough[] }> = {
  codes: ['case-fallthrough'],
  about:
    "A `case TARGET_NR_x:` in `linux-user/syscall.c` whose last statement neither breaks, returns nor jumps runs on into the next syscall's case: the guest's call does both syscalls' work and gets the second one's result. Labels that share one body and an explicit fallthrough (a comment saying so, `fallthrough;`, `QEMU_FALLTHROUGH;`) are fine; a body that ends in an `#if` block or a loop is not judged.",
  run: c => fallthroughFindings(c.file, c.text, c.falls, 'TARGET_NR_'),
};
