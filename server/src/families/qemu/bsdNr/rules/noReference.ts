// no-reference for bsd-user's tables: the file is recognised, but no FreeBSD reference is loaded.
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { noFreeBsd } from '../../../../reference/freebsd/card';

/** A bsd-user table (syscall_nr.h, strace.list, os-syscall.c) when no FreeBSD reference is loaded (neither the bundled catalogue nor `systab.freebsdPath` / `--freebsd DIR`): one information finding saying what is missing and how to supply it, so that silence never reads as "all is well". */
export const rule: Rule<{ file: string; what: string }> = {
  codes: ['no-reference'],
  about:
    'A bsd-user table (syscall_nr.h, strace.list, os-syscall.c) when no FreeBSD reference is loaded (neither the bundled catalogue nor `systab.freebsdPath` / `--freebsd DIR`): one information finding saying what is missing and how to supply it, so that silence never reads as "all is well".',
  run: (c): Finding[] => [noFreeBsd(c.file, c.what)],
};
