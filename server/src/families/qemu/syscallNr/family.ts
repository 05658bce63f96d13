// QEMU's linux-user/<dir>/syscall*_nr.h: hand-written number headers (generated ones are
// recognised and left to regeneration). A header is checked from its path alone when nothing
// around it says more: the directory names the target (arches.ts), each way its `#if`s can go
// is one build checked against that build's kernel table.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import type { Finding } from '../../../core/types';
import { Family } from '../../family';
import { qemuRootOf, targetDirs } from '../tree';
import { definesFor, modelFor, NrDefine, NrModel, parseSyscallNr, valuesFor } from './model';
import { notChecked } from '../../notChecked';
import { BuildExpectation, expectationsFor } from './expected';
import { RULES, syscallNrFindings } from './rules';
import type { NrBuild } from '../arches';

const isNrHeader = (file: string) => /(^|[\\/])linux-user[\\/][^\\/]+[\\/]syscall\w*_nr\.h$/.test(file);

/**
 * Values the header uses without defining, from the headers of its directory that QEMU
 * includes before it or from it (syscall.h, target_syscall.h, its own `#include "x.h"`), as
 * this build compiles them; then the build's known bases.
 */
function directoryValues(file: string, model: NrModel, build: NrBuild | undefined, io: Reader): Record<string, number> {
  const known: Record<string, number> = { ...(build?.bases ?? {}) };
  if (!model.defines.some(d => d.number === undefined && d.value !== '')) return known;
  const dir = path.dirname(file);
  const fromDir: Record<string, number> = {};
  const names = [
    ...model.includes.filter(i => !i.system && !i.path.includes('/')).map(i => i.path),
    'syscall_nr.h',
    'syscall.h',
    'target_syscall.h',
  ];
  for (const n of [...new Set(names)]) {
    const f = path.join(dir, n);
    if (path.resolve(f) === path.resolve(file)) continue;
    const text = io.read(f);
    if (text === undefined) continue;
    for (const [k, v] of valuesFor(parseSyscallNr(f, text), build?.defines ?? [], {}))
      if (!(k in fromDir)) fromDir[k] = v;
  }
  return { ...known, ...fromDir };
}

const targetsText = (b: NrBuild | undefined) => (b ? `${b.targets.join(', ')} (${b.abis[0]})` : '');

interface Run {
  build?: BuildExpectation['build'];
  findings: Finding[];
  lines: Set<number>;
  evaluated: Set<number>;
}

/**
 * One finding per place and remedy over the builds. A fix one build needs on a line another
 * build compiles unchanged and finds right would break that build: the finding then says so
 * and offers no fix (the line needs an `#if`).
 */
function merge(runs: Run[]): Finding[] {
  const key = (f: Finding) =>
    [f.code, f.range.start.line, f.range.start.character, f.fixes[0]?.edits.map(e => e.newText).join('|') ?? ''].join(
      '\0',
    );
  const seen = new Map<string, { finding: Finding; abi?: string; also: string[] }>();
  const out: Finding[] = [];
  for (const r of runs) {
    for (const f of r.findings) {
      const k = key(f);
      const had = seen.get(k);
      if (had) {
        // The same finding in another build's table: said once, for both.
        const also = targetsText(r.build);
        if (also && had.abi !== r.build?.abis[0] && !had.also.includes(also)) had.also.push(also);
        continue;
      }
      let g = f;
      if (f.code !== 'missing-entry' && f.fixes.length) {
        const line = f.range.start.line;
        const fine = runs.filter(
          o =>
            o !== r &&
            o.build?.abis[0] !== r.build?.abis[0] &&
            o.lines.has(line) &&
            !o.findings.some(x => x.code === f.code && x.range.start.line === line),
        );
        if (fine.length)
          g = {
            ...f,
            message: `${f.message} (for ${targetsText(r.build)}; the line is right for ${fine.map(o => targetsText(o.build)).join(', ')}, so it needs an \`#if\` for the first)`,
            fixes: [],
          };
      }
      g = { ...g };
      seen.set(k, { finding: g, abi: r.build?.abis[0], also: [] });
      out.push(g);
    }
  }
  for (const { finding, also } of seen.values()) if (also.length) finding.message += ` (also for ${also.join('; ')})`;
  return out;
}

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
    const e = expectationsFor(path.relative(root, doc.file), root, ws.kernel, { io: ws });
    if ('missing' in e) return { model, findings: [notChecked(doc.file, `this header is not checked: ${e.missing}`)] };
    const cFile = path.join(root, 'linux-user', 'syscall.c');
    const cText = ws.read(cFile);
    const syscallC = cText === undefined ? undefined : { file: cFile, text: cText };
    const abis = new Set(e.builds.map(b => b.build?.abis[0]));
    // Builds that compile the same defines to the same numbers against the same table are one.
    const done = new Set<string>();
    const planned: {
      build?: NrBuild;
      expected: BuildExpectation['expected'];
      defines: NrDefine[];
      known: Record<string, number>;
    }[] = [];
    for (const { build, expected } of e.builds) {
      const known = directoryValues(doc.file, model, build, ws);
      const defines = build ? definesFor(model, build.defines, known) : model.defines;
      const sig = [expected.source, ...defines.map(d => `${d.line}:${d.number}`)].join(' ');
      if (done.has(sig)) continue;
      done.add(sig);
      planned.push({ build, expected, defines, known });
    }
    const builds = planned.map(p => ({
      expected: p.expected,
      names: new Set(p.defines.filter(d => d.kind === 'syscall').map(d => d.name)),
    }));
    const runs: Run[] = planned.map(({ build, expected, defines, known }, self) => ({
      build,
      findings: syscallNrFindings(doc.file, modelFor(model, defines, known), expected, {
        syscallC,
        guard: abis.size > 1 ? build?.test : undefined,
        siblings: planned.length > 1 ? { builds, self } : undefined,
      }),
      lines: new Set(defines.map(d => d.line)),
      evaluated: new Set(defines.filter(d => d.number !== undefined).map(d => d.line)),
    }));
    // A value no build can evaluate is said once, not skipped.
    const unread = model.defines.filter(
      d => d.value !== '' && d.number === undefined && runs.every(r => !r.evaluated.has(d.line)),
    );
    const problems: Finding[] = unread.flatMap(d => {
      const p = model.problems.find(x => x.line === d.line);
      if (!p || !runs.some(r => r.lines.has(d.line))) return [];
      return [
        {
          file: doc.file,
          range: p.range,
          severity: 'warning' as const,
          code: 'malformed-line' as const,
          syscall: d.kind === 'syscall' ? d.name : undefined,
          message: `${p.message}${p.message.endsWith('this file') ? ' nor in syscall.h or target_syscall.h beside it' : ''}: its number cannot be checked`,
          related: [],
          fixes: [],
        },
      ];
    });
    return { model, findings: [...problems, ...merge(runs)] };
  },
  rules: RULES,
};
