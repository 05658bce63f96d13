// What a QEMU `linux-user/<dir>/syscall_nr.h` must define: its target's QEMU `.tbl` selected
// by the target's ABI list, else the kernel's table for the directory's ABI.
import * as path from 'path';
import { AbiDef, abiById, ABIS, tableSourceText } from '../../../reference/linux/abis';
import { SUPPLY_KERNEL } from '../../notChecked';
import type { KernelReference } from '../../../reference/reference';
import type { Reader } from '../../../core/reader';
import { archOfDir, headerAbi, NrBuild } from '../arches';
import { linuxUserTargets, parseMesonGenerator } from '../syscallhdr';
import { parseTbl, selectAbis } from '../../../reference/linux/tbl';

export interface ExpectedEntry {
  /** The number the guest uses (the table number plus the ABI's offset, if any). */
  number: number;
  name: string;
  /** Zero-based line in `file`. */
  line: number;
  file: string;
  /** The entry point; absent or `sys_ni_syscall` for a number the kernel does not implement. */
  entry?: string;
  /** Why the number has this name when the table alone does not say so. */
  note?: string;
}

export interface Expected {
  entries: ExpectedEntry[];
  /** What the entries come from, for messages: `linux-user/mips/syscall_o32.tbl (o32)`. */
  source: string;
}

/**
 * What a header under `linux-user/<dir>/` must define: the target's QEMU `.tbl` selected
 * by its ABI list (TARGET_SYSTBL_ABI) when the directory has one, else the catalogue's
 * kernel table for the header's ABI (arches.ts). Undefined when neither applies
 * (cris: Linux dropped the arch) or when the `.tbl` serves several ABI lists and no
 * `target` says which.
 */
export function expectedForHeader(
  headerRelPath: string,
  qemuRoot: string,
  ref: KernelReference | undefined,
  opts: { io: Reader; target?: string },
): Expected | undefined {
  const e = expectationFor(headerRelPath, qemuRoot, ref, opts);
  return 'entries' in e ? e : undefined;
}

/** What one build of the header must define; `build` is absent when no row of arches.ts says how it is compiled. */
export interface BuildExpectation {
  build?: NrBuild;
  expected: Expected;
}

/**
 * What each build of the header must define: one when a target's `.tbl` or a hand-written
 * header's ABI says (QEMU 7.2), else one per way the directory's header is compiled (arches.ts
 * builds: its own `#if`s choose), from the kernel's tables; or why none can be told.
 */
export function expectationsFor(
  headerRelPath: string,
  qemuRoot: string,
  ref: KernelReference | undefined,
  opts: { io: Reader },
): { builds: BuildExpectation[] } | { missing: string } {
  const e = expectationFor(headerRelPath, qemuRoot, ref, opts);
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+)$/.exec(headerRelPath.replace(/\\/g, '/'));
  const arch = m ? archOfDir(m[1]) : undefined;
  if ('entries' in e) {
    const abi = m ? headerAbi(m[1], m[2]) : undefined;
    const build = arch?.builds?.find(b => (e.target ? b.targets.includes(e.target) : b.abis[0] === abi));
    return { builds: [{ build, expected: e }] };
  }
  const out: BuildExpectation[] = [];
  if (e.fromTargets) {
    // Targets that select different syscalls from one .tbl: each build against its own target's selection.
    for (const build of arch?.builds ?? []) {
      const t = build.targets
        .map(target => expectationFor(headerRelPath, qemuRoot, ref, { ...opts, target }))
        .find(x => 'entries' in x);
      if (t && 'entries' in t) out.push({ build, expected: t });
    }
    return out.length ? { builds: out } : { missing: e.missing };
  }
  const builds = m && !headerAbi(m[1], m[2]) ? (arch?.builds ?? []) : [];
  let why: string | undefined;
  for (const build of builds) {
    const abis = build.abis.map(abiById).filter((a): a is AbiDef => a !== undefined);
    const k = kernelExpected(abis, ref, build.offset);
    if ('missing' in k) why ??= k.missing;
    else out.push({ build, expected: k });
  }
  if (out.length) return { builds: out };
  return { missing: why ?? e.missing };
}

