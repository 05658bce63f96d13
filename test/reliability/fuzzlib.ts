// Seeded fuzzing for the reliability tests: a small PRNG, the corpus, and mutations
// expressed as LSP content changes computed on the current text.
import * as fs from 'fs';
import * as path from 'path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { Finding } from '../../server/src/core/types';
import {
  CPULOOP,
  FIXTURES,
  FREEBSD_FIXTURE,
  LINUX_TOOLS,
  QEMU,
  QEMU_BSD,
  QEMU_DISPATCH,
  QEMU_OLD,
  QEMU_ROWS,
  STRACE_SRC,
  tmpDir,
  VALGRIND_SRC,
} from '../helpers/paths';

const UML_TREE = path.join(FIXTURES, 'linux-uml');

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  private readonly next: () => number;
  constructor(readonly seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** An integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  /** Pick by weight: [[weight, value], ...]. */
  weighted<T>(xs: readonly (readonly [number, T])[]): T {
    let r = this.next() * xs.reduce((s, [w]) => s + w, 0);
    for (const [w, v] of xs) {
      if ((r -= w) < 0) return v;
    }
    return xs[xs.length - 1][1];
  }
}

/** The base seed: SYSTAB_FUZZ_SEED reproduces a run. */
export const BASE_SEED = Number(process.env.SYSTAB_FUZZ_SEED ?? 0x5eed2024) >>> 0;
export const caseSeed = (base: number, i: number) =>
  (Math.imul(base ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;

// ---------------------------------------------------------------------------------------
// The corpus.

export interface CorpusFile {
  name: string;
  /** The registry family the file exercises (test/architecture.test.ts: every family has one). */
  family: string;
  /** The fixture tree the file lives in (copied whole, so sibling lookups work). */
  tree: string;
  /** The file's path inside that tree. */
  rel: string;
  languageId: string;
  /** Text to use instead of the file in the tree (the file is then written into the copy). */
  text?: string;
  /** The kernel tree the in-process checks index, when not the shared fixture (UML needs its own tree's). */
  kernel?: string;
}

const SYSCALL_NR_H = `/*
 * systab reliability corpus: a syscall_nr.h in QEMU's generated layout.
 */
#ifndef LINUX_USER_MIPS_SYSCALL_NR_H
#define LINUX_USER_MIPS_SYSCALL_NR_H

#define TARGET_NR_Linux                 4000
#define TARGET_NR_syscall               (TARGET_NR_Linux +   0)
#define TARGET_NR_exit                  (TARGET_NR_Linux +   1)
#define TARGET_NR_fork                  (TARGET_NR_Linux +   2)
#define TARGET_NR_read                  (TARGET_NR_Linux +   3)
#define TARGET_NR_write                 (TARGET_NR_Linux +   4)
#define TARGET_NR_sync_file_range       (TARGET_NR_Linux +  12)
#define TARGET_NR_mmap2                 (TARGET_NR_Linux +  15)

#endif
`;

const STRACE_LIST = `#ifdef TARGET_NR_exit
{ TARGET_NR_exit, "exit" , "%s(%d)\\n", NULL, NULL },
#endif
#ifdef TARGET_NR_read
{ TARGET_NR_read, "read" , "%s(%d,%#x,%d)", NULL, NULL },
#endif
#ifdef TARGET_NR_write
{ TARGET_NR_write, "write" , "%s(%d,%#x,%d)", NULL, NULL },
#endif
#ifdef TARGET_NR_sync_file_range
{ TARGET_NR_sync_file_range, "sync_file_range" , "%s(%d,%lld,%lld,%d)", NULL, NULL },
#endif
`;

export const CORPUS: CorpusFile[] = [
  {
    name: 'perf tbl copy',
    family: 'linux/tbl',
    tree: LINUX_TOOLS,
    rel: 'tools/perf/arch/x86/entry/syscalls/syscall_64.tbl',
    languageId: 'systab-tbl',
  },
  {
    name: 'tools unistd.h',
    family: 'linux/toolsUnistd',
    tree: LINUX_TOOLS,
    rel: 'tools/include/uapi/asm-generic/unistd.h',
    languageId: 'c',
  },
  {
    name: 'uml ptrace_user.h',
    family: 'linux/umlPtrace',
    tree: LINUX_TOOLS,
    rel: 'arch/um/include/shared/ptrace_user.h',
    languageId: 'c',
  },
  {
    name: 'vki-scnums',
    family: 'valgrind/scnums',
    tree: VALGRIND_SRC,
    rel: 'include/vki/vki-scnums-mips32-linux.h',
    languageId: 'c',
  },
  {
    name: 'syswrap',
    family: 'valgrind/syswrap',
    tree: VALGRIND_SRC,
    rel: 'coregrind/m_syswrap/syswrap-generic.c',
    languageId: 'c',
  },
  {
    name: 'syscallent',
    family: 'strace/syscallent',
    tree: STRACE_SRC,
    rel: 'src/linux/x86_64/syscallent.h',
    languageId: 'c',
  },
  {
    name: 'designated',
    family: 'qemu/o32',
    tree: QEMU,
    rel: 'linux-user/mips/syscall-args-o32.c.inc',
    languageId: 'c',
  },
  { name: 'mips-sys', family: 'qemu/o32', tree: QEMU_OLD, rel: 'linux-user/mips/cpu_loop.c', languageId: 'c' },
  { name: 'tbl', family: 'linux/tbl', tree: QEMU, rel: 'linux-user/mips/syscall_o32.tbl', languageId: 'systab-tbl' },
  {
    name: 'syscall_nr.h',
    family: 'qemu/syscallNr',
    tree: QEMU,
    rel: 'linux-user/mips/syscall_nr.h',
    languageId: 'c',
    text: SYSCALL_NR_H,
  },
  {
    name: 'old syscall_nr.h',
    family: 'qemu/syscallNr',
    tree: path.join(FIXTURES, 'syscallnr-old'),
    rel: 'linux-user/mips/syscall_nr.h',
    languageId: 'c',
  },
  {
    name: 'strace.list',
    family: 'qemu/straceList',
    tree: QEMU,
    rel: 'linux-user/strace.list',
    languageId: 'c',
    text: STRACE_LIST,
  },
  {
    name: 'syscalls.master',
    family: 'freebsd/master',
    tree: FREEBSD_FIXTURE,
    rel: 'sys/kern/syscalls.master',
    languageId: 'systab-master',
  },
  {
    name: 'freebsd32 syscalls.master',
    family: 'freebsd/master',
    tree: FREEBSD_FIXTURE,
    rel: 'sys/compat/freebsd32/syscalls.master',
    languageId: 'systab-master',
  },
  {
    name: 'bsd syscall_nr.h',
    family: 'qemu/bsdNr',
    tree: QEMU_BSD,
    rel: 'bsd-user/freebsd/syscall_nr.h',
    languageId: 'c',
  },
  {
    name: 'bsd strace.list',
    family: 'qemu/bsdStrace',
    tree: QEMU_BSD,
    rel: 'bsd-user/freebsd/strace.list',
    languageId: 'c',
  },
  {
    name: 'os-syscall.c',
    family: 'qemu/bsdDispatch',
    tree: QEMU_BSD,
    rel: 'bsd-user/freebsd/os-syscall.c',
    languageId: 'c',
  },
  {
    name: 'mips cpu_loop.c',
    family: 'qemu/cpuLoop',
    tree: CPULOOP,
    rel: 'linux-user/mips/cpu_loop.c',
    languageId: 'c',
  },
  { name: 'arm cpu_loop.c', family: 'qemu/cpuLoop', tree: CPULOOP, rel: 'linux-user/arm/cpu_loop.c', languageId: 'c' },
  { name: 'old main.c', family: 'qemu/cpuLoop', tree: CPULOOP, rel: 'linux-user/main.c', languageId: 'c' },
  { name: 'syscall.c', family: 'qemu/dispatch', tree: QEMU_DISPATCH, rel: 'linux-user/syscall.c', languageId: 'c' },
  { name: 'syscall.c pairs', family: 'qemu/dispatch', tree: QEMU_ROWS, rel: 'linux-user/syscall.c', languageId: 'c' },
  {
    name: 'strace.list rows',
    family: 'qemu/straceList',
    tree: QEMU_ROWS,
    rel: 'linux-user/strace.list',
    languageId: 'c',
  },
  {
    name: 'arm calls.S',
    family: 'linux/armCalls',
    tree: path.join(FIXTURES, 'linux-arm'),
    rel: 'arch/arm/kernel/calls.S',
    languageId: 'arm',
  },
  {
    name: 'arm unistd.h',
    family: 'linux/armCalls',
    tree: path.join(FIXTURES, 'linux-arm'),
    rel: 'arch/arm/include/uapi/asm/unistd.h',
    languageId: 'c',
  },
  {
    name: 'uml table',
    family: 'linux/uml',
    tree: UML_TREE,
    rel: 'arch/x86/um/sys_call_table_64.c',
    languageId: 'c',
    kernel: UML_TREE,
  },
  {
    name: 'dispatched tbl',
    family: 'qemu/dispatch',
    tree: QEMU_DISPATCH,
    rel: 'linux-user/mips/syscall_o32.tbl',
    languageId: 'systab-tbl',
  },
];

export const corpusText = (c: CorpusFile) => c.text ?? fs.readFileSync(path.join(c.tree, c.rel), 'utf8');

/** A scratch copy of the file's fixture tree; returns the file's absolute path in it. */
export function scratchCopy(c: CorpusFile, parent: string, label: string): string {
  const dir = path.join(parent, label);
  fs.cpSync(c.tree, dir, { recursive: true });
  const file = path.join(dir, c.rel);
  if (c.text !== undefined) fs.writeFileSync(file, c.text);
  return file;
}

export const tmpParent = (tag: string) => tmpDir(`rel-${tag}`);

// ---------------------------------------------------------------------------------------
// Mutations.

const SNIPPETS = [
  '[',
  ']',
  '=',
  ',',
  '(',
  ')',
  '{',
  '}',
  ';',
  '/*',
  '*/',
  '//',
  '#',
  '"',
  "'",
  '\\',
  '\n',
  '\n',
  '\r\n',
  '\r',
  '\t',
  ' ',
  '    ',
  '-',
  '-1',
  '0',
  '1',
  '7',
  '9',
  '4012',
  '0x1f',
  '08',
  '1e3',
  '99999999999999999999',
  '-2147483649',
  'MIPS_SYS(',
  'MIPS_SYS(sys_read, 3)',
  'MIPS_SYS(sys_exit 1)',
  '        MIPS_SYS(sys_landlock_add_rule, 4)\n',
  'MIPS_SYSCALL_NUMBER_UNUSED',
  'MIPS_SYSCALL_NUMBER_UNUSED,\n',
  'mips_syscall_args',
  'static const int8_t mips_syscall_args[] = {\n',
  '};\n',
  '\n};',
  '    [  16] = 3, /* foo */\n',
  '    [   3] = 3, /* read */\n',
  '    [  17] = MIPS_SYSCALL_NUMBER_UNUSED,\n',
  '    [  -1] = 2,\n',
  '[ 0x10 ] = 5, /* mmap2 */',
  '/* 4005 */',
  '/* sync_file_range */',
  'o32',
  'n64',
  'common',
  'sys_ni_syscall',
  'compat_sys_',
  '__sys_fork',
  '-',
  '16\to32\tsomething\tsys_something\n',
  '5\to32\tbreak\tsys_ni_syscall\n',
  '3\to32\tread\tsys_read\n',
  '21 o32 newcall sys_newcall compat_sys_newcall noreturn\n',
  '# 16 reserved\n',
  '0x14\to32\tfutex_waitv\tsys_futex_waitv\n',
  '#define TARGET_NR_foo (TARGET_NR_Linux + 21)\n',
  '{ TARGET_NR_read, "read" , "%s(%d)", NULL, NULL },\n',
  'case TARGET_NR_readahaed:\n',
  '    case TARGET_NR_read:\n',
  '#ifdef X\n',
  '#endif\n',
  '#if 0\n',
  '#define MIPS_SYS(name, args) args,\n',
  'é',
  'ß',
  '中',
  '😀',
  '\uD800',
  '\uDC00',
  '\uDBFF',
  '\uFFFD',
  '\u0000',
  '\u2028',
  '\u00A0',
  '\uFEFF',
  '\u0085',
  '\u001b',
];

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz_ABCXYZ0123456789 \t[]=,(){};/*#-\n';

function randomAscii(r: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHABET[r.int(ALPHABET.length)];
  return s;
}

function randomChar(r: Rng): string {
  return r.weighted<() => string>([
    [6, () => ALPHABET[r.int(ALPHABET.length)]],
    [1, () => String.fromCharCode(r.int(0x20))],
    [1, () => String.fromCharCode(0xd800 + r.int(0x800))], // a lone surrogate
    [1, () => '\uFFFD'],
    [1, () => String.fromCharCode(0x80 + r.int(0x2000))],
  ])();
}

/** A random offset, chosen line first so long lines do not swallow every pick. */
function randomOffset(r: Rng, doc: TextDocument): number {
  const line = r.int(doc.lineCount);
  const start = doc.offsetAt({ line, character: 0 });
  const end = line + 1 < doc.lineCount ? doc.offsetAt({ line: line + 1, character: 0 }) : doc.getText().length;
  return start + r.int(Math.max(1, end - start + 1));
}

const clampOffset = (doc: TextDocument, o: number) => Math.max(0, Math.min(o, doc.getText().length));

function change(doc: TextDocument, start: number, end: number, text: string): TextDocumentContentChangeEvent {
  return {
    range: { start: doc.positionAt(clampOffset(doc, start)), end: doc.positionAt(clampOffset(doc, end)) },
    text,
  };
}

export type MutationKind =
  | 'insert-snippet'
  | 'insert-random'
  | 'copy-line'
  | 'delete-small'
  | 'delete-lines'
  | 'flip'
  | 'renumber'
  | 'truncate'
  | 'long-line'
  | 'deep-nesting'
  | 'nul'
  | 'bad-unicode'
  | 'swap-lines'
  | 'replace-all'
  | 'rename'
  | 'insert-row';

const KINDS: (readonly [number, MutationKind])[] = [
  [22, 'insert-snippet'],
  [6, 'insert-random'],
  [8, 'copy-line'],
  [12, 'delete-small'],
  [4, 'delete-lines'],
  [12, 'flip'],
  [16, 'renumber'],
  [2, 'truncate'],
  [2, 'long-line'],
  [1, 'deep-nesting'],
  [1, 'nul'],
  [4, 'bad-unicode'],
  [4, 'swap-lines'],
  [1, 'replace-all'],
];

/**
 * Weights for the fix-point fuzzer: edits a person makes to a table that stays well-formed
 * (numbers, names, rows added, removed, duplicated and reordered), so that what fix-all
 * leaves behind is the engine's doing, not a syntax error's.
 */
export const STRUCTURAL: (readonly [number, MutationKind])[] = [
  [30, 'renumber'],
  [10, 'copy-line'],
  [8, 'delete-lines'],
  [10, 'swap-lines'],
  [15, 'rename'],
  [15, 'insert-row'],
];

export const SYSCALL_NAMES = [
  'syscall',
  'exit',
  'fork',
  'read',
  'write',
  'break',
  'pread64',
  'pwrite64',
  'truncate64',
  'ftruncate64',
  'readahead',
  'fadvise64',
  'sync_file_range',
  'fallocate',
  'fanotify_mark',
  'mmap2',
  'mmap',
  'landlock_create_ruleset',
  'landlock_add_rule',
  'landlock_restrict_self',
  'futex_waitv',
  'foo',
];

/** A well-formed row (or entry) in the style of the file at `uri`, with a line break. */
function randomRow(r: Rng, uri: string): string {
  const name = r.pick(SYSCALL_NAMES);
  const n = r.int(22);
  const v = r.chance(0.15) ? 'MIPS_SYSCALL_NUMBER_UNUSED' : String(r.int(9));
  if (uri.endsWith('.tbl'))
    return `${n}\to32\t${name}\t\t\tsys_${name}${r.chance(0.3) ? `\t\tcompat_sys_${name}` : ''}\n`;
  if (uri.endsWith('.inc')) return `    [${String(n).padStart(4)}] = ${v}, /* ${name} */\n`;
  if (uri.endsWith('/syscall.c')) return `    case TARGET_NR_${name}:\n        return get_errno(${name}(arg1));\n`;
  if (uri.endsWith('.c'))
    return v.startsWith('MIPS') ? '        MIPS_SYSCALL_NUMBER_UNUSED,\n' : `        MIPS_SYS(sys_${name}, ${v})\n`;
  if (uri.endsWith('.h')) return `#define TARGET_NR_${name} (TARGET_NR_Linux + ${n})\n`;
  return `#ifdef TARGET_NR_${name}\n{ TARGET_NR_${name}, "${name}" , "%s(${Array.from({ length: r.int(5) }, () => '%d').join(',')})", NULL, NULL },\n#endif\n`;
}

/**
 * One mutation of `doc`'s text as an LSP content change (range on the current text).
 * Returns the change and its kind; `original` is the file the case started from.
 */
/** What a case has done so far, so that some combinations are not generated (see long-line). */
export interface CaseState {
  deep?: boolean;
  longTokens?: boolean;
}

export function mutate(
  r: Rng,
  doc: TextDocument,
  original: string,
  kinds = KINDS,
  state: CaseState = {},
): { kind: MutationKind; change: TextDocumentContentChangeEvent } {
  const text = doc.getText();
  let kind = r.weighted(kinds);
  if (kind === 'deep-nesting' && state.longTokens) kind = 'insert-snippet';
  const at = randomOffset(r, doc);
  const lineBounds = (o: number) => {
    const p = doc.positionAt(o);
    const s = doc.offsetAt({ line: p.line, character: 0 });
    const e = p.line + 1 < doc.lineCount ? doc.offsetAt({ line: p.line + 1, character: 0 }) : text.length;
    return { s, e };
  };
  switch (kind) {
    case 'insert-snippet':
      return { kind, change: change(doc, at, at, r.pick(SNIPPETS)) };
    case 'insert-random':
      return { kind, change: change(doc, at, at, randomAscii(r, r.range(1, 30))) };
    case 'copy-line': {
      const { s, e } = lineBounds(randomOffset(r, doc));
      const ins = lineBounds(at).s;
      let line = text.slice(s, e);
      if (!/\n$/.test(line)) line += '\n';
      return { kind, change: change(doc, ins, ins, line) };
    }
    case 'delete-small':
      return { kind, change: change(doc, at, at + r.range(1, 8), '') };
    case 'delete-lines': {
      const { s } = lineBounds(at);
      let e = s;
      for (let k = r.range(1, 4); k > 0 && e < text.length; k--) e = lineBounds(e).e;
      return { kind, change: change(doc, s, e, '') };
    }
    case 'flip': {
      const o = Math.min(at, Math.max(0, text.length - 1));
      return { kind, change: change(doc, o, o + 1, randomChar(r)) };
    }
    case 'renumber': {
      const nums = [...text.matchAll(/\d+/g)];
      if (!nums.length) return { kind, change: change(doc, at, at, String(r.int(30))) };
      const m = r.pick(nums);
      const v = r.weighted<() => string>([
        [8, () => String(r.int(25))],
        [1, () => String(r.range(400, 5000))],
        [1, () => '-1'],
        [1, () => String(Number(m[0]) + 1)],
        [1, () => String(Math.max(0, Number(m[0]) - 1))],
      ])();
      return { kind, change: change(doc, m.index!, m.index! + m[0].length, v) };
    }
    case 'truncate':
      return { kind, change: change(doc, at, text.length, '') };
    case 'long-line': {
      // 100k characters on one line. Runs of many tokens (`a b c ...`, `(((...`) put the
      // engine's parse budget to work (tree-sitter's error recovery on them takes seconds);
      // they are not put after deep nesting, where they would do so on every edit of a case.
      const single = ['x', '0', '\t', ' ', '中', 'é', '/*', '# '];
      const many = ['MIPS_SYS(sys_read, 3) ', '[ 1] = 1, ', '(', ')', '"', 'a, ', '/* a b c */', 'a b c ', '\t\t'];
      const unit = r.pick(state.deep || r.chance(0.5) ? single : many);
      if (many.includes(unit)) state.longTokens = true;
      return { kind, change: change(doc, at, at, unit.repeat(Math.ceil(100_000 / unit.length)).slice(0, 100_000)) };
    }
    case 'deep-nesting': {
      const n = r.range(50, 3000);
      state.deep = true;
      return { kind, change: change(doc, at, at, r.pick(['(', '{', '[', 'MIPS_SYS(', '((', '-', '~'])!.repeat(n)) };
    }
    case 'nul':
      return { kind, change: change(doc, at, at, '\u0000') };
    case 'bad-unicode':
      return {
        kind,
        change: change(doc, at, at, r.pick(['\uD800', '\uDFFF', '\uFFFD', '\uD83D', 'a\uDC00b', '\uFFFD\uFFFD'])),
      };
    case 'swap-lines': {
      const a = lineBounds(at),
        b = lineBounds(a.e < text.length ? a.e : a.s);
      if (b.s === a.s) return { kind, change: change(doc, at, at, '') };
      let la = text.slice(a.s, a.e),
        lb = text.slice(b.s, b.e);
      if (!lb.endsWith('\n')) {
        lb += '\n';
        la = la.replace(/\r?\n$/, '');
      }
      return { kind, change: change(doc, a.s, b.e, lb + la) };
    }
    case 'rename': {
      const re = new RegExp(`\\b(${SYSCALL_NAMES.join('|')})\\b`, 'g');
      const names = [...text.matchAll(re)];
      if (!names.length) return { kind, change: change(doc, at, at, '') };
      const m = r.pick(names);
      return { kind, change: change(doc, m.index!, m.index! + m[0].length, r.pick(SYSCALL_NAMES)) };
    }
    case 'insert-row': {
      const { s } = lineBounds(at);
      return { kind, change: change(doc, s, s, randomRow(r, doc.uri)) };
    }
    case 'replace-all': {
      // A whole-document-sized replacement as a ranged change: the original text back.
      return { kind, change: change(doc, 0, text.length, original) };
    }
  }
}

/**
 * Apply one change to a copy of a model document, as an editor (and the server) does.
 * (TextDocument.update changes the document it is given: the copy keeps `doc` as it was.)
 */
export function applyChange(doc: TextDocument, c: TextDocumentContentChangeEvent, version: number): TextDocument {
  const copy = TextDocument.create(doc.uri, doc.languageId, doc.version, doc.getText());
  return TextDocument.update(copy, [c], version);
}

// ---------------------------------------------------------------------------------------
// Comparing findings.

export const SEVERITY_NUMBER: Record<Finding['severity'], number> = { error: 1, warning: 2, information: 3, hint: 4 };

export interface DiagKeyed {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code?: unknown;
  message: unknown;
  severity?: number;
}

export const diagKey = (d: DiagKeyed) =>
  JSON.stringify([
    d.range.start.line,
    d.range.start.character,
    d.range.end.line,
    d.range.end.character,
    d.code,
    d.severity,
    d.message,
  ]);

export const findingKey = (f: Finding) =>
  diagKey({ range: f.range, code: f.code, severity: SEVERITY_NUMBER[f.severity], message: f.message });

/** The elements of `a` not in `b`, and of `b` not in `a`, as multisets. */
export function multisetDiff(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
  const count = new Map<string, number>();
  for (const x of a) count.set(x, (count.get(x) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const x of b) {
    const n = count.get(x) ?? 0;
    if (n > 0) count.set(x, n - 1);
    else onlyB.push(x);
  }
  const onlyA = [...count].flatMap(([k, n]) => Array<string>(n).fill(k));
  return { onlyA, onlyB };
}

/** A short, printable rendering of text for messages (control and odd characters escaped). */
export const show = (s: string, max = 160) => {
  const j = JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
  return j;
};
