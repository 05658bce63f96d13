// QEMU's linux-user/<dir>/syscall*_nr.h: hand-written number headers (generated ones are
// recognised and left to regeneration).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { Family } from '../../family';
import { qemuRootOf, targetDirs } from '../tree';
import { NrModel, parseSyscallNr } from './model';
import { notChecked } from '../../notChecked';
import { expectationFor } from './expected';
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
    if (!root || model.stub || model.binary) return { model, findings: syscallNrFindings(doc.file, model, undefined) };
    const e = expectationFor(path.relative(root, doc.file), root, ws.kernel, { io: ws });
    if ('missing' in e) return { model, findings: [notChecked(doc.file, `this header is not checked: ${e.missing}`)] };
    return { model, findings: syscallNrFindings(doc.file, model, e) };
  },
  rules: RULES,
};
