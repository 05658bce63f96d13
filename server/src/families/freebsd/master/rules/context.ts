// What the syscalls.master rules share.
import type { MasterModel } from '../../../../reference/freebsd/master';

export interface MasterContext {
  file: string;
  model: MasterModel;
}
