// QEMU's linux-user/<dir>/syscall*_nr.h: hand-written number headers (generated ones are
// recognised and left to regeneration).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { Family } from '../../family';
import { qemuRootOf } from '../tree';
import { NrModel, parseSyscallNr } from './model';
import { expectedForHeader, rule } from './rules';

const isNrHeader = (file: string) => /(^|[\\/])linux-user[\\/][^\\/]+[\\/]syscall\w*_nr\.h$/.test(file);

export const syscallNrFamily: Family<NrModel> = {
  id: 'qemu/syscallNr',
  title: 'QEMU linux-user syscall_nr.h',
  documents: [{ pattern: '**/linux-user/*/syscall*_nr.h' }],
  claims: isNrHeader,
  locate(dir: string, io: Reader) {
    const lu = [path.join(dir, 'linux-user'), dir, path.dirname(dir)].find(d => path.basename(d) === 'linux-user' && io.list(d).length > 0);
    if (!lu) return [];
    const inTarget = path.basename(dir) !== 'linux-user' && path.resolve(dir) !== path.resolve(lu, '..');
    const out: string[] = [];
    for (const t of io.list(lu)) {
      if (inTarget && path.resolve(dir) !== path.resolve(lu, t)) continue;
      for (const n of io.list(path.join(lu, t))) if (/^syscall\w*_nr\.h$/.test(n)) out.push(path.join(lu, t, n));
    }
    return out;
  },
  analyze(doc, ws) {
    const model = parseSyscallNr(doc.file, doc.text);
    const root = qemuRootOf(doc.file);
    const expected = root && !model.stub ? expectedForHeader(path.relative(root, doc.file), root, ws.kernel, { io: ws }) : undefined;
    return { model, findings: rule.run({ file: doc.file, model, expected }) };
  },
  rules: [rule],
};
