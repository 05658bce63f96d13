// malformed-line and duplicate-entry on a `.tbl`: lines that cannot be read, and a
// number given twice for one ABI.
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { TblEntry, TblModel } from '../../../../reference/linux/tbl';

function lines(model: TblModel): Finding[] {
  const out: Finding[] = [];
  const f = (
    code: Finding['code'],
    severity: Finding['severity'],
    r: Finding['range'],
    message: string,
    extra: Partial<Finding> = {},
  ): Finding => ({ file: model.file, range: r, severity, code, message, related: [], fixes: [], ...extra });
  for (const p of model.problems) out.push(f('malformed-line', 'error', p.range, p.message));
  const seen = new Map<string, TblEntry>();
  for (const e of model.entries) {
    const key = `${e.number}/${e.abi}`;
    const first = seen.get(key);
    if (first) {
      out.push(
        f(
          'duplicate-entry',
          'error',
          e.ranges.number,
          `number ${e.number} (${e.abi}) is used twice: ${first.name} on line ${first.line + 1} and ${e.name} here`,
          {
            syscall: e.name,
            related: [
              {
                location: { file: model.file, range: first.ranges.line },
                message: `${first.name} also has ${e.number}`,
              },
            ],
          },
        ),
      );
    } else seen.set(key, e);
  }
  return out;
}

/** A line of a `.tbl` that is not `<number> <abi> <name> [<entry> [<compat>]]` (binary junk, a missing field, a bad number) is an error: the kernel's and QEMU's generators would stop on it or skip it. A number used twice for one ABI makes the generated headers define one syscall at another's number. */
export const rule: Rule<TblModel> = {
  codes: ['malformed-line', 'duplicate-entry'],
  about:
    "A line of a `.tbl` that is not `<number> <abi> <name> [<entry> [<compat>]]` (binary junk, a missing field, a bad number) is an error: the kernel's and QEMU's generators would stop on it or skip it. A number used twice for one ABI makes the generated headers define one syscall at another's number.",
  run: lines,
};
