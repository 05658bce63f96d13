// QEMU's copies of kernel `.tbl` files, `linux-user/<dir>/syscall*.tbl`: where they are and
// which kernel table each mirrors (the linux/tbl family checks their drift).
import * as path from 'path';
import type { Reader } from '../../core/reader';
import type { TblCopies } from '../linux/tbl/family';
import { counterpartCandidates, kernelCounterpart } from './arches';
import { targetDirs } from './tree';

export const qemuTblCopies: TblCopies = {
  locate: (dir: string, io: Reader) =>
    targetDirs(dir, io).flatMap(t =>
      io
        .list(t)
        .filter(n => /^syscall.*\.tbl$/.test(n))
        .map(n => path.join(t, n)),
    ),
  original: kernelCounterpart,
  candidates: counterpartCandidates,
};
