// Entry-point names as kernel tables have spelled them over the years, resolved to the
// SYSCALL_DEFINEn / COMPAT_SYSCALL_DEFINEn that implements them (the catalogue keys
// prototypes by `sys_x` / `compat_sys_x`). x86 changed its spelling three times: plain
// names with `stub_*` until 4.9, a `/ptregs` qualifier in 4.10-4.16, `__x64_sys_*`,
// `__ia32_sys_*`, `__ia32_compat_sys_*`, `__x32_compat_sys_*` in 4.17-5.6, and plain names
// again from 5.7 with the build adding the prefix. One canonicaliser serves lookups, hover,
// the word rules and every comparison of two tables of different eras.

/** How a table spells an entry point. */
export type EntryForm =
  | 'plain' // sys_x, compat_sys_x: the SYSCALL_DEFINE's own name
  | 'ptregs' // sys_x/ptregs (4.10-4.16) or ptregs_sys_x: a stub that saves all registers first
  | 'stub' // stub_x (until 4.9): an assembly stub that saves registers, then calls sys_x
  | 'wrapper' // __x64_sys_x, __ia32_sys_x, ... (and other arches' __arm64_sys_x): the pt_regs wrapper
  | 'inner'; // SyS_x, SYSC_x, __se_sys_x, __do_sys_x: what SYSCALL_DEFINE expands to

export interface EntryName {
  /** As the table wrote it. */
  written: string;
  /** The name the implementing SYSCALL_DEFINE gives (`sys_x`, `compat_sys_x`), or the written one. */
  canonical: string;
  /** Other names the implementation may go by, tried in order after `canonical` (stub_x32_*). */
  alternatives: string[];
  form: EntryForm;
  /** The prefix of a pt_regs wrapper (`__x64_`), or the `/ptregs` qualifier. */
  wrapper?: string;
}

/** pt_regs wrapper prefixes: x86's, and the other arches' that took up the scheme. */
const WRAPPER =
  /^(__x64_|__ia32_|__x32_|__arm64_|__riscv_|__s390x_|__s390_|__powerpc_|__loongarch_)((?:compat_)?sys_\w+)$/;
const INNER = /^(SyS_|SYSC_|__se_|__do_)(\w+)$/;

/** `sys_read/ptregs` -> `sys_read`, `__x64_sys_read` -> `sys_read`, `stub_x32_execve` -> `compat_sys_execve`. */
export function entryName(written: string): EntryName {
  let name = written;
  let form: EntryForm = 'plain';
  let wrapper: string | undefined;
  const slash = name.indexOf('/');
  if (slash > 0) {
    wrapper = name.slice(slash);
    name = name.slice(0, slash);
    form = 'ptregs';
  } else if (name.startsWith('ptregs_')) {
    name = name.slice('ptregs_'.length);
    form = 'ptregs';
    wrapper = 'ptregs_';
  }
  const alternatives: string[] = [];
  const w = WRAPPER.exec(name);
  const inner = INNER.exec(name);
  if (w) {
    wrapper = w[1];
    name = w[2];
    form = 'wrapper';
  } else if (inner) {
    // SyS_x and SYSC_x (until 4.16) drop `sys_`; __se_ and __do_ keep it.
    const rest = inner[2];
    name = /^(compat_)?sys_/.test(rest) ? rest : `sys_${rest}`;
    form = 'inner';
  } else if (name.startsWith('stub32_')) {
    // 4.4-4.15's stub32_clone: swaps two arguments of the i386 ABI, then jumps to sys_clone.
    name = `sys_${name.slice('stub32_'.length)}`;
    form = 'stub';
    wrapper = 'stub32_';
  } else if (name.startsWith('stub_')) {
    // stub_x32_execve calls compat_sys_execve; stub_x32_rt_sigreturn calls sys32_x32_rt_sigreturn.
    const rest = name.slice('stub_'.length);
    const x32 = /^x32_(\w+)$/.exec(rest);
    if (x32) {
      name = `compat_sys_${x32[1]}`;
      alternatives.push(`sys32_x32_${x32[1]}`);
    } else name = `sys_${rest}`;
    form = 'stub';
  }
  return { written, canonical: name, alternatives, form, wrapper };
}

/** The implementing name of an entry point (see `entryName`). */
export const canonicalEntry = (written: string) => entryName(written).canonical;

/** Every name to look an entry point's prototype up by: as written first, then what it resolves to. */
export function lookupNames(written: string): string[] {
  const n = entryName(written);
  return [...new Set([written, n.canonical, ...n.alternatives])];
}

/**
 * A line's entry points as one era-free pair, for comparing tables of different eras: each
 * canonical, and a compat entry point that resolves to the native one dropped (4.17-5.6's
 * i386 lines name `__ia32_sys_read` beside `sys_read`; later tables leave the column out).
 */
