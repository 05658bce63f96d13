// What every o32 check reads: the parsed table, the `.tbl` it mirrors, the kernel reference.
import type { KernelReference } from '../../../reference/reference';
import { SysEntry } from '../../../reference/linux/need';
import { O32Table, Span, spanRange } from './table';
import { Code, Finding, FindingExtra, Location, makeFinding, Severity, range } from '../../../core/types';

export interface TblSource {
  /** Absolute path of the `.tbl` (QEMU's copy, or the kernel's). */
  file: string;
  entries: SysEntry[];
  /** Numbers with only a comment, e.g. `# 443 reserved for quotactl_path`. */
  holeComments: Map<number, string>;
}

export interface O32Context {
  file: string;
  table: O32Table;
  tbl: TblSource;
  ref?: KernelReference;
}

export function tblLocation(src: TblSource, e: SysEntry): Location {
  return { file: src.file, range: e.range ?? range(e.line, 0, e.line, 0) };
}

export function finding(
  ctx: O32Context,
  code: Code,
  severity: Severity,
  at: Span,
  message: string,
  extra: FindingExtra = {},
): Finding {
  return makeFinding(ctx.file, code, severity, spanRange(ctx.table, at), message, extra);
}

export const replace = (ctx: O32Context, at: Span, newText: string) => ({ range: spanRange(ctx.table, at), newText });

export { protoLocation } from '../../../reference/reference';
