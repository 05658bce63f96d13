// A QEMU tree's bsd-user side: its root above bsd-user/, and the targets
// configs/targets/*-bsd-user.mak name (QEMU 7.2: arm, i386, x86_64) with their TARGET_ARCH.
import * as path from 'path';
import type { Reader } from '../../core/reader';
import { DEFAULT_BSD_ARCHES } from '../../reference/freebsd/card';
import type { Finding } from '../../core/types';
import { notChecked } from '../notChecked';

/** The QEMU root above a file in bsd-user/, if any. */
export function qemuRootOfBsd(file: string): string | undefined {
  const parts = path.resolve(file).split(path.sep);
  const i = parts.lastIndexOf('bsd-user');
  return i > 0 ? parts.slice(0, i).join(path.sep) || path.sep : undefined;
}

export interface BsdTarget {
  /** `x86_64` from configs/targets/x86_64-bsd-user.mak. */
  target: string;
  /** Its TARGET_ARCH (the target's name when the file does not say). */
  arch: string;
  file: string;
}

export function bsdUserTargets(root: string, io: Reader): BsdTarget[] {
  const dir = path.join(root, 'configs', 'targets');
  return io
    .list(dir)
    .filter(n => n.endsWith('-bsd-user.mak'))
    .sort()
    .map(n => {
      const file = path.join(dir, n);
      const target = n.slice(0, -'-bsd-user.mak'.length);
      const arch = /^TARGET_ARCH\s*=\s*(\S+)/m.exec(io.read(file) ?? '')?.[1] ?? target;
      return { target, arch, file };
    });
}

/** The arches of the tree's bsd-user targets, or QEMU 7.2's when the tree does not say. */
export function bsdArches(root: string, io: Reader): string[] {
  const t = bsdUserTargets(root, io);
  return t.length ? [...new Set(t.map(x => x.arch))] : DEFAULT_BSD_ARCHES;
}

/** The one finding for a bsd-user table when no FreeBSD reference is loaded. */
export const noFreeBsd = (file: string, what: string): Finding =>
  notChecked(
    file,
    `${what} is not checked: no FreeBSD reference is loaded (the bundled FreeBSD catalogue is missing); set systab.freebsdPath to a FreeBSD source tree with sys/kern/syscalls.master, or pass --freebsd DIR to the CLI`,
  );
