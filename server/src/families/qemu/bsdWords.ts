// FreeBSD syscall names in any bsd-user C file: `TARGET_FREEBSD_NR_x`, `do_bsd_x`,
// `do_freebsd_x`, `SYS_x`, `sys_x`, or the bare name; the hover card and the syscalls.master
// entry they stand for.
import { splitLines } from '../../core/text';
import { Location, Position, Range, range } from '../../core/types';
import type { Workspace } from '../family';
import { freebsdCardOf } from '../../reference/freebsd/card';
import { FREEBSD_MASTER, type FreeBsdReference } from '../../reference/freebsd/reference';
import { bsdArches, qemuRootOfBsd } from './bsdTargets';

/** A file under a QEMU tree's bsd-user/. */
export const isBsdUserFile = (file: string) => /(^|[\\/])bsd-user[\\/]/.test(file);

const PREFIX = /^(TARGET_FREEBSD_NR_|do_bsd_|do_freebsd_|SYS_|sys_)(\w+)$/;

/** The FreeBSD syscall the word under the cursor names, if the reference knows it. */
export function bsdSyscallAt(
  ref: FreeBsdReference,
  text: string,
  pos: Position,
): { name: string; range: Range } | undefined {
  const line = splitLines(text)[pos.line] ?? '';
  const re = /\w+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (pos.character < m.index || pos.character > m.index + m[0].length) continue;
    const pre = PREFIX.exec(m[0]);
    const name = [pre?.[2], m[0]].find(n => n && (ref.defined(n) ?? ref.live(n)));
    return name ? { name, range: range(pos.line, m.index, pos.line, m.index + m[0].length) } : undefined;
  }
  return undefined;
}

/** FreeBSD's card for a syscall, with the word layout on each of the tree's bsd-user targets. */
export function bsdCard(file: string, name: string, ref: FreeBsdReference, ws: Workspace): string | undefined {
  const root = qemuRootOfBsd(file);
  return freebsdCardOf(ref, name, root ? bsdArches(root, ws) : undefined);
}

/** The syscalls.master entry of a syscall, when a FreeBSD tree is configured (none for the bundled catalogue). */
export function masterEntry(ref: FreeBsdReference | undefined, name: string): Location[] {
  if (!ref?.root) return [];
  const line = ref.defined(name)?.entry.line ?? ref.live(name)?.line;
  return line === undefined ? [] : [{ file: ref.fileOf(FREEBSD_MASTER), range: range(line, 0, line, 0) }];
}
