// missing-entry in bsd-user's syscall_nr.h: what FreeBSD's syscall.h defines and QEMU's copy lacks.
import type { Rule } from '../../../family';
import { Finding, range } from '../../../../core/types';
import type { HeaderLine } from '../../../../reference/freebsd/header';
import { renderLine } from '../../../../reference/freebsd/header';
import { kindOf } from '../../../../reference/freebsd/master';
import { namesAfterFixes, plan } from '../plan';
import { BsdNrContext, masterAt } from './context';

function missing({ file, model, ref }: BsdNrContext): Finding[] {
  if (!model.defines.length) return [];
  const have = namesAfterFixes(model, ref);
  // Where each numbered line of the file will be once the numbers rule's fixes are applied.
  // (Defines only: a number comment may sit inside an unclosed comment.)
  const placed: { line: number; number: number }[] = [];
  for (const [d, p] of plan(model, ref))
    placed.push({ line: d.line, number: p.kind === 'renumbered' && !p.rename ? p.want.number : d.number! });
  const groups = new Map<number, HeaderLine[]>();
  for (const l of ref.header()) {
    if (l.kind !== 'define' || have.has(l.name)) continue;
    const prev = placed.filter(x => x.number < l.number).sort((a, b) => b.number - a.number || b.line - a.line)[0];
    const anchor = prev ? prev.line : -1;
    groups.set(anchor, [...(groups.get(anchor) ?? []), l]);
  }
  const eol = model.style.eol;
  const out: Finding[] = [];
  const first = Math.min(...model.defines.map(d => d.line));
  for (const [anchor, ls] of groups) {
    const text = ls.map(l => renderLine(l, model.style)).join(eol);
    const pos = anchor >= 0 ? lineEnd(model, anchor) : { line: first, character: 0 };
    const live = ls.filter(l => kindOf(l.entry) === 'live');
    const names = ls.map(l => `${l.name} (${l.number})`);
    const what = live.length
      ? `QEMU cannot name ${ls.length === 1 ? 'it' : 'them'}, so os-syscall.c cannot dispatch ${ls.length === 1 ? 'it' : 'them'} and guests calling ${ls.length === 1 ? 'it' : 'them'} get ENOSYS`
      : `${ls.length === 1 ? 'a compat call' : 'compat calls'} FreeBSD keeps for old binaries; QEMU cannot name ${ls.length === 1 ? 'it' : 'them'}`;
    out.push({
      file,
      range: anchor >= 0 ? range(anchor, 0, anchor, pos.character) : range(first, 0, first, 0),
      severity: live.length ? 'warning' : 'information',
      code: 'missing-entry',
      syscall: ls[0].name,
      message:
        ls.length <= 3
          ? `${names.join(', ')} ${ls.length === 1 ? 'is' : 'are'} in FreeBSD's syscall.h (${ref.label}) but not in this header: ${what}`
          : `${ls.length} syscalls of FreeBSD's syscall.h (${ref.label}) are not in this header, ${names[0]} to ${names[names.length - 1]}: ${what}`,
      related: ls.slice(0, 20).map(l => masterAt(ref, l.entry.line, `${l.number} ${l.name} in syscalls.master`)),
      fixes: [
        {
          title:
            ls.length === 1
              ? `Add ${model.style.prefix}${ls[0].name}`
              : `Add ${ls.length} defines (${ls[0].number}-${ls[ls.length - 1].number})`,
          preferred: true,
          edits: [
            anchor >= 0
              ? { range: { start: pos, end: pos }, newText: eol + text, order: ls[0].number }
              : { range: { start: pos, end: pos }, newText: text + eol, order: ls[0].number },
          ],
        },
      ],
    });
  }
  return out;
}

const lineEnd = (model: { map: { text: string; starts: number[] } }, n: number) => {
  const s = model.map.starts[n];
  const e = n + 1 < model.map.starts.length ? model.map.starts[n + 1] : model.map.text.length;
  const text = model.map.text.slice(s, e).replace(/\r?\n$|\r$/, '');
  return { line: n, character: text.length };
};

/** Every `#define SYS_x` of FreeBSD's syscall.h that bsd-user's copy lacks once the numbers rule's fixes are applied: a live syscall QEMU cannot name cannot be dispatched (ENOSYS; a warning), a `freebsdN_` compat call is information. Runs of missing numbers are one finding, whose fix inserts the defines in the header's own spacing after the line that precedes them. */
export const rule: Rule<BsdNrContext> = {
  codes: ['missing-entry'],
  about:
    "Every `#define SYS_x` of FreeBSD's syscall.h that bsd-user's copy lacks once the numbers rule's fixes are applied: a live syscall QEMU cannot name cannot be dispatched (ENOSYS; a warning), a `freebsdN_` compat call is information. Runs of missing numbers are one finding, whose fix inserts the defines in the header's own spacing after the line that precedes them.",
  run: missing,
};
