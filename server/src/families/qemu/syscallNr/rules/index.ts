// The syscall_nr.h rules, in the order their findings are listed; headers syscallhdr.sh
// generates are not checked (they are regenerated from the .tbl).
import { Finding } from '../../../../core/types';
import type { Expected } from '../expected';
import { NrModel } from '../model';
import { rule as missing } from './missing';
import { NrContext, rule as numbers } from './numbers';
import { rule as duplicates } from './duplicates';

export { expectedForHeader } from '../expected';
export type { Expected, ExpectedEntry } from '../expected';

export const RULES = [numbers, duplicates, missing];

export function syscallNrFindings(
  file: string,
  model: NrModel,
  expected: Expected | undefined,
  extra: Pick<NrContext, 'syscallC' | 'guard' | 'siblings'> = {},
): Finding[] {
  return RULES.flatMap(r => r.run({ file, model, expected, ...extra }));
}
