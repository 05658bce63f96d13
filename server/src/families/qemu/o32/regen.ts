// "Regenerate table": every row from the `.tbl` and the prototypes, in the file's style.
import { O32Context } from './context';
import { entriesByNumber, rowName, rowValue } from './fixes';
import { eol, renderRow, RowValue } from './rows';
import { spanRange } from './table';
import { TextEdit } from '../../../core/types';

export interface Regenerated {
  edit: TextEdit;
  text: string;
  unknown: string[];
}

export function regenerateO32(ctx: O32Context): Regenerated | undefined {
  const t = ctx.table;
  if (!t.rows.length) return undefined;
  const byNr = entriesByNumber(ctx.tbl);
  const current = new Map(t.rows.map(r => [r.number, r] as const));
  const max = ctx.tbl.entries.reduce((m, e) => Math.max(m, e.number), -1);
  const unknown: string[] = [];
  const lines: string[] = [];
  for (let n = 0; n <= max; n++) {
    const e = byNr.get(n);
    let value: RowValue | undefined = rowValue(ctx, e);
    if (value === undefined) {
      // No prototype: keep what the table says rather than guess.
      const v = current.get(n)?.value;
      value = v ?? 'unused';
      unknown.push(e!.name);
    }
    lines.push(renderRow(t, n, value, rowName(ctx, n, e)));
  }
  const start = Math.min(...t.rows.map(r => r.lineStart));
  const end = Math.max(...t.rows.map(r => r.lineEnd));
  const text = lines.join(eol(t));
  return { edit: { range: spanRange(t, { start, end }), newText: text }, text, unknown };
}
