// uml-stale: a `#define` in UML's table file for an entry no line of the host's `.tbl` uses,
// and an `extern syscall_handler_t sys_x;` in sysdep/syscalls_*.h that nothing UML builds defines.
import type { Rule } from '../../../family';
import { Finding, makeFinding } from '../../../../core/types';
import { wholeLineRange } from '../../../../core/text';
import type { LineMap } from '../../../../core/text';
import { UmlContext } from '../context';
import { UmlHeaderFile } from '../model';
import { umlBuilds } from '../tree';
import { canonicalEntry } from '../../../../reference/linux/entryNames';

export interface StaleContext {
  ctx: UmlContext;
  /** The document's line map, for the fix that deletes a whole line. */
  map: LineMap;
  header?: UmlHeaderFile;
}

const deleteLine = wholeLineRange;

function stale({ ctx, map, header }: StaleContext): Finding[] {
  const out: Finding[] = [];
  if (header) {
    for (const x of header.externs) {
      const defs = ctx.ref.definitions(x.name).filter(p => p.kind !== 'declaration');
      if (defs.some(p => umlBuilds(ctx.tree.build, p.file))) continue;
      const used = ctx.lines.some(l => l.symbol === x.name);
      out.push(
        makeFinding(
          header.file,
          'uml-stale',
          'warning',
          x.range,
          `${x.name} is declared for UML, but nothing UML builds defines it${defs.length ? ` (only ${defs.map(p => `${p.file}:${p.line + 1}`).join(', ')})` : ''}${used ? '' : `, and UML's table does not use it`}`,
          {
            fixes: used
              ? []
              : [
                  {
                    title: `Remove the declaration of ${x.name}`,
                    preferred: true,
                    edits: [{ range: deleteLine(map, x.line), newText: '' }],
                  },
                ],
            syscall: x.name.replace(/^sys_/, ''),
          },
        ),
      );
    }
    return out;
  }
  const entries = new Set<string>();
  for (const l of ctx.lines) {
    if (l.written) entries.add(l.written.replace(/\/.*$/, ''));
    for (const o of l.overrides) entries.add(o.from);
  }
  for (const o of ctx.file.overrides) {
    if (entries.has(o.from)) continue;
    out.push(
      makeFinding(
        ctx.file.file,
        'uml-stale',
        'warning',
        o.ranges.from,
        `no line of ${ctx.table.tbl} (${ctx.table.tags.join(', ')}) names ${o.from}: this override changes nothing`,
        {
          fixes: [
            {
              title: `Remove the override of ${o.from}`,
              preferred: true,
              edits: [{ range: deleteLine(map, o.line), newText: '' }],
            },
          ],
          syscall: canonicalEntry(o.from).replace(/^(compat_)?sys_/, ''),
        },
      ),
    );
  }
  return out;
}

/** A `#define` in UML's table file for an entry no line of the host `.tbl` it is built from names (the syscall was renamed or removed, so the override silently stopped working), and an `extern syscall_handler_t sys_x;` in `arch/x86/um/shared/sysdep/syscalls_*.h` for an entry nothing UML builds defines (6.12 still declares `sys_modify_ldt` after UML's ldt.c went). The fix removes the line, unless UML's table still names the entry. */
export const rule: Rule<StaleContext> = {
  codes: ['uml-stale'],
  about:
    "A `#define` in UML's table file for an entry no line of the host `.tbl` it is built from names (the syscall was renamed or removed, so the override silently stopped working), and an `extern syscall_handler_t sys_x;` in `arch/x86/um/shared/sysdep/syscalls_*.h` for an entry nothing UML builds defines (6.12 still declares `sys_modify_ldt` after UML's ldt.c went). The fix removes the line, unless UML's table still names the entry.",
  run: stale,
};
