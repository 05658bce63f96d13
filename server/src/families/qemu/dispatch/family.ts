// QEMU's dispatch: `case TARGET_NR_x:` in linux-user/syscall.c against what the targets
// define. One family, two kinds of file: syscall.c itself (dead cases), and each target's
// `.tbl` copy (what it selects that syscall.c never handles), which linux/tbl also reads.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { kernelCounterpart } from '../arches';
import { implemented, parseTbl } from '../../../reference/linux/tbl';
import { Family } from '../../family';
import { notChecked, SUPPLY_KERNEL } from '../../notChecked';
import { linuxUserTargets } from '../syscallhdr';
import { definedNames, qemuRootOf, targetsOfTbl } from '../tree';
import { CaseLabel, caseLabels, dispatchedNames } from './labels';
import { deadCase, fallthroughRule, notDispatchedRule, pairRule } from './rules';
import { pairMisreads, pairTargets } from './pairs';
import { fallthroughs } from '../fallthrough';

const isSyscallC = (file: string) => /(^|[\\/])linux-user[\\/]syscall\.c$/.test(file);
const linuxUserTbl = /[\\/]linux-user[\\/]([^\\/]+)[\\/]([^\\/]+\.tbl)$/;

export type DispatchModel = { labels: CaseLabel[] } | { tbl: true };

export const dispatchFamily: Family<DispatchModel> = {
  id: 'qemu/dispatch',
  title: 'QEMU linux-user dispatch (syscall.c case labels)',
  documents: [{ pattern: '**/linux-user/syscall.c' }],
  syntax: 'c',
  claims: file => isSyscallC(file) || linuxUserTbl.test(file),
  locate(dir: string, io: Reader) {
    const p = [path.join(dir, 'linux-user', 'syscall.c'), path.join(dir, 'syscall.c')].find(
      f => isSyscallC(f) && io.read(f) !== undefined,
    );
    return p ? [p] : [];
  },
  analyze(doc, ws) {
    const root = qemuRootOf(doc.file);
    if (!isSyscallC(doc.file)) {
      // not-dispatched on a QEMU `.tbl` copy: what its targets select that syscall.c never handles.
      const m = linuxUserTbl.exec(doc.file);
      if (!root || !m || !ws.parser) return { findings: [] };
      const syscallC = path.join(root, 'linux-user', 'syscall.c');
      const text = ws.read(syscallC);
      const targets = targetsOfTbl(linuxUserTargets(root, ws), m[1], m[2]);
      // The copy is compared with the kernel's table by linux/tbl; without syscall.c or a target
      // naming it, only this cross-check is left out, which is no reason for a finding.
      if (text === undefined || !targets.length) return { findings: [] };
      const model = parseTbl(doc.file, doc.text);
      const original = ws.kernel && kernelCounterpart(doc.file, ws.kernel);
      const kernelNi = new Set(
        (original ? ws.kernel!.table(original)! : [])
          .filter(k => !implemented(k.entry))
          .map(k => `${k.number}/${k.name}`),
      );
      const dispatched = dispatchedNames(syscallC, text, ws.parser);
      return {
        model: { tbl: true },
        findings: notDispatchedRule.run({ model, targets, dispatched, syscallC, kernelNi }),
      };
    }
    const parsed = doc.c?.();
    if (!parsed || !root) return { findings: [] };
    const labels = caseLabels(doc.text, parsed.tree);
    const defined = definedNames(root, ws, doc.text);
    const falls = fallthroughs(parsed.tree, 'TARGET_NR_', doc.text);
    return {
      model: { labels },
      findings: [
        ...deadCase.run({ file: doc.file, text: doc.text, labels, defined }),
        ...fallthroughRule.run({ file: doc.file, text: doc.text, falls }),
        ...(ws.kernel
          ? pairRule.run({
              file: doc.file,
              text: doc.text,
              misreads: pairMisreads(doc.text, labels, pairTargets(root, ws, doc.text), ws.kernel),
              ref: ws.kernel,
              dispatched: new Set(labels.map(l => l.name)),
            })
          : [
              notChecked(
                doc.file,
                `64-bit arguments are not compared with the words each ABI passes them in: no kernel catalogue is loaded; ${SUPPLY_KERNEL}`,
              ),
            ]),
      ],
    };
  },
  rules: [deadCase, fallthroughRule, notDispatchedRule, pairRule],
};
