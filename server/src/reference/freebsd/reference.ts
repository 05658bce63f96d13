// FreeBSD as a KernelReference: its syscalls.master files, read into a catalogue of facts
// (numbers, names, types, flags, prototypes), either from a FreeBSD source tree or from the
// catalogue bundled with systab. Built once per catalogue, so it is the same object every time.
import * as path from 'path';
import { KernelReference, Prototype, TableEntry, tableSource } from '../reference';
import { headerLines, HeaderLine, maxSyscall } from './header';
import { kindOf, MasterSyscall } from './master';

export const FREEBSD_MASTER = 'sys/kern/syscalls.master';
export const FREEBSD32_MASTER = 'sys/compat/freebsd32/syscalls.master';
export const FREEBSD_SYSCALL_H = 'sys/sys/syscall.h';

export interface FreeBsdCatalogue {
  format: 1;
  kind: 'freebsd';
  /** What the files are, when known (`15-CURRENT 5ecc60fb07d1`). */
  release?: string;
  /** The tree it was read from (not stored in the bundled file). */
  root?: string;
  /** Every syscalls.master read, by its path in a FreeBSD tree. */
  files: Record<string, MasterSyscall[]>;
}

export interface FreeBsdReference extends KernelReference {
  kernel: 'FreeBSD';
  catalogue: FreeBsdCatalogue;
  /** The native syscalls (sys/kern/syscalls.master), in the file's order. */
  syscalls(): readonly MasterSyscall[];
  /** What sys/sys/syscall.h says, line by line. */
  header(): readonly HeaderLine[];
  /** SYS_MAXSYSCALL. */
  maxSyscall(): number;
  /** The entry that covers a number (ranges included). */
  at(n: number): MasterSyscall | undefined;
  /** The syscall.h line of a name (`swapoff`, `freebsd13_swapoff`). */
  defined(name: string): HeaderLine | undefined;
  /** A live syscall by its name. */
  live(name: string): MasterSyscall | undefined;
}

export const isFreeBsd = (r: KernelReference | undefined): r is FreeBsdReference => r?.kernel === 'FreeBSD';

const built = new WeakMap<FreeBsdCatalogue, FreeBsdReference>();

/** A table entry for the KernelReference view: the abi tag is the entry's kind. */
function tableEntries(list: readonly MasterSyscall[]): TableEntry[] {
  const out: TableEntry[] = [];
  for (const e of list) {
    const kind = kindOf(e);
    for (let n = e.number; n <= e.last; n++)
      out.push({
        number: n,
        abi: kind,
        name: e.name ?? '',
        entry: kind === 'live' && e.name ? `sys_${e.name}` : undefined,
        line: e.line,
      });
  }
  return out;
}

export function toPrototype(e: MasterSyscall, file: string): Prototype | undefined {
  if (!e.proto) return undefined;
  return {
    entry: `sys_${e.name ?? e.proto.name}`,
    params: e.proto.params.map(p => ({ type: p.type, name: p.name })),
    file,
    line: e.line,
    kind: 'declaration',
  };
}

export function freebsdReference(cat: FreeBsdCatalogue): FreeBsdReference;
export function freebsdReference(cat: FreeBsdCatalogue | undefined): FreeBsdReference | undefined;
export function freebsdReference(cat: FreeBsdCatalogue | undefined): FreeBsdReference | undefined {
  if (!cat) return undefined;
  const hit = built.get(cat);
  if (hit) return hit;
  const native = cat.files[FREEBSD_MASTER] ?? [];
  const root = cat.root;
  let header: HeaderLine[] | undefined;
  let byNumber: Map<number, MasterSyscall> | undefined;
  let byDefine: Map<string, HeaderLine> | undefined;
  let byLive: Map<string, MasterSyscall> | undefined;
  const tables = new Map<string, TableEntry[]>();
  const headerOf = () => (header ??= headerLines(native));
  const numbers = () => {
    if (!byNumber) {
      byNumber = new Map();
      for (const e of native) for (let n = e.number; n <= e.last; n++) if (!byNumber.has(n)) byNumber.set(n, e);
    }
    return byNumber;
  };
  const last = native[native.length - 1];
  const name = `FreeBSD${cat.release ? ` ${cat.release}` : ''} syscalls.master${last?.name ? ` (to ${last.number} ${last.name})` : ''}`;
  const ref: FreeBsdReference = {
    kernel: 'FreeBSD',
    release: cat.release,
    label: root ? `${name} at ${root}` : `bundled ${name}`,
    root,
    catalogue: cat,
    tablePaths: () => Object.keys(cat.files),
    table: rel => {
      const list = cat.files[rel];
      if (!list) return undefined;
      let t = tables.get(rel);
      if (!t) tables.set(rel, (t = tableEntries(list)));
      return t;
    },
    entries: abi => {
      const src = tableSource(abi, rel => !!ref.table(rel));
      return src && ref.table(src.table)!.filter(e => src.tags.includes(e.abi));
    },
    tableOf: abi => tableSource(abi, rel => !!ref.table(rel)),
    prototype: entry => {
      const n = entry.replace(/^sys_/, '');
      const e = ref.live(n);
      return e && toPrototype(e, FREEBSD_MASTER);
    },
    fileOf: rel => (root ? path.join(root, rel) : rel),
    syscalls: () => native,
    header: headerOf,
    maxSyscall: () => maxSyscall(native),
    at: n => numbers().get(n),
    defined: n =>
      (byDefine ??= new Map(headerOf().map(l => [l.kind === 'define' ? l.name : `#${l.number}`, l]))).get(n),
    live: n => {
      if (!byLive) {
        byLive = new Map();
        for (const e of native) if (kindOf(e) === 'live' && e.name && !byLive.has(e.name)) byLive.set(e.name, e);
      }
      return byLive.get(n);
    },
  };
  built.set(cat, ref);
  return ref;
}
