// Which of strace's syscallent files make which Linux ABI, as strace's build makes them.
//
// strace compiles one table per *personality* (src/syscall.c: `sysent0` from
// "syscallent.h", `sysent1` from "syscallent1.h", `sysent2` from "syscallent2.h", each
// `#include`d into a `const struct_sysent[]` initializer), with src/Makefile.am's include
// path `-I src/linux/$(ARCH) -I src/linux/generic`: an `#include "x"` is looked up in the
// including file's own directory, then in `src/linux/<arch>`, then in `src/linux/generic`.
// The macros a table tests come from the compiler (`__ARM_EABI__`, `LINUX_MIPSO32`/`N32`/
// `N64` from configure's MIPS ABI test) and from `src/linux/<arch>/arch_defs_.h` (its
// `HAVE_ARCH_*`/`ARCH_WANT_*` defines, such as alpha's `HAVE_ARCH_TIME32_SYSCALLS`).
//
//   x86_64   syscallent.h = x86_64; syscallent1.h (../i386/syscallent.h) = i386;
//            syscallent2.h (../x32/syscallent.h) = x32
//   x32      syscallent.h = x32; syscallent1.h (../i386/syscallent.h) = i386
//   i386     syscallent.h = i386
//   arm      syscallent.h = EABI and OABI in one table (built with __ARM_EABI__ for EABI);
//            checked against the EABI table, OABI-only rows kept for old kernels
//   aarch64  syscallent.h (../64/syscallent.h) = arm64; syscallent1.h (../arm/syscallent.h,
//            compiled without __ARM_EABI__) = the arm compat personality, an EABI kernel
//   mips     syscallent.h includes syscallent-compat.h (strace-internal SVR4/IRIX/BSD/POSIX
//            indices below 4000), -o32.h, -n64.h and -n32.h; each is real only under its
//            LINUX_MIPSxxx (else the generated stubs), so one build is one ABI, indexed
//            BASE_NR + n (4000 o32, 5000 n64, 6000 n32)
//   riscv64, loongarch64  syscallent.h (../64/syscallent.h)
//   powerpc  syscallent.h = ppc32; powerpc64 (and powerpc64le, which includes it):
//            syscallent.h = ppc64, syscallent1.h (../powerpc/syscallent.h) = ppc32
//   s390     syscallent.h = s390; s390x: syscallent.h = s390x, syscallent1.h = s390
//
// Indices at or past SYS_socket_subcall / SYS_ipc_subcall (32/subcallent.h, the decoded
// socketcall and ipc subcalls), past ARM_FIRST_SHUFFLED_SYSCALL (ARM private syscalls)
// and below BASE_NR on MIPS are strace's own, not kernel numbers. Other strace arches
// (alpha, arc, csky, hppa, m68k, sh, sparc, xtensa, ...) are recognised but not checked yet.
import { abiById, AbiDef } from '../../../reference/linux/abis';

export interface Personality {
  /** The file strace compiles into the personality's table, relative to src/linux. */
  top: string;
  abi: AbiDef;
  /** Macros the compiler defines for this build. */
  defines: Record<string, string>;
  /** Subtracted from a table index to get the kernel's `.tbl` number (MIPS BASE_NR). */
  base: number;
}

const p = (top: string, abi: string, defines: Record<string, string> = {}, base = 0): Personality => ({
  top,
  abi: abiById(abi)!,
  defines,
  base,
});

/** Per strace arch directory, the personalities it builds. */
export const PERSONALITIES: Record<string, Personality[]> = {
  x86_64: [p('x86_64/syscallent.h', 'x86_64'), p('x86_64/syscallent1.h', 'i386'), p('x86_64/syscallent2.h', 'x32')],
  x32: [p('x32/syscallent.h', 'x32'), p('x32/syscallent1.h', 'i386')],
  i386: [p('i386/syscallent.h', 'i386')],
  arm: [p('arm/syscallent.h', 'arm-eabi', { __ARM_EABI__: '1' })],
  aarch64: [p('aarch64/syscallent.h', 'arm64'), p('aarch64/syscallent1.h', 'arm-eabi')],
  mips: [
    p('mips/syscallent.h', 'o32', { LINUX_MIPSO32: '1' }, 4000),
    p('mips/syscallent.h', 'n64', { LINUX_MIPSN64: '1' }, 5000),
    p('mips/syscallent.h', 'n32', { LINUX_MIPSN32: '1' }, 6000),
  ],
  riscv64: [p('riscv64/syscallent.h', 'riscv64')],
  loongarch64: [p('loongarch64/syscallent.h', 'loongarch64')],
  powerpc: [p('powerpc/syscallent.h', 'ppc32')],
  powerpc64: [p('powerpc64/syscallent.h', 'ppc64'), p('powerpc64/syscallent1.h', 'ppc32')],
  powerpc64le: [p('powerpc64le/syscallent.h', 'ppc64')],
  s390: [p('s390/syscallent.h', 's390')],
  s390x: [p('s390x/syscallent.h', 's390x'), p('s390x/syscallent1.h', 's390')],
};

/** Shared directories: the arches whose tables include their files. */
const SHARED_USERS: Record<string, string[]> = {
  '32': ['i386', 'arm', 'mips', 'powerpc', 's390'],
  '64': ['aarch64', 'riscv64', 'loongarch64'],
  generic: ['x86_64', 'i386', 'arm', 'aarch64', 'mips', 'riscv64', 'powerpc64', 's390x'],
};

/** The personalities whose tables may hold rows of a file in `src/linux/<dir>/`. */
export function personalitiesOf(dir: string): Personality[] {
  const seen = new Set<string>();
  const out: Personality[] = [];
  for (const d of SHARED_USERS[dir] ?? [dir])
    for (const q of PERSONALITIES[d] ?? []) {
      const key = `${q.top}|${q.abi.id}`;
      if (!seen.has(key)) (seen.add(key), out.push(q));
    }
  return out;
}

/** Every table file `check DIR` opens (the top files and the shared pieces they include). */
export const KNOWN_FILES = [
  ...new Set([
    ...Object.values(PERSONALITIES).flatMap(ps => ps.map(q => q.top)),
    'mips/syscallent-o32.h',
    'mips/syscallent-n32.h',
    'mips/syscallent-n64.h',
    '32/syscallent-common-32.h',
    '64/syscallent.h',
    'generic/syscallent-common.h',
  ]),
];
