// The bsd-user strace.list rules, in the order their findings are listed.
import { Finding } from '../../../../core/types';
import { BsdStraceContext } from './context';
import { rule as formatArgs } from './formatArgs';
import { rule as lines } from './lines';
import { rule as names } from './names';
import { rule as notTraced } from './notTraced';
import { rule as shadowed } from './shadowed';

export const RULES = [lines, shadowed, names, formatArgs, notTraced];

export const bsdStraceFindings = (c: BsdStraceContext): Finding[] => RULES.flatMap(r => r.run(c));
