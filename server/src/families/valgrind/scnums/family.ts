// valgrind's number headers (include/vki/vki-scnums-<platform>-linux.h and the shared ones
// the platforms include), each define checked for every target whose chain includes the
// header, against the kernel's table for the target's ABI. Which platform includes what:
// ../platforms.ts.
import * as path from 'path';
import { contains } from '../../../core/text';
import type { Finding, Location, Position } from '../../../core/types';
import type { Reader } from '../../../core/reader';
import type { Family, Hover } from '../../family';
import {
  binaryFile,
  dedupe,
  locateUnder,
  kernelCard,
  kernelLocations,
  tableNumber,
  targetBuilds,
  TargetBuild,
  uniqueLocations,
} from '../context';
import type { NrDefine } from '../numbers';
import { kernelName, notASyscall, valgrindRoot } from '../platforms';
import { rule as duplicates } from './rules/duplicates';
import { HeaderContext, rule as numbers } from './rules/numbers';

export interface ScnumsModel {
  file: string;
  builds: TargetBuild[];
}

const RULES = [numbers, duplicates];
const FILE_RE = /[\\/]include[\\/]vki[\\/]vki-scnums-[\w-]+-linux\.h$/;

/** The kernel's number for the define's syscall: by its name where the kernel has it, else its value. */
const numberOf = (b: TargetBuild, d: NrDefine) =>
  b.kernelByName.get(kernelName(d.macro.slice(5)))?.number ?? tableNumber(b, d.value!);

function defineAt(m: ScnumsModel, pos: Position): { b: TargetBuild; d: NrDefine }[] {
  const out: { b: TargetBuild; d: NrDefine }[] = [];
  for (const b of m.builds)
    for (const d of b.numbers.defines)
      if (d.file === m.file && d.value !== undefined && !notASyscall(d.macro) && contains(d.define.ranges.line, pos))
        out.push({ b, d });
  return out;
}

export const scnumsFamily: Family<ScnumsModel> = {
  id: 'valgrind/scnums',
  title: "valgrind's syscall number headers (include/vki/vki-scnums-*-linux.h)",
  documents: [{ pattern: '**/include/vki/vki-scnums-*-linux.h', language: 'c' }],
  claims: file => FILE_RE.test(file),
  locate: (dir: string, io: Reader) => locateUnder(dir, 'include', io),
  analyze(doc, ws) {
    const binary = binaryFile(doc.file, doc.text, 'a valgrind number header');
    if (binary) return { findings: binary };
    const root = valgrindRoot(doc.file);
    const read = (f: string) => (f === doc.file ? doc.text : ws.read(f));
    const { builds, notes } = targetBuilds(
      doc.file,
      root,
      (_tg, nums) => nums.files.includes(doc.file),
      ws.kernel,
      read,
      `no valgrind Linux platform includes ${path.basename(doc.file)} (include/pub_tool_vkiscnums_asm.h says which headers each platform reads), so it is not compared`,
    );
    const findings: Finding[] = [...notes];
    const first = builds[0]?.numbers;
    for (const { file, problem } of first?.problems ?? [])
      if (file === doc.file)
        findings.push({
          file,
          range: problem.range,
          severity: 'error',
          code: 'malformed-line',
          message: problem.message,
          related: [],
          fixes: [],
        });
    const found: Finding[] = [];
    for (const b of builds) {
      const ctx: HeaderContext = { file: doc.file, build: b };
      for (const r of RULES) found.push(...r.run(ctx));
    }
    // A renumbering fix only where every target reading the line wants the same number.
    for (const f of found) {
      if (f.code !== 'nr-mismatch' || !f.fixes.length) continue;
      const line = f.range.start.line;
      const readers = builds.filter(b => b.numbers.defines.some(d => d.file === doc.file && d.define.line === line));
      const agree = found.filter(
        g =>
          g.code === 'nr-mismatch' &&
          g.range.start.line === line &&
          g.fixes[0]?.edits[0]?.newText === f.fixes[0].edits[0].newText,
      );
      if (agree.length < readers.length) f.fixes = [];
    }
    findings.push(...dedupe(found));
    return { model: { file: doc.file, builds }, findings };
  },
  hover(m, pos): Hover | undefined {
    const hits = defineAt(m, pos);
    if (!hits.length) return undefined;
    const out: string[] = [];
    for (const { b, d } of hits)
      out.push(...kernelCard(b, numberOf(b, d), d.macro.slice(5), `this header says ${d.value}`), '');
    return { markdown: out.join('\n').trim(), range: hits[0].d.define.ranges.line };
  },
  definition(m, pos): Location[] {
    return uniqueLocations(defineAt(m, pos).flatMap(({ b, d }) => kernelLocations(b, numberOf(b, d))));
  },
  rules: RULES,
};
