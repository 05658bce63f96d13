// The kernel tree's private copies of its uapi unistd headers under tools/ (perf, the
// selftests and libbpf build against them): each against its original in the same tree,
// read through the Workspace; x86's copies of generated headers against the `.tbl` they
// are generated from.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { binaryProblem, looksBinary } from '../../../core/text';
import { parseTbl } from '../../../reference/linux/tbl';
import { Family } from '../../family';
import { notChecked } from '../../notChecked';
import { headerCopy, locateHeaderCopies } from '../toolsCopies';
import { HeaderModel, readHeader, showItem } from './model';
import { rule as lines } from './rules/lines';
import { rule as numbers } from './rules/numbers';

export const toolsUnistdFamily: Family<HeaderModel> = {
  id: 'linux/toolsUnistd',
  title:
    "the kernel's tools/ copies of its unistd headers (tools/include/uapi/asm-generic, tools/arch/*/include/uapi/asm)",
  documents: [
    { pattern: '**/tools/include/uapi/asm-generic/unistd.h', language: 'c' },
    { pattern: '**/tools/arch/*/include/uapi/asm/unistd*.h', language: 'c' },
  ],
  claims: file => !!headerCopy(file),
  locate: (dir: string, io: Reader) => locateHeaderCopies(dir, io),
  analyze(doc, ws) {
    const copy = headerCopy(doc.file)!;
    if (looksBinary(doc.text))
      return {
        findings: [
          notChecked(doc.file, `${binaryProblem('a uapi unistd header').message} (not compared with ${copy.original})`),
        ],
      };
    const model = readHeader(doc.file, doc.text);
    const file = path.join(copy.root, copy.original);
    const text = ws.read(file);
    if (text !== undefined) {
      const original = readHeader(file, text);
      model.original = { model: original, rel: copy.original };
      return { model, findings: lines.run({ copy: model, original, rel: copy.original }) };
    }
    if (copy.table) {
      const tfile = path.join(copy.root, copy.table.rel);
      const ttext = ws.read(tfile);
      if (ttext !== undefined)
        return {
          model,
          findings: numbers.run({
            copy: model,
            table: parseTbl(tfile, ttext),
            rel: copy.table.rel,
            tags: copy.table.tags,
          }),
        };
    }
    const looked = [copy.original, ...(copy.table ? [copy.table.rel] : [])];
    return {
      model,
      findings: [
        notChecked(
          doc.file,
          `this copy of a kernel header is not compared: the tree it is in has none of ${looked.join(', ')}` +
            (copy.table ? ` (the build generates ${path.basename(copy.original)} from the .tbl)` : ''),
        ),
      ],
    };
  },
  hover(m, pos) {
    const l = m.lines.find(x => x.line === pos.line);
    if (!l || !m.original || l.item.kind === 'other' || l.item.kind === 'conditional') return undefined;
    const o = m.original.model.lines.find(x => x.item.key === l.item.key);
    const here = showItem(l, m.values);
    const there = o
      ? o.text === l.text
        ? `the same in \`${m.original.rel}:${o.line + 1}\``
        : `${showItem(o, m.original.model.values)} in \`${m.original.rel}:${o.line + 1}\``
      : `not in \`${m.original.rel}\``;
    return { markdown: `${here} here\n\n${there}`, range: l.range };
  },
  rules: [lines, numbers],
};
