// The private copies a Linux tree keeps of its own files under tools/ (perf and the tools
// headers are built without the kernel's include paths, so they carry copies that drift:
// perf's build only warns). Which copy mirrors which original, by path, and where
// `check DIR` finds them: known directories listed one level at a time, never a walk.
import * as path from 'path';
import type { Reader } from '../../core/reader';
import { kernelTableCandidates } from '../../reference/linux/reference';
import type { TblCopies } from './tbl/family';

const slash = (f: string) => f.replace(/\\/g, '/');

/** A copy's tree root and its path inside the tree, when `file` is under `<root>/tools/`. */
function inTools(file: string, re: RegExp): { root: string; m: RegExpExecArray } | undefined {
  const m = re.exec(slash(file));
  return m ? { root: slash(file).slice(0, m.index) || '.', m } : undefined;
}

const PERF_TBL = /(?:^|\/)tools\/perf\/arch\/([^/]+)\/entry\/syscalls\/([^/]+\.tbl)$/;
const SCRIPTS_TBL = /(?:^|\/)tools\/scripts\/(syscall\.tbl)$/;

/** Where the original of a tools/ `.tbl` copy may be, relative to the tree's root, newest layout last. */
export function tblOriginals(file: string): { root: string; rels: string[] } | undefined {
  const p = inTools(file, PERF_TBL);
  if (p) return { root: p.root, rels: kernelTableCandidates(p.m[1], p.m[2]) };
  const s = inTools(file, SCRIPTS_TBL);
  return s && { root: s.root, rels: ['scripts/syscall.tbl'] };
}

/** perf's `.tbl` copies (and tools/scripts/syscall.tbl, 6.14 on), for linux/tbl. */
export const kernelTreeTblCopies: TblCopies = {
  locate(dir: string, io: Reader) {
    const arches = path.join(dir, 'tools', 'perf', 'arch');
    const out = io.list(arches).flatMap(a => {
      const d = path.join(arches, a, 'entry', 'syscalls');
      return io
        .list(d)
        .filter(n => n.endsWith('.tbl'))
        .map(n => path.join(d, n));
    });
    if (io.list(path.join(dir, 'tools', 'scripts')).includes('syscall.tbl'))
      out.push(path.join(dir, 'tools', 'scripts', 'syscall.tbl'));
    return out;
  },
  sibling(file: string) {
    const o = tblOriginals(file);
    return o && { root: o.root, paths: o.rels.map(r => path.join(o.root, r)) };
  },
};

const GENERIC_COPY = /(?:^|\/)tools\/include\/uapi\/asm-generic\/(unistd\.h)$/;
const ARCH_COPY = /(?:^|\/)tools\/arch\/([^/]+)\/include\/uapi\/asm\/(unistd[^/]*\.h)$/;

/** A tools/ copy of a uapi unistd header: the tree's root, the original's path and, for x86's generated headers, the `.tbl` they come from. */
export interface HeaderCopy {
  root: string;
  /** The copy's path relative to the root. */
  rel: string;
  /** The original's path relative to the root. */
  original: string;
  /**
   * Where the original is generated from when the source tree has no such file
   * (arch/x86/include/generated/uapi/asm/unistd_64.h comes from syscall_64.tbl): the table
   * and the ABI tags whose numbers it writes.
   */
  table?: { rel: string; tags: string[] };
}

/** x86's generated uapi headers, by their name: the table and tags `syscallhdr.sh` reads. */
const GENERATED: Record<string, { base: string; tags: string[] }> = {
  'x86/unistd_64.h': { base: 'syscall_64.tbl', tags: ['common', '64'] },
  'x86/unistd_32.h': { base: 'syscall_32.tbl', tags: ['i386'] },
  'x86/unistd_x32.h': { base: 'syscall_64.tbl', tags: ['common', 'x32'] },
};

export function headerCopy(file: string): HeaderCopy | undefined {
  const g = inTools(file, GENERIC_COPY);
  if (g)
    return {
      root: g.root,
      rel: 'tools/include/uapi/asm-generic/unistd.h',
      original: 'include/uapi/asm-generic/unistd.h',
    };
  const a = inTools(file, ARCH_COPY);
  if (!a) return undefined;
  const [, arch, base] = a.m;
  const gen = GENERATED[`${arch}/${base}`];
  return {
    root: a.root,
    rel: `tools/arch/${arch}/include/uapi/asm/${base}`,
    original: `arch/${arch}/include/uapi/asm/${base}`,
    ...(gen && { table: { rel: `arch/${arch}/entry/syscalls/${gen.base}`, tags: gen.tags } }),
  };
}

/** The tools/ unistd header copies of a tree, by their known directories. */
export function locateHeaderCopies(dir: string, io: Reader): string[] {
  const out: string[] = [];
  const generic = path.join(dir, 'tools', 'include', 'uapi', 'asm-generic');
  if (io.list(generic).includes('unistd.h')) out.push(path.join(generic, 'unistd.h'));
  const arches = path.join(dir, 'tools', 'arch');
  for (const a of io.list(arches)) {
    const d = path.join(arches, a, 'include', 'uapi', 'asm');
    for (const n of io.list(d)) if (/^unistd.*\.h$/.test(n)) out.push(path.join(d, n));
  }
  return out;
}
