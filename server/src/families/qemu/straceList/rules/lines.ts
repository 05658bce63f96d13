// malformed-line in strace.list: rows the parser cannot read.
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { collector, StraceContext } from './context';

function unreadable({ file, model }: StraceContext): Finding[] {
  const { out, add } = collector(file);
  for (const p of model.problems)
    add({ range: p.range, severity: 'error', code: 'malformed-line', message: p.message });
  return out;
}

/** A row of `linux-user/strace.list` that is not `{ TARGET_NR_x, "name", format, print, result }` (a missing field, an unterminated string, binary junk) is an error: the file is compiled into QEMU, so it breaks the build or, worse, shifts the fields of the rows after it. */
export const rule: Rule<StraceContext> = {
  codes: ['malformed-line'],
  about:
    'A row of `linux-user/strace.list` that is not `{ TARGET_NR_x, "name", format, print, result }` (a missing field, an unterminated string, binary junk) is an error: the file is compiled into QEMU, so it breaks the build or, worse, shifts the fields of the rows after it.',
  run: unreadable,
};
