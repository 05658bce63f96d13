// name-mismatch in strace.list: the `#ifdef` guard, the number and the printed name of a row disagree.
import type { Rule } from '../../../family';
import { Finding, Related } from '../../../../core/types';
import { StraceEntry, StraceListModel } from '../model';
import { Add, collector, loc, shadowedRows, StraceContext } from './context';
import { renamedRows } from './rows';
import type { StraceTree } from '../targets';

/**
 * Rows whose name fixes are offered but left out of fix-all: a guard shared by several rows,
 * a row another shadows, or a dead row that dead-row renames whole.
 */
function manualRows(model: StraceListModel, tree?: StraceTree): Set<StraceEntry> {
  const shadowed = shadowedRows(model);
  const renamed = renamedRows(model, tree);
  // A guard around several rows cannot be renamed to suit one of them.
  const rowsPerGuard = new Map<number, number>();
  for (const e of model.entries) if (e.guard) rowsPerGuard.set(e.guard.line, (rowsPerGuard.get(e.guard.line) ?? 0) + 1);
  return new Set(
    model.entries.filter(e => (rowsPerGuard.get(e.guard?.line ?? -1) ?? 0) > 1 || shadowed.has(e) || renamed.has(e)),
  );
}

function names({ file, model, tree }: StraceContext): Finding[] {
  const { out, add } = collector(file);
  const manual = manualRows(model, tree);
  for (const e of model.entries) rowNames(file, e, add, manual.has(e), tree);
  return out;
}

/**
 * The printed name each row will have after fix-all (only rows whose string fix-all
 * rewrites): what the duplicate rule compares a shadowed row with.
 */
export function fixedStrings({ model, tree }: StraceContext): Map<StraceEntry, string> {
  const manual = manualRows(model, tree);
  const out = new Map<StraceEntry, string>();
  for (const e of model.entries) {
    const guardOk = !e.guard || e.guard.macros.some(m => m.macro === e.nr);
    if (guardOk && e.string !== e.name && !manual.has(e)) out.set(e, e.name);
  }
  return out;
}

/**
 * name-mismatch: the `#ifdef` guard, the `TARGET_NR_` number and the printed string. With
 * `manual` (a guard shared by several rows, or a row another shadows) fixes are offered but
 * left out of fix-all.
 */
function rowNames(file: string, e: StraceEntry, add: Add, manual = false, tree?: StraceTree): void {
  const g = e.guard;
  const guardOk = !g || g.macros.some(m => m.macro === e.nr);
  const stringOk = e.string === e.name;
  if (guardOk && stringOk) return;
  const rowRel: Related = { location: loc(file, e.ranges.nr), message: `the row's number: ${e.nr}` };
  const strRel: Related = { location: loc(file, e.ranges.string), message: `the printed name: "${e.string}"` };
  const quote = (s: string) => JSON.stringify(s);
  if (!guardOk && stringOk) {
    add({
      range: g!.range,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.name,
      message: `the row for ${e.nr} is guarded by ${g!.macro}: it is compiled only where ${g!.name} exists, and breaks the build where ${e.name} does not`,
      related: [rowRel],
      // Guarding with a number no target defines makes the row dead (dead-row): offered only.
      fixes: [
        {
          title: `Guard with ${e.nr}`,
          preferred: !manual && (!tree || tree.defines.has(e.name)),
          edits: [{ range: g!.range, newText: e.nr }],
        },
      ],
    });
  } else if (!guardOk && g!.name === e.string) {
    add({
      range: e.ranges.nr,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.string,
      message: `the row is guarded by ${g!.macro} and prints "${e.string}", but its number is ${e.nr}: -strace shows ${e.name} calls as ${e.string}`,
      related: [{ location: loc(file, g!.range), message: `the guard: ${g!.macro}` }, strRel],
      // Renumbering makes the row another syscall's, whose format is then judged anew:
      // offered, but not applied by fix-all.
      fixes: [{ title: `Use ${g!.macro}`, preferred: false, edits: [{ range: e.ranges.nr, newText: g!.macro }] }],
    });
  } else if (guardOk) {
    add({
      range: e.ranges.string,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.name,
      message: `the row for ${e.nr} prints the name "${e.string}": -strace shows ${e.name} calls as ${e.string}`,
      related: [rowRel],
      fixes: [
        { title: `Print "${e.name}"`, preferred: !manual, edits: [{ range: e.ranges.string, newText: quote(e.name) }] },
      ],
    });
  } else {
    add({
      range: e.ranges.nr,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: e.name,
      message: `the row's guard (${g!.macro}), number (${e.nr}) and printed name ("${e.string}") name three different syscalls`,
      related: [{ location: loc(file, g!.range), message: `the guard: ${g!.macro}` }, strRel],
    });
  }
}

/** A row's `#ifdef TARGET_NR_x` guard, its `TARGET_NR_x` number and its printed name should name one syscall. A wrong guard compiles the row only where another syscall exists (and breaks the build where its own does not); a wrong number or string makes `-strace` show one syscall as another. Fixes rename the part that disagrees; a guard shared by several rows, or a row another shadows, is left to the user. */
export const rule: Rule<StraceContext> = {
  codes: ['name-mismatch'],
  about:
    "A row's `#ifdef TARGET_NR_x` guard, its `TARGET_NR_x` number and its printed name should name one syscall. A wrong guard compiles the row only where another syscall exists (and breaks the build where its own does not); a wrong number or string makes `-strace` show one syscall as another. Fixes rename the part that disagrees; a guard shared by several rows, or a row another shadows, is left to the user.",
  run: names,
};
