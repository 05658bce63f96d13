// A Linux syscall `.tbl` (the kernel's, or a copy such as QEMU's `linux-user/<dir>/`):
// its own lines, and a copy's drift from the kernel table it mirrors.
import * as path from 'path';
import { Finding, Location } from '../../../core/types';
import type { Reader } from '../../../core/reader';
import { KernelReference, protoLocation } from '../../../reference/reference';
import { hoverCard, x86Sections } from '../../../reference/linux/cards';
import { x86Era } from '../../../reference/linux/entryNames';
import {
  implemented,
  isSyscallTbl,
  isSyscallTblPath,
  parseTbl,
  TblEntry,
  TblModel,
} from '../../../reference/linux/tbl';

import { Family, Workspace } from '../../family';
import { notChecked, referenceLabel, SUPPLY_KERNEL } from '../../notChecked';
import { referenceOriginal, rule as drift, TblOriginal } from './rules/drift';
import { rule as lines } from './rules/lines';

const entryAt = (m: TblModel, line: number) => {
  const e = m.entries.find(x => x.line === line);
  return e && { ...e, range: e.ranges.line };
};

/**
 * Where a project keeps copies of kernel tables: how `check DIR` finds them, and which kernel
 * table a copy mirrors. The registry hands the projects' copies to this family, so the
 * kernel's family knows no consumer.
 */
export interface TblCopies {
  locate(dir: string, io: Reader): string[];
  /** The kernel table (relative to its root) the copy at `file` mirrors, if `file` is one. */
  original?(file: string, ref: KernelReference): string | undefined;
  /** Where the kernel keeps the table `file` copies (undefined when `file` is no copy): for messages. */
  candidates?(file: string): string[] | undefined;
  /**
   * A copy kept in the kernel tree itself (perf's `tools/perf/arch/`): the paths its original
   * may be at in the same tree, tried in order through the Workspace, and the tree's root.
   */
  sibling?(file: string): { root: string; paths: string[] } | undefined;
}

/** The original of an in-tree copy, read through the Workspace; else the paths looked for. */
function siblingOriginal(s: { root: string; paths: string[] }, io: Reader): TblOriginal | string[] {
  for (const p of s.paths) {
    const text = io.read(p);
    if (text === undefined) continue;
    const rel = path.relative(s.root, p).replace(/\\/g, '/');
    return { entries: parseTbl(p, text).entries, file: p, label: `its original ${rel}` };
  }
  return s.paths.map(p => path.relative(s.root, p).replace(/\\/g, '/'));
}

/**
 * What another reader of the kernel's own tables makes of their lines (UML builds its table from
 * x86's): findings on the table and lines for a line's hover. Handed in by the registry.
 */
export interface TblLineInfo {
  findings(model: TblModel, ws: Workspace): Finding[];
  hover(model: TblModel, e: TblEntry, ws: Workspace): string[];
}

export const tblFamily = (copies: readonly TblCopies[], infos: readonly TblLineInfo[] = []): Family<TblModel> => ({
  id: 'linux/tbl',
  title: "Linux syscall table (.tbl), the kernel's or a copy",
  documents: [{ pattern: '**/syscall*.tbl', language: 'systab-tbl' }, { language: 'systab-tbl' }],
  claims: file => file.endsWith('.tbl'),
  locate(dir: string, io: Reader) {
    const out = copies.flatMap(c => c.locate(dir, io));
    for (const n of io.list(dir)) if (/^syscall.*\.tbl$/.test(n)) out.push(path.join(dir, n));
    return out;
  },
  analyze(doc, ws) {
    const model = parseTbl(doc.file, doc.text);
    // Not every .tbl is a syscall table (scripts/atomic/atomics.tbl): say nothing of those.
    if (!isSyscallTbl(model) && !isSyscallTblPath(doc.file)) return { findings: [] };
    const ref = ws.kernel;
    const sibling = copies.map(c => c.sibling?.(doc.file)).find(x => x);
    if (sibling) {
      const found = siblingOriginal(sibling, ws);
      const findings = lines.run(model);
      if (Array.isArray(found))
        findings.push(
          notChecked(
            doc.file,
            `this copy is not compared with its original: the tree it is in has none of ${found.join(', ')}`,
          ),
        );
      else findings.push(...drift.run({ model, original: found }));
      return { model, findings };
    }
    const rel = ref && copies.map(c => c.original?.(doc.file, ref)).find(x => x);
    const original = rel ? referenceOriginal(ref!, rel) : undefined;
    const findings = [...lines.run(model), ...drift.run({ model, original })];
    if (!original) for (const i of infos) findings.push(...i.findings(model, ws));
    const candidates = copies.map(c => c.candidates?.(doc.file)).find(x => x);
    if (candidates && !original)
      findings.push(
        notChecked(
          doc.file,
          ref
            ? `this copy is not compared with the kernel's table: ${referenceLabel(ref)} has none of ${candidates.join(', ')}; point systab.kernelPath or --kernel at a tree that has it`
            : `this copy is not compared with the kernel's table: no kernel catalogue is loaded; ${SUPPLY_KERNEL}`,
        ),
      );
    return { model, findings };
  },
  hover(m, pos, ws) {
    const e = entryAt(m, pos.line);
    if (!e) return undefined;
    const x86 = x86Sections(e, ws.kernel, x86Era(m.entries));
    return {
      markdown: [hoverCard(e, ws.kernel), ...x86, ...infos.flatMap(i => i.hover(m, e, ws))].join('\n'),
      range: e.range,
    };
  },
  definition(m, pos, ws) {
    const e = entryAt(m, pos.line);
    const ref = ws.kernel;
    if (!e || !ref?.root) return [];
    const out: Location[] = [];
    for (const name of [e.entry, e.compat]) {
      const p = implemented(name) ? ref.prototype(name!, e.abi === 'o32' ? 'mips' : '') : undefined;
      if (p) out.push(protoLocation(ref, p));
    }
    return out;
  },
  rules: [lines, drift],
});
