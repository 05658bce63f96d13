// ARM's syscall table before arch/arm/tools/syscall.tbl (Linux 4.10): arch/arm/kernel/calls.S
// and the unistd.h that numbers it, each checked against the other (the parsers are
// reference/linux/armCalls.ts, which also makes the kernel index's EABI and OABI tables of
// such a tree). A kernel developer or a vendor carrying patches edits both by hand.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { contains } from '../../../core/text';
import type { Finding, Location, Position } from '../../../core/types';
import { abiById, AbiDef } from '../../../reference/linux/abis';
import { ARM_CALLS, ARM_UNISTD, NI } from '../../../reference/linux/armCalls';
import { needOn, sideSections } from '../../../reference/linux/need';
import type { KernelReference } from '../../../reference/reference';
import { protoLocation } from '../../../reference/reference';
import type { Family, Hover } from '../../family';
import { notChecked } from '../../notChecked';
import { ArmContext, finding } from './context';
import { armRoot, ArmModel, readModel, rowName, RowView } from './model';
import { rule as coverage } from './rules/coverage';
import { rule as numbering } from './rules/numbering';
import { rule as obsolete } from './rules/obsolete';
import { rule as uapiConfig } from './rules/uapiConfig';

const RULES = [numbering, coverage, obsolete, uapiConfig];

/** A unistd.h that numbers syscalls the legacy way (not 4.10's, which includes generated lists). */
const NUMBERS = /#\s*define\s+__NR_\w+\s+\(?\s*__NR_SYSCALL_BASE\s*\+\s*\d/;

const hex = (n: number) => `0x${n.toString(16)}`;

function viewAt(m: ArmModel, file: string, pos: Position): RowView | undefined {
  if (m.kind === 'calls') return m.views.find(v => contains(v.row.ranges.row, pos) || v.row.line === pos.line);
  const d =
    m.numbers && path.resolve(m.numbers.file) === path.resolve(file)
      ? m.numbers.unistd.numbers.find(x => x.line === pos.line)
      : undefined;
  return d && m.views[d.number];
}

/** The words of one side of a row on one ABI: its prototype and register layout. */
function words(entry: string | undefined, ref: KernelReference | undefined, abi: AbiDef): string[] {
  if (!entry || entry === NI || !ref) return [];
  const need = needOn({ number: 0, abi: abi.id, name: '', entry, line: 0 }, ref, { ...abi, compat: false });
  return need.native ? sideSections(need, abi.words) : ['', `No C prototype of \`${entry}\` in ${ref.label}.`];
}

function card(m: ArmModel, v: RowView, ref: KernelReference | undefined): string {
  const row = v.row;
  const name = rowName(m, v);
  const n = row.number;
  const eabi = abiById('arm-eabi')!;
  const oabi = abiById('arm-oabi')!;
  const base = m.numbers?.unistd.oabiBase ?? 0x900000;
  const out = [
    `**${name}** — ARM syscall ${n}: \`__NR_SYSCALL_BASE+${n}\`, ${m.numbers?.unistd.eabi === false ? '' : `EABI \`${n}\` (in r7, \`swi 0\`), `}OABI \`${hex(base + n)}\` (\`swi ${hex(base + n)}\`)`,
    '',
  ];
  if (!v.here.length && m.numbers) out.push(`*${m.numbers.rel} gives no syscall the number ${n}.*`, '');
  if (row.entry === NI) {
    out.push(`Not implemented (\`${NI}\`${row.comment ? `, ${row.comment}` : ''}): calls return ENOSYS.`);
    return out.join('\n');
  }
  const eabiSide = row.obsolete ? 'sys_ni_syscall (ENOSYS) on an EABI kernel' : `\`${row.entry}\` on the EABI table`;
  const oabiSide = row.compat ? `the OABI-compat wrapper \`${row.compat}\`` : `\`${row.entry}\``;
  out.push(
    `Calls \`${row.call}\`: ${row.compat || row.obsolete ? `${eabiSide}, ${oabiSide} on the OABI one` : `\`${row.entry}\``}.`,
  );
  if (row.obsolete)
    out.push(
      '',
      'OBSOLETE: an EABI kernel gives ENOSYS here and EABI programs have no number for it; the OABI table keeps it (CONFIG_OABI_COMPAT).',
    );
  if (!ref) return out.join('\n');
  if (!row.obsolete && m.numbers?.unistd.eabi !== false) {
    const w = words(row.entry, ref, eabi);
    if (w.length) out.push('', '**EABI** (64-bit arguments start in an even register):', ...w);
  }
  const w = words(row.compat ?? row.entry, ref, oabi);
  if (w.length) out.push('', `**OABI**${row.compat ? ` (through \`${row.compat}\`)` : ''}:`, ...w);
  out.push('', `*Prototypes from ${ref.label}.*`);
  return out.join('\n');
}

function privateCard(m: ArmModel, file: string, pos: Position): Hover | undefined {
  const h = m.headers.find(x => path.resolve(x.file) === path.resolve(file));
  const d = h?.unistd.private.find(x => x.line === pos.line);
  if (!h || !d) return undefined;
  const off = (h.unistd.privateBase ?? 0x0f0000) + d.number;
  return {
    markdown: `**${d.name}** — ARM private syscall \`__ARM_NR_BASE+${hex(d.number)}\`: EABI \`${hex(off)}\` (in r7), OABI \`${hex(h.unistd.oabiBase + off)}\`; handled by the kernel's arm_syscall(), not by a calls.S row.`,
    range: d.ranges.line,
  };
}

