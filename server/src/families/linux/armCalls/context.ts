// What every legacy ARM check reads: the model of the tree's pair of files, and the document
// the findings go to (each file gets the findings whose fix or cause is in it).
import * as path from 'path';
import type { Range, Related } from '../../../core/types';
import { makeFinding, range } from '../../../core/types';
import type { ArmNumber, CallsRow } from '../../../reference/linux/armCalls';
import type { ArmModel, Header } from './model';

export interface ArmContext {
  model: ArmModel;
  /** The document being analysed. */
  file: string;
}

const same = (a: string, b: string) => path.resolve(a) === path.resolve(b);
export const onCalls = (ctx: ArmContext) => same(ctx.file, ctx.model.callsFile);
export const onHeader = (ctx: ArmContext, h: Header | undefined) => !!h && same(ctx.file, h.file);

export const finding = makeFinding;

export const rowRelated = (m: ArmModel, row: CallsRow, what = 'calls.S'): Related => ({
  location: { file: m.callsFile, range: row.ranges.row },
  message: `${what}: row ${row.number} calls ${row.call}`,
});

export const defineRelated = (h: Header, d: ArmNumber): Related => ({
  location: { file: h.file, range: d.ranges.line },
  message: `${h.rel}: ${d.macro} is __NR_SYSCALL_BASE+${d.number}`,
});

/** The span of a few rows, first to last. */
export const rowsRange = (rows: CallsRow[]): Range =>
  range(
    rows[0].ranges.row.start.line,
    rows[0].ranges.row.start.character,
    rows[rows.length - 1].ranges.row.end.line,
    rows[rows.length - 1].ranges.row.end.character,
  );

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
