// not-traced in linux-user's strace.list: a syscall some target defines and syscall.c
// dispatches, with no row, which -strace prints as "Unknown syscall N".
import * as path from 'path';
import type { Rule } from '../../../family';
import { Finding, Related, range } from '../../../../core/types';
import { collector, StraceContext } from './context';
import { insertRow, insertionLine, missingRange, rowsPlan } from './rows';
import { topLevelLines } from '../../../../syntax/c/preprocessor';
import { caseLocation } from '../targets';

/** The targets as a short list: all of them up to six, else the first five and a count. */
export function targetList(targets: string[]): string {
  return targets.length <= 6 ? targets.join(', ') : `${targets.slice(0, 5).join(', ')} and ${targets.length - 5} more`;
}

function notTraced({ file, model, tree }: StraceContext): Finding[] {
  const { out, add } = collector(file);
  if (!tree || model.binary) return out;
  const plan = rowsPlan(model, tree);
  if (!plan.missing.length) return out;
  // A row added inside an open comment or `#if` would not be read: no fix there.
  const topLevel = topLevelLines(model.map.text);
  for (const name of plan.missing) {
    const where = tree.defines.get(name)!;
    const caseAt = caseLocation(tree, name)!;
    // One related line per table file (targets sharing a .tbl share its line).
    const byFile = new Map<string, { line: number; targets: string[] }>();
    for (const d of where) {
      const k = `${d.file}:${d.line}`;
      const x = byFile.get(k) ?? { line: d.line, targets: [] };
      x.targets.push(d.target);
      byFile.set(k, x);
    }
    const related: Related[] = [
      { location: caseAt, message: `case TARGET_NR_${name}: in syscall.c` },
      ...[...byFile].map(([k, x]) => ({
        location: { file: k.slice(0, k.lastIndexOf(':')), range: range(x.line, 0, x.line, 0) },
        message: `TARGET_NR_${name} for ${targetList(x.targets)} (${path.basename(k.slice(0, k.lastIndexOf(':')))})`,
      })),
    ];
    add({
      range: missingRange(model, name),
      severity: 'information',
      code: 'not-traced',
      syscall: name,
      message: `${name} has no row: syscall.c dispatches it (line ${caseAt.range.start.line + 1}) for ${targetList(where.map(d => d.target))}, and -strace prints it as "Unknown syscall N", without its arguments or result`,
      related,
      fixes: topLevel[Math.min(insertionLine(model, name), topLevel.length - 1)]
        ? [{ title: `Add a row for ${name}`, preferred: true, edits: [insertRow(model, name)] }]
        : [],
    });
  }
  return out;
}

/** Each syscall that some linux-user target's header defines (its `.tbl` as `syscallhdr.sh` writes it, or its hand-written `syscall_nr.h`) and that `syscall.c` dispatches (`case TARGET_NR_x:`), but that `strace.list` has no row for: print_syscall() finds no row, so `-strace` prints `Unknown syscall N` with no arguments, and no result. Information, on the line where the row would go; the fix inserts `#ifdef TARGET_NR_x` / `{ TARGET_NR_x, "x" , NULL, NULL, NULL },` / `#endif` there, in the spacing the file's plain rows use and in its (case- and underscore-blind) alphabetical order, so -strace prints the name and the raw result. A syscall a dead row is a misspelling of is fixed by renaming that row instead (dead-row). */
export const rule: Rule<StraceContext> = {
  codes: ['not-traced'],
  about:
    'Each syscall that some linux-user target\'s header defines (its `.tbl` as `syscallhdr.sh` writes it, or its hand-written `syscall_nr.h`) and that `syscall.c` dispatches (`case TARGET_NR_x:`), but that `strace.list` has no row for: print_syscall() finds no row, so `-strace` prints `Unknown syscall N` with no arguments, and no result. Information, on the line where the row would go; the fix inserts `#ifdef TARGET_NR_x` / `{ TARGET_NR_x, "x" , NULL, NULL, NULL },` / `#endif` there, in the spacing the file\'s plain rows use and in its (case- and underscore-blind) alphabetical order, so -strace prints the name and the raw result. A syscall a dead row is a misspelling of is fixed by renaming that row instead (dead-row).',
  run: notTraced,
};
