// QEMU's linux-user/strace.list: how `-strace` prints each syscall.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { Family } from '../../family';
import { notChecked, SUPPLY_KERNEL } from '../../notChecked';
import { parseStraceList, StraceListModel } from './model';
import { RULES, straceFindings } from './rules';
import { straceTree } from './targets';

const isStraceList = (file: string) => /(^|[\\/])linux-user[\\/]strace\.list$/.test(file);

export const straceListFamily: Family<StraceListModel> = {
  id: 'qemu/straceList',
  title: 'QEMU linux-user strace.list',
  documents: [{ pattern: '**/linux-user/strace.list', language: 'c' }],
  claims: isStraceList,
  locate(dir: string, io: Reader) {
    const p = [path.join(dir, 'linux-user', 'strace.list'), path.join(dir, 'strace.list')].find(
      f => isStraceList(f) && io.read(f) !== undefined,
    );
    return p ? [p] : [];
  },
  analyze(doc, ws) {
    const model = parseStraceList(doc.file, doc.text);
    const tree = straceTree(doc.file, ws, ws.parser);
    const findings = straceFindings(doc.file, model, ws.kernel, typeof tree === 'string' ? undefined : tree);
    if (typeof tree === 'string' && model.entries.length)
      findings.push(
        notChecked(
          doc.file,
          `rows missing for syscalls the targets define and syscall.c dispatches, and rows no target compiles, are not looked for: ${tree} (check the file inside a QEMU source tree)`,
        ),
      );
    if (!ws.kernel && model.entries.length)
      findings.push(
        notChecked(
          doc.file,
          `formats are not compared with the kernel's prototypes: no kernel catalogue is loaded; ${SUPPLY_KERNEL}`,
        ),
      );
    return { model, findings };
  },
  // Above the first row: how many rows, how many print wrongly, are never used or compiled, and what has no row.
  lenses(model, findings) {
    const first = model.entries[0];
    if (!first) return [];
    const count = (codes: string[]) => findings.filter(f => codes.includes(f.code)).length;
    return [
      {
        line: first.ranges.row.start.line,
        title: `${model.entries.length} rows · ${count(['strace-format-args'])} misprinting · ${count(['duplicate-entry', 'dead-row'])} never used · ${count(['not-traced'])} syscalls without a row`,
        command: 'workbench.actions.view.problems',
      },
    ];
  },
  rules: RULES,
};
