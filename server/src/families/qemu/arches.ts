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
  /**
   * How a syscall_nr.h of this directory numbers its syscalls in a tree with no `.tbl` to read
   * (QEMU before 5.2, forks, a header opened alone): one build per way the header's own `#if`s
   * can go, each with the macros that build defines and the ABI whose kernel table it follows.
   */
  builds?: NrBuild[];
}

/** One way a directory's syscall_nr.h is compiled. */
export interface NrBuild {
  /** The targets (old and new) compiled this way. */
  targets: string[];
  /** The kernel ABIs (abis.ts) whose tables together number the header; the first names it in messages. */
  abis: string[];
  /** The macros such a build defines (configure's TARGET_ABI*, cpu.h's TARGET_PPC64 ...), as the header's `#if`s test them. */
  defines: string[];
  /** An `#if` test true for this build alone among the directory's, for lines a fix adds for it. */
  test?: string;
  /**
   * Bases the header may use without defining (another header of the directory defines them),
   * with the value QEMU gives them. Numbers are the ABI's own: `TARGET_NR_Linux` 4000/5000/6000
   * on MIPS is the ABI base; ARM's header numbers OABI calls without `ARM_SYSCALL_BASE`
   * (0x900000, which cpu_loop.c strips from the swi immediate), like EABI's.
   */
  bases?: Record<string, number>;
  /** Added to the kernel's table numbers, when not the ABI's own base (ARM OABI: 0 in the header). */
  offset?: number;
}

// Builds (the `#if`s of headers before QEMU 5.2 generated them from `.tbl` copies, read in
// QEMU's history): mips64/ chose n32 by `#ifdef TARGET_ABI32` (later TARGET_ABI_MIPSN32), ppc/
// 32-bit-only calls by `#if !defined(TARGET_PPC64) || defined(TARGET_ABI32)` (ppc64abi32 ran
// the 32-bit ABI on a 64-bit CPU), sparc/ and sparc64/ by TARGET_SPARC64 and TARGET_ABI32
// (sparc32plus). QEMU never had an x32 target (x86's __X32_SYSCALL_BIT, abis.ts x32).
const b = (targets: string[], abis: string[], defines: string[], extra: Partial<NrBuild> = {}): NrBuild => ({
  targets,
  abis,
  defines,
  ...extra,
});

