// name-mismatch in bsd-user's strace.list: the row's macro and the name it prints differ.
import type { Rule } from '../../../family';
import { BsdStraceContext, find, retarget, shadowedByMacro } from './context';

function names(c: BsdStraceContext) {
  const out = [];
  // A row another row shadows cannot be renamed to suit itself: left to the user.
  const shadowed = shadowedByMacro(c);
  for (const e of c.model.entries) {
    if (e.string === e.name) continue;
    // FreeBSD names the POSIX timer syscalls ktimer_*; libc and the manual call them timer_*.
    const libc = e.name === `k${e.string}`;
    // The string names another syscall that has no row of its own: the macro is the slip
    // (extattr_get_link's row under extattr_get_file's number).
    const other = c.ref.defined(e.string);
    const useMacro = retarget(c, e) !== undefined;
    out.push(
      find(c.file, {
        range: e.ranges.string,
        severity: libc ? 'information' : 'warning',
        code: 'name-mismatch',
        syscall: e.name,
        message: libc
          ? `the row for ${e.nr} prints "${e.string}", the libc function's name; FreeBSD's syscall is ${e.name}`
          : `the row for ${e.nr} prints the name "${e.string}": -strace shows ${e.name} calls as ${e.string}${other ? `, another FreeBSD syscall (${other.number})${useMacro ? `, which has no row of its own: the row's number is likely the slip` : ''}` : ''}`,
        related: [{ location: { file: c.file, range: e.ranges.nr }, message: `the row's number: ${e.nr}` }],
        fixes: [
          ...(useMacro
            ? [
                {
                  title: `Use TARGET_FREEBSD_NR_${e.string}`,
                  preferred: true,
                  edits: [{ range: e.ranges.nr, newText: `TARGET_FREEBSD_NR_${e.string}` }],
                },
              ]
            : []),
          {
            title: `Print "${e.name}"`,
            preferred: !libc && !useMacro && !shadowed.has(e),
            edits: [{ range: e.ranges.string, newText: JSON.stringify(e.name) }],
          },
        ],
      }),
    );
  }
  return out;
}

/** A row's `TARGET_FREEBSD_NR_x` and the name it prints should be one syscall, or `-strace` shows one syscall as another (a warning). When the printed name is another FreeBSD syscall with no row of its own, the fix makes the row that syscall's (its number macro was the slip); else it prints the macro's name. A row that prints the libc name of a `ktimer_*` syscall is information, and its fix is left out of fix-all. */
export const rule: Rule<BsdStraceContext> = {
  codes: ['name-mismatch'],
  about:
    "A row's `TARGET_FREEBSD_NR_x` and the name it prints should be one syscall, or `-strace` shows one syscall as another (a warning). When the printed name is another FreeBSD syscall with no row of its own, the fix makes the row that syscall's (its number macro was the slip); else it prints the macro's name. A row that prints the libc name of a `ktimer_*` syscall is information, and its fix is left out of fix-all.",
  run: names,
};
