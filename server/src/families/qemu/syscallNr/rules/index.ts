// The syscall_nr.h rules, in the order their findings are listed; headers syscallhdr.sh
// generates are not checked (they are regenerated from the .tbl).
import { Finding } from '../../../../core/types';
import type { Expected } from '../expected';
import { NrModel } from '../model';
import { rule as missing } from './missing';
import { rule as numbers } from './numbers';

export { expectedForHeader } from '../expected';
export type { Expected, ExpectedEntry } from '../expected';

export const RULES = [numbers, missing];

export function syscallNrFindings(file: string, model: NrModel, expected: Expected | undefined): Finding[] {
  return RULES.flatMap(r => r.run({ file, model, expected }));
}
