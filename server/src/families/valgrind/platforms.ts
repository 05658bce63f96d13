// valgrind's Linux platforms as its build makes them: per platform (VGP_<platform>_linux) the
// number headers it includes, in order, the syscall table file, the macros its `#if`s test
// and the kernel ABI its guests call.
//
// The chain of number headers is in include/pub_tool_vkiscnums_asm.h (read from the tree
// when it is there; in 3.19 it is the list below): every platform but nanoMIPS includes
// vki-scnums-shared-linux.h (the asm-generic numbers 424 and up, no base), the 32-bit ones
// (x86, arm, ppc32, mips32) also vki-scnums-32bit-linux.h (the time64 numbers 403-423, no
// base), then the platform's own header. mips64 is one header and one table file for n64
// (VGABI_64) and n32 (VGABI_N32); ppc64 big and little endian share theirs. The tables are
// indexed by the number the guest puts in the syscall register (4000 + n on o32), so a
// number without the ABI's base is a slot no guest reaches.
//
// Conventions, not findings (documented in the rules' `about`): names that are not syscalls
// (`__NR_Linux`, `__NR_Linux_syscalls`, `__NR_O32_Linux*`, `__NR_syscalls`, the generic
// header's `__NR3264_*`), ARM's private calls at `__NR_ARM_BASE` (0x0f0000, the kernel's
// `__ARM_NR_*`), aliases written as another `__NR_` name (arm's `__NR_sync_file_range2`),
// and valgrind's spellings of the kernel's names (SPELLINGS).
import * as path from 'path';
import { AbiDef, abiById } from '../../reference/linux/abis';

export interface Target {
  /** valgrind's platform name, as in VGP_<platform>_linux. */
  platform: string;
  /** The kernel ABI; undefined where the kernel has none (nanoMIPS never went upstream). */
  abi?: AbiDef;
  /** The platform's own number header, in include/vki/. */
  header: string;
  /** The number headers in order when include/pub_tool_vkiscnums_asm.h is not at hand. */
  chain: string[];
  /** Its table file, in coregrind/m_syswrap/. */
  syswrap: string;
  /** What valgrind's build defines for it. */
  macros: Record<string, number>;
}

const SHARED = 'vki-scnums-shared-linux.h';
const BIT32 = 'vki-scnums-32bit-linux.h';

function t(
  platform: string,
  abi: string | undefined,
  own: string,
  bits: 4 | 8,
  extra: Record<string, number> = {},
): Target {
  const arch = platform.replace(/^ppc64(be|le)$/, 'ppc64$1');
  const header = `vki-scnums-${own}-linux.h`;
  return {
    platform,
    abi: abi ? abiById(abi) : undefined,
    header,
    chain: own === 'nanomips' ? [header] : bits === 4 ? [SHARED, BIT32, header] : [SHARED, header],
    syswrap: `syswrap-${own}-linux.c`,
    macros: {
      VGO_linux: 1,
      [`VGP_${platform}_linux`]: 1,
      [`VGA_${arch}`]: 1,
      [`VGPV_${arch}_linux_vanilla`]: 1,
      VG_WORDSIZE: bits,
      HAVE_MREMAP: 1,
      ...extra,
    },
  };
}

export const TARGETS: Target[] = [
  t('amd64', 'x86_64', 'amd64', 8),
  t('x86', 'i386', 'x86', 4),
  t('arm', 'arm-eabi', 'arm', 4),
  t('arm64', 'arm64', 'arm64', 8),
  t('mips32', 'o32', 'mips32', 4),
  t('mips64', 'n64', 'mips64', 8, { VGABI_64: 1 }),
  t('mips64', 'n32', 'mips64', 8, { VGABI_N32: 1 }),
  t('nanomips', undefined, 'nanomips', 4),
  t('ppc32', 'ppc32', 'ppc32', 4),
  t('ppc64be', 'ppc64', 'ppc64', 8, { __powerpc64__: 1 }),
  t('ppc64le', 'ppc64', 'ppc64', 8, { __powerpc64__: 1 }),
  t('s390x', 's390x', 's390x', 8),
];

/** How a target is named in messages: `mips64 (n32)`. */
export const targetLabel = (tg: Target) => {
  // ppc64 big and little endian build the same table and wrappers: one finding for both.
  const p = tg.platform.startsWith('ppc64') ? 'ppc64be/le' : tg.platform;
  return tg.abi && tg.abi.id !== p ? `${p} (${tg.abi.id})` : p;
};

/** The source tree a valgrind file is in (the directory holding include/ and coregrind/). */
export function valgrindRoot(file: string): string {
  return path.dirname(path.dirname(path.dirname(file)));
}

export const ASM_HEADER = path.join('include', 'pub_tool_vkiscnums_asm.h');
export const vkiPath = (root: string, base: string) => path.join(root, 'include', 'vki', base);
export const syswrapPath = (root: string, base: string) => path.join(root, 'coregrind', 'm_syswrap', base);

/** The files the wrappers of GENX_/LINX_ rows are in; PLAX_ rows' are in the table's own file. */
export const WRAPPER_FILES = { GEN: 'syswrap-generic.c', LIN: 'syswrap-linux.c' } as const;

/** valgrind's spellings of the kernel's names: [kernel, valgrind]. */
const SPELLINGS: [string, string][] = [
  ['arm_fadvise64_64', 'fadvise64_64'],
  ['arm_sync_file_range', 'sync_file_range2'],
];

export function sameSyscall(valgrind: string, kernel: string): boolean {
  return valgrind === kernel || SPELLINGS.some(([k, v]) => k === kernel && v === valgrind);
}

/** The kernel's name for a valgrind spelling. */
export function kernelName(valgrind: string): string {
  return SPELLINGS.find(([, v]) => v === valgrind)?.[0] ?? valgrind;
}

/** Names in the number headers that are not syscalls (see the header comment). */
export function notASyscall(macro: string): boolean {
  return (
    /^__NR_(Linux|O32_Linux|N32_Linux|64_Linux|syscalls$|ARM_|SYSCALL_BASE$|OABI_SYSCALL_BASE$)/.test(macro) ||
    macro.startsWith('__NR3264_') ||
    !macro.startsWith('__NR_')
  );
}

/** Every file `check DIR` opens, relative to the valgrind tree: number headers, then tables. */
export const KNOWN_FILES = [
  ...new Set([
    ...TARGETS.flatMap(tg => tg.chain.map(h => path.join('include', 'vki', h))),
    ...TARGETS.map(tg => path.join('coregrind', 'm_syswrap', tg.syswrap)),
    ...Object.values(WRAPPER_FILES).map(f => path.join('coregrind', 'm_syswrap', f)),
  ]),
];
