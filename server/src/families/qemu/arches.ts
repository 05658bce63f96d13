// QEMU's linux-user directories and the Linux they emulate, in one table: every check that
// goes from a QEMU name (a directory, a target, a TARGET_xxx macro, a header) to a kernel
// arch or ABI reads it here, so a new QEMU target is one row.
import type { KernelReference } from '../../reference/reference';
import { kernelTableCandidates, kernelTablePath } from '../../reference/linux/reference';

export interface QemuArch {
  /** The directory under linux-user/. */
  dir: string;
  /** The kernel's arch directory (arch/<kernel>/) whose tables and code it follows. */
  kernel: string;
  /** The targets (configs/targets/<target>-linux-user.mak) built from it, and the ABI (abis.ts) each emulates. */
  targets: Record<string, string>;
  /** The `TARGET_xxx` macros its targets define, as strace.list's `#ifdef`s test them. */
  macros: string[];
  /** Without a `.tbl` copy: each hand-written header and the ABI whose kernel table numbers it. */
  headers?: Record<string, string>;
  /** The Linux release that dropped the arch, when it did. */
  dropped?: string;
}

export const QEMU_ARCHES: QemuArch[] = [
  {
    dir: 'aarch64',
    kernel: 'arm64',
    targets: { aarch64: 'arm64', aarch64_be: 'arm64' },
    macros: ['TARGET_AARCH64'],
    headers: { 'syscall_nr.h': 'arm64' },
  },
  { dir: 'alpha', kernel: 'alpha', targets: { alpha: 'alpha' }, macros: ['TARGET_ALPHA'] },
  { dir: 'arm', kernel: 'arm', targets: { arm: 'arm-eabi', armeb: 'arm-eabi' }, macros: ['TARGET_ARM'] },
  // Linux dropped cris in 4.17: no kernel table or ABI to compare with.
  { dir: 'cris', kernel: 'cris', targets: {}, macros: ['TARGET_CRIS'], dropped: '4.17' },
  {
    dir: 'hexagon',
    kernel: 'hexagon',
    targets: { hexagon: 'hexagon' },
    macros: ['TARGET_HEXAGON'],
    headers: { 'syscall_nr.h': 'hexagon' },
  },
  { dir: 'hppa', kernel: 'parisc', targets: { hppa: 'parisc32' }, macros: ['TARGET_HPPA'] },
  { dir: 'i386', kernel: 'x86', targets: { i386: 'i386' }, macros: ['TARGET_I386'] },
  {
    dir: 'loongarch64',
    kernel: 'loongarch',
    targets: { loongarch64: 'loongarch64' },
    macros: ['TARGET_LOONGARCH64'],
    headers: { 'syscall_nr.h': 'loongarch64' },
  },
  { dir: 'm68k', kernel: 'm68k', targets: { m68k: 'm68k' }, macros: ['TARGET_M68K'] },
  {
    dir: 'microblaze',
    kernel: 'microblaze',
    targets: { microblaze: 'microblaze', microblazeel: 'microblaze' },
    macros: ['TARGET_MICROBLAZE'],
  },
  { dir: 'mips', kernel: 'mips', targets: { mips: 'o32', mipsel: 'o32' }, macros: ['TARGET_MIPS'] },
  {
    dir: 'mips64',
    kernel: 'mips',
    targets: { mips64: 'n64', mips64el: 'n64', mipsn32: 'n32', mipsn32el: 'n32' },
    macros: ['TARGET_MIPS64'],
  },
  {
    dir: 'nios2',
    kernel: 'nios2',
    targets: { nios2: 'nios2' },
    macros: ['TARGET_NIOS2'],
    headers: { 'syscall_nr.h': 'nios2' },
  },
  {
    dir: 'openrisc',
    kernel: 'openrisc',
    targets: { or1k: 'openrisc' },
    macros: ['TARGET_OPENRISC'],
    headers: { 'syscall_nr.h': 'openrisc' },
  },
  {
    dir: 'ppc',
    kernel: 'powerpc',
    targets: { ppc: 'ppc32', ppc64: 'ppc64', ppc64le: 'ppc64' },
    macros: ['TARGET_PPC', 'TARGET_PPC64'],
  },
  {
    dir: 'riscv',
    kernel: 'riscv',
    targets: { riscv32: 'riscv32', riscv64: 'riscv64' },
    macros: ['TARGET_RISCV'],
    headers: { 'syscall32_nr.h': 'riscv32', 'syscall64_nr.h': 'riscv64' },
  },
  { dir: 's390x', kernel: 's390', targets: { s390x: 's390x' }, macros: ['TARGET_S390X'] },
  { dir: 'sh4', kernel: 'sh', targets: { sh4: 'sh', sh4eb: 'sh' }, macros: ['TARGET_SH4'] },
  // QEMU 7.2 builds sparc32plus and sparc64 from sparc/ (TARGET_ABI_DIR); older trees had sparc64/.
  {
    dir: 'sparc',
    kernel: 'sparc',
    targets: { sparc: 'sparc32', sparc32plus: 'sparc32', sparc64: 'sparc64' },
    macros: ['TARGET_SPARC', 'TARGET_SPARC64'],
  },
  { dir: 'sparc64', kernel: 'sparc', targets: {}, macros: [] },
  { dir: 'x86_64', kernel: 'x86', targets: { x86_64: 'x86_64' }, macros: ['TARGET_X86_64'] },
  { dir: 'xtensa', kernel: 'xtensa', targets: { xtensa: 'xtensa', xtensaeb: 'xtensa' }, macros: ['TARGET_XTENSA'] },
];

