// A Linux syscall `.tbl` (the kernel's, or a copy such as QEMU's `linux-user/<dir>/`):
// its own lines, and a copy's drift from the kernel's table.
import * as path from 'path';
import { Location } from '../../../core/types';
import type { Reader } from '../../../core/reader';
import { protoLocation } from '../../../reference/reference';
import { hoverCard } from '../../../reference/linux/cards';
import { implemented, isSyscallTbl, isSyscallTblPath, parseTbl, TblModel } from '../../../reference/linux/tbl';

import { Family } from '../../family';
import { rule as drift } from './rules/drift';
import { rule as lines } from './rules/lines';

const entryAt = (m: TblModel, line: number) => {
  const e = m.entries.find(x => x.line === line);
  return e && { ...e, range: e.ranges.line };
};

export const tblFamily: Family<TblModel> = {
  id: 'linux/tbl',
  title: 'Linux syscall table (.tbl), the kernel\'s or a copy',
  documents: [{ pattern: '**/syscall*.tbl', language: 'systab-tbl' }, { language: 'systab-tbl' }],
  claims: file => file.endsWith('.tbl'),
  locate(dir: string, io: Reader) {
    const out: string[] = [];
    const lu = [path.join(dir, 'linux-user'), dir, path.dirname(dir)].find(d => path.basename(d) === 'linux-user' && io.list(d).length > 0);
    if (lu) {
      // Under a QEMU root or linux-user/, every target; under linux-user/<target>/, that one.
      const inTarget = path.basename(dir) !== 'linux-user' && path.resolve(dir) !== path.resolve(lu, '..');
      for (const t of io.list(lu)) {
        if (inTarget && path.resolve(dir) !== path.resolve(lu, t)) continue;
        for (const n of io.list(path.join(lu, t))) if (/^syscall.*\.tbl$/.test(n)) out.push(path.join(lu, t, n));
      }
    }
    for (const n of io.list(dir)) if (/^syscall.*\.tbl$/.test(n)) out.push(path.join(dir, n));
    return out;
  },
  analyze(doc, ws) {
    const model = parseTbl(doc.file, doc.text);
    // Not every .tbl is a syscall table (scripts/atomic/atomics.tbl): say nothing of those.
    if (!isSyscallTbl(model) && !isSyscallTblPath(doc.file)) return { findings: [] };
    return { model, findings: [...lines.run(model), ...drift.run({ model, ref: ws.kernel })] };
  },
  hover(m, pos, ws) {
    const e = entryAt(m, pos.line);
    return e && { markdown: hoverCard(e, ws.kernel), range: e.range };
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
};
