// User-mode Linux's x86 syscall tables: `arch/x86/um/sys_call_table_{32,64}.c` build UML's
// table from the host's `.tbl` (through the generated `asm/syscalls_{32,64}.h`), renaming
// entries with object-like `#define`s first (`#define sys_iopl sys_ni_syscall`: no hardware);
// `arch/x86/um/shared/sysdep/syscalls_{32,64}.h` declare the entries UML writes itself.
import { splitLines } from '../../../core/text';
import { Range, range } from '../../../core/types';
import { readDefines } from '../../../syntax/c/defines';

/** One of UML's two x86 tables: its files and what it takes from the host's `.tbl`. */
export interface UmlTable {
  bits: 32 | 64;
  /** The table file, relative to the kernel root. */
  table: string;
  /** The host table it is built from, and the ABI tags it takes. */
  tbl: string;
  tags: readonly string[];
  /** The header UML's own entry points are declared in. */
  header: string;
  /** What the table file includes to list the host's entries. */
  generated: string;
}

export const UML_TABLES: readonly UmlTable[] = [
  {
    bits: 64,
    table: 'arch/x86/um/sys_call_table_64.c',
    tbl: 'arch/x86/entry/syscalls/syscall_64.tbl',
    // arch/x86/entry/syscalls/Makefile: syscalls_64.h takes `abis := common,64` (x32 is not UML's).
    tags: ['common', '64'],
    header: 'arch/x86/um/shared/sysdep/syscalls_64.h',
    generated: 'asm/syscalls_64.h',
  },
  {
    bits: 32,
    table: 'arch/x86/um/sys_call_table_32.c',
    tbl: 'arch/x86/entry/syscalls/syscall_32.tbl',
    // The native column: UML is a 32-bit kernel (`__SYSCALL_WITH_COMPAT` takes `native`).
    tags: ['i386'],
    header: 'arch/x86/um/shared/sysdep/syscalls_32.h',
    generated: 'asm/syscalls_32.h',
  },
];

const posix = (f: string) => f.replace(/\\/g, '/');
/** The kernel root a file at `rel` below it sits in, without a trailing separator. */
const rootOf = (file: string, rel: string) =>
  file.slice(0, file.length - rel.length).replace(/[\\/]$/, '') || (/^[\\/]/.test(file) ? file[0] : '.');

/** The UML table a file is (its table file or its header), and the kernel root it sits in. */
export function umlFileOf(file: string): { table: UmlTable; root: string; role: 'table' | 'header' } | undefined {
  const f = posix(file);
  for (const t of UML_TABLES) {
    for (const [rel, role] of [
      [t.table, 'table'],
      [t.header, 'header'],
    ] as const) {
      if (f === rel || f.endsWith(`/${rel}`)) return { table: t, root: rootOf(file, rel), role };
    }
  }
  return undefined;
}

/** The UML table a host `.tbl` feeds, and the kernel root, when `file` is one. */
export function umlTableOfTbl(file: string): { table: UmlTable; root: string } | undefined {
  const f = posix(file);
  const t = UML_TABLES.find(x => f.endsWith(`/${x.tbl}`) || f === x.tbl);
  return t && { table: t, root: rootOf(file, t.tbl) };
}

/** `#define sys_iopl sys_ni_syscall`: an entry of the host's table renamed before UML links it. */
export interface UmlOverride {
  from: string;
  to: string;
  line: number;
  ranges: { from: Range; to: Range; line: Range };
  /** The comment block just above, which says why (`Not going to be implemented by UML, ...`). */
  why?: string;
}

export interface UmlTableFile {
  file: string;
  overrides: UmlOverride[];
  /** The `#include <asm/syscalls_NN.h>` lines: where the host's entries become the table. */
  includes: { line: number; range: Range }[];
  /**
   * Qualifier macros it defines (`__SYSCALL_64_QUAL_ptregs`), when it pastes `QUAL_##qual`
   * onto entries; undefined when it ignores a line's `/ptregs` qualifier, as UML's 4.10-4.16
   * `__SYSCALL_64(nr, sym, qual)` did.
   */
  qualifiers?: Set<string>;
}

export interface UmlHeaderFile {
  file: string;
  /** `extern syscall_handler_t sys_modify_ldt;`: entries UML says it defines. */
  externs: { name: string; line: number; range: Range; lineRange: Range }[];
}

const IDENT = /^[A-Za-z_]\w*$/;

/** The comment lines directly above `line` (blank lines end it), without the comment marks. */
function commentAbove(lines: string[], line: number): string | undefined {
  const out: string[] = [];
  for (let i = line - 1; i >= 0; i--) {
    const t = lines[i].trim();
    if (/^#define\s/.test(t)) continue; // a group of overrides shares one comment
    if (t === '' || (!/^(\/\*|\*|\/\/)/.test(t) && !t.endsWith('*/'))) break;
    out.unshift(t.replace(/^\/\*+|\*+\/$|^\*|^\/\//g, '').trim());
  }
  const text = out.filter(x => x).join(' ');
  return text || undefined;
}

export function parseUmlTable(file: string, text: string, table: UmlTable): UmlTableFile {
  const lines = splitLines(text).map(l => l.replace(/\r$/, ''));
  const h = readDefines(lines);
  const overrides: UmlOverride[] = [];
  for (const d of h.defines) {
    // Object-like renames of one symbol to another; `__SYSCALL_NORETURN __SYSCALL` is a macro, not an entry.
    if (!IDENT.test(d.value) || d.macro.startsWith('__')) continue;
    overrides.push({
      from: d.macro,
      to: d.value,
      line: d.line,
      ranges: { from: d.ranges.macro, to: d.ranges.value, line: d.ranges.line },
      why: commentAbove(lines, d.line),
    });
  }
  const includes = h.includes.filter(i => i.path === table.generated).map(i => ({ line: i.line, range: i.range }));
  const qualifiers = /QUAL_\s*##\s*qual/.test(text) ? new Set<string>() : undefined;
  for (const m of text.matchAll(/#\s*define\s+__SYSCALL_\w*QUAL_(\w*)\s*\(/g)) qualifiers?.add(m[1]);
  return { file, overrides, includes, qualifiers };
}

export function parseUmlHeader(file: string, text: string): UmlHeaderFile {
  const externs: UmlHeaderFile['externs'] = [];
  splitLines(text).forEach((raw, n) => {
    const m = /^(\s*extern\s+syscall_handler_t\s+)(\w+)\s*;/.exec(raw);
    if (!m) return;
    const start = m[1].length;
    externs.push({
      name: m[2],
      line: n,
      range: range(n, start, n, start + m[2].length),
      lineRange: range(n, raw.length - raw.trimStart().length, n, raw.replace(/\r$/, '').trimEnd().length),
    });
  });
  return { file, externs };
}
