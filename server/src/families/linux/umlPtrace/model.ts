// User-mode Linux's private ptrace request constants: UML runs as a process on the host and
// drives its guests with ptrace, so its headers carry their own `#define PTRACE_SYSEMU 31`
// and friends (for host C libraries that lack them), which must equal the host kernel's
// uapi values. Where they are, where the values they copy are, and the defines of each.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { splitLines } from '../../../core/text';
import { range } from '../../../core/types';
import { CDefine, readDefines } from '../../../syntax/c/defines';

/** The files that define UML's private PTRACE_* constants, relative to the tree's root. */
export const UML_PTRACE_FILES = [
  'arch/um/include/shared/ptrace_user.h',
  'arch/um/include/asm/ptrace-generic.h',
  'arch/x86/um/shared/sysdep/ptrace_user.h',
  'arch/x86/um/shared/sysdep/ptrace.h',
  'arch/x86/um/shared/sysdep/ptrace_32.h',
  'arch/x86/um/shared/sysdep/ptrace_64.h',
  'arch/x86/um/os-Linux/tls.c',
];

/** The host kernel's uapi headers the constants copy (UML's only host arch with a tree here is x86). */
export const PTRACE_UAPI = ['include/uapi/linux/ptrace.h', 'arch/x86/include/uapi/asm/ptrace-abi.h'];

/** The tree root and the known path of a UML file, when `file` is one. */
export function umlFile(file: string): { root: string; rel: string } | undefined {
  const f = file.replace(/\\/g, '/');
  for (const rel of UML_PTRACE_FILES)
    if (f === rel || f.endsWith('/' + rel)) return { root: f.slice(0, f.length - rel.length) || '.', rel };
  return undefined;
}

export interface PtraceDefine {
  define: CDefine;
  /** The file it is in: relative to the root, and as the Workspace names it. */
  rel: string;
  file: string;
}

/** The PTRACE_* defines of a text; values evaluated over `known` (the uapi values). */
export function ptraceDefines(
  file: string,
  rel: string,
  text: string,
  known: Record<string, number> = {},
): PtraceDefine[] {
  return readDefines(splitLines(text), { known })
    .defines.filter(d => d.macro.startsWith('PTRACE_'))
    .map(define => ({ define, rel, file }));
}

/** The uapi values, by name, with where each is defined; the headers not found. */
export function uapiValues(root: string, io: Reader): { defs: Map<string, PtraceDefine>; missing: string[] } {
  const defs = new Map<string, PtraceDefine>();
  const missing: string[] = [];
  const known: Record<string, number> = {};
  for (const rel of PTRACE_UAPI) {
    const file = path.join(root, rel);
    const text = io.read(file);
    if (text === undefined) {
      missing.push(rel);
      continue;
    }
    for (const d of ptraceDefines(file, rel, text, known)) {
      if (d.define.number === undefined || defs.has(d.define.macro)) continue;
      defs.set(d.define.macro, d);
      known[d.define.macro] = d.define.number;
    }
  }
  return { defs, missing };
}

/** Can two definitions be seen by one build? Not when they sit in i386's and x86_64's own files, nor in two branches of one test. */
export function together(a: PtraceDefine, b: PtraceDefine): boolean {
  const bits = (rel: string) => /_(32|64)\.h$/.exec(rel)?.[1];
  const ba = bits(a.rel),
    bb = bits(b.rel);
  if (ba && bb && ba !== bb) return false;
  if (a.rel === b.rel) {
    const ca = new Set(a.define.conditions);
    if (b.define.conditions.some(c => ca.has(`!(${c})`) || (c.startsWith('!(') && ca.has(c.slice(2, -1)))))
      return false;
  }
  return true;
}

const fmt = (n: number) => (n >= 0x100 ? `0x${n.toString(16)}` : String(n));

/** A define's value as written, with its number when it is a name or an expression. */
export const showValue = (d: CDefine) =>
  /^(0[xX][0-9a-fA-F]+|\d+)$/.test(d.value) || d.number === undefined ? d.value : `${d.value} (${fmt(d.number)})`;

/** `arch/um/include/shared/ptrace_user.h:41`, for messages. */
export const where = (d: PtraceDefine) => `${d.rel}:${d.define.line + 1}`;

/** The `#if` tests a define holds under, for messages (empty when none). */
export const under = (d: PtraceDefine) =>
  d.define.conditions.length ? `under ${d.define.conditions.join(' && ')}` : '';

/** A definition as related information. */
export const relatedDefine = (d: PtraceDefine) => ({
  location: { file: d.file, range: range(d.define.line, 0, d.define.line, 0) },
  message: `${d.define.macro} ${d.define.value} in ${d.rel}`,
});
