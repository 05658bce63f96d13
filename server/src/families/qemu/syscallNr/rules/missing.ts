// missing-entry in a hand-written syscall_nr.h: syscalls the table implements and the header lacks.
import type { Rule } from '../../../family';
import { Finding, Fix, range, TextEdit } from '../../../../core/types';
import { implemented } from '../../../../reference/linux/tbl';
import type { Expected, ExpectedEntry } from '../expected';
import { NrDefine, nrIndex, numberText, renderDefine } from '../model';
import type { NrContext } from './numbers';

function missingDefines({ file, model, expected, guard, siblings }: NrContext): Finding[] {
  if (!expected || model.stub || model.binary) return [];
  const { byName, byNumber } = nrIndex(model);
  const syscalls = model.defines.filter(d => d.kind === 'syscall' && d.number !== undefined);
  if (!syscalls.length) return [];
  // Where each define belongs: the kernel's number for a name the table has (a wrong number
  // is fixed separately), else its own.
  const kNumber = new Map(expected.entries.map(k => [k.name, k.number] as const));
  const place = (d: NrDefine) => kNumber.get(d.name) ?? d.number!;
  const prefix = syscalls[0].prefix;
  const eol = model.style.eol;
  // In a header several builds share, a syscall every build lacks at the same number is added
  // once, where every build compiles it; one only some lack goes under the build's `#if` test.
  const lacking = (o: { expected: Expected; names: Set<string> }, k: ExpectedEntry) =>
    !o.names.has(k.name) && o.expected.entries.some(e => e.number === k.number && e.name === k.name);
  // A second name at a number, or a name the kernel lacks where the header has the kernel's
  // syscall too, is no anchor: duplicate-entry's fix removes its line.
  const kAt = new Map(expected.entries.map(k => [k.number, k.name] as const));
  const stale = (d: NrDefine) => !kNumber.has(d.name) && byName.has(kAt.get(d.number!) ?? '');
  const anchorable = syscalls.filter(d => byNumber.get(d.number!)?.[0] === d && !stale(d));
  const plain = anchorable.filter(d => !d.conditions.length);
  const groups = new Map<string, { at: number; common: boolean; ks: ExpectedEntry[] }>();
  for (const k of [...expected.entries].sort((a, b) => a.number - b.number)) {
    if (byName.has(k.name) || !implemented(k.entry)) continue;
    if (byNumber.get(k.number)?.some(d => !expected.entries.some(e => e.name === d.name))) continue; // reported as name-mismatch or an alias
    const common = !siblings || siblings.builds.every(o => lacking(o, k));
    if (common && siblings && siblings.builds.findIndex(o => lacking(o, k)) !== siblings.self) continue;
    const anchors = common && plain.length ? plain : anchorable;
    const prev = anchors.filter(d => place(d) < k.number).sort((a, b) => place(b) - place(a) || b.line - a.line)[0];
    const at = prev ? prev.line : -1;
    const key = `${at} ${common}`;
    const g = groups.get(key) ?? { at, common, ks: [] };
    g.ks.push(k);
    groups.set(key, g);
  }
  const out: Finding[] = [];
  for (const { at: line, common, ks } of groups.values()) {
    const prev = line >= 0 ? syscalls.find(d => d.line === line) : undefined;
    const first = syscalls.slice().sort((a, b) => a.line - b.line)[0];
    const lines = ks.map(k => renderDefine(model, `${prefix}${k.name}`, numberText(model, k.number))).join(eol);
    // Lines for one build go under its test, unless they land in a block that already chooses.
    const wrap = !common && guard !== undefined && !(prev ?? first).conditions.length;
    const text = wrap ? `#if ${guard}${eol}${lines}${eol}#endif` : lines;
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

/** Every syscall the table implements that a hand-written header does not define: QEMU cannot dispatch it (ENOSYS). Runs of missing numbers are one finding, whose fix inserts the defines in the header's own style after the define that precedes them. Numbers the header gives another name are left to name-mismatch. */
export const rule: Rule<NrContext> = {
  codes: ['missing-entry'],
  about:
    "Every syscall the table implements that a hand-written header does not define: QEMU cannot dispatch it (ENOSYS). Runs of missing numbers are one finding, whose fix inserts the defines in the header's own style after the define that precedes them. Numbers the header gives another name are left to name-mismatch.",
  run: missingDefines,
};
