// What UML makes of the lines of the x86 `.tbl` it is built from, for the kernel's `.tbl`
// family (handed to it by the registry): findings on the lines UML leaves ENOSYS or cannot
// link, and a line for each entry's hover. Only in a tree with arch/x86/um and its own catalogue.
import { Finding } from '../../../core/types';
import type { TblLineInfo } from '../tbl/family';
import { umlContext } from './context';
import { umlTableOfTbl } from './model';
import { tblRelated } from './rules/table';
import type { TblEntry, TblModel } from '../../../reference/linux/tbl';
import type { Workspace } from '../../family';

function contextOf(model: TblModel, ws: Workspace) {
  const t = umlTableOfTbl(model.file);
  const ctx = t && umlContext(t.root, t.table, ws, { tbl: model });
  return typeof ctx === 'object' ? ctx : undefined;
}

export const umlTblInfo: TblLineInfo = {
  findings(model, ws) {
    const ctx = contextOf(model, ws);
    if (!ctx) return [];
    const out: Finding[] = [];
    for (const l of ctx.lines) {
      const code =
        l.status === 'enosys'
          ? 'uml-enosys'
          : l.status === 'unlinkable'
            ? 'uml-unlinkable'
            : l.status === 'overridden'
              ? 'uml-override'
              : undefined;
      if (!code) continue;
      const e = l.entry as TblEntry;
      const [, ...evidence] = tblRelated(ctx, l);
      const o = l.overrides[0];
      if (o)
        evidence.unshift({
          location: { file: ctx.file.file, range: o.ranges.line },
          message: `#define ${o.from} ${o.to}`,
        });
      out.push({
        file: model.file,
        range: e.ranges.entry ?? e.ranges.line,
        severity: code === 'uml-unlinkable' ? 'error' : 'information',
        code,
        message: `${e.number} ${e.name} under UML (${ctx.table.table}): ${l.why}`,
        related: evidence,
        fixes: [],
        syscall: e.name,
      });
    }
    return out;
  },
  hover(model, e, ws) {
    const ctx = contextOf(model, ws);
    const l = ctx?.lines.find(x => x.entry.line === e.line);
    return ctx && l ? ['', `**User-mode Linux** (${ctx.table.table}): ${l.why}.`] : [];
  },
};
