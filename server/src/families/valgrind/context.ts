// What both valgrind families read per target: its numbers (numbers.ts), the kernel's table
// for its ABI, and helpers for findings, evidence, hover cards and definitions.
import * as path from 'path';
import { binaryProblem, looksBinary } from '../../core/text';
import type { Finding, Location, Related } from '../../core/types';
import { makeFinding, range } from '../../core/types';
import type { AbiDef } from '../../reference/linux/abis';
import { abiById, guestNumber } from '../../reference/linux/abis';
import { needOn, sideSections } from '../../reference/linux/need';
import { implemented } from '../../reference/linux/tbl';
import { KernelReference, protoLocation, TableEntry } from '../../reference/reference';
import { notChecked, SUPPLY_KERNEL } from '../notChecked';
import { buildNumbers, Numbers } from './numbers';
import { KNOWN_FILES, Target, targetLabel, TARGETS } from './platforms';

export interface TargetBuild {
  target: Target;
  abi: AbiDef;
  numbers: Numbers;
  ref: KernelReference;
  kernel: Map<number, TableEntry>;
  kernelByName: Map<string, TableEntry>;
  /** arm: the OABI-only syscalls of the same table, which valgrind's header keeps (a convention). */
  oabi?: Map<number, TableEntry>;
}

type Read = (file: string) => string | undefined;

/**
 * The builds of the targets `wanted` selects, against the kernel; what cannot be compared
 * (no target, no kernel, no table for the ABI, no ABI at all) comes back as not-checked findings.
 */
export function targetBuilds(
  file: string,
  root: string,
  wanted: (tg: Target, numbers: Numbers) => boolean,
  ref: KernelReference | undefined,
  read: Read,
  /** What the not-checked finding says when no target reads the file. */
  noTarget: string,
): { builds: TargetBuild[]; notes: Finding[] } {
  const builds: TargetBuild[] = [];
  const noAbi: string[] = [];
  const noTable: string[] = [];
  const chosen = TARGETS.map(tg => ({ tg, numbers: buildNumbers(root, tg, read) })).filter(x =>
    wanted(x.tg, x.numbers),
  );
  if (!chosen.length) return { builds, notes: [notChecked(file, noTarget)] };
  if (!ref) return { builds, notes: [notChecked(file, `nothing to compare this table with: ${SUPPLY_KERNEL}`)] };
  for (const { tg, numbers } of chosen) {
    if (!tg.abi) {
      noAbi.push(tg.platform);
      continue;
    }
    const entries = ref!.entries(tg.abi);
    if (!entries) {
      noTable.push(`${targetLabel(tg)} (${tg.abi.table})`);
      continue;
    }
    const b: TargetBuild = {
      target: tg,
      abi: tg.abi,
      numbers,
      ref: ref!,
      kernel: new Map(entries.map(e => [e.number, e] as const)),
      kernelByName: new Map(entries.map(e => [e.name, e] as const)),
    };
    if (tg.abi.id === 'arm-eabi') {
      const o = ref!.entries(abiById('arm-oabi')!) ?? [];
      b.oabi = new Map(o.filter(e => e.abi === 'oabi').map(e => [e.number, e] as const));
    }
    builds.push(b);
  }
  const notes: Finding[] = [];
  if (noAbi.length)
    notes.push(
      notChecked(
        file,
        `${noAbi.join(', ')}: the kernel has no such ABI (nanoMIPS never went upstream), so there is nothing to compare with`,
      ),
    );
  if (noTable.length)
    notes.push(
      notChecked(
        file,
        `${ref!.label} has no table for ${noTable.join(', ')}; point systab.kernelPath or --kernel at a tree that has it, or leave it unset to use the bundled catalogue`,
      ),
    );
  return { builds, notes };
}

/** The table number (without the ABI's base) of a value in the syscall register. */
export const tableNumber = (b: TargetBuild, value: number) => value - (b.abi.base ?? 0);

