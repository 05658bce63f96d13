// The generic syscall table as Linux wrote it before scripts/syscall.tbl (6.11):
// include/uapi/asm-generic/unistd.h, `#define __NR_x N` with `__SYSCALL(__NR_x, sys_x)` and
// friends under `#ifdef __ARCH_WANT_*` / `__BITS_PER_LONG` tests, evaluated for one ABI the
// way the preprocessor does when the arch's own arch/<arch>/include/uapi/asm/unistd.h
// includes it: the `__ARCH_WANT_*` it defines before, the numbers, renames, `#undef`s and
// private syscalls after. In 6.11 and later the arch header includes the generated
// asm/unistd_{32,64}.h instead, and the wants are ABI tags in arch/<arch>/kernel/Makefile.syscalls
// (`syscall_abis_64 += renameat rlimit`): they are mapped back onto the header's tests.
//
// The invocation macros are known by name, with the meaning the header gives them and the
// columns scripts/syscall.tbl writes for them: `__SYSCALL(nr, e)` and `__SC_WRAP(nr, e)` an
// entry point, `__SC_COMP(nr, e, compat)` an entry point and its compat one,
// `__SC_3264(nr, e32, e64)` one by `__BITS_PER_LONG`, `__SC_COMP_3264(nr, e32, e64, compat)`
// the same with the compat entry point on 32 bits only: the .tbl's `64` lines have none.
// No disk: io/kernelIndex.ts hands the files in.
import type { TableEntry } from '../reference';
import { splitLines } from '../../core/text';
import { evalCondition, evalExpr } from '../../syntax/c/defines';
import { Conditionals, preprocessorLines } from '../../syntax/c/preprocessor';

export const GENERIC_UNISTD = 'include/uapi/asm-generic/unistd.h';
export const archUnistd = (arch: string) => `arch/${arch}/include/uapi/asm/unistd.h`;
export const makefileSyscalls = (arch: string) => `arch/${arch}/kernel/Makefile.syscalls`;

export interface SourceFile {
  /** Relative to the kernel root. */
  path: string;
  text: string;
}

export interface GenericTableInput {
  /** The tag the entries get (the ABI's id: `arm64`, `riscv32`). */
  abi: string;
  bits: 32 | 64;
  /** arch/<arch>/include/uapi/asm/unistd.h. */
  arch: SourceFile;
  /** include/uapi/asm-generic/unistd.h. */
  generic: SourceFile;
  /** arch/<arch>/kernel/Makefile.syscalls (Linux 6.11 and later), when the tree has it. */
  makefile?: SourceFile;
}

/** A table entry with the file its line is in (the generic header or the arch's). */
export type GenericEntry = TableEntry & { file: string };

export interface GenericTable {
  entries: GenericEntry[];
  /** The `__ARCH_WANT_*` (and other) macros the table was read under, sorted. */
  wants: string[];
  /** What could not be read, as `path:line: message`. */
  problems: string[];
}

/**
 * The scripts/syscall.tbl ABI tags (Linux 6.11's scripts/Makefile.asm-headers and the arches'
 * Makefile.syscalls) as the `__ARCH_WANT_*` tests of the generic header they replaced. The
 * arch's own tags (`riscv`, `or1k`, ...) name its private syscalls, which 6.11 and later keep
 * only in scripts/syscall.tbl.
 */
export const TAG_WANTS: Record<string, string[]> = {
  time32: ['__ARCH_WANT_TIME32_SYSCALLS'],
  renameat: ['__ARCH_WANT_RENAMEAT'],
  stat64: ['__ARCH_WANT_STAT64'],
  newstat: ['__ARCH_WANT_NEW_STAT'],
  rlimit: ['__ARCH_WANT_SET_GET_RLIMIT'],
  memfd_secret: ['__ARCH_WANT_MEMFD_SECRET'],
  // scripts/syscall.tbl's `64` lines have newfstatat and fstat, the `common` ones clone3.
  64: ['__ARCH_WANT_NEW_STAT'],
  common: ['__ARCH_WANT_SYS_CLONE3'],
};

/** The ABI tags `syscall_abis_<bits>` collects: Makefile.asm-headers' `common,<bits>` and the arch's. */
export function makefileTags(text: string, bits: 32 | 64): string[] {
  const tags = ['common', String(bits)];
  const re = new RegExp(`^\\s*syscall_abis_${bits}\\s*(\\+|:)?=(.*)$`, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const words = m[2]
      .replace(/#.*/, '')
      .split(/[\s,]+/)
      .filter(Boolean);
    if (m[1] === '+') tags.push(...words);
    else tags.splice(0, tags.length, ...words);
  }
  return [...new Set(tags)];
}

const INVOCATION = /^\s*(__SYSCALL|__SC_COMP_3264|__SC_COMP|__SC_3264|__SC_WRAP)\s*\(([^)]*)\)\s*;?\s*$/;

