// What the strace.list rules share: the model, the file, and which rows another shadows.
import { Finding, Range } from '../../../../core/types';
import type { KernelReference } from '../../../../reference/reference';
import { mutuallyExclusive, StraceEntry, StraceListModel } from '../model';
import type { StraceTree } from '../targets';

export interface StraceContext {
  file: string;
  model: StraceListModel;
  ref?: KernelReference;
  /** The QEMU tree around the file (targets' headers, syscall.c), when there is one. */
  tree?: StraceTree;
}

export type Add = (
  f: Omit<Finding, 'file' | 'related' | 'fixes'> & Partial<Pick<Finding, 'related' | 'fixes'>>,
) => void;

/** A finding collector for one file. */
export function collector(file: string): { out: Finding[]; add: Add } {
  const out: Finding[] = [];
  return { out, add: f => out.push({ file, related: [], fixes: [], ...f }) };
}

export const loc = (file: string, r: Range) => ({ file, range: r });

const shadowCache = new WeakMap<StraceListModel, Map<StraceEntry, StraceEntry>>();

/**
 * print_syscall() takes the first row for a number, so a later row that can be compiled
 * with it is never used: each such row and the first row that shadows it.
 */
export function shadowedRows(model: StraceListModel): Map<StraceEntry, StraceEntry> {
  const hit = shadowCache.get(model);
  if (hit) return hit;
  const seen = new Map<string, StraceEntry[]>();
  const out = new Map<StraceEntry, StraceEntry>();
  for (const e of model.entries) {
    const earlier = seen.get(e.nr) ?? [];
    const first = earlier.find(x => !mutuallyExclusive(x, e));
    if (first) out.set(e, first);
    seen.set(e.nr, [...earlier, e]);
  }
  shadowCache.set(model, out);
  return out;
}
