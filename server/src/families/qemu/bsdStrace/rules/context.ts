// What the bsd-user strace.list rules share: the rows, the numbers bsd-user's syscall_nr.h
// gives their macros, FreeBSD's reference and the targets' arches.
import type { Finding } from '../../../../core/types';
import type { FreeBsdReference } from '../../../../reference/freebsd/reference';
import type { StraceEntry, StraceListModel } from '../../straceList/model';

export interface BsdStraceContext {
  file: string;
  model: StraceListModel;
  ref: FreeBsdReference;
  /** `TARGET_FREEBSD_NR_x` -> its number, from the sibling syscall_nr.h (empty when absent). */
  numbers: Map<string, number>;
  /** The header's file, for related locations. */
  header?: string;
  arches: string[];
}

export const find = (file: string, f: Omit<Finding, 'file' | 'related' | 'fixes'> & Partial<Finding>): Finding => ({
  file,
  related: [],
  fixes: [],
  ...f,
});

/** The number a row prints for: its macro's value in syscall_nr.h, else FreeBSD's. */
export function rowNumber(c: BsdStraceContext, e: StraceEntry): number | undefined {
  return c.numbers.get(e.nr) ?? c.ref.defined(e.name)?.number;
}

/**
 * The macro a row should have instead of its own, when the name it prints is another
 * FreeBSD syscall the header defines and no row has: the row is that syscall's, under a
 * mistyped number (extattr_get_link's row under TARGET_FREEBSD_NR_extattr_get_file).
 */
export function retarget(c: BsdStraceContext, e: StraceEntry): string | undefined {
  if (e.string === e.name || e.name === `k${e.string}`) return undefined;
  const macro = `TARGET_FREEBSD_NR_${e.string}`;
  if (c.ref.defined(e.string)?.kind !== 'define' || !c.numbers.has(macro)) return undefined;
  return c.model.entries.some(x => x.nr === macro) ? undefined : macro;
}

/** The rows a row with the same macro precedes once rows are retargeted: print_syscall() never uses them. */
export function shadowedByMacro(c: BsdStraceContext): Map<StraceEntry, StraceEntry> {
  const first = new Map<string, StraceEntry>();
  const out = new Map<StraceEntry, StraceEntry>();
  for (const e of c.model.entries) {
    const nr = retarget(c, e) ?? e.nr;
    const f = first.get(nr);
    if (f) out.set(e, f);
    else first.set(nr, e);
  }
  return out;
}
