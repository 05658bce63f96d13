// QEMU's MIPS o32 argument-count table (`syscall-args-o32.c.inc`, or `MIPS_SYS` rows in an
// older `cpu_loop.c`/`main.c`), compared with the `syscall_o32.tbl` beside it (else the
// kernel's) and the kernel's prototypes.
import * as path from 'path';
import { contains, rangeOf } from '../../../core/text';
import { Finding, Location, Position, range } from '../../../core/types';
import type { Reader } from '../../../core/reader';
import type { KernelReference } from '../../../reference/reference';
import { kernelTablePath } from '../../../reference/linux/reference';
import { O32_ABI } from '../../../reference/linux/abis';
import { MAX_O32_SLOT, SysEntry } from '../../../reference/linux/need';
import { implemented, parseTbl, TblModel } from '../../../reference/linux/tbl';
import { Family, Hover, Workspace } from '../../family';
import { notChecked, SUPPLY_KERNEL } from '../../notChecked';
import { linuxUserOf } from '../tree';
import { hoverCard, syscallWordAt } from '../../../reference/linux/cards';
import { O32Context, protoLocation, TblSource, tblLocation } from './context';
import { regenerateO32 } from './regen';
import { rule as argCount } from './rules/argCount';
import { rule as missingEntry } from './rules/missingEntry';
import { rule as names } from './rules/names';
import { rule as order } from './rules/order';
import { rule as unusedSlot } from './rules/unusedSlot';
import { mayHoldO32Table, O32Table, parseO32Table, ROW_WRAP_SUFFIX, spanRange, wrapPrefixFor } from './table';

export type O32Model = { ctx: O32Context } | { ctx?: undefined; table: O32Table };

const RULES = [order, missingEntry, argCount, unusedSlot, names];

const tblCache = new Map<string, { text: string; ref: KernelReference | undefined; src: TblSource }>();

/** The `.tbl` the o32 table in `file` mirrors: QEMU's copy, else the kernel's. */
export function o32TblFor(file: string, ws: Workspace): TblSource | undefined {
  const dir = path.dirname(file);
  const candidates = [path.join(dir, 'syscall_o32.tbl'), path.join(dir, 'mips', 'syscall_o32.tbl')];
  for (const c of candidates) {
    const text = ws.read(c);
    if (text === undefined) continue;
    // Re-read on every check, re-parsed only when its text or the kernel changed.
    const hit = tblCache.get(c);
    if (hit && hit.text === text && hit.ref === ws.kernel) return hit.src;
    const src = withKernelEntries(fromModel(parseTbl(c, text)), ws.kernel);
    tblCache.set(c, { text, ref: ws.kernel, src });
    return src;
  }
  const ref = ws.kernel;
  const rel = ref && kernelTablePath(ref, 'mips', 'syscall_o32.tbl');
  if (!ref || !rel) return undefined;
  return {
    file: ref.fileOf(rel),
    entries: ref.entries({ ...O32_ABI, table: rel })!,
    holeComments: new Map(),
  };
}

/** Attach the kernel's entry points to each syscall of a QEMU copy that the kernel has too. */
function withKernelEntries(src: TblSource, ref: KernelReference | undefined): TblSource {
  const rel = ref && kernelTablePath(ref, 'mips', 'syscall_o32.tbl');
  if (!ref || !rel) return src;
  const file = ref.fileOf(rel);
  const kernel = new Map(ref.entries({ ...O32_ABI, table: rel })!.map(k => [k.number, k] as const));
  for (const e of src.entries) {
    const k = kernel.get(e.number);
    if (k && k.name === e.name) e.kernel = { file, line: k.line, entry: k.entry, compat: k.compat };
  }
  return src;
}

function fromModel(model: TblModel): TblSource {
  const entries: SysEntry[] = model.entries
    .filter(e => e.abi === 'o32')
    .map(e => ({
      number: e.number,
      abi: e.abi,
      name: e.name,
      entry: e.entry,
      compat: e.compat,
      line: e.line,
      range: e.ranges.line,
    }));
  const holeComments = new Map<number, string>();
  for (const c of model.comments) if (c.number !== undefined) holeComments.set(c.number, c.text);
  return { file: model.file, entries, holeComments };
}

/** Slots past MAX_O32_SLOT (a typo such as 0x1000000) are reported once, not enumerated. */
function hugeSlots(file: string, table: O32Table, tbl: TblSource): { ctx: O32Context; findings: Finding[] } {
  const huge = [
    ...table.rows.filter(r => r.number > MAX_O32_SLOT).map(r => r.number),
    ...tbl.entries.filter(e => e.number > MAX_O32_SLOT).map(e => e.number),
  ];
  const sane: O32Table = huge.length ? { ...table, rows: table.rows.filter(r => r.number <= MAX_O32_SLOT) } : table;
  const ctx: O32Context = {
    file,
    table: sane,
    tbl: huge.length ? { ...tbl, entries: tbl.entries.filter(e => e.number <= MAX_O32_SLOT) } : tbl,
  };
  const findings: Finding[] = [];
  for (const r of table.rows.filter(x => x.number > MAX_O32_SLOT)) {
    findings.push({
      file,
      range: rangeOf(table.map, r.row.start, r.row.end),
      severity: 'error',
      code: 'malformed-line',
      related: [],
      fixes: [],
      message: `slot ${r.number} is far past any o32 syscall (systab checks slots 0-${MAX_O32_SLOT}); a typo in the number?`,
    });
  }
  if (tbl.entries.some(e => e.number > MAX_O32_SLOT)) {
    findings.push({
      file,
      range: range(0, 0, 0, 0),
      severity: 'warning',
      code: 'malformed-line',
      related: [],
      fixes: [],
      message: `${path.basename(tbl.file)} numbers a syscall ${Math.max(...huge)}, far past any o32 syscall; systab compares slots 0-${MAX_O32_SLOT} only`,
    });
  }
  return { ctx, findings };
}

