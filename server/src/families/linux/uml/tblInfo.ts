// What UML makes of the lines of the x86 `.tbl` it is built from, for the kernel's `.tbl`
// family (handed to it by the registry): findings on the lines UML leaves ENOSYS or cannot
// link, and a line for each entry's hover. Only in a tree with arch/x86/um and its own catalogue.
import { Finding, makeFinding } from '../../../core/types';
import type { TblLineInfo } from '../tbl/family';
import { UmlContext, umlContext } from './context';
import { umlTableOfTbl } from './model';
import { tblRelated } from './rules/table';
import type { TblEntry, TblModel } from '../../../reference/linux/tbl';
import type { Workspace } from '../../family';

// One context per analysed model: the findings and every hover on the same text share it.
const contexts = new WeakMap<TblModel, { kernel: Workspace['kernel']; ctx?: UmlContext }>();

function contextOf(model: TblModel, ws: Workspace): UmlContext | undefined {
  const hit = contexts.get(model);
  if (hit && hit.kernel === ws.kernel) return hit.ctx;
  const t = umlTableOfTbl(model.file);
  const made = t && umlContext(t.root, t.table, ws, { tbl: model });
  const ctx = typeof made === 'object' ? made : undefined;
  contexts.set(model, { kernel: ws.kernel, ctx });
  return ctx;
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
      out.push(
        makeFinding(
          model.file,
          code,
          code === 'uml-unlinkable' ? 'error' : 'information',
          e.ranges.entry ?? e.ranges.line,
          `${e.number} ${e.name} under UML (${ctx.table.table}): ${l.why}`,
          { related: evidence, syscall: e.name },
        ),
      );
    }
    return out;
  },
  hover(model, e, ws) {
    const ctx = contextOf(model, ws);
    const l = ctx?.lines.find(x => x.entry.line === e.line);
    return ctx && l ? ['', `**User-mode Linux** (${ctx.table.table}): ${l.why}.`] : [];
  },
};
