// Every table family systab reads, in the order their findings are listed. Adding a family
// is a folder under families/ and one line here.
import { Family } from './family';
import { masterFamily } from './freebsd/master/family';
import { armCallsFamily } from './linux/armCalls/family';
import { tblFamily } from './linux/tbl/family';
import { kernelTreeTblCopies } from './linux/toolsCopies';
import { toolsUnistdFamily } from './linux/toolsUnistd/family';
import { umlPtraceFamily } from './linux/umlPtrace/family';
import { umlFamily } from './linux/uml/family';
import { umlTblInfo } from './linux/uml/tblInfo';
import { bsdDispatchFamily } from './qemu/bsdDispatch/family';
import { bsdNrFamily } from './qemu/bsdNr/family';
import { bsdStraceFamily } from './qemu/bsdStrace/family';
import { cpuLoopFamily } from './qemu/cpuLoop/family';
import { dispatchFamily } from './qemu/dispatch/family';
import { o32Family } from './qemu/o32/family';
import { straceListFamily } from './qemu/straceList/family';
import { syscallNrFamily } from './qemu/syscallNr/family';
import { qemuTblCopies } from './qemu/tblCopies';
import { syscallentFamily } from './strace/syscallent/family';
import { scnumsFamily } from './valgrind/scnums/family';
import { syswrapFamily } from './valgrind/syswrap/family';

export const FAMILIES: readonly Family<any>[] = [
  tblFamily([qemuTblCopies, kernelTreeTblCopies], [umlTblInfo]),
  umlFamily,
  dispatchFamily,
  syscallNrFamily,
  straceListFamily,
  masterFamily,
  bsdNrFamily,
  bsdDispatchFamily,
  bsdStraceFamily,
  o32Family,
  cpuLoopFamily,
  syscallentFamily,
  toolsUnistdFamily,
  umlPtraceFamily,
  scnumsFamily,
  syswrapFamily,
  armCallsFamily,
];

export const familyById = (id: string) => FAMILIES.find(f => f.id === id);
