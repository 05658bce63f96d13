// dead-row in linux-user's strace.list: a row whose guard and number name a syscall no
// target's header defines, so no build compiles it.
import type { Rule } from '../../../family';
import { Finding, Fix, range, TextEdit } from '../../../../core/types';
import { StraceEntry, StraceListModel } from '../model';
import { collector, loc, StraceContext } from './context';
import { kernelHas, ownBlock, rowsPlan } from './rows';
import { caseLocation, StraceTree } from '../targets';

/**
 * The row made the row of `meant` in one edit set: its number, its printed name, and each
 * macro of its guard that names no defined syscall (the dead guard itself, or a misspelling
 * of it), so no name-mismatch is left for a second pass.
 */
function renameFix(e: StraceEntry, meant: string, tree: StraceTree): Fix {
  const edits: TextEdit[] = [{ range: e.ranges.name, newText: meant }];
  for (const m of e.guard?.macros ?? [])
    if (m.macro === e.nr || !tree.defines.has(m.macro.slice('TARGET_NR_'.length)))
      edits.push({
        range: {
          start: { ...m.range.start, character: m.range.start.character + 'TARGET_NR_'.length },
          end: m.range.end,
        },
        newText: meant,
      });
  if (e.string !== meant) edits.push({ range: e.ranges.string, newText: JSON.stringify(meant) });
  return { title: `Rename the row to ${meant}`, preferred: true, edits };
}

function deleteFix(model: StraceListModel, e: StraceEntry, preferred: boolean): Fix[] {
  // Only a block at the top level: deleting one nested in another row's block would change
  // that block, and its own finding's fix, in the same pass.
  const own = e.conditions.length === 1 ? ownBlock(model, e) : undefined;
  if (!own) return [];
  return [
    {
      title: `Delete the dead row for ${e.nr}`,
      preferred,
      edits: [{ range: range(own.start, 0, own.end, 0), newText: '' }],
    },
  ];
}

function deadRows({ file, model, ref, tree }: StraceContext): Finding[] {
  const { out, add } = collector(file);
  if (!tree || model.binary) return out;
  for (const { entry: e, meant } of rowsPlan(model, tree).dead) {
    const guarded = !!e.guard?.macros.some(m => m.macro === e.nr);
    const where = guarded
      ? `no target defines ${e.nr}, so the \`#ifdef\` around it is never true and no build compiles it`
      : `no target defines ${e.nr}: a build compiling it fails`;
    if (meant) {
      add({
        range: e.ranges.name,
        severity: 'warning',
        code: 'dead-row',
        syscall: e.name,
        message: `the row for ${e.nr} is dead: ${where}; it is spelt like ${meant}, which syscall.c dispatches and no row prints (-strace shows "Unknown syscall N" for it)`,
        related: [
          { location: caseLocation(tree, meant)!, message: `case TARGET_NR_${meant}: in syscall.c` },
          ...definesOf(tree, meant),
        ],
        fixes: [renameFix(e, meant, tree)],
      });
      continue;
    }
    const known = kernelHas(ref, e.name);
    add({
      range: e.guard && guarded ? e.guard.range : e.ranges.nr,
      severity: guarded ? 'information' : 'error',
      code: 'dead-row',
      syscall: e.name,
      message:
        `the row for ${e.nr} is dead: ${where}` +
        (known === 'implemented'
          ? `; the kernel has ${e.name} on an ABI no QEMU target of this tree uses, so the row waits for one`
          : known === 'reserved'
            ? `; the kernel only reserves ${e.name} (sys_ni_syscall), so the row can go`
            : `; the kernel has no syscall ${e.name} either, so the row can go`),
      related: e.guard && guarded ? [{ location: loc(file, e.ranges.nr), message: `the row's number: ${e.nr}` }] : [],
      fixes: deleteFix(model, e, guarded && known !== 'implemented'),
    });
  }
  return out;
}

function definesOf(tree: StraceTree, name: string) {
  const d = tree.defines.get(name) ?? [];
  return d.slice(0, 1).map(x => ({
    location: { file: x.file, range: range(x.line, 0, x.line, 0) },
    message: `TARGET_NR_${name} for ${x.target}`,
  }));
}

/** A row of `strace.list` whose `TARGET_NR_x` no linux-user target's header defines. Under its own `#ifdef TARGET_NR_x` it is compiled by no build: dead text (information); without that guard it breaks every build (error). When its name is a small misspelling of a syscall that a target defines, syscall.c dispatches and no row prints (QEMU 7.2's `sched_setatt` for `sched_setattr`), the row is that syscall's: a warning, fixed by renaming the guard, number and printed name. Otherwise the fix deletes the row with its `#ifdef`/`#endif`; fix-all does so only when the kernel has no syscall of that name on any ABI (a row for a syscall the kernel has may be waiting for a target). */
export const rule: Rule<StraceContext> = {
  codes: ['dead-row'],
  about:
    "A row of `strace.list` whose `TARGET_NR_x` no linux-user target's header defines. Under its own `#ifdef TARGET_NR_x` it is compiled by no build: dead text (information); without that guard it breaks every build (error). When its name is a small misspelling of a syscall that a target defines, syscall.c dispatches and no row prints (QEMU 7.2's `sched_setatt` for `sched_setattr`), the row is that syscall's: a warning, fixed by renaming the guard, number and printed name. Otherwise the fix deletes the row with its `#ifdef`/`#endif`; fix-all does so only when the kernel has no syscall of that name on any ABI (a row for a syscall the kernel has may be waiting for a target).",
  run: deadRows,
};
