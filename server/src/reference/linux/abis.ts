// Every Linux syscall ABI systab knows: which table and ABI tags select its syscalls,
// and how C parameters become argument words on it (the README's "The rules systab applies").
// Alignment of 64-bit arguments follows the ABIs' calling conventions as QEMU applies
// them (regpairs_aligned): MIPS o32, ARM EABI, PPC32, Xtensa and Hexagon align;
// i386, m68k, sh, sparc32, s390 31-bit, parisc32, riscv32 and the rest do not.
import type { TableSource } from '../reference';
import { ARM_CALLS } from './armCalls';
import { archUnistd, GENERIC_UNISTD } from './genericUnistd';
import { AbiWords, O32 } from './words';

export interface AbiDef {
  id: string;
  /** The kernel's arch directory, whose own code defines its entry points. */
  arch: string;
  /** The kernel table (relative to the kernel root) and the ABI tags selected from it. */
  table: string;
  tags: string[];
  /**
   * Where a tree without `table` keeps the same syscalls. The generic ABIs' scripts/syscall.tbl
   * came with Linux 6.11; before it each arch's uapi unistd.h included
   * include/uapi/asm-generic/unistd.h, which the indexer evaluates per ABI into a table
   * under the arch header's path, tagged with the ABI's id (genericUnistd.ts).
   */
  older?: TableSource[];
  words: AbiWords;
  /** The compat column applies (the ABI runs as compat on a 64-bit kernel). */
  compat: boolean;
  /** Added to a table number to get the number in the syscall register. */
  base?: number;
  baseText?: string;
}

const w = (name: string, bits: 32 | 64, align64: boolean, registers: string[]): AbiWords => ({
  name,
  bits,
  align64,
  registers,
});
const r6 = (p: string) => [0, 1, 2, 3, 4, 5].map(i => `${p}${i}`);
export const GENERIC = 'scripts/syscall.tbl';