/** The syscall under the cursor: a row, or a name elsewhere in the file resolved in the table's `.tbl`. */
function syscallAt(
  ctx: O32Context,
  pos: Position,
): { entry: SysEntry; range: ReturnType<typeof spanRange>; row?: number } | undefined {
  const { table, tbl } = ctx;
  for (const row of table.rows) {
    const r = spanRange(table, { start: row.lineStart, end: row.lineEnd });
    if (!contains(r, pos)) continue;
    const e = tbl.entries.find(x => x.number === row.number);
    const entry = e ?? { number: row.number, abi: 'o32', name: row.name ?? `slot ${row.number}`, line: -1 };
    return { entry, range: spanRange(table, row.row), row: row.number };
  }
  const w = syscallWordAt(table.map.text, pos);
  const e = w && tbl.entries.find(x => w.words.some(n => x.name === n || x.entry === n || x.compat === n));
  return e && w ? { entry: e, range: w.range } : undefined;
}

const LINUX_USER_FILES = ['mips/syscall-args-o32.c.inc', 'mips/cpu_loop.c', 'main.c'];

export const o32Family: Family<O32Model> = {
  id: 'qemu/o32',
  title: 'QEMU linux-user MIPS o32 argument-count table',
  documents: [{ pattern: '**/syscall-args-*.c.inc', language: 'c' }, { pattern: '**/*.c.inc' }, { language: 'c' }],
  syntax: 'c',
  // Only a bare row list (an .inc) is wrapped; a .c file is whole C.
  wrap(file, text) {
    const prefix = file.endsWith('.c') ? '' : wrapPrefixFor(text);
    return prefix ? { prefix, suffix: ROW_WRAP_SUFFIX } : undefined;
  },
  claims: (file, text) => /\.(c|inc|h)$/.test(file) && mayHoldO32Table(file, text),
  locate(dir: string, io: Reader) {
    const lu = linuxUserOf(dir, io);
    const out = lu
      ? LINUX_USER_FILES.map(rel => path.join(lu, rel)).filter(p => {
          const text = io.read(p);
          return (
            text !== undefined &&
            (!p.endsWith('.c') || (/\bMIPS_SYS\s*\(/.test(text) && /\bmips_syscall_args\b/.test(text)))
          );
        })
      : [];
    // Loose tables in the directory itself (a fixture, a scratch copy).
    for (const n of io.list(dir)) if (/^syscall-args-o32.*\.c\.inc$/.test(n)) out.push(path.join(dir, n));
    return out;
  },
  analyze(doc, ws) {
    const parsed = doc.c?.();
    if (!parsed) return { findings: [] };
    const table = parseO32Table(doc.text, parsed.tree, parsed.prefixLength);
    if (!table) return { findings: [] };
    const tbl = o32TblFor(doc.file, ws);
    if (!tbl) {
      const message = `nothing to compare this table with: no syscall_o32.tbl beside it (or in mips/) and no kernel catalogue; put it in its QEMU tree, or ${SUPPLY_KERNEL}`;
      return { model: { table }, findings: [notChecked(doc.file, message)] };
    }
    const { ctx, findings } = hugeSlots(doc.file, table, tbl);
    ctx.ref = ws.kernel;
    return { model: { ctx }, findings: [...RULES.flatMap(r => r.run(ctx)), ...findings] };
  },
  hover(m, pos, ws): Hover | undefined {
    const hit = m.ctx && syscallAt(m.ctx, pos);
    if (!hit) return undefined;
    const row = hit.row !== undefined ? m.ctx!.table.rows.find(r => r.number === hit.row)?.valueText : undefined;
    return { markdown: hoverCard(hit.entry, ws.kernel, row), range: hit.range };
  },
  definition(m, pos, ws): Location[] {
    const hit = m.ctx && syscallAt(m.ctx, pos);
    if (!hit) return [];
    const out: Location[] = [];
    if (hit.entry.line >= 0) out.push(tblLocation(m.ctx!.tbl, hit.entry));
    const ref = ws.kernel;
    if (ref?.root) {
      for (const name of [hit.entry.entry, hit.entry.compat]) {
        const p = implemented(name) ? ref.prototype(name!, 'mips') : undefined;
        if (p) out.push(protoLocation(ref, p));
      }
    }
    return out;
  },
  // Above the table: "443 rows · 3 missing · 1 mismatched", and "Regenerate".
  lenses(m, findings) {
    const rows = m.ctx?.table.rows;
    if (!rows?.length) return [];
    const count = (code: string) => findings.filter(f => f.code === code).length;
    const line = rangeOf(m.ctx!.table.map, rows[0].lineStart, rows[0].lineStart).start.line;
    return [
      {
        line,
        title: `${rows.length} rows · ${count('missing-entry')} missing · ${count('arg-count-mismatch')} mismatched`,
        command: 'workbench.actions.view.problems',
      },
      { line, title: 'Regenerate', command: 'systab.regenerateTable' },
    ];
  },
  regenerate(m) {
    const g = m.ctx && regenerateO32(m.ctx);
    if (!g) return undefined;
    return {
      edit: g.edit,
      notes: g.unknown.length
        ? [`kept the current counts of ${g.unknown.join(', ')}: no prototype to compute them from`]
        : [],
    };
  },
  rules: RULES,
};
