// duplicate-entry: one macro defined twice, or two syscall names at one number.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { finding, label, tableNumber } from '../../context';
import { kernelName, notASyscall } from '../../platforms';
import type { NrDefine } from '../../numbers';
import type { HeaderContext } from './numbers';

export const rule: Rule<HeaderContext> = {
  codes: ['duplicate-entry'],
  about:
    "A number header gives each syscall one number and each number one syscall. A macro defined twice (with the same value: C accepts it silently) is a dead line, reported with a fix that deletes the later copy. Two syscall names at one number, where the kernel has neither name elsewhere, means one of them is wrong and the table files index both wrappers at the same slot (the later row wins); where the kernel has one of the names at another number, `nr-mismatch` reports it instead. Aliases written as another `__NR_` name (arm's `__NR_sync_file_range2 __NR_arm_sync_file_range`) are not findings.",
  run(ctx) {
    const b = ctx.build;
    const out: Finding[] = [];
    const byMacro = new Map<string, NrDefine>();
    const byValue = new Map<number, NrDefine>();
    for (const d of b.numbers.defines) {
      if (notASyscall(d.macro) || d.alias || d.value === undefined) continue;
      const again = byMacro.get(d.macro);
      const other = byValue.get(d.value);
      if (d.file === ctx.file && again && again.value === d.value) {
        const line = d.define.line;
        out.push(
          finding(
            ctx.file,
            'duplicate-entry',
            'warning',
            d.define.ranges.line,
            `${label(b)}: ${d.macro} is defined again with the same value (${again.file === d.file ? `line ${again.define.line + 1}` : again.file}): this line does nothing`,
            {
              syscall: d.macro.slice(5),
              related: [
                { location: { file: again.file, range: again.define.ranges.line }, message: 'the first definition' },
              ],
              fixes: [
                {
                  title: 'Delete the repeated definition',
                  preferred: true,
                  edits: [
                    { range: { start: { line, character: 0 }, end: { line: line + 1, character: 0 } }, newText: '' },
                  ],
                },
              ],
            },
          ),
        );
      } else if (d.file === ctx.file && other && other.macro !== d.macro) {
        const names = [other, d].map(x => kernelName(x.macro.slice(5)));
        // The kernel's name at this number, or one of the two at another: numbers.ts says which.
        const n = tableNumber(b, d.value);
        const known = names.some(x => b.kernelByName.has(x)) || b.kernel.has(n);
        if (!known)
          out.push(
            finding(
              ctx.file,
              'duplicate-entry',
              'warning',
              d.define.ranges.value,
              `${label(b)}: ${d.macro} and ${other.macro} are both ${d.value}, and the kernel has neither: one of them is wrong`,
              {
                syscall: d.macro.slice(5),
                related: [
                  { location: { file: other.file, range: other.define.ranges.line }, message: `${other.macro}` },
                ],
              },
            ),
          );
      }
      if (!byMacro.has(d.macro)) byMacro.set(d.macro, d);
      if (!byValue.has(d.value)) byValue.set(d.value, d);
    }
    return out;
  },
};
