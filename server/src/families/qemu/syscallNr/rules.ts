// Checks on QEMU `linux-user/<target>/syscall_nr.h`: numbers that differ from the kernel's
// (`nr-mismatch`), names the kernel does not have at that number (`name-mismatch`: the
// `case TARGET_NR_x:` in syscall.c behind a misspelt name is dead code), and syscalls the
// table has that a hand-written header lacks (`missing-entry`). Headers `syscallhdr.sh`
// generates are never checked here: they are regenerated from the `.tbl`.
import type { Rule } from '../../family';
import * as path from 'path';
import { abiById, ABIS } from '../../../reference/linux/abis';
import type { KernelReference } from '../../../reference/reference';
import type { Reader } from '../../../core/reader';
import { headerAbi } from '../arches';
import { linuxUserTargets, parseMesonGenerator } from '../syscallhdr';
import { NrDefine, NrModel, nrIndex, renderDefine } from './model';
import { implemented, parseTbl, selectAbis } from '../../../reference/linux/tbl';
import { Finding, Fix, range, TextEdit } from '../../../core/types';

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
  const io = opts.io;
  const m = /(?:^|\/)linux-user\/([^/]+)\/([^/]+)$/.exec(headerRelPath.replace(/\\/g, '/'));
  if (!m) return undefined;
  const [, dir, base] = m;
  const users = linuxUserTargets(qemuRoot, io).filter(t => t.abiDir === dir && t.systbl && t.systblAbi !== undefined);
  if (users.length) {
    const chosen =
      opts.target !== undefined
        ? users.find(u => u.target === opts.target)
        : new Set(users.map(u => `${u.systbl}/${u.systblAbi}`)).size === 1
          ? users[0]
          : undefined;
    if (!chosen) return undefined;
    const tblRel = `linux-user/${dir}/${chosen.systbl}`;
    const tblFile = path.join(qemuRoot, tblRel);
    const text = io.read(tblFile);
    if (text === undefined) return undefined;
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
    return { entries, source: `${tblRel} (${chosen.systblAbi})` };
  }
  const abiId = headerAbi(dir, base);
  const abi = abiId ? abiById(abiId) : undefined;
  const table = abi && ref?.entries(abi);
  if (!abi || !table) return undefined;
  const file = ref!.fileOf(abi.table);
  const entries = table.map(e => ({
    number: e.number + (abi.base ?? 0),
    name: UAPI_RENAMES[abi.arch]?.[e.name] ?? e.name,
    note: UAPI_RENAMES[abi.arch]?.[e.name]
      ? `arch/${abi.arch}/include/uapi/asm/unistd.h renames ${e.name} to ${UAPI_RENAMES[abi.arch][e.name]}`
      : undefined,
    line: e.line,
    file,
    entry: ENOSYS_ON_ARCH[e.name]?.includes(abi.arch) ? undefined : e.entry,
  }));
  const release = ref!.release ? `${ref!.kernel} ${ref!.release} ` : "the kernel's ";
  return { entries, source: `${release}${abi.table} (${abi.id}: ${abi.tags.join(',')})` };
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

/** The value text that makes `d` evaluate to `n`, keeping a `(BASE + N)` form. */
function valueFor(d: NrDefine, n: number, model: NrModel): string {
  const m = /^(\(\s*)([A-Za-z_][A-Za-z0-9_]*)(\s*\+\s*)(0[xX][0-9a-fA-F]+|\d+)(\s*\))$/.exec(d.value);
  if (m) {
    const base = model.defines.find(x => x.macro === m[2])?.number ?? model.macros.find(x => x.macro === m[2])?.number;
    if (base !== undefined && n - base >= 0) return `${m[1]}${m[2]}${m[3]}${n - base}${m[5]}`;
  }
  return /^0[xX]/.test(d.value) ? `0x${n.toString(16)}` : String(n);
}

export function syscallNrFindings(file: string, model: NrModel, expected: Expected | undefined): Finding[] {
  if (!expected || model.stub || model.binary) return [];
  const out: Finding[] = [];
  const { byName } = nrIndex(model);
  const kByName = new Map<string, ExpectedEntry>();
  const kByNumber = new Map<number, ExpectedEntry>();
  for (const k of expected.entries) {
    if (!kByName.has(k.name)) kByName.set(k.name, k);
    if (!kByNumber.has(k.number)) kByNumber.set(k.number, k);
  }
  const rel = (k: ExpectedEntry, message: string) => ({
    location: { file: k.file, range: range(k.line, 0, k.line, 0) },
    message,
  });
  const src = expected.source;
  for (const d of model.defines) {
    if (d.kind !== 'syscall' || d.number === undefined) continue;
    const k = kByName.get(d.name);
    if (k) {
      if (k.number === d.number) continue;
      const other = kByNumber.get(d.number);
      const value = valueFor(d, k.number, model);
      out.push({
        file,
        range: d.ranges.value,
        severity: 'error',
        code: 'nr-mismatch',
        syscall: d.name,
        message:
          `${d.macro} is ${d.number}, but ${d.name} is ${k.number} in ${src}` +
          (other ? `; ${d.number} is ${other.name} there, so a guest calling ${other.name} gets ${d.name}` : ''),
        related: [rel(k, `${d.name} is ${k.number}`), ...(other ? [rel(other, `${d.number} is ${other.name}`)] : [])],
        fixes: [
          {
            title: `Set ${d.macro} to ${k.number}`,
            preferred: true,
            edits: [{ range: d.ranges.value, newText: value }],
          },
        ],
      });
      continue;
    }
    const at = kByNumber.get(d.number);
    if (!at || at.name === d.name) continue; // a number the table does not have: arch-private or removed
    if (byName.has(at.name)) continue; // an alias QEMU keeps beside the kernel's name
    out.push({
      file,
      range: d.ranges.name,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: d.name,
      message: `${d.macro} (${d.number}): ${src} has no ${d.name}; ${d.number} is ${at.name} there${at.note ? ` (${at.note})` : ''}, so syscall.c runs its \`case ${d.macro}:\` code for ${at.name} calls, and any \`case ${d.prefix}${at.name}:\` is dead code`,
      related: [rel(at, `${d.number} is ${at.name}`)],
      fixes: [
        {
          title: `Rename to ${d.prefix}${at.name}`,
          preferred: true,
          edits: [{ range: d.ranges.name, newText: at.name }],
        },
      ],
    });
  }
  out.push(...missing(file, model, expected));
  return out;
}

