// What every wrapper-table check reads for one target: its build (numbers and the kernel's
// table), the live rows of its table file and the wrappers of the three files rows name.
import type { TargetBuild } from '../context';
import type { TableRow, Wrapper } from './model';

export interface SyswrapContext {
  /** The document the findings are for. */
  file: string;
  build: TargetBuild;
  /** The target's table file and its live rows. */
  tableFile: string;
  rows: TableRow[];
  /** Wrappers by name: GENX_/GENXY rows' in syswrap-generic.c, LINX_/LINXY's in syswrap-linux.c, PLAX_/PLAXY's in the table file. */
  wrappers: Record<'GEN' | 'LIN' | 'PLA', Map<string, Wrapper>>;
}

export const wrapperOf = (ctx: SyswrapContext, row: TableRow) =>
  ctx.wrappers[row.kind.slice(0, 3) as 'GEN' | 'LIN' | 'PLA'].get(row.wrapper);