// The lookups, as plain records built once.
const TARGET_ABI: Record<string, string> = Object.fromEntries(QEMU_ARCHES.flatMap(a => Object.entries(a.targets)));
const MACRO_ARCH: Record<string, string> = Object.fromEntries(
  QEMU_ARCHES.flatMap(a => a.macros.map(m => [m, a.kernel])),
);
const HEADER_ABI: Record<string, string> = Object.fromEntries(
  QEMU_ARCHES.flatMap(a => Object.entries(a.headers ?? {}).map(([h, abi]) => [`${a.dir}/${h}`, abi])),
);
// Directories with hand-written headers keep no `.tbl` copy: a `.tbl` there is looked up under the directory's own name.
const TBL_DIR_ARCH: Record<string, string> = Object.fromEntries(
  QEMU_ARCHES.filter(a => !a.headers).map(a => [a.dir, a.kernel]),
);

/** The kernel ABI (abis.ts) a QEMU target emulates. */
export const abiOfTarget = (target: string): string | undefined => TARGET_ABI[target];

/** The kernel arch a QEMU `TARGET_xxx` macro builds for. */
export const archOfMacro = (macro: string): string | undefined => MACRO_ARCH[macro];

/** The ABI whose kernel table numbers the hand-written header linux-user/<dir>/<base>. */
export const headerAbi = (dir: string, base: string): string | undefined => HEADER_ABI[`${dir}/${base}`];

/** The row of a linux-user/ directory. */
export const archOfDir = (dir: string): QemuArch | undefined => QEMU_ARCHES.find(a => a.dir === dir);

/** The kernel tables a QEMU `.tbl` copy may mirror, by the paths the kernel has used. */
export function counterpartCandidates(file: string): string[] | undefined {
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+\.tbl)$/.exec(file.replace(/\\/g, '/'));
  if (!m) return undefined;
  return kernelTableCandidates(TBL_DIR_ARCH[m[1]] ?? m[1], m[2]);
}

/** The kernel table a QEMU `.tbl` copy mirrors, as a path relative to the kernel root. */
export function kernelCounterpart(file: string, ref: KernelReference): string | undefined {
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+\.tbl)$/.exec(file.replace(/\\/g, '/'));
  if (!m) return undefined;
  return kernelTablePath(ref, TBL_DIR_ARCH[m[1]] ?? m[1], m[2]);
}
