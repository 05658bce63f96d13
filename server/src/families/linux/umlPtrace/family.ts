// User-mode Linux's private ptrace request constants against the host kernel's uapi
// headers in the same tree, and against each other (model.ts says which files).
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { binaryProblem, looksBinary } from '../../../core/text';
import { Family } from '../../family';
import { notChecked } from '../../notChecked';
import { PtraceDefine, ptraceDefines, showValue, uapiValues, UML_PTRACE_FILES, umlFile, where } from './model';
import { rule as mismatch } from './rules/mismatch';
import { rule as redefined } from './rules/redefined';

export interface UmlPtraceModel {
  defines: PtraceDefine[];
  uapi: Map<string, PtraceDefine>;
  /** The other UML files' definitions. */
  all: PtraceDefine[];
}

const has = (io: Reader, file: string) => io.list(path.dirname(file)).includes(path.basename(file));

export const umlPtraceFamily: Family<UmlPtraceModel> = {
  id: 'linux/umlPtrace',
  title: "User-mode Linux's private ptrace constants (arch/um/include/shared/ptrace_user.h, arch/x86/um/)",
  documents: UML_PTRACE_FILES.map(rel => ({ pattern: `**/${rel}`, language: 'c' as const })),
  claims: file => !!umlFile(file),
  locate: (dir: string, io: Reader) => UML_PTRACE_FILES.map(rel => path.join(dir, rel)).filter(f => has(io, f)),
  analyze(doc, ws) {
    const { root, rel } = umlFile(doc.file)!;
    if (looksBinary(doc.text))
      return { findings: [notChecked(doc.file, `${binaryProblem('a C file').message} (no ptrace constant read)`)] };
    const uapi = uapiValues(root, ws);
    const known = Object.fromEntries([...uapi.defs].map(([k, d]) => [k, d.define.number!]));
    const mine = ptraceDefines(doc.file, rel, doc.text, known);
    const all = [
      ...mine,
      ...UML_PTRACE_FILES.filter(r => r !== rel).flatMap(r => {
        const file = path.join(root, r);
        const text = ws.read(file);
        return text === undefined || looksBinary(text) ? [] : ptraceDefines(file, r, text, known);
      }),
    ];
    const ctx = { file: doc.file, mine, all, uapi: uapi.defs };
    const findings = [...mismatch.run(ctx), ...redefined.run(ctx)];
    if (mine.length && uapi.missing.length === 2)
      findings.push(
        notChecked(
          doc.file,
          `these ptrace constants are not compared with the kernel's: the tree has none of ${uapi.missing.join(', ')}`,
        ),
      );
    return { model: { defines: mine, uapi: uapi.defs, all }, findings };
  },
  hover(m, pos) {
    const d = m.defines.find(x => x.define.line === pos.line);
    if (!d) return undefined;
    const u = m.uapi.get(d.define.macro);
    const others = m.all.filter(o => o !== d && o.define.macro === d.define.macro);
    const lines = [
      `**${d.define.macro}** = ${showValue(d.define)} here`,
      u
        ? `the kernel: ${showValue(u.define)} (\`${where(u)}\`)`
        : 'not in the uapi ptrace headers: a UML private constant',
      ...others.map(o => `also ${showValue(o.define)} at \`${where(o)}\``),
    ];
    return { markdown: lines.join('\n\n'), range: d.define.ranges.line };
  },
  rules: [mismatch, redefined],
};