/** A line of the generic header's invocations (`__SC_COMP(__NR_x, sys_x, compat_sys_x)`): its macro and arguments. */
export function readInvocation(code: string): { macro: string; args: string[] } | undefined {
  const m = INVOCATION.exec(code);
  return m ? { macro: m[1], args: m[2].split(',').map(a => a.trim()) } : undefined;
}
/** `#include`s that stand for the generic list: the header itself, or 6.11's generated one. */
const GENERIC_INCLUDE = /^\s*<\s*asm-generic\/unistd\.h\s*>/;
const GENERATED_INCLUDE = /^\s*<\s*asm\/unistd_(32|64)\.h\s*>/;

interface Invocation {
  macro: string;
  number: number;
  entry?: string;
  compat?: string;
  file: string;
  line: number;
}

/** One ABI's table from the generic header as the arch's header includes it. */
export function readGenericTable(input: GenericTableInput): GenericTable {
  const problems: string[] = [];
  const macros = new Map<string, string>(); // object-like: name -> body
  const functions = new Set<string>(); // function-like: defined, bodies not needed
  macros.set('__BITS_PER_LONG', String(input.bits));
  if (input.bits === 64) macros.set('__LP64__', '1');
  const isDefined = (n: string) => macros.has(n) || functions.has(n);
  const value = (name: string, depth = 0): number | undefined => {
    const body = macros.get(name);
    if (body === undefined || depth > 20) return undefined;
    return evalExpr(body, n => value(n, depth + 1));
  };
  /** An entry point's name once object-like macros are applied (`sys_mmap2` -> `sys_mmap_pgoff`). */
  const entryName = (name: string) => {
    for (let i = 0; i < 20 && macros.has(name) && /^[A-Za-z_]\w*$/.test(macros.get(name)!); i++)
      name = macros.get(name)!;
    return name;
  };
  const calls: Invocation[] = [];
  let sawGeneric = false;

  const run = (file: SourceFile, depth: number) => {
    const lines = preprocessorLines(splitLines(file.text));
    // Each branch's value: whether its lines are read (its test true, no earlier one, the group read).
    const stack = new Conditionals<{ active: boolean; taken: boolean; line: number; bits: boolean }>();
    const active = () => stack.open.every(g => g.branches[g.branches.length - 1].value.active);
    const where = (n: number) => `${file.path}:${n + 1}`;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i];
      let code = l.code;
      const first = i;
      // A directive or an invocation continued with `\` is one logical line.
      while (code.trimEnd().endsWith('\\') && i + 1 < lines.length)
        code = code.trimEnd().slice(0, -1) + lines[++i].code;
      if (!l.directive) {
        if (!code.trim() || !active()) continue;
        // An invocation may also go on without `\` until its parenthesis closes.
        while (code.includes('(') && !code.includes(')') && i + 1 < lines.length) code += lines[++i].code;
        const inv = readInvocation(code);
        if (!inv) {
          problems.push(`${where(first)}: not read: ${code.trim()}`);
          continue;
        }
        const { args } = inv;
        const arity = { __SYSCALL: 2, __SC_WRAP: 2, __SC_COMP: 3, __SC_3264: 3, __SC_COMP_3264: 4 }[inv.macro]!;
        if (args.length !== arity) {
          problems.push(`${where(first)}: ${inv.macro} takes ${arity} arguments, not ${args.length}`);
          continue;
        }
        const number = /^[A-Za-z_]\w*$/.test(args[0]) ? value(args[0]) : evalExpr(args[0], n => value(n));
        if (number === undefined) {
          problems.push(`${where(first)}: ${args[0]} has no number here`);
          continue;
        }
        // A 64-bit ABI's line has a compat entry point only where a 32-bit ABI sees the
        // same line (the .tbl's `common` ones): not under a `__BITS_PER_LONG` test, not a
        // `__NR3264_` number (named by the bits).
        const shared =
          input.bits === 32 ||
          (!args[0].startsWith('__NR3264_') && !stack.open.some(g => g.branches.some(b => b.value.bits)));
        let entry = args[1],
          compat: string | undefined;
        if (inv.macro === '__SC_COMP') compat = shared ? args[2] : undefined;
        else if (inv.macro === '__SC_3264') entry = input.bits === 32 ? args[1] : args[2];
        else if (inv.macro === '__SC_COMP_3264') {
          entry = input.bits === 32 ? args[1] : args[2];
          compat = input.bits === 32 ? args[3] : undefined;
        }
        calls.push({
          macro: args[0],
          number,
          entry: entryName(entry),
          compat: compat && entryName(compat),
          file: file.path,
          line: first,
        });
        continue;
      }
      const d = l.directive;
      const rest = code.slice(d.restStart);
      const name = d.name;
      if (name === 'if' || name === 'ifdef' || name === 'ifndef' || name === 'elif' || name === 'else') {
        const g = name === 'if' || name === 'ifdef' || name === 'ifndef' ? undefined : stack.top;
        if (!g && (name === 'elif' || name === 'else')) {
          problems.push(`${where(first)}: #${name} without #if`);
          continue;
        }
        const outer = stack.open
          .slice(0, g ? -1 : undefined)
          .every(x => x.branches[x.branches.length - 1].value.active);
        const earlier = g ? g.branches.some(b => b.value.taken) : false;
        const ident = rest.trim().split(/\s/)[0];
        const test =
          name === 'else'
            ? 1
            : name === 'ifdef'
              ? Number(isDefined(ident))
              : name === 'ifndef'
                ? Number(!isDefined(ident))
                : evalCondition(rest, isDefined, n => value(n));
        if (test === undefined) problems.push(`${where(first)}: cannot evaluate #${name} ${rest.trim()}`);
        const taken = !earlier && !!test;
        stack.step(name, () => ({
          active: outer && taken,
          taken: earlier || taken,
          line: first,
          bits: /\b__BITS_PER_LONG\b/.test(rest),
        }));
        continue;
      }
      if (name === 'endif') {
        if (stack.step('endif', () => ({ active: false, taken: false, line: first, bits: false })) === 'without-if')
          problems.push(`${where(first)}: #endif without #if`);
        continue;
      }
      if (!active()) continue;
      if (name === 'define') {
        const m = /^\s*([A-Za-z_]\w*)(\()?\s*(.*)$/.exec(rest);
        if (!m) continue;
        if (m[2]) functions.add(m[1]);
        else macros.set(m[1], m[3].trim());
      } else if (name === 'undef') {
        const m = /^\s*([A-Za-z_]\w*)/.exec(rest);
        if (m) {
          macros.delete(m[1]);
          functions.delete(m[1]);
        }
      } else if (name === 'include' && depth === 0) {
        const gen = GENERATED_INCLUDE.exec(rest);
        if (GENERIC_INCLUDE.test(rest) || (gen && Number(gen[1]) === input.bits && input.makefile)) {
          if (gen) {
            // Linux 6.11 on: the generated list, whose ABI tags Makefile.syscalls names.
            for (const tag of makefileTags(input.makefile!.text, input.bits))
              for (const w of TAG_WANTS[tag] ?? []) macros.set(w, '1');
          }
          sawGeneric = true;
          run(input.generic, depth + 1);
        }
      }
    }
    for (const g of stack.open) problems.push(`${where(g.branches[0].value.line)}: this #if has no #endif`);
  };
  run(input.arch, 0);
  if (!sawGeneric)
    problems.push(
      `${input.arch.path} includes neither <asm-generic/unistd.h> nor <asm/unistd_${input.bits}.h>` +
        (input.makefile ? '' : ' with a Makefile.syscalls'),
    );

  // Names from the macros defined at the end (renames and #undefs after the include
  // applied): the invocation's own `__NR_x`, else the `__NR_y` defined as it (`__NR_fcntl64
  // __NR3264_fcntl`), else any `__NR_y` of the number (hexagon's `__NR_sync_file_range2 84`).
  const NOT_SYSCALLS = new Set(['__NR_syscalls', '__NR_arch_specific_syscall']);
  const byNumber = new Map<number, string[]>();
  const aliases = new Map<string, string>();
  for (const [m, body] of macros) {
    if (!m.startsWith('__NR_') || NOT_SYSCALLS.has(m)) continue;
    const v = value(m);
    if (v !== undefined) byNumber.set(v, [...(byNumber.get(v) ?? []), m]);
    if (/^[A-Za-z_]\w*$/.test(body) && !aliases.has(body)) aliases.set(body, m);
  }
  const seen = new Set<number>();
  const entries: GenericEntry[] = [];
  for (const c of calls) {
    const own = c.macro.startsWith('__NR_') && value(c.macro) === c.number ? c.macro : undefined;
    const alias = aliases.get(c.macro);
    const named = own ?? (alias && value(alias) === c.number ? alias : undefined) ?? byNumber.get(c.number)?.[0];
    if (!named) {
      problems.push(`${c.file}:${c.line + 1}: ${c.macro} (${c.number}) has no __NR_ name for ${input.abi}`);
      continue;
    }
    if (seen.has(c.number)) {
      problems.push(`${c.file}:${c.line + 1}: ${c.number} is given twice for ${input.abi}`);
      continue;
    }
    seen.add(c.number);
    entries.push({
      number: c.number,
      abi: input.abi,
      name: named.slice('__NR_'.length),
      entry: c.entry,
      ...(c.compat ? { compat: c.compat } : {}),
      line: c.line,
      file: c.file,
    });
  }
  entries.sort((a, b) => a.number - b.number);
  const wants = [...macros.keys()].filter(m => m.startsWith('__ARCH_WANT_')).sort();
  return { entries, wants, problems };
}