export const armCallsFamily: Family<ArmModel> = {
  id: 'linux/armCalls',
  title: "ARM's calls.S and unistd.h before syscall.tbl (Linux 4.9 and older)",
  documents: [{ pattern: `**/${ARM_CALLS}` }, ...ARM_UNISTD.map(u => ({ pattern: `**/${u}`, language: 'c' as const }))],
  claims(file, text) {
    const w = armRoot(file);
    return !!w && (w.kind === 'calls' || NUMBERS.test(text));
  },
  locate(dir: string, io: Reader) {
    const out: string[] = [];
    for (const rel of [ARM_CALLS, ...ARM_UNISTD]) {
      const f = path.join(dir, rel);
      const text = io.read(f);
      if (text !== undefined && armCallsFamily.claims(f, text)) out.push(f);
    }
    return out;
  },
  analyze(doc, ws) {
    const model = readModel(doc, ws);
    if (!model) return { findings: [] };
    const findings: Finding[] = [];
    const problems =
      model.kind === 'calls'
        ? (model.calls?.problems ?? [])
        : (model.headers.find(h => path.resolve(h.file) === path.resolve(doc.file))?.unistd.problems ?? []);
    for (const p of problems) findings.push(finding(doc.file, 'malformed-line', 'error', p.range, p.message));
    if (!model.calls) {
      findings.push(
        notChecked(doc.file, `nothing to check this header against: there is no ${ARM_CALLS} in ${model.root || '.'}`),
      );
      return { model, findings };
    }
    if (model.kind === 'calls' && !model.calls.rows.length && !model.calls.problems.length)
      findings.push(notChecked(doc.file, 'no rows: calls.S rows are `CALL(sys_x)` or `.long sys_x`'));
    if (!model.numbers && model.kind === 'calls')
      findings.push(
        notChecked(
          doc.file,
          `only the /* N */ markers are checked: none of ${ARM_UNISTD.join(', ')} numbers syscalls as __NR_SYSCALL_BASE+N in ${model.root || '.'}`,
        ),
      );
    const ctx: ArmContext = { model, file: doc.file };
    for (const r of RULES) findings.push(...r.run(ctx));
    return { model, findings };
  },
  hover(m, pos, ws) {
    const file = m.kind === 'calls' ? m.callsFile : (m.numbers?.file ?? '');
    const v = viewAt(m, file, pos);
    if (v) return { markdown: card(m, v, ws.kernel), range: v.row.ranges.row };
    for (const h of m.headers) {
      const p = privateCard(m, h.file, pos);
      if (p) return p;
    }
    return undefined;
  },
  definition(m, pos, ws) {
    const file = m.kind === 'calls' ? m.callsFile : (m.numbers?.file ?? '');
    const v = viewAt(m, file, pos);
    if (!v) return [];
    const out: Location[] = [];
    // The other file's line first: the define for a row, the row for a define.
    if (m.kind === 'calls') {
      const d = v.here[0] ?? v.evidence;
      if (d && m.numbers) out.push({ file: m.numbers.file, range: d.ranges.line });
    } else out.push({ file: m.callsFile, range: v.row.ranges.row });
    const ref = ws.kernel;
    if (ref?.root)
      for (const e of [v.row.entry, v.row.compat]) {
        const p = e && e !== NI ? ref.prototype(e, 'arm') : undefined;
        if (p) out.push(protoLocation(ref, p));
      }
    return out;
  },
  rules: RULES,
};