function missing(file: string, model: NrModel, expected: Expected): Finding[] {
  const { byName, byNumber } = nrIndex(model);
  const syscalls = model.defines.filter(d => d.kind === 'syscall' && d.number !== undefined);
  if (!syscalls.length) return [];
  // Where each define belongs: the kernel's number for a name the table has (a wrong number
  // is fixed separately), else its own.
  const kNumber = new Map(expected.entries.map(k => [k.name, k.number] as const));
  const place = (d: NrDefine) => kNumber.get(d.name) ?? d.number!;
  const prefix = syscalls[0].prefix;
  const eol = model.style.eol;
  const groups = new Map<number, ExpectedEntry[]>();
  for (const k of [...expected.entries].sort((a, b) => a.number - b.number)) {
    if (byName.has(k.name) || !implemented(k.entry)) continue;
    if (byNumber.get(k.number)?.some(d => !expected.entries.some(e => e.name === d.name))) continue; // reported as name-mismatch or an alias
    const prev = syscalls.filter(d => place(d) < k.number).sort((a, b) => place(b) - place(a) || b.line - a.line)[0];
    const at = prev ? prev.line : -1;
    groups.set(at, [...(groups.get(at) ?? []), k]);
  }
  const out: Finding[] = [];
  for (const [line, ks] of groups) {
    const prev = line >= 0 ? syscalls.find(d => d.line === line) : undefined;
    const first = syscalls.slice().sort((a, b) => a.line - b.line)[0];
    const text = ks.map(k => renderDefine(model, `${prefix}${k.name}`, String(k.number))).join(eol);
    const anchor = prev ? prev.ranges.line : first.ranges.line;
    const pos = prev ? prev.ranges.line.end : { line: first.line, character: 0 };
    const edit: TextEdit = {
      range: { start: pos, end: pos },
      newText: prev ? eol + text : text + eol,
      order: ks[0].number,
    };
    const names = ks.map(k => `${k.name} (${k.number})`);
    const message =
      ks.length <= 3
        ? `${names.join(', ')} ${ks.length === 1 ? 'is' : 'are'} in ${expected.source} but not in this header: QEMU cannot dispatch ${ks.length === 1 ? 'it' : 'them'} (ENOSYS)`
        : `${ks.length} syscalls of ${expected.source} are not in this header: ${names[0]} to ${names[names.length - 1]} (ENOSYS)`;
    const fix: Fix = {
      title:
        ks.length === 1
          ? `Add ${prefix}${ks[0].name}`
          : `Add ${ks.length} defines (${ks[0].number}-${ks[ks.length - 1].number})`,
      preferred: true,
      edits: [edit],
    };
    out.push({
      file,
      range: anchor,
      severity: 'warning',
      code: 'missing-entry',
      syscall: ks[0].name,
      message,
      related: ks.slice(0, 20).map(k => ({
        location: { file: k.file, range: range(k.line, 0, k.line, 0) },
        message: `${k.number} ${k.name} in ${expected.source}`,
      })),
      fixes: [fix],
    });
  }
  return out;
}

/** A hand-written `linux-user/<dir>/syscall_nr.h` against what it must define: the target's QEMU `.tbl` selected by its ABI list when the directory has one, else the kernel's table for the directory's ABI. A `TARGET_NR_x` at another number than the table's is an error (the guest's call lands on another syscall); a name the table does not have at that number is a warning (the `case TARGET_NR_x:` behind a misspelt name is dead code); syscalls the table has and the header lacks are missing. Headers `syscallhdr.sh` generates are not checked: they are regenerated. */
export const rule: Rule<{ file: string; model: NrModel; expected?: Expected }> = {
  codes: ['nr-mismatch', 'name-mismatch', 'missing-entry'],
  about:
    "A hand-written `linux-user/<dir>/syscall_nr.h` against what it must define: the target's QEMU `.tbl` selected by its ABI list when the directory has one, else the kernel's table for the directory's ABI. A `TARGET_NR_x` at another number than the table's is an error (the guest's call lands on another syscall); a name the table does not have at that number is a warning (the `case TARGET_NR_x:` behind a misspelt name is dead code); syscalls the table has and the header lacks are missing. Headers `syscallhdr.sh` generates are not checked: they are regenerated.",
  run: c => syscallNrFindings(c.file, c.model, c.expected),
};
