// FreeBSD's syscalls.master opened in the editor: the reference itself, checked for what
// FreeBSD's generator would refuse, with a hover card per entry.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { contains } from '../../../core/text';
import { entryCard } from '../../../reference/freebsd/card';
import { MasterModel, parseMaster } from '../../../reference/freebsd/master';
import { Family } from '../../family';
import { rule as lines } from './rules/lines';
import { rule as order } from './rules/order';

const RULES = [lines, order];

const isMaster = (file: string) => /(^|[\\/])syscalls\.master$/.test(file);

export const masterFamily: Family<MasterModel> = {
  id: 'freebsd/master',
  title: 'FreeBSD syscalls.master',
  documents: [{ pattern: '**/syscalls.master', language: 'systab-master' }],
  claims: isMaster,
  locate(dir: string, io: Reader) {
    return [
      path.join(dir, 'sys', 'kern', 'syscalls.master'),
      path.join(dir, 'kern', 'syscalls.master'),
      path.join(dir, 'syscalls.master'),
      path.join(dir, 'sys', 'compat', 'freebsd32', 'syscalls.master'),
    ].filter(f => io.read(f) !== undefined);
  },
  analyze(doc) {
    const model = parseMaster(doc.file, doc.text);
    return { model, findings: RULES.flatMap(r => r.run({ file: doc.file, model })) };
  },
  hover(model, pos) {
    const e = model.entries.find(x => contains(x.ranges.entry, pos) || (pos.line >= x.line && pos.line <= x.endLine));
    return e ? { markdown: entryCard(e), range: e.ranges.name ?? e.ranges.number } : undefined;
  },
  rules: RULES,
};
