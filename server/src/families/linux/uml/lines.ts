// What UML makes of each line of the host's `.tbl` it is built from: the symbol its table
// links after the generator and the table file's `#define`s, and whether UML implements it
// (generic code, or its own), renames it, leaves the guest with ENOSYS, or cannot link it.
import * as path from 'path';
import type { KernelReference, Prototype, TableEntry } from '../../../reference/reference';
import { entryName } from '../../../reference/linux/entryNames';
import { UmlOverride, UmlTable, UmlTableFile } from './model';
import { SYS_NI, TBL_GENERATOR, UML_MAKEFILE, UmlTree, umlBuilds, X86_KERNEL_MAKEFILE } from './tree';

export type UmlStatus =
  /** Generic kernel code implements it, as on any arch. */
  | 'generic'
  /** UML's own code (arch/um, arch/x86/um) or x86 code UML's Makefile borrows. */
  | 'uml'
  /** A `#define` in the table file makes it `sys_ni_syscall`: ENOSYS on purpose. */
  | 'overridden'
  /** Nothing UML builds defines it; kernel/sys_ni.c's weak alias makes it `sys_ni_syscall`. */
  | 'enosys'
  /** The `.tbl` itself gives no entry or `sys_ni_syscall`: ENOSYS on every arch. */
  | 'not-implemented'
  /** UML's link would fail: a spelling UML has no symbol for, or nothing defines it. */
  | 'unlinkable';

export interface UmlLine {
  entry: TableEntry;
  /** The entry point as the `.tbl` writes it. */
  written?: string;
  /** The symbol UML's table refers to. */
  symbol?: string;
  status: UmlStatus;
  /** The table file's `#define`s applied, in order. */
  overrides: UmlOverride[];
  /** Definitions UML builds (generic, uml). */
  defs: Prototype[];
  /** Definitions UML does not build (enosys, unlinkable): x86's own files. */
  elsewhere: Prototype[];
  /** kernel/sys_ni.c's COND_SYSCALL line (zero-based). */
  cond?: number;
  /** One sentence: what UML does with the line, and why. */
  why: string;
}

const at = (p: Prototype) => `${p.file}:${p.line + 1}`;

/** Every line of `tbl` UML's table takes, with what UML makes of it. */
export function umlLines(
  table: UmlTable,
  tbl: readonly TableEntry[],
  file: UmlTableFile,
  tree: UmlTree,
  ref: KernelReference & Required<Pick<KernelReference, 'definitions'>>,
): UmlLine[] {
  const byName = new Map(file.overrides.map(o => [o.from, o] as const));
  const tableFile = path.basename(table.table);
  return tbl
    .filter(e => table.tags.includes(e.abi))
    .map(e => {
      const written = e.entry;
      const line: UmlLine = {
        entry: e,
        written,
        status: 'not-implemented',
        overrides: [],
        defs: [],
        elsewhere: [],
        why: '',
      };
      if (!written || written === 'sys_ni_syscall') {
        line.why = `the table gives no entry point (${written ?? '-'}): ENOSYS under UML as on x86`;
        return line;
      }
      let name = written;
      const slash = name.indexOf('/');
      const notes: string[] = [];
      if (slash > 0) {
        const q = name.slice(slash + 1);
        name = name.slice(0, slash);
        if (file.qualifiers && !file.qualifiers.has(q)) {
          line.symbol = written;
          line.status = 'unlinkable';
          line.why = `UML cannot link \`${written}\`: ${tableFile} defines no \`__SYSCALL_${table.bits}_QUAL_${q}\` for the \`/${q}\` qualifier`;
          return line;
        }
      }
      if (name.startsWith('__x64_sys') && tree.stripsX64) {
        name = `sys${name.slice('__x64_sys'.length)}`;
        notes.push(`${TBL_GENERATOR} gives UML \`${name}\` for \`${written}\``);
      }
      for (let i = 0; i < 8 && byName.has(name); i++) {
        const o = byName.get(name)!;
        line.overrides.push(o);
        name = o.to;
      }
      line.symbol = name;
      const o = line.overrides[0];
      const by = o && `${table.table}:${o.line + 1} \`#define ${o.from} ${o.to}\`${o.why ? ` (“${o.why}”)` : ''}`;
      if (name === 'sys_ni_syscall') {
        line.status = o ? 'overridden' : 'not-implemented';
        line.why = o ? `UML overrides it: ${by}; the guest gets ENOSYS` : 'ENOSYS under UML as on x86';
        return line;
      }
      const all = ref.definitions(name).filter(p => p.kind !== 'declaration');
      line.defs = all.filter(p => umlBuilds(tree.build, p.file));
      line.elsewhere = all.filter(p => !umlBuilds(tree.build, p.file));
      const prefix = [...notes, ...(o ? [`UML renames it: ${by}`] : [])].map(n => `${n}; `).join('');
      if (line.defs.length) {
        const own = line.defs.find(p => p.file.startsWith('arch/'));
        line.status = own ? 'uml' : 'generic';
        line.why = own
          ? `${prefix}implemented by UML: \`${name}\` at ${at(own)}${own.file.startsWith('arch/x86/') && !own.file.startsWith('arch/x86/um/') ? ` (x86 code ${UML_MAKEFILE} builds for UML)` : ''}`
          : `${prefix}implemented by generic code: \`${name}\` at ${at(line.defs[0])}`;
        return line;
      }
      const form = entryName(name).form;
      const only = line.elsewhere.length
        ? `\`${name}\` is defined only in ${line.elsewhere
            .slice(0, 3)
            .map(p => {
              const obj = tree.x86Objects.get(p.file);
              return `${at(p)}${obj?.config ? ` (built under ${obj.config}, ${X86_KERNEL_MAKEFILE}:${obj.line + 1})` : ''}`;
            })
            .join(', ')}, which UML does not build`
        : `nothing in the tree defines \`${name}\`, on any arch (ENOSYS on x86 too)`;
      if (form !== 'plain') {
        line.status = 'unlinkable';
        line.why = `${prefix}UML cannot link \`${name}\`: on UML, SYSCALL_DEFINE makes \`${entryName(name).canonical}\` alone, no pt_regs wrapper or entry stub${name.startsWith('__x64_sys') ? ` (4.17-5.6's ${TBL_GENERATOR} stripped \`__x64_sys\` for UML; this tree's does not)` : ''}`;
        return line;
      }
      line.cond = tree.condSyscalls.get(name);
      if (line.cond !== undefined) {
        line.status = 'enosys';
        line.why = `${prefix}${only}; ${SYS_NI}:${line.cond + 1} makes it a weak alias of sys_ni_syscall, so the guest gets ENOSYS`;
        return line;
      }
      line.status = 'unlinkable';
      line.why = `${prefix}UML cannot link \`${name}\`: ${only}, and ${SYS_NI} has no COND_SYSCALL for it`;
      return line;
    });
}
