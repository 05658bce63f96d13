// nr-mismatch and name-mismatch in bsd-user's syscall_nr.h: each define against FreeBSD's
// syscall.h, and TARGET_FREEBSD_NR_MAXSYSCALL against SYS_MAXSYSCALL.
import type { Rule } from '../../../family';
import { Finding, Fix } from '../../../../core/types';
import { renderLine, renderMax } from '../../../../reference/freebsd/header';
import { kindOf } from '../../../../reference/freebsd/master';
import { lineRange } from '../model';
import { plan } from '../plan';
import { BsdNrContext, masterAt } from './context';

const WHAT: Record<string, string> = {
  reserved: 'reserved (for local or vendor use)',
  unimplemented: 'not implemented',
  nodef: 'a slot for a loadable module (lkmnosys)',
};

function numbers({ file, model, ref }: BsdNrContext): Finding[] {
  const out: Finding[] = [];
  const P = model.style.prefix;
  const line = (name: string, number: number) => renderLine({ kind: 'define', name, number }, model.style);
  const replace = (n: number, text: string) => [{ range: lineRange(model.map, n), newText: text }];
  for (const [d, p] of plan(model, ref)) {
    if (p.kind === 'ok') continue;
    if (p.kind === 'renumbered') {
      const { want, at } = p;
      const setNr: Fix = {
        title: `Set ${d.macro} to ${want.number}`,
        preferred: !p.rename,
        edits: replace(d.line, line(d.name, want.number)),
      };
      const fixes: Fix[] = p.rename
        ? [
            {
              title: `Rename to ${P}${p.rename} (FreeBSD's ${d.number})`,
              preferred: true,
              edits: replace(d.line, line(p.rename, d.number!)),
            },
            setNr,
          ]
        : [setNr];
      const atText = at
        ? at.kind === 'define'
          ? `${d.number} is ${at.name} there${p.rename ? ' (the old ABI, kept for binaries built before the change)' : ''}`
          : `${d.number} is only the comment "${d.number} is ${at.name}" there`
        : `FreeBSD has nothing callable at ${d.number}`;
      out.push({
        file,
        range: d.ranges.value,
        severity: 'error',
        code: 'nr-mismatch',
        syscall: d.name,
        message: `${d.macro} is ${d.number}, but FreeBSD's ${d.name} is ${want.number} (${ref.label}); ${atText}: a guest's ${d.name}(2) traps with ${want.number}, which QEMU does not know (ENOSYS), and QEMU treats ${d.number} as the current ${d.name}`,
        related: [
          masterAt(ref, want.entry.line, `${want.number} ${want.name} in syscalls.master`),
          ...(at ? [masterAt(ref, at.entry.line, `${d.number}: ${at.entry.type} ${at.base}`)] : []),
        ],
        fixes,
      });
    } else if (p.kind === 'renamed') {
      const { at } = p;
      const alias = model.defines.some(x => x !== d && x.name === at.name);
      const compat = at.name === `freebsd${at.name.replace(/^freebsd(\d+)_.*$/, '$1')}_${d.name}`;
      const live = ref.live(d.name);
      out.push({
        file,
        range: d.ranges.name,
        severity: 'warning',
        code: 'name-mismatch',
        syscall: d.name,
        message: compat
          ? `${d.macro} (${d.number}): FreeBSD's ${d.number} is ${at.name}, the ${at.entry.type.split('|')[0]} call kept for old binaries; ${live ? `the current ${d.name} is ${live.number}` : `FreeBSD has no current ${d.name}`}, so code written for ${d.name} here serves the old ABI`
          : `${d.macro} (${d.number}): FreeBSD has no ${d.name}; its ${d.number} is ${at.name}, so a case for ${d.macro} in os-syscall.c runs for ${at.name} calls`,
        related: [masterAt(ref, at.entry.line, `${d.number} ${at.name} in syscalls.master`)],
        fixes: alias
          ? []
          : [{ title: `Rename to ${P}${at.name}`, preferred: true, edits: replace(d.line, line(at.name, d.number!)) }],
      });
    } else if (p.kind === 'retired') {
      const { at } = p;
      out.push({
        file,
        range: d.ranges.name,
        severity: 'information',
        code: 'name-mismatch',
        syscall: d.name,
        message: `${d.macro} (${d.number}): FreeBSD's syscall.h has only "/* ${d.number} is ${at.name} */" here: the kernel no longer offers ${d.name}${at.entry.type.startsWith('OBSOL') ? '' : ' to new programs (only binaries built for old releases reach it)'}, so nothing should be written for it`,
        related: [masterAt(ref, at.entry.line, `${d.number}: ${at.entry.type} ${at.base}`)],
        fixes: [
          {
            title: `Replace with the comment "${d.number} is ${at.name}"`,
            preferred: true,
            edits: replace(d.line, renderLine({ kind: 'comment', name: at.name, number: d.number! }, model.style)),
          },
        ],
      });
    } else {
      const e = ref.at(d.number!);
      const what = e ? (WHAT[kindOf(e)] ?? e.type) : `past FreeBSD's last syscall (${ref.maxSyscall() - 1})`;
      out.push({
        file,
        range: d.ranges.name,
        severity: 'warning',
        code: 'name-mismatch',
        syscall: d.name,
        message: `${d.macro} (${d.number}): FreeBSD has no ${d.name}, and ${d.number} is ${what}: no FreeBSD program makes this call`,
        related: e ? [masterAt(ref, e.line, `${d.number}: ${e.type}`)] : [],
        fixes: [],
      });
    }
  }
  const max = ref.maxSyscall();
  if (model.max && model.max.number !== undefined && model.max.number !== max) {
    const last = ref.syscalls()[ref.syscalls().length - 1];
    out.push({
      file,
      range: model.max.ranges.value,
      severity: 'warning',
      code: 'nr-mismatch',
      syscall: 'MAXSYSCALL',
      message: `${model.max.macro} is ${model.max.number}, but FreeBSD's SYS_MAXSYSCALL is ${max} (its last syscall is ${last?.number} ${last?.name}): code that bounds a syscall number by it ${model.max.number < max ? `rejects ${model.max.number}..${max - 1}` : 'accepts numbers FreeBSD does not have'}`,
      related: last ? [masterAt(ref, last.line, `${last.number} ${last.name}, the last entry`)] : [],
      fixes: [
        {
          title: `Set ${model.max.macro} to ${max}`,
          preferred: true,
          edits: replace(model.max.line, renderMax(max, model.style)),
        },
      ],
    });
  }
  return out;
}

