// The strace.list rules, in the order their findings are listed.
import { Finding } from '../../../../core/types';
import type { KernelReference } from '../../../../reference/reference';
import { StraceListModel } from '../model';
import { rule as duplicates } from './duplicates';
import { rule as formatArgs } from './formatArgs';
import { rule as lines } from './lines';
import { rule as names } from './names';
import { rule as notTraced } from './notTraced';
import { rule as deadRows } from './deadRows';
import type { StraceTree } from '../targets';

export const RULES = [lines, duplicates, names, formatArgs, deadRows, notTraced];

export function straceFindings(
  file: string,
  model: StraceListModel,
  ref: KernelReference | undefined,
  tree?: StraceTree,
): Finding[] {
  return RULES.flatMap(r => r.run({ file, model, ref, tree }));
}
