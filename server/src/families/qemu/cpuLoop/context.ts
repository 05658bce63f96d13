// What every cpu_loop.c check reads: the model, the text and the kernel's facts.
import type { Code } from '../../../core/codes';
import { rangeOf } from '../../../core/text';
import type { Finding, FindingExtra, Location, Severity } from '../../../core/types';
import { makeFinding, range } from '../../../core/types';
import type { ArmPrivate } from '../../../reference/linux/armPrivate';
import type { KernelReference } from '../../../reference/reference';
import type { Span } from '../o32/table';
import type { CpuLoopModel } from './model';

export interface CpuLoopContext {
  file: string;
  model: CpuLoopModel;
  ref?: KernelReference;
  arm?: ArmPrivate;
}

export function finding(
  ctx: CpuLoopContext,
  code: Code,
  severity: Severity,
  at: Span,
  message: string,
  extra: FindingExtra = {},
): Finding {
  return makeFinding(ctx.file, code, severity, rangeOf(ctx.model.map, at.start, at.end), message, extra);
}

export const edit = (ctx: CpuLoopContext, at: Span, newText: string) => ({
  range: rangeOf(ctx.model.map, at.start, at.end),
  newText,
});

/** A line of a kernel file (relative path), for related information. */
export function kernelLine(ctx: CpuLoopContext, rel: string, line: number): Location {
  return { file: ctx.ref ? ctx.ref.fileOf(rel) : rel, range: range(line, 0, line, 0) };
}

/** `traps.c:669`, one-based, for messages. */
export const at = (rel: string, line: number) => `${rel.split('/').pop()}:${line + 1}`;

export const hex = (n: number) => `0x${n.toString(16)}`;