/** Each `TARGET_FREEBSD_NR_x` against FreeBSD's syscall.h. A name FreeBSD has at another number is an error: the guest traps with FreeBSD's number, which QEMU does not know (when FreeBSD kept the old number as a `freebsdN_` compat call, as it did for swapoff, the fix renames the define to that compat name and the missing rule adds the current one; else it sets the number). A name FreeBSD does not have, at a number where it has another syscall, is a warning (the fix renames it); a number FreeBSD keeps only as a comment (obsolete, or compat for old binaries) is information (the fix writes that comment). A stale MAXSYSCALL is a warning. */
export const rule: Rule<BsdNrContext> = {
  codes: ['nr-mismatch', 'name-mismatch'],
  about:
    "Each `TARGET_FREEBSD_NR_x` against FreeBSD's syscall.h. A name FreeBSD has at another number is an error: the guest traps with FreeBSD's number, which QEMU does not know (when FreeBSD kept the old number as a `freebsdN_` compat call, as it did for swapoff, the fix renames the define to that compat name and the missing rule adds the current one; else it sets the number). A name FreeBSD does not have, at a number where it has another syscall, is a warning (the fix renames it); a number FreeBSD keeps only as a comment (obsolete, or compat for old binaries) is information (the fix writes that comment). A stale MAXSYSCALL is a warning.",
  run: numbers,
};
