// QEMU's bsd-user/freebsd/strace.list: how `-strace` prints each FreeBSD syscall, checked
// against FreeBSD's prototypes on each bsd-user target and against the syscall_nr.h beside it.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { contains } from '../../../core/text';
import { freebsdCardOf } from '../../../reference/freebsd/card';
import { Family } from '../../family';
import { masterEntry } from '../bsdWords';
import { parseBsdNr } from '../bsdNr/model';
import { bsdArches, noFreeBsd, qemuRootOfBsd } from '../bsdTargets';
import { parseStraceList, StraceListModel } from '../straceList/model';
import { RULES, bsdStraceFindings } from './rules';

const isBsdStrace = (file: string) => /(^|[\\/])bsd-user[\\/]freebsd[\\/]strace\.list$/.test(file);

/** The `TARGET_FREEBSD_NR_` numbers of the syscall_nr.h beside a bsd-user file. */
export function bsdNumbers(file: string, io: Reader): { numbers: Map<string, number>; header?: string } {
  const header = path.join(path.dirname(file), 'syscall_nr.h');
  const text = io.read(header);
  const numbers = new Map<string, number>();
  if (text === undefined) return { numbers };
  const m = parseBsdNr(header, text);
  for (const d of [...m.defines, ...(m.max ? [m.max] : [])]) if (d.number !== undefined) numbers.set(d.macro, d.number);
  return { numbers, header };
}

export const bsdStraceFamily: Family<StraceListModel> = {
  id: 'qemu/bsdStrace',
  title: 'QEMU bsd-user strace.list',
  documents: [{ pattern: '**/bsd-user/freebsd/strace.list', language: 'c' }],
  claims: isBsdStrace,
  locate(dir: string, io: Reader) {
    const p = [
      path.join(dir, 'bsd-user', 'freebsd', 'strace.list'),
      path.join(dir, 'freebsd', 'strace.list'),
      path.join(dir, 'strace.list'),
    ].find(f => isBsdStrace(f) && io.read(f) !== undefined);
    return p ? [p] : [];
  },
  analyze(doc, ws) {
    const model = parseStraceList(doc.file, doc.text, 'TARGET_FREEBSD_NR_');
    if (!ws.freebsd) return { model, findings: [noFreeBsd(doc.file, 'this strace.list')] };
    const root = qemuRootOfBsd(doc.file);
    const { numbers, header } = bsdNumbers(doc.file, ws);
    const arches = root ? bsdArches(root, ws) : bsdArches('', { read: () => undefined, list: () => [] });
    return { model, findings: bsdStraceFindings({ file: doc.file, model, ref: ws.freebsd, numbers, header, arches }) };
  },
  hover(model, pos, ws) {
    const e = model.entries.find(x => contains(x.ranges.row, pos));
    if (!e || !ws.freebsd) return undefined;
    const root = qemuRootOfBsd(model.file);
    const md = freebsdCardOf(ws.freebsd, e.name, root ? bsdArches(root, ws) : undefined);
    return md ? { markdown: md, range: e.ranges.nr } : undefined;
  },
  definition(model, pos, ws) {
    const e = model.entries.find(x => contains(x.ranges.row, pos));
    return e ? masterEntry(ws.freebsd, e.name) : [];
  },
  // Above the first row: how many rows, and how many print wrongly or are never used.
  lenses(model, findings) {
    const first = model.entries[0];
    if (!first) return [];
    const count = (codes: string[]) => findings.filter(f => codes.includes(f.code)).length;
    const wrong = count(['strace-format-args']);
    const dead = count(['duplicate-entry']);
    const untraced = count(['not-traced']);
    return [
      {
        line: first.ranges.row.start.line,
        title: `${model.entries.length} rows · ${wrong} misprinting · ${dead} never used · ${untraced} syscalls without a row`,
        command: 'workbench.actions.view.problems',
      },
    ];
  },
  rules: RULES,
};
