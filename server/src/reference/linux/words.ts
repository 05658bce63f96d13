// How C parameters become argument words on an ABI (the rules in the README's "The rules systab applies").
import { Param } from './params';

export interface AbiWords {
  name: string;
  /** Bits in one argument word. */
  bits: 32 | 64;
  /** A 64-bit argument starts on an even word (o32, ARM EABI, PPC32). */
  align64: boolean;
  /** Arguments passed in registers; later ones come from the stack. */
  registers: string[];
  /** Where stack words start, for the layout text (`sp+16` on o32). */
  stack?: { base: string; offset: number; step: number };
}

export const O32: AbiWords = {
  name: 'o32',
  bits: 32,
  align64: true,
  registers: ['a0', 'a1', 'a2', 'a3'],
  stack: { base: 'sp', offset: 16, step: 4 },
};

const SIXTY_FOUR = new Set([
  'loff_t',
  'u64',
  '__u64',
  's64',
  '__s64',
  'long long',
  'unsigned long long',
  'long long int',
  'unsigned long long int',
  'signed long long',
  '__kernel_loff_t',
  'uint64_t',
  'int64_t',
  'u_int64_t',
  'off64_t',
  '__aligned_u64',
  'aligned_u64',
  'compat_loff_t',
  'compat_u64',
  'compat_s64',
  '__le64',
  '__be64',
]);

/** The type with qualifiers and annotations removed, spaces normalised. */
export function baseType(type: string): string {
  return type
    .replace(/\b(const|volatile|__user|__force|__restrict|restrict|register)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const isPointer = (type: string) => type.includes('*') || type.includes('[');

/** True for a 64-bit scalar: two words on a 32-bit ABI. */
export function is64(type: string): boolean {
  if (isPointer(type)) return false;
  return SIXTY_FOUR.has(baseType(type));
}

export interface Word {
  /** Index of the parameter this word carries, or -1 for padding. */
  param: number;
  part: 'whole' | 'lo' | 'hi' | 'pad';
}

/**
 * The words a native (type-level) prototype needs. A 64-bit scalar on a 32-bit ABI takes
 * two words and, where the ABI aligns it, starts on an even word after a padding word.
 */
export function layout(params: Param[], abi: AbiWords): Word[] {
  const words: Word[] = [];
  params.forEach((p, i) => {
    if (abi.bits === 32 && is64(p.type)) {
      if (abi.align64 && words.length % 2 === 1) words.push({ param: -1, part: 'pad' });
      words.push({ param: i, part: 'lo' }, { param: i, part: 'hi' });
    } else {
      words.push({ param: i, part: 'whole' });
    }
  });
  return words;
}

/** A compat or arch wrapper's parameters already are the words: one each. */
export function wordLayout(params: Param[]): Word[] {
  return params.map((_, i) => ({ param: i, part: 'whole' as const }));
}

/** Where word `i` is read from: a register or a stack slot. */
export function wordPlace(abi: AbiWords, i: number): string {
  if (i < abi.registers.length) return abi.registers[i];
  const s = abi.stack;
  if (!s) return `word ${i}`;
  return `${s.base}+${s.offset + (i - abi.registers.length) * s.step}`;
}
