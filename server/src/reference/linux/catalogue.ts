// The catalogue: what systab knows of a kernel. One model, filled either by indexing a
// Linux tree or by loading the bundled data file; checks read it as a KernelReference (reference.ts).
import type { TableEntry } from '../reference';
import type { ArmPrivate } from './armPrivate';
import { lookupNames } from './entryNames';
import { Param } from './params';

export type ProtoKind = 'SYSCALL_DEFINE' | 'COMPAT_SYSCALL_DEFINE' | 'definition' | 'declaration' | 'assembly';

export interface Prototype {
  entry: string;
  params: Param[];
  /** Path relative to the kernel root, '/'-separated. */
  file: string;
  /** Zero-based line of the definition or declaration. */
  line: number;
  kind: ProtoKind;
  /** The arch directory it sits under (`arch/<arch>/...`), absent for generic code. */
  arch?: string;
  /** `CONFIG_` symbols (without the prefix) that must be set, or unset, for it to compile. */
  requires?: string[];
  excludes?: string[];
  /** An `assembly` entry point: the registers and stack slots its code reads, word by word. */
  reads?: string[];
}

export type CatalogueTblEntry = TableEntry;

export interface Catalogue {
  format: 1;
  kernel: { root?: string; release?: string };
  prototypes: Record<string, Prototype[]>;
  /** Syscall tables by path relative to the kernel root. */
  tables: Record<string, CatalogueTblEntry[]>;
  /** Per arch, the Kconfig symbols it selects (to choose among #ifdef'd definitions). */
  archConfig?: Record<string, string[]>;
  /** Symbols some arch's Kconfig defines itself (COMPAT, 64BIT): never judged by selects. */
  archDefines?: string[];
  /** ARM's private syscalls at `__ARM_NR_BASE`: numbers, arm_syscall()'s cases, the entry's bound. */
  armPrivate?: ArmPrivate;
}

export function emptyCatalogue(): Catalogue {
  return { format: 1, kernel: {}, prototypes: {}, tables: {} };
}

export function addPrototype(cat: Catalogue, p: Prototype): void {
  (cat.prototypes[p.entry] ??= []).push(p);
}

/**
 * False when the arch's Kconfig rules the definition out. Only symbols that arches
 * `select` (CLONE_BACKWARDS, OLD_SIGSUSPEND3, ...) are judged; a symbol set some other way
 * (COMPAT, 64BIT: defaults, user choices) says nothing either way.
 */
function compiles(p: Prototype, selects: Set<string> | undefined, selectable: Set<string>): boolean {
  if (!selects) return true;
  return (
    (p.requires ?? []).every(s => !selectable.has(s) || selects.has(s)) &&
    !(p.excludes ?? []).some(s => selectable.has(s) && selects.has(s))
  );
}

const selectsCache = new WeakMap<Catalogue, { all: Set<string>; byArch: Map<string, Set<string>> }>();
function selectsOf(cat: Catalogue, arch: string): { selects?: Set<string>; all: Set<string> } {
  let c = selectsCache.get(cat);
  if (!c) {
    const byArch = new Map(Object.entries(cat.archConfig ?? {}).map(([a, l]) => [a, new Set(l)] as const));
    const own = new Set(cat.archDefines ?? []);
    c = { all: new Set([...byArch.values()].flatMap(x => [...x]).filter(x => !own.has(x))), byArch };
    selectsCache.set(cat, c);
  }
  return { selects: c.byArch.get(arch), all: c.all };
}

const rank = (p: Prototype, arch: string, k: { selects?: Set<string>; all: Set<string> }) =>
  (p.arch === arch ? 0 : p.arch === undefined ? 2 : 9) +
  (p.kind === 'declaration' ? 1 : 0) +
  (compiles(p, k.selects, k.all) ? 0 : 4);

/**
 * The prototype behind an entry point on `arch`: that arch's own code first, then generic
 * code; what the arch's Kconfig compiles before what it rules out; definitions before
 * declarations. Other arches' code never stands in.
 */
export function findPrototype(cat: Catalogue, entry: string, arch: string): Prototype | undefined {
  // Any era's spelling (`__x64_sys_read`, `sys_clone/ptregs`, `stub_execve`) resolves to the SYSCALL_DEFINE.
  const names = lookupNames(entry);
  // MIPS `__sys_fork` is a save-registers wrapper around `sys_fork`.
  if (entry.startsWith('__sys_')) names.push(entry.slice(2));
  const k = selectsOf(cat, arch);
  for (const name of names) {
    const best = (cat.prototypes[name] ?? [])
      .filter(p => p.arch === undefined || p.arch === arch)
      .sort((a, b) => rank(a, arch, k) - rank(b, arch, k) || a.file.localeCompare(b.file) || a.line - b.line)[0];
    if (best) return best;
  }
  return undefined;
}
