// The bsd-user syscall_nr.h rules, in the order their findings are listed.
import { Finding } from '../../../../core/types';
import { BsdNrContext } from './context';
import { rule as lines } from './lines';
import { rule as missing } from './missing';
import { rule as numbers } from './numbers';

export const RULES = [lines, numbers, missing];

export const bsdNrFindings = (ctx: BsdNrContext): Finding[] => RULES.flatMap(r => r.run(ctx));