export const ABIS: AbiDef[] = [
  {
    id: 'o32',
    arch: 'mips',
    table: 'arch/mips/kernel/syscalls/syscall_o32.tbl',
    tags: ['o32'],
    words: O32,
    compat: true,
    base: 4000,
  },
  {
    id: 'n32',
    arch: 'mips',
    table: 'arch/mips/kernel/syscalls/syscall_n32.tbl',
    tags: ['n32'],
    words: w('n32', 64, false, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']),
    compat: true,
    base: 6000,
  },
  {
    id: 'n64',
    arch: 'mips',
    table: 'arch/mips/kernel/syscalls/syscall_n64.tbl',
    tags: ['common', 'n64'],
    words: w('n64', 64, false, ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']),
    compat: false,
    base: 5000,
  },
  {
    id: 'i386',
    arch: 'x86',
    table: 'arch/x86/entry/syscalls/syscall_32.tbl',
    tags: ['i386'],
    words: w('i386', 32, false, ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp']),
    compat: true,
  },
  {
    id: 'x86_64',
    arch: 'x86',
    table: 'arch/x86/entry/syscalls/syscall_64.tbl',
    tags: ['common', '64'],
    words: w('x86_64', 64, false, ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9']),
    compat: false,
  },
  {
    id: 'x32',
    arch: 'x86',
    table: 'arch/x86/entry/syscalls/syscall_64.tbl',
    tags: ['common', 'x32'],
    words: w('x32', 64, false, ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9']),
    compat: true,
    base: 0x40000000,
    baseText: '0x40000000',
  },
  // arm's compat column holds the OABI-compat wrappers (sys_oabi_*), used by OABI only.
  {
    id: 'arm-eabi',
    arch: 'arm',
    table: 'arch/arm/tools/syscall.tbl',
    tags: ['common', 'eabi'],
    words: w('arm-eabi', 32, true, r6('r')),
    compat: false,
  },
  {
    id: 'arm-oabi',
    arch: 'arm',
    table: 'arch/arm/tools/syscall.tbl',
    tags: ['common', 'oabi'],
    words: w('arm-oabi', 32, false, r6('r')),
    compat: true,
    base: 0x900000,
    baseText: '0x900000',
  },
  {
    id: 'arm64',
    arch: 'arm64',
    table: GENERIC,
    tags: ['common', '64', 'renameat', 'rlimit', 'memfd_secret'],
    words: w('arm64', 64, false, r6('x')),
    compat: false,
  },
  {
    id: 'riscv64',
    arch: 'riscv',
    table: GENERIC,
    tags: ['common', '64', 'riscv', 'rlimit', 'memfd_secret'],
    words: w('riscv64', 64, false, r6('a')),
    compat: false,
  },
  {
    id: 'riscv32',
    arch: 'riscv',
    table: GENERIC,
    tags: ['common', '32', 'riscv', 'memfd_secret'],
    words: w('riscv32', 32, false, r6('a')),
    compat: true,
  },
  {
    id: 'loongarch64',
    arch: 'loongarch',
    table: GENERIC,
    tags: ['common', '64'],
    words: w('loongarch64', 64, false, r6('a')),
    compat: false,
  },
  {
    id: 'arc',
    arch: 'arc',
    table: GENERIC,
    tags: ['common', '32', 'arc', 'time32', 'renameat', 'stat64', 'rlimit'],
    words: w('arc', 32, false, r6('r')),
    compat: false,
  },
  {
    id: 'csky',
    arch: 'csky',
    table: GENERIC,
    tags: ['common', '32', 'csky', 'time32', 'stat64', 'rlimit'],
    words: w('csky', 32, false, r6('a')),
    compat: false,
  },
  {
    id: 'hexagon',
    arch: 'hexagon',
    table: GENERIC,
    tags: ['common', '32', 'hexagon', 'time32', 'stat64', 'rlimit', 'renameat'],
    words: w('hexagon', 32, true, r6('r')),
    compat: false,
  },
  {
    id: 'nios2',
    arch: 'nios2',
    table: GENERIC,
    tags: ['common', '32', 'nios2', 'time32', 'stat64', 'renameat', 'rlimit'],
    words: w('nios2', 32, false, r6('r')),
    compat: false,
  },
  {
    id: 'openrisc',
    arch: 'openrisc',
    table: GENERIC,
    tags: ['common', '32', 'or1k', 'time32', 'stat64', 'rlimit', 'renameat'],
    words: w('openrisc', 32, false, r6('r')),
    compat: false,
  },
  {
    id: 'ppc32',
    arch: 'powerpc',
    table: 'arch/powerpc/kernel/syscalls/syscall.tbl',
    tags: ['common', '32', 'nospu'],
    words: w('ppc32', 32, true, ['r3', 'r4', 'r5', 'r6', 'r7', 'r8']),
    compat: true,
  },
  {
    id: 'ppc64',
    arch: 'powerpc',
    table: 'arch/powerpc/kernel/syscalls/syscall.tbl',
    tags: ['common', '64', 'nospu'],
    words: w('ppc64', 64, false, ['r3', 'r4', 'r5', 'r6', 'r7', 'r8']),
    compat: false,
  },
  {
    id: 's390',
    arch: 's390',
    table: 'arch/s390/kernel/syscalls/syscall.tbl',
    tags: ['common', '32'],
    words: w('s390', 32, false, ['r2', 'r3', 'r4', 'r5', 'r6', 'r7']),
    compat: true,
  },
  {
    id: 's390x',
    arch: 's390',
    table: 'arch/s390/kernel/syscalls/syscall.tbl',
    tags: ['common', '64'],
    words: w('s390x', 64, false, ['r2', 'r3', 'r4', 'r5', 'r6', 'r7']),
    compat: false,
  },
  {
    id: 'sparc32',
    arch: 'sparc',
    table: 'arch/sparc/kernel/syscalls/syscall.tbl',
    tags: ['common', '32'],
    words: w('sparc32', 32, false, r6('o')),
    compat: true,
  },
  {
    id: 'sparc64',
    arch: 'sparc',
    table: 'arch/sparc/kernel/syscalls/syscall.tbl',
    tags: ['common', '64'],
    words: w('sparc64', 64, false, r6('o')),
    compat: false,
  },
  {
    id: 'parisc32',
    arch: 'parisc',
    table: 'arch/parisc/kernel/syscalls/syscall.tbl',
    tags: ['common', '32'],
    words: w('parisc32', 32, false, ['r26', 'r25', 'r24', 'r23', 'r22', 'r21']),
    compat: true,
  },
  {
    id: 'parisc64',
    arch: 'parisc',
    table: 'arch/parisc/kernel/syscalls/syscall.tbl',
    tags: ['common', '64'],
    words: w('parisc64', 64, false, ['r26', 'r25', 'r24', 'r23', 'r22', 'r21']),
    compat: false,
  },
  {
    id: 'alpha',
    arch: 'alpha',
    table: 'arch/alpha/kernel/syscalls/syscall.tbl',
    tags: ['common'],
    words: w('alpha', 64, false, r6('a')),
    compat: false,
  },
  {
    id: 'm68k',
    arch: 'm68k',
    table: 'arch/m68k/kernel/syscalls/syscall.tbl',
    tags: ['common'],
    words: w('m68k', 32, false, ['d1', 'd2', 'd3', 'd4', 'd5', 'a0']),
    compat: false,
  },
  {
    id: 'microblaze',
    arch: 'microblaze',
    table: 'arch/microblaze/kernel/syscalls/syscall.tbl',
    tags: ['common'],
    words: w('microblaze', 32, false, ['r5', 'r6', 'r7', 'r8', 'r9', 'r10']),
    compat: false,
  },
  {
    id: 'sh',
    arch: 'sh',
    table: 'arch/sh/kernel/syscalls/syscall.tbl',
    tags: ['common'],
    words: w('sh', 32, false, ['r4', 'r5', 'r6', 'r7', 'r0', 'r1']),
    compat: false,
  },
  {
    id: 'xtensa',
    arch: 'xtensa',
    table: 'arch/xtensa/kernel/syscalls/syscall.tbl',
    tags: ['common'],
    words: w('xtensa', 32, true, ['a6', 'a3', 'a4', 'a5', 'a8', 'a9']),
    compat: false,
  },
];

for (const a of ABIS) if (a.table === GENERIC) a.older = [{ table: archUnistd(a.arch), tags: [a.id] }];
// Before 4.10 ARM's table is arch/arm/kernel/calls.S numbered by unistd.h (armCalls.ts).
for (const a of ABIS) if (a.arch === 'arm') a.older = [{ table: ARM_CALLS, tags: [a.id] }];

/** The ABIs whose syscalls older trees keep in include/uapi/asm-generic/unistd.h. */
export const GENERIC_ABIS = ABIS.filter(a => a.table === GENERIC);

/** What a table source is, in messages: its path, or how the generic header makes it. */
export function tableSourceText(src: TableSource): string {
  if (src.table.endsWith('/uapi/asm/unistd.h'))
    return `${GENERIC_UNISTD} as ${src.table} includes it (${src.tags.join(',')})`;
  if (src.table === ARM_CALLS) return `${ARM_CALLS} with its unistd.h's names (${src.tags.join(',')})`;
  return `${src.table} (${src.tags.join(',')})`;
}

export const abiById = (id: string) => ABIS.find(a => a.id === id);

/** MIPS o32, whose numbers QEMU's o32 tables index from 0 (the guest's v0 is `base` more). */
export const O32_ABI = abiById('o32')!;

/** The number a guest puts in the syscall register for table number `n`. */
export function guestNumber(abi: AbiDef, n: number): string {
  if (!abi.base) return String(n);
  return abi.baseText ? `${abi.baseText} + ${n}` : String(abi.base + n);
}
