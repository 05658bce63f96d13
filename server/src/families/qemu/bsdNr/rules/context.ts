// What the bsd-user syscall_nr.h rules share.
import { Range, range, Related } from '../../../../core/types';
import type { FreeBsdReference } from '../../../../reference/freebsd/reference';
import { FREEBSD_MASTER } from '../../../../reference/freebsd/reference';
import type { BsdNrModel } from '../model';

export interface BsdNrContext {
  file: string;
  model: BsdNrModel;
  ref: FreeBsdReference;
}

/** The syscalls.master entry behind a number or a name, as related information. */
export function masterAt(ref: FreeBsdReference, line: number, message: string): Related {
  return { location: { file: ref.fileOf(FREEBSD_MASTER), range: range(line, 0, line, 0) }, message };
}

export const at = (file: string, r: Range) => ({ file, range: r });
