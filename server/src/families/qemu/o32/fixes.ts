// Edits that add o32 rows, shared by the missing-entry and unused-slot checks.
import { notImplemented, o32Need, SysEntry } from '../../../reference/linux/need';
import { eol, insertAfter, renderRow, RowValue } from './rows';
import { spanRange } from './table';
import { TextEdit } from '../../../core/types';
import { LineMap, positionAt } from '../../../core/text';
import { UNUSED_MARKER } from './table';
import { O32Context, TblSource } from './context';

const byNumber = new WeakMap<TblSource, Map<number, SysEntry>>();

/** A table's entries by number, built once per table source. */
export function entriesByNumber(src: TblSource): Map<number, SysEntry> {
  let m = byNumber.get(src);
  if (!m) byNumber.set(src, (m = new Map(src.entries.map(e => [e.number, e] as const))));
  return m;
}

/** The value a row for `e` should hold, or undefined when it cannot be known. */
export function rowValue(ctx: O32Context, e: SysEntry | undefined): RowValue | undefined {
  if (notImplemented(e)) return 'unused';
  return o32Need(e!, ctx.ref).count;
}

export function rowName(ctx: O32Context, n: number, e: SysEntry | undefined): string {
  if (e) return ctx.table.style === 'mips-sys' ? (notImplemented(e) ? 'sys_ni_syscall' : `sys_${e.name}`) : e.name;
  return ctx.table.style === 'mips-sys' ? 'sys_ni_syscall' : '';
}

/**
 * An edit inserting rows for `numbers` (ascending, adjacent in the table), after the row
 * before the first of them. Insertions at the same place are ordered by number.
 */
export function insertRows(ctx: O32Context, numbers: number[], value: (n: number) => RowValue): TextEdit {
  const t = ctx.table;
  const byNr = entriesByNumber(ctx.tbl);
  const nl = eol(t);
  const rows = numbers.map(n => renderRow(t, n, value(n), rowName(ctx, n, byNr.get(n))));
  const before = t.rows.some(r => r.number < numbers[0]);
  if (!before && t.rows.length) {
    const start = t.rows[0].lineStart;
    return { range: spanRange(t, { start, end: start }), newText: rows.join(nl) + nl, order: numbers[0] };
  }
  const at = insertAfter(t, numbers[0]);
  return { range: spanRange(t, { start: at, end: at }), newText: nl + rows.join(nl), order: numbers[0] };
}

/**
 * The `#define MIPS_SYSCALL_NUMBER_UNUSED -1` a whole C file needs before its table once a fix
 * writes the marker there and the file defines none (QEMU's main.c tables before the marker),
 * in the style of the file's other defines. Every fix that writes the marker carries the same
 * edit, and cpuLoop's unused-marker-undefined makes it too, so fix-all applies it once.
 */
export function markerDefineEdit(ctx: O32Context): TextEdit[] {
  let hit = markerEdits.get(ctx.table);
  if (!hit) markerEdits.set(ctx.table, (hit = markerDefine(ctx)));
  return hit;
}

const markerEdits = new WeakMap<O32Context['table'], TextEdit[]>();

function markerDefine(ctx: O32Context): TextEdit[] {
  const text = ctx.table.map.text;
  if (new RegExp(`^\\s*#\\s*define\\s+${UNUSED_MARKER}\\b`, 'm').test(text)) return [];
  const decl = /^[^\n]*\bmips_syscall_args\s*\[[^\]\n]*\]\s*=/m.exec(text);
  if (!decl) return [];
  return [markerDefineAt(text, decl.index, ctx.table.map)];
}

/** The marker's `#define` inserted at `lineStart` (an offset in `text`). */
export function markerDefineAt(text: string, lineStart: number, map: LineMap): TextEdit {
  const style = /^(#\s*)define\s+MIPS_SYS\b/m.exec(text)?.[1] ?? /^(#\s*)define\b/m.exec(text)?.[1] ?? '#';
  const at = positionAt(map, lineStart);
  return { range: { start: at, end: at }, newText: `${style}define ${UNUSED_MARKER} -1\n` };
}
