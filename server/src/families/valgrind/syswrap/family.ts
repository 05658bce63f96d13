// valgrind's syscall wrapper tables (coregrind/m_syswrap/syswrap-<platform>-linux.c) and the
// wrappers their rows name (there, in syswrap-linux.c and in syswrap-generic.c), per target,
// against the kernel's table and prototypes for the target's ABI. Targets: ../platforms.ts.
import * as path from 'path';
import { contains, looksBinary } from '../../../core/text';
import type { Finding, Location, Position, Range } from '../../../core/types';
import type { Reader } from '../../../core/reader';
import type { Family, Hover } from '../../family';
import { notChecked } from '../../notChecked';
import {
  binaryFile,
  dedupe,
  locateUnder,
  kernelCard,
  kernelLocations,
  label,
  tableNumber,
  targetBuilds,
  uniqueLocations,
} from '../context';
import { kernelName, syswrapPath, valgrindRoot, WRAPPER_FILES } from '../platforms';
import { SyswrapContext, wrapperOf } from './context';
import { linesOf, liveLines, looksLikeSyswrap, tableRows, TableRow, wrappers } from './model';
import { rule as registers } from './rules/registers';
import { rule as table } from './rules/table';

export interface SyswrapModel {
  file: string;
  contexts: SyswrapContext[];
}

const RULES = [table, registers];

/** Each wrapper file's rows and wrappers per target, kept while its text and the target's numbers are unchanged. */
const parsed = new Map<
  string,
  { text: string; rows: ReturnType<typeof tableRows>; wrappers: ReturnType<typeof wrappers> }
>();
const FILE_RE = /[\\/]coregrind[\\/]m_syswrap[\\/]syswrap-(?:[\w]+-linux|linux|generic)\.c$/;
const SHARED = new Set<string>(Object.values(WRAPPER_FILES));

/** The kernel's number for a row: by its name where the kernel has it, else the header's value. */
function numberOf(ctx: SyswrapContext, row: TableRow): number | undefined {
  const b = ctx.build;
  const v = b.numbers.byMacro.get(row.macro)?.value;
  return (
    b.kernelByName.get(kernelName(row.macro.slice(5)))?.number ?? (v === undefined ? undefined : tableNumber(b, v))
  );
}

/** What is under the cursor, per target: a table row, or a wrapper (its PRE line or a register read). */
function rowsAt(m: SyswrapModel, pos: Position): { ctx: SyswrapContext; row: TableRow; range: Range }[] {
  const out: { ctx: SyswrapContext; row: TableRow; range: Range }[] = [];
  for (const ctx of m.contexts)
    for (const row of ctx.rows) {
      if (row.file === m.file && contains(row.ranges.row, pos)) out.push({ ctx, row, range: row.ranges.row });
      const w = wrapperOf(ctx, row);
      if (!w || w.file !== m.file) continue;
      const hit = [w.range, ...w.calls.map(c => c.range)].find(r => contains(r, pos));
      if (hit) out.push({ ctx, row, range: hit });
    }
  return out;
}

export const syswrapFamily: Family<SyswrapModel> = {
  id: 'valgrind/syswrap',
  title: "valgrind's syscall wrapper tables (coregrind/m_syswrap/syswrap-*-linux.c)",
  documents: [
    { pattern: '**/coregrind/m_syswrap/syswrap-*-linux.c', language: 'c' },
    { pattern: '**/coregrind/m_syswrap/syswrap-linux.c', language: 'c' },
    { pattern: '**/coregrind/m_syswrap/syswrap-generic.c', language: 'c' },
  ],
  claims: (file, text) => FILE_RE.test(file) && (looksBinary(text) || looksLikeSyswrap(text)),
  locate: (dir: string, io: Reader) => locateUnder(dir, 'coregrind', io),
  analyze(doc, ws) {
    const binary = binaryFile(doc.file, doc.text, 'a valgrind wrapper file');
    if (binary) return { findings: binary };
    const root = valgrindRoot(doc.file);
    const base = path.basename(doc.file);
    const read = (f: string) => (f === doc.file ? doc.text : ws.read(f));
    const shared = SHARED.has(base);
    const { builds, notes } = targetBuilds(
      doc.file,
      root,
      tg => (shared ? !!tg.abi && read(syswrapPath(root, tg.syswrap)) !== undefined : tg.syswrap === base),
      ws.kernel,
      read,
      `${base} is not the table file of a valgrind Linux platform systab knows, so it is not compared`,
    );
    const findings: Finding[] = [...notes];
    const contexts: SyswrapContext[] = [];
    const found: Finding[] = [];
    let tableMissing = false;
    for (const b of builds) {
      const macros = new Map(b.numbers.values);
      const defined = new Set([...Object.keys(b.target.macros), ...b.numbers.byMacro.keys()]);
      // What a file's lines mean depends on the target's macros and numbers only.
      const stamp = `${b.target.platform}|${b.abi.id}|${[...macros].map(([k, v]) => `${k}=${v}`).join(';')}`;
      const parse = (f: string) => {
        const text = read(f);
        if (text === undefined) return undefined;
        const key = `${f}|${stamp}`;
        const hit = parsed.get(key);
        if (hit && hit.text === text) return hit;
        const live = liveLines(linesOf(f, text), macros, defined);
        const p = { text, rows: tableRows(f, text, live), wrappers: wrappers(f, text, live) };
        if (parsed.size > 96) parsed.clear();
        parsed.set(key, p);
        return p;
      };
      const tableFile = syswrapPath(root, b.target.syswrap);
      const t = parse(tableFile);
      if (!t) continue;
      const { rows, found: hasTable } = t.rows;
      if (!hasTable && tableFile === doc.file) tableMissing = true;
      const w = (f: string) => parse(f)?.wrappers ?? new Map();
      const ctx: SyswrapContext = {
        file: doc.file,
        build: b,
        tableFile,
        rows,
        wrappers: {
          GEN: w(syswrapPath(root, WRAPPER_FILES.GEN)),
          LIN: w(syswrapPath(root, WRAPPER_FILES.LIN)),
          PLA: w(tableFile),
        },
      };
      contexts.push(ctx);
      for (const r of RULES) found.push(...r.run(ctx));
    }
    if (tableMissing)
      findings.push(
        notChecked(
          doc.file,
          'no `static SyscallTableEntry syscall_table[] = {` (or `syscall_main_table[]`) in this file, so its rows are not compared',
        ),
      );
    findings.push(...dedupe(found));
    return { model: { file: doc.file, contexts }, findings };
  },
  hover(m, pos): Hover | undefined {
    const hits = rowsAt(m, pos);
    if (!hits.length) return undefined;
    const out: string[] = [];
    for (const { ctx, row } of hits) {
      const n = numberOf(ctx, row);
      const w = wrapperOf(ctx, row);
      const reads = w?.calls.length
        ? `${row.wrapper} declares ${[...new Set(w.calls.map(c => c.count))].join(' or ')} register${w.calls.length === 1 && w.calls[0].count === 1 ? '' : 's'}`
        : undefined;
      out.push(
        ...(n === undefined
          ? [`**${row.macro}** — not defined for ${label(ctx.build)}`]
          : kernelCard(ctx.build, n, row.macro.slice(5), reads)),
        '',
      );
    }
    return { markdown: out.join('\n').trim(), range: hits[0].range };
  },
  definition(m, pos): Location[] {
    return uniqueLocations(
      rowsAt(m, pos).flatMap(({ ctx, row }) => {
        const n = numberOf(ctx, row);
        return n === undefined ? [] : kernelLocations(ctx.build, n);
      }),
    );
  },
  rules: RULES,
};
