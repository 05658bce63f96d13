// What every syscallent check reads: one personality's build, the kernel's table for its
// ABI, and the document the findings go to.
import * as path from 'path';
import type { KernelReference, TableEntry } from '../../../reference/reference';
import { Code, Finding, FindingExtra, Location, makeFinding, Related, Severity, range } from '../../../core/types';
import { guestNumber } from '../../../reference/linux/abis';
import type { Build, Row } from './model';
import type { Personality } from './personalities';

export interface StraceContext {
  /** The document the findings are for: only its rows are reported. */
  file: string;
  personality: Personality;
  build: Build;
  ref: KernelReference;
  /** The kernel's syscalls on the personality's ABI, by `.tbl` number. */
  kernel: Map<number, TableEntry>;
  /** The kernel's numbers by syscall name on that ABI. */
  kernelByName: Map<string, TableEntry>;
}

export const abiLabel = (ctx: StraceContext) => ctx.personality.abi.id;

/** The `.tbl` number a row stands for, or undefined for a strace-internal index. */
export function kernelNumber(ctx: StraceContext, row: Row): number | undefined {
  if (row.internal || row.file.endsWith(`${path.sep}subcallent.h`)) return undefined;
  const n = row.index - ctx.personality.base;
  if (n < 0) return undefined;
  // strace-internal indices past the subcalls and ARM's private syscalls.
  for (const m of ['SYS_socket_subcall', 'ARM_FIRST_SHUFFLED_SYSCALL']) {
    const v = Number(ctx.build.macros.get(m));
    if (Number.isFinite(v) && v > 0 && row.index >= v) return undefined;
  }
  return n;
}

export const mine = (ctx: StraceContext, row: Row) => row.file === ctx.file;

/** A row no later row replaces (C designated initializers: the last one wins). */
export function live(ctx: StraceContext, row: Row): boolean {
  const rows = ctx.build.rows;
  const i = rows.indexOf(row);
  return !rows.slice(i + 1).some(r => r.index <= row.index && r.last >= row.last);
}

/** The number in the syscall register: `4003` on o32, `0x40000000 + 512` on x32. */
export const registerNumber = (ctx: StraceContext, n: number) => guestNumber(ctx.personality.abi, n);

/** The file a kernel line is in: the ABI's table, or the older form the tree has (calls.S, unistd.h). */
const tablePath = (ctx: StraceContext, e: TableEntry) =>
  e.file ?? ctx.ref.tableOf(ctx.personality.abi)?.table ?? ctx.personality.abi.table;

export function tblLocation(ctx: StraceContext, e: TableEntry): Location {
  return { file: ctx.ref.fileOf(tablePath(ctx, e)), range: range(e.line, 0, e.line, 0) };
}

export function tblRelated(ctx: StraceContext, e: TableEntry): Related {
  return {
    location: tblLocation(ctx, e),
    message:
      `${tablePath(ctx, e)}: ${e.number} ${e.abi} ${e.name} ${e.entry ?? ''}${e.compat ? ` ${e.compat}` : ''}`.trim(),
  };
}

export function finding(
  ctx: StraceContext,
  code: Code,
  severity: Severity,
  at: import('../../../core/types').Range,
  message: string,
  extra: FindingExtra = {},
): Finding {
  return makeFinding(ctx.file, code, severity, at, message, extra);
}

/** strace's spellings of kernel names (the kernel's name first). */
const SPELLINGS: [string, string][] = [
  ['arm_fadvise64_64', 'fadvise64_64'],
  ['arm_sync_file_range', 'sync_file_range2'],
  ['fadvise64_64', 'fadvise64'],
  ['umount2', 'umount2'],
];

/** Do strace's name and the kernel's name the same syscall? */
export function sameSyscall(strace: string, kernel: string): boolean {
  if (strace === kernel) return true;
  return SPELLINGS.some(([k, s]) => k === kernel && s === strace);
}
