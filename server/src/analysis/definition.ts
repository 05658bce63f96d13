// Go to definition: from a row or `.tbl` line to the `.tbl` line and the kernel's code.
import { Analysis } from './analyze';
import { Catalogue, findPrototype } from '../reference/linux/catalogue';
import { protoLocation, tblLocation } from '../families/qemu/o32/context';
import { syscallAt } from './hover';
import { Location, Position } from '../core/types';

export function definitions(a: Analysis, pos: Position, cat: Catalogue | undefined): Location[] {
  const hit = syscallAt(a, pos);
  if (!hit) return [];
  const out: Location[] = [];
  if (a.kind === 'o32' && hit.entry.line >= 0) out.push(tblLocation(a.ctx.tbl, hit.entry));
  if (cat?.kernel.root) {
    for (const name of [hit.entry.entry, hit.entry.compat]) {
      const p = name && name !== 'sys_ni_syscall' ? findPrototype(cat, name, hit.entry.abi === 'o32' ? 'mips' : '') : undefined;
      if (p) out.push(protoLocation(cat, p));
    }
  }
  return out;
}
