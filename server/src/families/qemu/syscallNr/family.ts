// QEMU's linux-user/<dir>/syscall*_nr.h: hand-written number headers (generated ones are
// recognised and left to regeneration).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { Family } from '../../family';
import { qemuRootOf, targetDirs } from '../tree';
import { NrModel, parseSyscallNr } from './model';
import { expectedForHeader } from './expected';
import { RULES, syscallNrFindings } from './rules';

const isNrHeader = (file: string) => /(^|[\\/])linux-user[\\/][^\\/]+[\\/]syscall\w*_nr\.h$/.test(file);

export const syscallNrFamily: Family<NrModel> = {
  id: 'qemu/syscallNr',
  title: 'QEMU linux-user syscall_nr.h',
  documents: [{ pattern: '**/linux-user/*/syscall*_nr.h' }],
  claims: isNrHeader,
  locate: (dir: string, io: Reader) =>
    targetDirs(dir, io).flatMap(t =>
      io
        .list(t)
        .filter(n => /^syscall\w*_nr\.h$/.test(n))
        .map(n => path.join(t, n)),
    ),
  analyze(doc, ws) {
    const model = parseSyscallNr(doc.file, doc.text);
    const root = qemuRootOf(doc.file);
    const expected =
      root && !model.stub ? expectedForHeader(path.relative(root, doc.file), root, ws.kernel, { io: ws }) : undefined;
    return { model, findings: syscallNrFindings(doc.file, model, expected) };
  },
  rules: RULES,
};
