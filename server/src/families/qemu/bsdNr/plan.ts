// Each define of bsd-user's syscall_nr.h against FreeBSD's syscall.h: what FreeBSD has for
// its name and for its number, and what the define should become. The numbers rule reports
// the decisions; the missing rule needs them too, to know which names the header will have
// once the numbers rule's fixes are applied (so that one fix-all leaves nothing behind).
import type { FreeBsdReference } from '../../../reference/freebsd/reference';
import type { HeaderLine } from '../../../reference/freebsd/header';
import type { NrDefine } from '../syscallNr/model';
import type { BsdNrModel } from './model';

export type Decision =
  | { kind: 'ok' }
  /** FreeBSD has the name at another number. */
  | { kind: 'renumbered'; want: HeaderLine; at?: HeaderLine; rename?: string }
  /** FreeBSD has another name at the number (`freebsd11_mknod` for `mknod`). */
  | { kind: 'renamed'; at: HeaderLine }
  /** FreeBSD keeps the number only as a comment (obsolete, or compat for old binaries). */
  | { kind: 'retired'; at: HeaderLine }
  /** FreeBSD has nothing callable at the number (reserved, unimplemented, module slot, past the end). */
  | { kind: 'unknown' };

const plans = new WeakMap<BsdNrModel, Map<NrDefine, Decision>>();

/** The header line for a number (its define, else its comment). */
export function lineAt(ref: FreeBsdReference, n: number): HeaderLine | undefined {
  return ref.header().find(l => l.number === n);
}

export function plan(model: BsdNrModel, ref: FreeBsdReference): Map<NrDefine, Decision> {
  const hit = plans.get(model);
  if (hit) return hit;
  const out = new Map<NrDefine, Decision>();
  for (const d of model.defines) {
    if (d.number === undefined) continue;
    const want = ref.defined(d.name);
    const at = lineAt(ref, d.number);
    if (want && want.number === d.number) out.set(d, { kind: 'ok' });
    else if (want) {
      // QEMU's swapoff at 424: FreeBSD moved swapoff to 582 and keeps 424 as freebsd13_swapoff.
      const rename =
        at?.kind === 'define' && at.base === d.name && !model.defines.some(x => x.name === at.name)
          ? at.name
          : undefined;
      out.set(d, { kind: 'renumbered', want, at, rename });
    } else if (at?.kind === 'define') out.set(d, { kind: 'renamed', at });
    else if (at?.kind === 'comment') out.set(d, { kind: 'retired', at });
    else out.set(d, { kind: 'unknown' });
  }
  plans.set(model, out);
  return out;
}

/** The names the header defines once every preferred fix of the numbers rule is applied. */
export function namesAfterFixes(model: BsdNrModel, ref: FreeBsdReference): Set<string> {
  const names = new Set<string>();
  for (const [d, p] of plan(model, ref)) {
    if (p.kind === 'ok') names.add(d.name);
    else if (p.kind === 'renumbered') names.add(p.rename ?? d.name);
    else if (p.kind === 'renamed') names.add(p.at.name);
  }
  return names;
}
