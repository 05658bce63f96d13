// QEMU's bsd-user/freebsd/syscall_nr.h: FreeBSD's syscall numbers, checked against FreeBSD's
// syscalls.master (its syscall.h, as FreeBSD generates it) and regenerated from it.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { contains } from '../../../core/text';
import { range } from '../../../core/types';
import { renderBody } from '../../../reference/freebsd/header';
import { FREEBSD_MASTER } from '../../../reference/freebsd/reference';
import { Family } from '../../family';
import { freebsdCardOf } from '../../../reference/freebsd/card';
import { bsdArches, noFreeBsd, qemuRootOfBsd } from '../bsdTargets';
import { BsdNrModel, isBsdNr, parseBsdNr } from './model';
import { RULES, bsdNrFindings } from './rules';

export const bsdNrFamily: Family<BsdNrModel> = {
  id: 'qemu/bsdNr',
  title: 'QEMU bsd-user syscall_nr.h',
  documents: [{ pattern: '**/bsd-user/freebsd/syscall_nr.h' }],
  claims: isBsdNr,
  locate(dir: string, io: Reader) {
    const p = [
      path.join(dir, 'bsd-user', 'freebsd', 'syscall_nr.h'),
      path.join(dir, 'freebsd', 'syscall_nr.h'),
      path.join(dir, 'syscall_nr.h'),
    ].find(f => isBsdNr(f) && io.read(f) !== undefined);
    return p ? [p] : [];
  },
  analyze(doc, ws) {
    const model = parseBsdNr(doc.file, doc.text);
    if (!ws.freebsd) return { model, findings: [noFreeBsd(doc.file, 'this header')] };
    return { model, findings: bsdNrFindings({ file: doc.file, model, ref: ws.freebsd }) };
  },
  hover(model, pos, ws) {
    const d = model.defines.find(x => contains(x.ranges.line, pos));
    if (!d || !ws.freebsd) return undefined;
    const root = qemuRootOfBsd(model.file);
    const markdown = freebsdCardOf(ws.freebsd, d.name, root ? bsdArches(root, ws) : undefined);
    return markdown ? { markdown, range: d.ranges.name } : undefined;
  },
  definition(model, pos, ws) {
    const d = model.defines.find(x => contains(x.ranges.line, pos));
    const ref = ws.freebsd;
    const l = d && ref?.root ? ref.defined(d.name) : undefined;
    return l ? [{ file: ref!.fileOf(FREEBSD_MASTER), range: range(l.entry.line, 0, l.entry.line, 0) }] : [];
  },
  lenses(model, findings) {
    if (!model.body) return [];
    const n = findings.filter(f => f.fixes.some(x => x.preferred)).length;
    return [
      {
        line: model.body.first,
        title: n
          ? `Regenerate from syscalls.master (${n} finding${n === 1 ? '' : 's'})`
          : 'Regenerate from syscalls.master',
        command: 'systab.regenerateTable',
      },
    ];
  },
  regenerate(model, ws) {
    const ref = ws.freebsd;
    if (!ref || !model.body) return undefined;
    const { first, last } = model.body;
    const body = renderBody(ref.syscalls(), model.style);
    const endLine = last + 1 < model.map.starts.length ? last + 1 : last;
    const end =
      endLine === last
        ? { line: last, character: model.map.text.length - model.map.starts[last] }
        : { line: endLine, character: 0 };
    const newText = endLine === last ? body.slice(0, -model.style.eol.length) : body;
    return {
      edit: { range: { start: { line: first, character: 0 }, end }, newText },
      notes: [`regenerated from ${ref.label}`],
    };
  },
  rules: RULES,
};
