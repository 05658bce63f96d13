// malformed-line in bsd-user's strace.list.
import type { Rule } from '../../../family';
import { find, BsdStraceContext } from './context';

/** A row of `bsd-user/freebsd/strace.list` that is not `{ TARGET_FREEBSD_NR_x, "name", format, print, result }` (a missing field, an unterminated string, binary junk) is an error: strace.c includes the file in `freebsd_scnames[]`, so it breaks the build or shifts the fields of the rows after it. */
export const rule: Rule<BsdStraceContext> = {
  codes: ['malformed-line'],
  about:
    'A row of `bsd-user/freebsd/strace.list` that is not `{ TARGET_FREEBSD_NR_x, "name", format, print, result }` (a missing field, an unterminated string, binary junk) is an error: strace.c includes the file in `freebsd_scnames[]`, so it breaks the build or shifts the fields of the rows after it.',
  run: c =>
    c.model.problems.map(p =>
      find(c.file, { range: p.range, severity: 'error', code: 'malformed-line', message: p.message }),
    ),
};
