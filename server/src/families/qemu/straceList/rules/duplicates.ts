// duplicate-entry in strace.list: a second row for one syscall that compiles with the first.
import type { Rule } from '../../../family';
import { Finding, Fix, range } from '../../../../core/types';
import { StraceEntry, StraceListModel } from '../model';
import { collector, loc, shadowedRows, StraceContext } from './context';
import { fixedFormats } from './formatArgs';
import { fixedStrings } from './names';
import { ownBlock, renamedRows } from './rows';

function duplicates(ctx: StraceContext): Finding[] {
  const { file, model } = ctx;
  const { out, add } = collector(file);
  // The first row as fix-all leaves it: a dead row that says what the fixed first row says
  // is deleted in the same pass, not in a second one.
  const formats = fixedFormats(ctx),
    strings = fixedStrings(ctx);
  const fixedFirst = (f: StraceEntry) => ({
    format: formats.get(f) ?? f.format?.text ?? null,
    string: strings.get(f) ?? f.string,
  });
  // A dead row that dead-row renames into a missing syscall's row is that fix's, not a duplicate to delete.
  const renamed = renamedRows(model, ctx.tree);
  for (const [e, first] of shadowedRows(model)) {
    add({
      range: e.ranges.nr,
      severity: 'error',
      code: 'duplicate-entry',
      syscall: e.name,
      message: `${e.nr} has a second row (the first is on line ${first.line + 1}): print_syscall() and print_syscall_ret() use the first row for a number, so this one is never used`,
      related: [{ location: loc(file, first.ranges.row), message: `first row for ${e.nr}` }],
      fixes: deleteRow(model, e, first, fixedFirst(first), renamed.has(e)),
    });
  }
  return out;
}

/**
 * Deleting a duplicate changes nothing at run time (the first row wins): offered when the
 * row sits alone in its own `#ifdef`/`#endif` (both go with it), preferred when the row
 * says nothing the first one does not.
 */
function deleteRow(
  model: StraceListModel,
  e: StraceEntry,
  first: StraceEntry,
  fixed: { format: string | null; string: string },
  renamed: boolean,
): Fix[] {
  const own = ownBlock(model, e);
  if (!own) return [];
  const same = (a: unknown, b: unknown) => a === null || JSON.stringify(a) === JSON.stringify(b);
  const adds =
    !same(e.format?.text ?? null, fixed.format) ||
    !same(e.print, first.print) ||
    !same(e.result, first.result) ||
    e.string !== fixed.string;
  return [
    {
      title: `Delete this unused row for ${e.nr}`,
      preferred: !adds && !renamed,
      edits: [{ range: range(own.start, 0, own.end, 0), newText: '' }],
    },
  ];
}

/** print_syscall() and print_syscall_ret() take the first row for a number, so a later row for the same syscall that can be compiled with it (not in a mutually exclusive `#if` branch) is dead code. Deleting it changes nothing at run time: the fix is offered when the row sits alone in its own `#ifdef`, and applied by fix-all only when it says nothing the first row does not (the first row as fix-all leaves it, after its own name and format fixes). */
export const rule: Rule<StraceContext> = {
  codes: ['duplicate-entry'],
  about:
    'print_syscall() and print_syscall_ret() take the first row for a number, so a later row for the same syscall that can be compiled with it (not in a mutually exclusive `#if` branch) is dead code. Deleting it changes nothing at run time: the fix is offered when the row sits alone in its own `#ifdef`, and applied by fix-all only when it says nothing the first row does not (the first row as fix-all leaves it, after its own name and format fixes).',
  run: duplicates,
};