export function canonicalPair(entry?: string, compat?: string): { entry?: string; compat?: string } {
  const e = entry && canonicalEntry(entry);
  const c = compat && canonicalEntry(compat);
  return { entry: e, compat: c && c !== e ? c : undefined };
}

/** x86's eras of entry-point naming, read off a table's own spellings. */
export type X86Era = 'stub' | 'ptregs' | 'wrapper' | 'plain';

/**
 * The era a table's spellings show: `stub` (up to 4.9: `stub_*` lines), `ptregs` (4.10-4.16:
 * `/ptregs`), `wrapper` (4.17-5.6: `__x64_sys_*`), `plain` (5.7 on, or a table with none of
 * these, such as any era's i386 table before 4.17).
 */
export function x86Era(entries: readonly { entry?: string; compat?: string }[]): X86Era {
  let named = 0;
  let wrappers = 0;
  let ptregs = false;
  let stub = false;
  for (const e of entries)
    for (const n of [e.entry, e.compat]) {
      if (!n) continue;
      named++;
      const f = entryName(n);
      if (f.form === 'wrapper' && /^__(x64|ia32|x32)_$/.test(f.wrapper ?? '')) wrappers++;
      if (f.form === 'ptregs' || n.includes('/')) ptregs = true;
      else if (f.form === 'stub') stub = true;
    }
  // One odd line does not make an era: 4.17-5.6 spelt most of a table so.
  if (wrappers * 4 >= named && wrappers > 0) return 'wrapper';
  return ptregs ? 'ptregs' : stub ? 'stub' : 'plain';
}

/** The pt_regs wrapper prefix x86's build (5.7 on) puts before a table's name: `__ia32_` for i386 (arch/x86/entry/syscall_32.c), `__x64_` for the 64-bit table's lines, x32's too (syscall_64.c, syscall_x32.c). */
const x86Prefix = (abi: string) => (abi === 'i386' ? '__ia32_' : '__x64_');

/**
 * Which symbol an x86 kernel really calls for an entry point of a table line, and how the
 * name the table gives becomes it ("truth in advertising": the table's `sys_read` is not a
 * symbol of a 5.7+ kernel at all). Undefined for other arches' tables.
 */
export function x86CalledSymbol(
  written: string,
  abi: string,
  era: X86Era,
): { symbol: string; how: string } | undefined {
  if (!['i386', 'common', '64', 'x32'].includes(abi)) return undefined;
  const n = entryName(written);
  const define = n.canonical;
  const by = /^compat_/.test(define) ? 'COMPAT_SYSCALL_DEFINE' : 'SYSCALL_DEFINE';
  if (!/^(compat_)?sys_/.test(define))
    return { symbol: written, how: `an arch function of its own name (no ${by} wrapper)` };
  switch (n.form) {
    case 'stub':
      return {
        symbol: written,
        how:
          n.wrapper === 'stub32_'
            ? `an assembly stub in arch/x86/entry/entry_64_compat.S that reorders the i386 arguments, then jumps to \`${define}\``
            : `an assembly stub in arch/x86/entry/entry_64.S that saves the registers, then calls \`${define}\``,
      };
    case 'ptregs':
      return {
        symbol: `ptregs_${define}`,
        how: `a stub in arch/x86/entry/entry_64.S that saves all registers, then jumps to \`${define}\` (what the \`/ptregs\` qualifier asks for)`,
      };
    case 'wrapper':
      return {
        symbol: written.replace(/\/.*$/, ''),
        how: `the pt_regs wrapper ${by} makes (arch/x86/include/asm/syscall_wrapper.h), which unpacks the registers and calls \`__se_${define}\`, then \`__do_${define}\`${written.includes('/') ? '; from 4.17 the table ignores the `/ptregs` qualifier, every entry getting the registers' : ''}`,
      };
    case 'inner':
      return { symbol: written, how: `a function ${by} expands to` };
  }
  if (era === 'plain') {
    const file = abi === 'i386' ? 'syscall_32.c' : abi === 'x32' ? 'syscall_x32.c' : 'syscall_64.c';
    return {
      symbol: `${x86Prefix(abi)}${define}`,
      how: `from Linux 5.7 arch/x86/entry/${file} prefixes the table's name and calls the pt_regs wrapper ${by} makes; a kernel before 4.17 calls \`${define}\` itself`,
    };
  }
  // 4.17-5.6: a plain name is called as written; the i386 native column only by a 32-bit kernel.
  return abi === 'i386'
    ? {
        symbol: define,
        how: 'the native column, which only a 32-bit kernel calls, by this name (i386 got pt_regs wrappers in 5.7)',
      }
    : { symbol: define, how: "the table's own name, called as written" };
}
