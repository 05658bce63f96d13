// The kernel a table is checked against, as the checks see it: its syscall tables, the C
// prototypes behind their entry points and where its files are. Checks and families use
// only this; Linux implements it over the catalogue (linux/reference.ts), and another
// kernel (FreeBSD's syscalls.master and sys/ tree) can implement the same.
import { Location, range } from '../core/types';
import type { ArmPrivate } from './linux/armPrivate';
import type { Prototype } from './linux/catalogue';

export type { Prototype };

/** One line of a syscall table: number, ABI tag, name and entry points. */
export interface TableEntry {
  number: number;
  abi: string;
  name: string;
  entry?: string;
  compat?: string;
  line: number;
  /** The file the line is in, relative to the kernel root, when it is not the table's own path. */
  file?: string;
}

/** Where an ABI's syscalls are: a table by its path relative to the kernel root, and the ABI tags selected from it. */
export interface TableSource {
  table: string;
  tags: readonly string[];
}

/** An ABI as a reference looks it up: its table, then where older trees keep the same syscalls. */
export interface AbiTables extends TableSource {
  older?: readonly TableSource[];
}

/** The first of an ABI's table sources that `has` holds. */
export function tableSource(abi: AbiTables, has: (rel: string) => boolean): TableSource | undefined {
  return [abi, ...(abi.older ?? [])].find(s => has(s.table));
}

export interface KernelReference {
  /** The kernel's name in messages: `Linux`. */
  kernel: string;
  /** Its release (`6.1.192`), when known. */
  release?: string;
  /** Which kernel, in one line: `Linux 6.1.192 at /src/linux`, `bundled Linux 6.12.117`. */
  label: string;
  /** The source tree it was read from; undefined for bundled data (no files to open). */
  root?: string;
  /** The paths of its syscall tables, relative to the kernel root. */
  tablePaths(): string[];
  /** A syscall table by its path relative to the kernel root. */
  table(rel: string): readonly TableEntry[] | undefined;
  /** One ABI's syscalls: the lines of its table with one of its tags; undefined without the table. */
  entries(abi: AbiTables): TableEntry[] | undefined;
  /** Which of an ABI's table sources this reference has (its table, or an older tree's form). */
  tableOf(abi: AbiTables): TableSource | undefined;
  /** Every definition and declaration of exactly this name, in any arch's code (UML asks which files define it). */
  definitions?(entry: string): readonly Prototype[];
  /** The C prototype behind an entry point as `arch` builds it ('' for generic code). */
  prototype(entry: string, arch: string): Prototype | undefined;
  /** Where a reference file is: in the tree when there is one, else its relative path. */
  fileOf(rel: string): string;
  /** Linux on ARM: the private syscalls at `__ARM_NR_BASE` and how arm_syscall() answers them. */
  armPrivate?(): ArmPrivate | undefined;
}

/** Where a prototype is, for findings and go-to-definition. */
export function protoLocation(ref: KernelReference | undefined, p: Prototype): Location {
  const file = ref ? ref.fileOf(p.file) : p.file;
  return { file, range: range(p.line, 0, p.line, 0) };
}
