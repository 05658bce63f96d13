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
import { protoLocation } from '../../../reference/reference';
import type { KernelReference } from '../../../reference/reference';
import { signature } from '../../../reference/linux/need';
import { layoutText, PairMisread } from './pairs';

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

/** One finding per syscall whose case misreads a 64-bit argument on some target, with each ABI's words. */
export function pairFindings(
  file: string,
  text: string,
  misreads: PairMisread[],
  ref: KernelReference,
  dispatched: Set<string>,
): Finding[] {
  const map = misreads.length ? lineMap(text) : undefined;
  const byName = new Map<string, PairMisread[]>();
  for (const m of misreads) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  return [...byName].map(([name, ms]) => {
    const abis = new Map<string, PairMisread[]>();
    for (const m of ms) abis.set(m.abi.id, [...(abis.get(m.abi.id) ?? []), m]);
    const first = ms[0];
    const wrong = first.uses.filter(u => u.read && (u.read[0] !== u.want[0] || u.read[1] !== u.want[1]));
    const how = wrong
      .map(
        u =>
          `reads ${u.param} from arg${u.read![0]}/arg${u.read![1]} where the kernel passes it in arg${u.want[0]}/arg${u.want[1]}`,
      )
      .join(', and ');
    const padded = wrong.some(u => first.side.words[u.want[0] - 2]?.part === 'pad');
    const where = [...abis.keys()].join(', ');
    let remedy: string;
    if (first.kernelName)
      remedy = dispatched.has(first.kernelName)
        ? `the kernel has ${first.kernelName} at that number on ${where}: the target's header should name it so, and syscall.c's case TARGET_NR_${first.kernelName} would read it`
        : `the kernel has ${first.kernelName} at that number on ${where}: the target's header names it otherwise`;
    else
      remedy = padded
        ? `on ${where} a 64-bit argument starts on an even word: test regpairs_aligned(cpu_env, num) and move the pair down a word (as pread64's case does), or read the shifted pair under an #if for those targets`
        : `read the words the kernel's prototype has on ${where}`;
    const related = [...abis].map(([id, list]) => ({
      location: protoLocation(ref, list[0].side.proto),
      message: `${id} (${list.map(m => m.target).join(', ')}): ${signature(list[0].side.proto)}: ${layoutText(list[0].side, list[0].abi)}`,
    }));
    return {
      file,
      range: labelRange(map!, first.label),
      severity: 'error' as const,
      code: 'unaligned-pair' as const,
      syscall: name,
      message: `case TARGET_NR_${name}: on ${where} this case ${how}; ${remedy}`,
      related,
      fixes: [],
    };
  });
}

/** A `case TARGET_NR_x:` for a syscall whose kernel prototype, on a 32-bit ABI that aligns 64-bit arguments to an even word (o32, ARM EABI, PPC32, Xtensa, Hexagon: those for which QEMU's `regpairs_aligned()` is true), has a 64-bit scalar (after a padding word where it would start on an odd word), but reads it from other words: the syscall gets the padding and half the value, or another argument. Where a hand-written header names the number otherwise than the kernel, the kernel's syscall at that number gives the words (QEMU 7.2's hexagon 84: `sync_file_range` in the header, sync_file_range2 in the kernel). The case is read as each target's preprocessor sees it (its `configs/targets` macros, `TARGET_ABI_BITS`, the names its header defines; host `CONFIG_*` features present): `target_offset64(argA, argB)` after the assignments before it (the shift under `if (regpairs_aligned(cpu_env, num))`, an `#if` for those targets), through helpers it calls (`target_truncate64()`). One finding per syscall; related information gives each affected ABI's prototype and words. */
export const pairRule: Rule<{
  file: string;
  text: string;
  misreads: PairMisread[];
  ref: KernelReference;
  dispatched: Set<string>;
}> = {
  codes: ['unaligned-pair'],
  about:
    "A `case TARGET_NR_x:` for a syscall whose kernel prototype, on a 32-bit ABI that aligns 64-bit arguments to an even word (o32, ARM EABI, PPC32, Xtensa, Hexagon: those for which QEMU's `regpairs_aligned()` is true), has a 64-bit scalar (after a padding word where it would start on an odd word), but reads it from other words: the syscall gets the padding and half the value, or another argument. Where a hand-written header names the number otherwise than the kernel, the kernel's syscall at that number gives the words (QEMU 7.2's hexagon 84: `sync_file_range` in the header, sync_file_range2 in the kernel). The case is read as each target's preprocessor sees it (its `configs/targets` macros, `TARGET_ABI_BITS`, the names its header defines; host `CONFIG_*` features present): `target_offset64(argA, argB)` after the assignments before it (the shift under `if (regpairs_aligned(cpu_env, num))`, an `#if` for those targets), through helpers it calls (`target_truncate64()`). One finding per syscall; related information gives each affected ABI's prototype and words.",
  run: c => pairFindings(c.file, c.text, c.misreads, c.ref, c.dispatched),
};
