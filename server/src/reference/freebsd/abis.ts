// FreeBSD's argument words per ABI, by QEMU bsd-user TARGET_ARCH. A 64-bit ABI passes one
// register per argument. On a 32-bit ABI a 64-bit scalar (`off_t`, `dev_t`, `id_t`,
// `int64_t`, ...) takes two words: i386 reads them from the stack with no alignment;
// 32-bit arm (EABI) and 32-bit powerpc start it on an even word, after a padding word
// where needed. syscalls.master does not write that pad for current syscalls (FreeBSD's
// generator inserts it for the freebsd32 ABI), so the words here come from the types.
import type { MasterParam } from './master';

export interface FreeBsdAbi {
  /** QEMU's TARGET_ARCH for bsd-user (`x86_64`, `i386`, `arm`). */
  arch: string;
  bits: 32 | 64;
  /** A 64-bit argument starts on an even word. */
  align64: boolean;
  /** Where the words are read from, in order; past the end, the stack. */
  registers: string[];
  /** The stack slots after the registers: `base+offset`, `+step` each. */
  stack?: { base: string; offset: number; step: number };
}

export const FREEBSD_ABIS: readonly FreeBsdAbi[] = [
  { arch: 'x86_64', bits: 64, align64: false, registers: ['rdi', 'rsi', 'rdx', 'r10', 'r8', 'r9'] },
  { arch: 'aarch64', bits: 64, align64: false, registers: ['x0', 'x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7'] },
  { arch: 'riscv64', bits: 64, align64: false, registers: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'] },
  { arch: 'powerpc64', bits: 64, align64: false, registers: ['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10'] },
  { arch: 'i386', bits: 32, align64: false, registers: [], stack: { base: 'esp', offset: 4, step: 4 } },
  {
    arch: 'arm',
    bits: 32,
    align64: true,
    registers: ['r0', 'r1', 'r2', 'r3'],
    stack: { base: 'sp', offset: 0, step: 4 },
  },
  {
    arch: 'powerpc',
    bits: 32,
    align64: true,
    registers: ['r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10'],
  },
];

export const freebsdAbi = (arch: string) => FREEBSD_ABIS.find(a => a.arch === arch);

/** FreeBSD's always-64-bit scalar types. */
const SIXTY_FOUR = new Set([
  'off_t',
  'dev_t',
  'id_t',
  'int64_t',
  'uint64_t',
  'u_int64_t',
  '__int64_t',
  '__uint64_t',
  'quad_t',
  'u_quad_t',
  'long long',
  'unsigned long long',
  'rlim_t',
  'kpaddr_t',
  'vm_ooffset_t',
]);

/** The type without qualifiers, spaces normalised. */
export const bareType = (t: string) =>
  t
    .replace(/\b(const|volatile|restrict|__restrict)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

export const isPointerType = (t: string) => t.includes('*') || t.includes('[');

export const is64bit = (t: string) => !isPointerType(t) && SIXTY_FOUR.has(bareType(t));

export interface FbsdWord {
  /** The parameter this word carries, or -1 for padding. */
  param: number;
  part: 'whole' | 'lo' | 'hi' | 'pad';
}

/** The argument words a prototype's parameters take on an ABI. */
export function freebsdWords(params: readonly MasterParam[], abi: FreeBsdAbi): FbsdWord[] {
  const out: FbsdWord[] = [];
  params.forEach((p, i) => {
    if (abi.bits === 32 && is64bit(p.type)) {
      if (abi.align64 && out.length % 2 === 1) out.push({ param: -1, part: 'pad' });
      out.push({ param: i, part: 'lo' }, { param: i, part: 'hi' });
    } else out.push({ param: i, part: 'whole' });
  });
  return out;
}

/** Where word `i` is read from. */
export function wordSlot(abi: FreeBsdAbi, i: number): string {
  if (i < abi.registers.length) return abi.registers[i];
  const s = abi.stack;
  if (!s) return `word ${i}`;
  const off = s.offset + (i - abi.registers.length) * s.step;
  return off ? `${s.base}+${off}` : s.base;
}

/** `fd, buf, nbyte, pad, offset(lo), offset(hi)`: the words in one line. */
export function wordsText(params: readonly MasterParam[], words: FbsdWord[]): string {
  return words
    .map(w =>
      w.part === 'pad' ? 'pad' : w.part === 'whole' ? params[w.param].name : `${params[w.param].name}.${w.part}`,
    )
    .join(', ');
}