/** The kernel's table for `abis` together (ARM: EABI and OABI rows of one header), numbered as the guest sees them. */
function kernelExpected(
  abis: AbiDef[],
  ref: KernelReference | undefined,
  offset?: number,
): Expected | { missing: string } {
  const entries: ExpectedEntry[] = [];
  const sources: string[] = [];
  const seen = new Set<string>();
  for (const abi of abis) {
    const src = ref?.tableOf(abi);
    const table = src && ref!.entries(abi);
    if (!src || !table) return { missing: whyNoAbiTable(abi, ref) };
    for (const e of table) {
      const name = UAPI_RENAMES[abi.arch]?.[e.name] ?? e.name;
      const number = e.number + (offset ?? abi.base ?? 0);
      if (seen.has(`${number} ${name}`)) continue;
      seen.add(`${number} ${name}`);
      entries.push({
        number,
        name,
        note: UAPI_RENAMES[abi.arch]?.[e.name]
          ? `arch/${abi.arch}/include/uapi/asm/unistd.h renames ${e.name} to ${UAPI_RENAMES[abi.arch][e.name]}`
          : undefined,
        line: e.line,
        file: ref!.fileOf(e.file ?? src.table),
        entry: ENOSYS_ON_ARCH[e.name]?.includes(abi.arch) ? undefined : e.entry,
      });
    }
    const from = src === abi ? `${abi.table} (${abi.id}: ${abi.tags.join(',')})` : tableSourceText(src);
    sources.push(from);
  }
  const release = ref!.release ? `${ref!.kernel} ${ref!.release} ` : "the kernel's ";
  const merged =
    sources.length === 2 && sources[0].split(' (')[0] === sources[1].split(' (')[0]
      ? `${sources[0].split(' (')[0]} (${abis.map(a => `${a.id}: ${a.tags.join(',')}`).join('; ')})`
      : sources.join(' and ');
  return { entries, source: `${release}${merged}` };
}

/** What the header must define, or why that cannot be told (a message that says how to supply it). */
export function expectationFor(
  headerRelPath: string,
  qemuRoot: string,
  ref: KernelReference | undefined,
  opts: { io: Reader; target?: string },
): (Expected & { target?: string }) | { missing: string; fromTargets?: boolean } {
  const io = opts.io;
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+)$/.exec(headerRelPath.replace(/\\/g, '/'));
  if (!m) return { missing: `${headerRelPath} is not under linux-user/<dir>/` };
  const [, dir, base] = m;
  const users = linuxUserTargets(qemuRoot, io).filter(t => t.abiDir === dir && t.systbl && t.systblAbi !== undefined);
  if (users.length) {
    const chosen =
      opts.target !== undefined
        ? users.find(u => u.target === opts.target)
        : new Set(users.map(u => `${u.systbl}/${u.systblAbi}`)).size === 1
          ? users[0]
          : undefined;
    if (!chosen) {
      const lists = users.map(u => `${u.target} (${u.systbl}: ${u.systblAbi})`).join(', ');
      return {
        missing: `the targets built from linux-user/${dir}/ select different syscalls (${lists}), and nothing says which of them this header follows`,
        fromTargets: true,
      };
    }
    const tblRel = `linux-user/${dir}/${chosen.systbl}`;
    const tblFile = path.join(qemuRoot, tblRel);
    const text = io.read(tblFile);
    if (text === undefined)
      return {
        missing: `${chosen.target}'s configs/targets/${chosen.target}-linux-user.mak names ${tblRel}, which cannot be read`,
        fromTargets: true,
      };
    const abis = chosen.systblAbi!.split(',');
    const meson = io.read(path.join(qemuRoot, 'linux-user', dir, 'meson.build'));
    const gen = meson === undefined ? undefined : parseMesonGenerator(meson, dir);
    const offsetText = gen && !('error' in gen) ? (gen.extra[1] ?? '') : '';
    let offset = /^\d+$/.test(offsetText) ? Number(offsetText) : 0;
    if (offsetText !== '' && !/^\d+$/.test(offsetText)) {
      // A symbolic offset (mips64 TARGET_SYSCALL_OFFSET): the ABI registry's base for this table.
      const abi = ABIS.find(
        a =>
          a.table.endsWith(`/${chosen.systbl}`) &&
          a.tags.every(t => abis.includes(t)) &&
          abis.every(t => a.tags.includes(t)),
      );
      offset = abi?.base ?? 0;
    }
    const entries = selectAbis(parseTbl(tblFile, text), abis).map(e => ({
      number: e.number + offset,
      name: e.name,
      line: e.line,
      file: tblFile,
      entry: e.entry,
    }));
    return { entries, source: `${tblRel} (${chosen.systblAbi})`, target: chosen.target };
  }
  const abiId = headerAbi(dir, base);
  const abi = abiId ? abiById(abiId) : undefined;
  if (!abi) return { missing: whyNoTable(dir, base, abi, ref) };
  return kernelExpected([abi], ref);
}

