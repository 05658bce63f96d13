// malformed-line in bsd-user's syscall_nr.h: defines the header reader cannot evaluate.
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import type { BsdNrModel } from '../model';

export const unreadable = (file: string, model: BsdNrModel): Finding[] =>
  model.problems.map(p => ({
    file,
    range: p.range,
    severity: 'error' as const,
    code: 'malformed-line' as const,
    message: p.message,
    related: [],
    fixes: [],
  }));

/** A line of bsd-user's syscall_nr.h that is not a define of a number (a value that is no integer, a define without a value, an `#if` never closed, binary junk) is an error: every C file of bsd-user includes the header, so it breaks the build or gives a syscall no number. */
export const rule: Rule<{ file: string; model: BsdNrModel }> = {
  codes: ['malformed-line'],
  about:
    "A line of bsd-user's syscall_nr.h that is not a define of a number (a value that is no integer, a define without a value, an `#if` never closed, binary junk) is an error: every C file of bsd-user includes the header, so it breaks the build or gives a syscall no number.",
  run: c => unreadable(c.file, c.model),
};
