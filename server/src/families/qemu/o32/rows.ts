// Writing o32 rows in the table's own style: the text of a nearby row is the template,
// so indentation, padding and comments come out as the file already has them.
import { O32Row, O32Table, UNUSED_MARKER } from './table';

export type RowValue = number | 'unused';

const valueText = (v: RowValue) => (v === 'unused' ? UNUSED_MARKER : String(v));

const kinds = new WeakMap<O32Table, Map<string, O32Row[]>>();

/** The row nearest to `number` that is named (or unnamed) and has the given kind of value. */
function template(t: O32Table, number: number, want: { unused?: boolean; named: boolean }): O32Row | undefined {
  // Rows of each kind, sorted by number, found once per table: a binary search per row.
  let byKind = kinds.get(t);
  if (!byKind) kinds.set(t, (byKind = new Map()));
  const key = `${want.named}/${want.unused}`;
  let rows = byKind.get(key);
  if (!rows) {
    rows = t.rows
      .filter(
        r =>
          !!r.name_ === want.named &&
          (want.unused === undefined || (want.unused ? r.value === 'unused' : typeof r.value === 'number')),
      )
      .sort((a, b) => a.number - b.number);
    byKind.set(key, rows);
  }
  if (!rows.length) return undefined;
  let lo = 0,
    hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid].number < number) lo = mid + 1;
    else hi = mid;
  }
  // rows[lo] is the first at or after `number`; the one before may be nearer (ties go later).
  const before = lo > 0 ? rows[lo - 1] : undefined;
  const at = rows[lo];
  if (before && (at.number < number || number - before.number < at.number - number))
    return at.number < number ? at : before;
  return at;
}

/**
 * One row's text (no line break) for syscall `number` with `value`, named `name` ('' for
 * a hole with no name: designated tables write those without a comment).
 */
export function renderRow(t: O32Table, number: number, value: RowValue, name: string): string {
  const text = t.map.text;
  const unused = value === 'unused';
  if (t.style === 'designated') {
    const tpl = name
      ? (template(t, number, { unused, named: true }) ?? template(t, number, { named: true }))
      : (template(t, number, { unused: true, named: false }) ?? template(t, number, { named: false }));
    if (!tpl?.number_)
      return `    [${String(number).padStart(4)}] = ${valueText(value)},${name ? ` /* ${name} */` : ''}`;
    const line = text.slice(tpl.lineStart, tpl.lineEnd);
    const rel = (o: number) => o - tpl.lineStart;
    const open = text.lastIndexOf('[', tpl.number_.start);
    const close = text.indexOf(']', tpl.number_.end);
    const width = close - open - 1;
    let out =
      line.slice(0, rel(open) + 1) +
      String(number).padStart(width) +
      line.slice(rel(close), rel(tpl.value_.start)) +
      valueText(value);
    const rest = line.slice(rel(tpl.value_.end));
    if (tpl.name_)
      out += rest.slice(0, tpl.name_.start - tpl.value_.end) + name + rest.slice(tpl.name_.end - tpl.value_.end);
    else out += rest;
    return out;
  }
  const tpl = t.rows[t.rows.length - 1];
  // mips-sys: `        MIPS_SYS(sys_name       , 3)    /* 4005 */`
  const indent = tpl ? text.slice(tpl.lineStart, tpl.row.start) : '        ';
  let out: string;
  if (unused) {
    const u = template(t, number, { unused: true, named: false });
    // The marker and its comma, without a trailing comment (added below where due).
    out = u
      ? text.slice(u.lineStart, u.row.end) + (/^\s*,/.exec(text.slice(u.row.end, u.lineEnd))?.[0] ?? ',')
      : `${indent}${UNUSED_MARKER},`;
  } else {
    const sys = name.startsWith('sys_') ? name : `sys_${name}`;
    const n = template(t, number, { unused: false, named: true });
    if (n?.name_) {
      const between = text.slice(n.name_.end, n.value_.start); // `       , `
      const pad = between.match(/^\s*/)![0].length;
      const width = n.name_.end - n.name_.start + pad;
      // A template row missing its comma (`MIPS_SYS(sys_write 3)`) lends its padding only.
      const after = between.includes(',') ? between.slice(pad) : ', ';
      out = `${text.slice(n.lineStart, n.row.start)}MIPS_SYS(${between.includes(',') ? sys.padEnd(width) : sys}${after}${valueText(value)})`;
    } else out = `${indent}MIPS_SYS(${sys}, ${valueText(value)})`;
  }
  // Rows at multiples of five carry their number in a comment when the table does so.
  const marker = t.rows.find(r => r.trailingNumber);
  if (marker?.trailingNumber && number % 5 === 0) {
    const base = marker.trailingNumber.value - marker.number;
    out = `${out.padEnd(Math.max(out.length + 1, marker.trailingNumber.column))}/* ${base + number} */`;
  }
  return out;
}

/** Offset of the end of the last row before `number` (where rows for it are inserted). */
export function insertAfter(t: O32Table, number: number): number {
  let after: O32Row | undefined;
  for (const r of t.rows) if (r.number < number && (!after || r.lineEnd > after.lineEnd)) after = r;
  return (after ?? t.rows[t.rows.length - 1])?.lineEnd ?? t.map.text.length;
}

export const eol = (t: O32Table) => (t.map.text.includes('\r\n') ? '\r\n' : '\n');