/**
 * Entry points that exist in the table but return ENOSYS on some arches, which the
 * tables cannot show: `kernel/fork.c` `sys_clone3` under `__ARCH_BROKEN_SYS_CLONE3`, which
 * Linux 6.12 defines in arch/{hexagon,nios2,sh,sparc}/include/asm/unistd.h (Linux 6.1
 * had no `__NR_clone3` there at all: `__ARCH_WANT_SYS_CLONE3` was opt-in).
 */
const ENOSYS_ON_ARCH: Record<string, string[]> = { clone3: ['hexagon', 'nios2', 'sh', 'sparc'] };

/**
 * Numbers an arch's uapi header renames after including the generated list, which the
 * generic scripts/syscall.tbl cannot show: Linux 6.12 arch/hexagon/include/uapi/asm/unistd.h
 * and arch/csky/include/uapi/asm/unistd.h `#define __NR_sync_file_range2 84` and
 * `#undef __NR_sync_file_range` (Linux 6.1: `__ARCH_WANT_SYNC_FILE_RANGE2`), and their
 * syscall tables map sys_sync_file_range to sys_sync_file_range2 (fd, flags, offset, nbytes).
 */
const UAPI_RENAMES: Record<string, Record<string, string>> = {
  hexagon: { sync_file_range: 'sync_file_range2' },
  csky: { sync_file_range: 'sync_file_range2' },
};

/** Why a header with no `.tbl` of its target has no kernel table to follow. */
function whyNoTable(dir: string, base: string, abi: AbiDef | undefined, ref: KernelReference | undefined): string {
  const arch = archOfDir(dir);
  if (arch?.dropped)
    return `Linux dropped ${arch.kernel} in ${arch.dropped}: there is no kernel table to compare linux-user/${dir}/${base} with`;
  if (!abi)
    return `no QEMU target in configs/targets/ reads a .tbl for linux-user/${dir}/, and systab knows no kernel ABI that numbers ${dir}/${base}`;
  return whyNoAbiTable(abi, ref);
}

/** Why the kernel reference has no table for `abi`. */
function whyNoAbiTable(abi: AbiDef, ref: KernelReference | undefined): string {
  if (!ref) return `no kernel catalogue is loaded to compare it with the ${abi.id} table; ${SUPPLY_KERNEL}`;
  const older = abi.older?.length ? ` nor ${abi.older.map(tableSourceText).join(' nor ')}` : '';
  return (
    `${ref.label} has no ${abi.table}${older}, where systab reads the ${abi.id} syscalls` +
    `; point systab.kernelPath or --kernel at a tree that has it, or leave it unset to use the bundled catalogue`
  );
}
