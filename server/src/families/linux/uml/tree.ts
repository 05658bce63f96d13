// What UML's table needs to know of the rest of its kernel tree, read by known paths through
// the Workspace: which code UML builds (arch/x86/um/Makefile), which entry points fall back to
// `sys_ni_syscall` when nothing defines them (kernel/sys_ni.c), under which option x86 builds
// its own files (arch/x86/kernel/Makefile), and whether the `.tbl` generator renames entries
// for UML (4.17-5.6's syscalltbl.sh strips `__x64_sys`).
import * as path from 'path';
import { splitLines } from '../../../core/text';
import type { Reader } from '../../../core/reader';

export const SYS_NI = 'kernel/sys_ni.c';
export const UML_MAKEFILE = 'arch/x86/um/Makefile';
export const X86_KERNEL_MAKEFILE = 'arch/x86/kernel/Makefile';
export const TBL_GENERATOR = 'arch/x86/entry/syscalls/syscalltbl.sh';

/** `COND_SYSCALL(x);`, `COND_SYSCALL_COMPAT(x);` (4.17 on) and `cond_syscall(sys_x);` (before): weak `sys_ni_syscall` aliases. */
export function condSyscalls(text: string): Map<string, number> {
  const out = new Map<string, number>();
  splitLines(text).forEach((l, n) => {
    const m = /^\s*(COND_SYSCALL|COND_SYSCALL_COMPAT|cond_syscall)\s*\(\s*(\w+)\s*\)/.exec(l);
    if (!m) return;
    const name = m[1] === 'COND_SYSCALL' ? `sys_${m[2]}` : m[1] === 'COND_SYSCALL_COMPAT' ? `compat_sys_${m[2]}` : m[2];
    if (!out.has(name)) out.set(name, n);
  });
  return out;
}

/** Make's lines with `\` continuations joined, each with the line it starts on. */
function makeLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let cur: { line: number; text: string } | undefined;
  splitLines(text).forEach((raw, n) => {
    const l = raw.replace(/\r$/, '').replace(/(^|[^\\])#.*$/, '$1');
    if (cur) cur.text += ' ' + l;
    else cur = { line: n, text: l };
    if (cur.text.endsWith('\\')) cur.text = cur.text.slice(0, -1);
    else {
      out.push(cur);
      cur = undefined;
    }
  });
  if (cur) out.push(cur);
  return out;
}

/** What UML builds for one word size: source files and directories, relative to the kernel root. */
export interface UmlBuild {
  files: Set<string>;
  dirs: string[];
}

/**
 * The objects arch/x86/um/Makefile builds for `bits`: `obj-*` and `subarch-*` lists (the
 * latter are x86's own files UML borrows, `../kernel/sys_ia32.o`), with `$(BITS)` and `$(OS)`
 * put in and `ifeq ($(CONFIG_X86_32),y)` chosen by the word size. Other conditions count as
 * met: an object any configuration builds is one UML can link.
 */
export function umlBuild(makefile: string, bits: 32 | 64): UmlBuild {
  const files = new Set<string>();
  const dirs: string[] = [];
  const stack: boolean[] = [];
  const active = () => stack.every(x => x);
  for (const { text } of makeLines(makefile)) {
    const t = text.trim();
    const cond = /^(ifeq|ifneq)\s*\(\s*\$\(CONFIG_X86_32\)\s*,\s*y\s*\)/.exec(t);
    if (cond) stack.push((bits === 32) === (cond[1] === 'ifeq'));
    else if (/^(ifeq|ifneq|ifdef|ifndef)\b/.test(t)) stack.push(true);
    else if (/^else\b/.test(t)) stack.push(!stack.pop());
    else if (/^endif\b/.test(t)) stack.pop();
    if (!active()) continue;
    const m = /^(obj|subarch)-(?:y|\$\([\w-]+\))\s*[:+]?=\s*(.*)$/.exec(t);
    if (!m) continue;
    for (let w of m[2].split(/\s+/).filter(x => x)) {
      w = w.replace(/\$\(BITS\)/g, String(bits)).replace(/\$\(OS\)/g, 'Linux');
      const rel = path.posix.normalize(`arch/x86/um/${w}`);
      if (w.endsWith('/')) dirs.push(rel.endsWith('/') ? rel : `${rel}/`);
      else if (w.endsWith('.o')) files.add(rel.slice(0, -2) + '.c');
    }
  }
  return { files, dirs };
}

/** Whether UML builds the code in `file` (relative to the kernel root). */
export function umlBuilds(build: UmlBuild, file: string): boolean {
  if (!file.startsWith('arch/')) return true; // generic code
  if (file.startsWith('arch/um/')) return true;
  if (file.startsWith('arch/x86/um/')) return build.files.has(file) || build.dirs.some(d => file.startsWith(d));
  return build.files.has(file);
}

/** `obj-$(CONFIG_UPROBES) += uprobes.o` in arch/x86/kernel/Makefile: the option a file is built under, with its line. */
export function x86KernelObjects(makefile: string): Map<string, { config?: string; line: number }> {
  const out = new Map<string, { config?: string; line: number }>();
  for (const { line, text } of makeLines(makefile)) {
    const m = /^\s*obj-(y|\$\((CONFIG_\w+)\))\s*[:+]?=\s*(.*)$/.exec(text);
    if (!m) continue;
    for (const w of m[3].split(/\s+/)) {
      const file = `arch/x86/kernel/${w.slice(0, -2)}.c`;
      if (w.endsWith('.o') && !out.has(file)) out.set(file, { config: m[2], line });
    }
  }
  return out;
}

/** 4.17-5.6: syscalltbl.sh gives UML `sys_x` for a `.tbl`'s `__x64_sys_x` (`umlentry`). */
export const generatorStripsX64 = (script: string | undefined) => !!script && script.includes('${entry#__x64_sys}');

/** The tree's facts UML's table depends on, each file read once through the Workspace. */
export interface UmlTree {
  root: string;
  condSyscalls: Map<string, number>;
  build: UmlBuild;
  x86Objects: Map<string, { config?: string; line: number }>;
  stripsX64: boolean;
}

export function readUmlTree(root: string, bits: 32 | 64, io: Reader): UmlTree {
  const read = (rel: string) => io.read(path.join(root, rel));
  return {
    root,
    condSyscalls: condSyscalls(read(SYS_NI) ?? ''),
    build: umlBuild(read(UML_MAKEFILE) ?? '', bits),
    x86Objects: x86KernelObjects(read(X86_KERNEL_MAKEFILE) ?? ''),
    stripsX64: generatorStripsX64(read(TBL_GENERATOR)),
  };
}
