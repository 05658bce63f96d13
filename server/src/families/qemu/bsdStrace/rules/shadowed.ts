// duplicate-entry in bsd-user's strace.list: print_syscall() stops at the first row whose
// number matches, so a later row on the same number (by the same macro, or another macro
// with the same value) is never used.
import type { Rule } from '../../../family';
import { range } from '../../../../core/types';
import type { StraceEntry } from '../../straceList/model';
import { BsdStraceContext, find, rowNumber, shadowedByMacro } from './context';

function shadowed(c: BsdStraceContext) {
  const first = new Map<number, StraceEntry>();
  // Whether a row stays dead once the names rule's retargets are applied.
  const after = shadowedByMacro(c);
  const out = [];
  for (const e of c.model.entries) {
    const n = rowNumber(c, e);
    if (n === undefined) continue;
    const f = first.get(n);
    if (!f) {
      first.set(n, e);
      continue;
    }
    const same = f.nr === e.nr;
    const deletable = !e.conditions.length && e.ranges.row.start.line === e.ranges.row.end.line;
    out.push(
      find(c.file, {
        range: e.ranges.nr,
        severity: 'warning',
        code: 'duplicate-entry',
        syscall: e.name,
        message: same
          ? `${e.nr} has a second row (the first is on line ${f.line + 1}): print_syscall() uses the first row for a number, so this one is never used`
          : `${e.nr} is ${n}, the number of ${f.nr} (line ${f.line + 1}): print_syscall() stops at that earlier row, so -strace prints ${e.name} calls as "${f.string}" and this row is never used`,
        related: [{ location: { file: c.file, range: f.ranges.row }, message: `the row used for ${n}` }],
        fixes:
          same && deletable
            ? [
                {
                  title: `Delete this unused row for ${e.nr}`,
                  // A row printing another name is the names rule's to retarget, not to delete.
                  preferred: e.string === e.name && after.has(e),
                  edits: [{ range: range(e.line, 0, e.line + 1, 0), newText: '' }],
                },
              ]
            : [],
      }),
    );
  }
  return out;
}

/** print_syscall() walks `freebsd_scnames[]` and stops at the first row whose number matches, so a later row on the same number is dead: the same macro twice, or a macro with the same value as an earlier one (as the syscall_nr.h beside the file defines them), which makes `-strace` show the later syscall under the earlier one's name. Deleting a repeat of the same macro changes nothing at run time, so fix-all does it (when the row is one line outside any `#if` and prints the macro's own name: a row that prints another syscall's name is usually that syscall's row under a mistyped macro, which the names rule retargets); a repeat by another macro is left to the user. */
export const rule: Rule<BsdStraceContext> = {
  codes: ['duplicate-entry'],
  about:
    "print_syscall() walks `freebsd_scnames[]` and stops at the first row whose number matches, so a later row on the same number is dead: the same macro twice, or a macro with the same value as an earlier one (as the syscall_nr.h beside the file defines them), which makes `-strace` show the later syscall under the earlier one's name. Deleting a repeat of the same macro changes nothing at run time, so fix-all does it (when the row is one line outside any `#if` and prints the macro's own name: a row that prints another syscall's name is usually that syscall's row under a mistyped macro, which the names rule retargets); a repeat by another macro is left to the user.",
  run: shadowed,
};
