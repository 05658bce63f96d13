// Hover: the first family that knows what is under the cursor answers; elsewhere in any
// file, a syscall name (`TARGET_NR_x`, `sys_x`, ...) gets the kernel's card for every ABI;
// in a bsd-user file, FreeBSD's card (`TARGET_FREEBSD_NR_x`, `do_bsd_x`, `SYS_x`, `sys_x`).
import { Position } from '../core/types';
import { Hover } from '../families/family';
import { abiCard, syscallWordAt } from '../reference/linux/cards';
import { bsdCard, bsdSyscallAt, isBsdUserFile } from '../families/qemu/bsdWords';
import { Analysis, partsOf } from './analyze';
import type { Workspace } from '../families/family';

export function hover(a: Analysis, text: string, pos: Position, ws: Workspace): Hover | undefined {
  for (const { family, model } of partsOf(a)) {
    const h = family.hover?.(model, pos, ws);
    if (h) return h;
  }
  if (isBsdUserFile(a.file)) {
    const word = ws.freebsd && bsdSyscallAt(ws.freebsd, text, pos);
    const card = word && bsdCard(a.file, word.name, ws.freebsd!, ws);
    return card && word ? { markdown: card, range: word.range } : undefined;
  }
  const ref = ws.kernel;
  const word = ref && syscallWordAt(text, pos);
  const card = word && abiCard(ref!, word.words);
  return card && word ? { markdown: card, range: word.range } : undefined;
}
