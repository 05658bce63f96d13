// QEMU bsd-user's dispatch: `case TARGET_FREEBSD_NR_x:` in bsd-user/freebsd/os-syscall.c.
// One family, two kinds of file: os-syscall.c (dead labels, fallthrough), and the
// syscall_nr.h beside it (what it defines that os-syscall.c never handles), which
// qemu/bsdNr also reads.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { contains, lineMap, rangeOf } from '../../../core/text';
import type { Range } from '../../../core/types';
import { Family } from '../../family';
import { masterEntry } from '../bsdWords';
import { isBsdNr, parseBsdNr } from '../bsdNr/model';
import { noFreeBsd } from '../bsdTargets';
import { fallthroughs } from '../fallthrough';
import { bsdDispatched, BsdLabel, bsdLabels } from './labels';
import { deadCase, fallthroughRule, notDispatchedRule } from './rules';

const isOsSyscall = (file: string) => /(^|[\\/])bsd-user[\\/]freebsd[\\/]os-syscall\.c$/.test(file);

/** os-syscall.c's labels, with where each is (for go to definition); or the header beside it. */
export type BsdDispatchModel = { labels: BsdLabel[]; ranges: Range[] } | { header: true };

export const bsdDispatchFamily: Family<BsdDispatchModel> = {
  id: 'qemu/bsdDispatch',
  title: 'QEMU bsd-user dispatch (os-syscall.c case labels)',
  documents: [{ pattern: '**/bsd-user/freebsd/os-syscall.c' }],
  syntax: 'c',
  claims: file => isOsSyscall(file) || isBsdNr(file),
  locate(dir: string, io: Reader) {
    const p = [
      path.join(dir, 'bsd-user', 'freebsd', 'os-syscall.c'),
      path.join(dir, 'freebsd', 'os-syscall.c'),
      path.join(dir, 'os-syscall.c'),
    ].find(f => isOsSyscall(f) && io.read(f) !== undefined);
    return p ? [p] : [];
  },
  analyze(doc, ws) {
    if (!isOsSyscall(doc.file)) {
      const osSyscall = path.join(path.dirname(doc.file), 'os-syscall.c');
      const text = ws.read(osSyscall);
      if (text === undefined || !ws.parser || !ws.freebsd) return { findings: [] };
      const model = parseBsdNr(doc.file, doc.text);
      const dispatched = bsdDispatched(osSyscall, text, ws.parser);
      return {
        model: { header: true },
        findings: notDispatchedRule.run({
          file: doc.file,
          defines: model.defines,
          dispatched,
          osSyscall,
          ref: ws.freebsd,
        }),
      };
    }
    const parsed = doc.c?.();
    if (!parsed) return { findings: [] };
    const labels = bsdLabels(doc.text, parsed.tree);
    const headerFile = path.join(path.dirname(doc.file), 'syscall_nr.h');
    const header = ws.read(headerFile);
    const defined = header === undefined ? undefined : new Set(parseBsdNr(headerFile, header).defines.map(d => d.name));
    const falls = fallthroughs(parsed.tree, 'TARGET_FREEBSD_NR_', doc.text);
    const ctx = { file: doc.file, text: doc.text, labels, defined, falls };
    const findings = [...deadCase.run(ctx), ...fallthroughRule.run(ctx)];
    if (!ws.freebsd) findings.push(noFreeBsd(doc.file, 'os-syscall.c against FreeBSD'));
    const map = lineMap(doc.text);
    return { model: { labels, ranges: labels.map(l => rangeOf(map, l.start, l.end)) }, findings };
  },
  definition(model, pos, ws) {
    if (!('labels' in model)) return [];
    const k = model.ranges.findIndex(r => contains(r, pos));
    return k < 0 ? [] : masterEntry(ws.freebsd, model.labels[k].name);
  },
  rules: [deadCase, fallthroughRule, notDispatchedRule],
};
