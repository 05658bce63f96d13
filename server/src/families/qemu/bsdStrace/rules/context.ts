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
