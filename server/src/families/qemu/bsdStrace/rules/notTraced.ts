// not-traced in bsd-user's strace.list: syscalls bsd-user's header defines with no row.
import type { Rule } from '../../../family';
import { Finding, range } from '../../../../core/types';
import { kindOf } from '../../../../reference/freebsd/master';
import { BsdStraceContext, find } from './context';

function notTraced(c: BsdStraceContext): Finding[] {
  if (!c.numbers.size || !c.model.entries.length) return [];
  const rows = new Set(c.model.entries.map(e => e.name));
  const sorted = [...c.model.entries].sort((a, b) => (a.name < b.name ? -1 : 1));
  const out: Finding[] = [];
  for (const [macro, n] of c.numbers) {
    const name = macro.replace(/^TARGET_FREEBSD_NR_/, '');
    if (name === 'MAXSYSCALL' || rows.has(name)) continue;
    const e = c.ref.defined(name)?.entry;
    if (!e || kindOf(e) !== 'live') continue;
    // Where the row would go: the file is in name order.
    const before = sorted.filter(r => r.name < name).pop() ?? sorted[0];
    out.push(
      find(c.file, {
        range: range(before.ranges.row.start.line, 0, before.ranges.row.start.line, 0),
        severity: 'information',
        code: 'not-traced',
        syscall: name,
        message: `${name} (${n}) has no row: -strace prints "Unknown syscall ${n}" for it, without its arguments, and no result`,
        related: c.header
          ? [{ location: { file: c.header, range: range(0, 0, 0, 0) }, message: `${macro} in syscall_nr.h` }]
          : [],
      }),
    );
  }
  return out;
}

/** Each live FreeBSD syscall bsd-user's syscall_nr.h defines that strace.list has no row for: `-strace` prints only `Unknown syscall N` for it (print_syscall() finds no row), and print_syscall_ret() prints no result. Information: a row is a convenience, not a correctness matter. */
export const rule: Rule<BsdStraceContext> = {
  codes: ['not-traced'],
  about:
    "Each live FreeBSD syscall bsd-user's syscall_nr.h defines that strace.list has no row for: `-strace` prints only `Unknown syscall N` for it (print_syscall() finds no row), and print_syscall_ret() prints no result. Information: a row is a convenience, not a correctness matter.",
  run: notTraced,
};