export const QEMU_ARCHES: QemuArch[] = [
  {
    dir: 'aarch64',
    kernel: 'arm64',
    targets: { aarch64: 'arm64', aarch64_be: 'arm64' },
    macros: ['TARGET_AARCH64'],
    headers: { 'syscall_nr.h': 'arm64' },
    builds: [b(['aarch64', 'aarch64_be'], ['arm64'], ['TARGET_ARM', 'TARGET_AARCH64'])],
  },
  {
    dir: 'alpha',
    kernel: 'alpha',
    targets: { alpha: 'alpha' },
    macros: ['TARGET_ALPHA'],
    builds: [b(['alpha'], ['alpha'], ['TARGET_ALPHA'])],
  },
  {
    dir: 'arm',
    kernel: 'arm',
    targets: { arm: 'arm-eabi', armeb: 'arm-eabi' },
    macros: ['TARGET_ARM'],
    // One header for EABI and OABI guests: OABI-only calls (time, socketcall ...) are valid rows.
    builds: [
      b(['arm', 'armeb'], ['arm-eabi', 'arm-oabi'], ['TARGET_ARM'], {
        bases: { TARGET_NR_SYSCALL_BASE: 0 },
        offset: 0,
      }),
    ],
  },
  // Not upstream QEMU: C-SKY's own fork kept linux-user/csky/, whose header chose Linux's
  // generic numbers by CONFIG_CSKY_KERNEL_4X (else an older numbering Linux never had).
  {
    dir: 'csky',
    kernel: 'csky',
    targets: {},
    macros: [],
    builds: [b(['cskyv2'], ['csky'], ['TARGET_CSKY', 'CONFIG_CSKY_KERNEL_4X'])],
  },
  // Linux dropped cris in 4.17: no kernel table or ABI to compare with.
  { dir: 'cris', kernel: 'cris', targets: {}, macros: ['TARGET_CRIS'], dropped: '4.17' },
  {
    dir: 'hexagon',
    kernel: 'hexagon',
    targets: { hexagon: 'hexagon' },
    macros: ['TARGET_HEXAGON'],
    headers: { 'syscall_nr.h': 'hexagon' },
    builds: [b(['hexagon'], ['hexagon'], ['TARGET_HEXAGON'])],
  },
  {
    dir: 'hppa',
    kernel: 'parisc',
    targets: { hppa: 'parisc32' },
    macros: ['TARGET_HPPA'],
    builds: [b(['hppa'], ['parisc32'], ['TARGET_HPPA'])],
  },
  {
    dir: 'i386',
    kernel: 'x86',
    targets: { i386: 'i386' },
    macros: ['TARGET_I386'],
    builds: [b(['i386'], ['i386'], ['TARGET_I386'])],
  },
  {
    dir: 'loongarch64',
    kernel: 'loongarch',
    targets: { loongarch64: 'loongarch64' },
    macros: ['TARGET_LOONGARCH64'],
    headers: { 'syscall_nr.h': 'loongarch64' },
    builds: [b(['loongarch64'], ['loongarch64'], ['TARGET_LOONGARCH', 'TARGET_LOONGARCH64'])],
  },
  {
    dir: 'm68k',
    kernel: 'm68k',
    targets: { m68k: 'm68k' },
    macros: ['TARGET_M68K'],
    builds: [b(['m68k'], ['m68k'], ['TARGET_M68K'])],
  },
  {
    dir: 'microblaze',
    kernel: 'microblaze',
    targets: { microblaze: 'microblaze', microblazeel: 'microblaze' },
    macros: ['TARGET_MICROBLAZE'],
    builds: [b(['microblaze', 'microblazeel'], ['microblaze'], ['TARGET_MICROBLAZE'])],
  },
  {
    dir: 'mips',
    kernel: 'mips',
    targets: { mips: 'o32', mipsel: 'o32' },
    macros: ['TARGET_MIPS'],
    builds: [
      b(['mips', 'mipsel'], ['o32'], ['TARGET_MIPS', 'TARGET_ABI_MIPSO32'], { bases: { TARGET_NR_Linux: 4000 } }),
    ],
  },
  {
    dir: 'mips64',
    kernel: 'mips',
    targets: { mips64: 'n64', mips64el: 'n64', mipsn32: 'n32', mipsn32el: 'n32' },
    macros: ['TARGET_MIPS64'],
    builds: [
      b(['mips64', 'mips64el'], ['n64'], ['TARGET_MIPS', 'TARGET_MIPS64', 'TARGET_ABI_MIPSN64'], {
        test: '!defined(TARGET_ABI32)',
        bases: { TARGET_NR_Linux: 5000 },
      }),
      b(['mipsn32', 'mipsn32el'], ['n32'], ['TARGET_MIPS', 'TARGET_MIPS64', 'TARGET_ABI_MIPSN32', 'TARGET_ABI32'], {
        test: 'defined(TARGET_ABI32)',
        bases: { TARGET_NR_Linux: 6000 },
      }),
    ],
  },
  {
    dir: 'nios2',
    kernel: 'nios2',
    targets: { nios2: 'nios2' },
    macros: ['TARGET_NIOS2'],
    headers: { 'syscall_nr.h': 'nios2' },
    builds: [b(['nios2'], ['nios2'], ['TARGET_NIOS2'])],
  },
  {
    dir: 'openrisc',
    kernel: 'openrisc',
    targets: { or1k: 'openrisc' },
    macros: ['TARGET_OPENRISC'],
    headers: { 'syscall_nr.h': 'openrisc' },
    builds: [b(['or1k'], ['openrisc'], ['TARGET_OPENRISC'])],
  },
  {
    dir: 'ppc',
    kernel: 'powerpc',
    targets: { ppc: 'ppc32', ppc64: 'ppc64', ppc64le: 'ppc64' },
    macros: ['TARGET_PPC', 'TARGET_PPC64'],
    builds: [
      b(['ppc'], ['ppc32'], ['TARGET_PPC'], { test: '!defined(TARGET_PPC64) || defined(TARGET_ABI32)' }),
      b(['ppc64abi32'], ['ppc32'], ['TARGET_PPC', 'TARGET_PPC64', 'TARGET_ABI32'], {
        test: '!defined(TARGET_PPC64) || defined(TARGET_ABI32)',
      }),
      b(['ppc64', 'ppc64le'], ['ppc64'], ['TARGET_PPC', 'TARGET_PPC64'], {
        test: 'defined(TARGET_PPC64) && !defined(TARGET_ABI32)',
      }),
    ],
  },
  {
    dir: 'riscv',
    kernel: 'riscv',
    targets: { riscv32: 'riscv32', riscv64: 'riscv64' },
    macros: ['TARGET_RISCV'],
    headers: { 'syscall32_nr.h': 'riscv32', 'syscall64_nr.h': 'riscv64' },
    builds: [
      b(['riscv32'], ['riscv32'], ['TARGET_RISCV', 'TARGET_RISCV32'], { test: 'defined(TARGET_RISCV32)' }),
      b(['riscv64'], ['riscv64'], ['TARGET_RISCV', 'TARGET_RISCV64'], { test: '!defined(TARGET_RISCV32)' }),
    ],
  },
  {
    dir: 's390x',
    kernel: 's390',
    targets: { s390x: 's390x' },
    macros: ['TARGET_S390X'],
    builds: [b(['s390x'], ['s390x'], ['TARGET_S390X'])],
  },
  {
    dir: 'sh4',
    kernel: 'sh',
    targets: { sh4: 'sh', sh4eb: 'sh' },
    macros: ['TARGET_SH4'],
    builds: [b(['sh4', 'sh4eb'], ['sh'], ['TARGET_SH4'])],
  },
  // QEMU 7.2 builds sparc32plus and sparc64 from sparc/ (TARGET_ABI_DIR); older trees had sparc64/.
  {
    dir: 'sparc',
    kernel: 'sparc',
    targets: { sparc: 'sparc32', sparc32plus: 'sparc32', sparc64: 'sparc64' },
    macros: ['TARGET_SPARC', 'TARGET_SPARC64'],
    builds: [
      b(['sparc'], ['sparc32'], ['TARGET_SPARC'], { test: '!defined(TARGET_SPARC64) || defined(TARGET_ABI32)' }),
      b(['sparc32plus'], ['sparc32'], ['TARGET_SPARC', 'TARGET_SPARC64', 'TARGET_ABI32'], {
        test: '!defined(TARGET_SPARC64) || defined(TARGET_ABI32)',
      }),
      b(['sparc64'], ['sparc64'], ['TARGET_SPARC', 'TARGET_SPARC64'], {
        test: 'defined(TARGET_SPARC64) && !defined(TARGET_ABI32)',
      }),
    ],
  },
  {
    dir: 'sparc64',
    kernel: 'sparc',
    targets: {},
    macros: [],
    builds: [b(['sparc64'], ['sparc64'], ['TARGET_SPARC', 'TARGET_SPARC64'])],
  },
  // Linux dropped tile (QEMU's tilegx) in 4.17 and unicore32 in 5.9.
  { dir: 'tilegx', kernel: 'tile', targets: {}, macros: [], dropped: '4.17' },
  { dir: 'unicore32', kernel: 'unicore32', targets: {}, macros: [], dropped: '5.9' },
  {
    dir: 'x86_64',
    kernel: 'x86',
    targets: { x86_64: 'x86_64' },
    macros: ['TARGET_X86_64'],
    builds: [b(['x86_64'], ['x86_64'], ['TARGET_I386', 'TARGET_X86_64'])],
  },
  {
    dir: 'xtensa',
    kernel: 'xtensa',
    targets: { xtensa: 'xtensa', xtensaeb: 'xtensa' },
    macros: ['TARGET_XTENSA'],
    builds: [b(['xtensa', 'xtensaeb'], ['xtensa'], ['TARGET_XTENSA'])],
  },
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