/** The number as a guest writes it: `4003` on o32. */
export const registerNumber = (b: TargetBuild, n: number) => guestNumber(b.abi, n);

export const label = (b: TargetBuild) => targetLabel(b.target);

export function tblLocation(b: TargetBuild, e: TableEntry): Location {
  return {
    file: b.ref.fileOf(e.file ?? b.ref.tableOf(b.abi)?.table ?? b.abi.table),
    range: range(e.line, 0, e.line, 0),
  };
}

export function tblRelated(b: TargetBuild, e: TableEntry): Related {
  return {
    location: tblLocation(b, e),
    message:
      `${b.ref.tableOf(b.abi)?.table ?? b.abi.table}: ${e.number} ${e.abi} ${e.name} ${e.entry ?? ''}${e.compat ? ` ${e.compat}` : ''}`.trim(),
  };
}

/** Same signature as every family's: core's one constructor. */
export const finding = makeFinding;

/**
 * The files `check DIR` opens under `under` (include/ or coregrind/): known paths from the
 * valgrind tree DIR is, or is in (include/vki/, coregrind/m_syswrap/); never a walk.
 */
export function locateUnder(dir: string, under: string, io: { read(f: string): string | undefined }): string[] {
  for (const root of [dir, path.dirname(dir), path.dirname(path.dirname(dir))]) {
    const found = KNOWN_FILES.filter(f => f.startsWith(under))
      .map(f => path.join(root, f))
      .filter(f => io.read(f) !== undefined);
    if (found.length) return found;
  }
  return [];
}

/** A file that is binary, not what its name says: one malformed-line finding, nothing read. */
export function binaryFile(file: string, text: string, what: string): Finding[] | undefined {
  if (!looksBinary(text)) return undefined;
  const p = binaryProblem(what);
  return [finding(file, 'malformed-line', 'error', p.range, p.message)];
}

/** Findings from several targets, each once (the same wrapper checked on ppc64be and ppc64le says the same). */
export function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter(f => {
    const key = `${f.code}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

/** A hover section for the kernel's syscall at `n` on a target: entry points, words, layout. */
export function kernelCard(b: TargetBuild, n: number, written: string, reads?: string): string[] {
  const k = b.kernel.get(n);
  if (!k) return [`**${written}** — ${label(b)} ${registerNumber(b, n)}: ${b.ref.label} has no syscall at this number`];
  const out = [
    `**${k.name}** — ${label(b)} syscall ${registerNumber(b, n)}; entry point \`${k.entry ?? '-'}\`${k.compat && b.abi.compat ? `, compat \`${k.compat}\`` : ''}`,
  ];
  if (!implemented(k.entry)) return [...out, '', 'Not implemented by the kernel: calls return ENOSYS.'];
  const need = needOn(k, b.ref, b.abi);
  out.push(
    '',
    `${need.count === undefined ? 'No C prototype found' : `**${need.count} argument word${need.count === 1 ? '' : 's'} on ${b.abi.id}**`}${reads ? `; ${reads}` : ''}.`,
    ...sideSections(need, b.abi.words),
  );
  return out;
}

/** The `.tbl` line and the prototypes behind the kernel's syscall at `n`. */
export function kernelLocations(b: TargetBuild, n: number): Location[] {
  const k = b.kernel.get(n);
  if (!k) return [];
  const out = [tblLocation(b, k)];
  if (b.ref.root)
    for (const e of [k.entry, b.abi.compat ? k.compat : undefined]) {
      const p = implemented(e) ? b.ref.prototype(e!, b.abi.arch) : undefined;
      if (p) out.push(protoLocation(b.ref, p));
    }
  return out;
}

export function uniqueLocations(ls: Location[]): Location[] {
  const key = (l: Location) => `${l.file}:${l.range.start.line}`;
  return ls.filter((l, i) => ls.findIndex(x => key(x) === key(l)) === i);
}
