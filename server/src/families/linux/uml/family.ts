// User-mode Linux's x86 syscall tables (arch/x86/um/sys_call_table_{32,64}.c and the entry
// points UML declares in arch/x86/um/shared/sysdep/syscalls_{32,64}.h): what UML makes of each
// line of the host's `.tbl` it is built from. `tblInfo.ts` says the same on the `.tbl` lines.
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { binaryProblem, contains, lineMap, looksBinary } from '../../../core/text';
import { makeFinding, range } from '../../../core/types';
import { Family } from '../../family';
import { notChecked } from '../../notChecked';
import { UmlContext, umlContext } from './context';
import { parseUmlHeader, UML_TABLES, umlFileOf, UmlHeaderFile } from './model';
import { rule as stale } from './rules/stale';
import { rule as table } from './rules/table';
import { UmlLine } from './lines';

export interface UmlModel {
  ctx?: UmlContext;
  role: 'table' | 'header';
  header?: UmlHeaderFile;
}

const STATUS: Record<UmlLine['status'], string> = {
  generic: 'generic code',
  uml: "UML's own code",
  overridden: 'overridden (ENOSYS)',
  enosys: 'ENOSYS (nothing UML builds defines it)',
  'not-implemented': 'not implemented on x86 either',
  unlinkable: 'cannot be linked',
};

export const umlFamily: Family<UmlModel> = {
  id: 'linux/uml',
  title: "User-mode Linux's x86 syscall tables (arch/x86/um)",
  documents: UML_TABLES.flatMap(t => [{ pattern: `**/${t.table}` }, { pattern: `**/${t.header}` }]),
  claims: file => !!umlFileOf(file),
  locate(dir: string, io: Reader) {
    const out: string[] = [];
    for (const t of UML_TABLES)
      for (const rel of [t.table, t.header]) {
        // From the kernel root, or from the folder the file is in.
        for (const base of [
          dir,
          ...(dir.replace(/\\/g, '/').endsWith(path.posix.dirname(rel))
            ? [dir.slice(0, dir.length - path.posix.dirname(rel).length)]
            : []),
        ]) {
          const full = path.join(base, rel);
          if (io.list(path.dirname(full)).includes(path.basename(full)) && !out.includes(full)) out.push(full);
        }
      }
    return out;
  },
  analyze(doc, ws) {
    const where = umlFileOf(doc.file)!;
    if (looksBinary(doc.text)) {
      const p = binaryProblem("UML's syscall table");
      return {
        model: { role: where.role },
        findings: [makeFinding(doc.file, 'malformed-line', 'error', p.range, p.message)],
      };
    }
    const ctx = umlContext(where.root, where.table, ws, where.role === 'table' ? { tableText: doc.text } : {});
    if (typeof ctx === 'string') return { model: { role: where.role }, findings: [notChecked(doc.file, ctx)] };
    const map = lineMap(doc.text);
    if (where.role === 'header') {
      const header = parseUmlHeader(doc.file, doc.text);
      return { model: { ctx, role: 'header', header }, findings: stale.run({ ctx, map, header }) };
    }
    return { model: { ctx, role: 'table' }, findings: [...table.run(ctx), ...stale.run({ ctx, map })] };
  },
  hover(m, pos) {
    const ctx = m.ctx;
    if (!ctx) return undefined;
    if (m.header) {
      const x = m.header.externs.find(e => contains(e.range, pos));
      if (!x) return undefined;
      const defs = ctx.ref.definitions(x.name).filter(p => p.kind !== 'declaration');
      const list = defs.map(p => `- \`${p.file}:${p.line + 1}\``).join('\n');
      return {
        markdown: `**${x.name}**\n\n${list ? `Defined at:\n${list}` : 'Defined nowhere in the tree.'}`,
        range: x.range,
      };
    }
    const o = ctx.file.overrides.find(x => x.line === pos.line);
    if (o) {
      const hits = ctx.lines.filter(l => l.overrides.includes(o));
      const rows = hits
        .map(l => `- ${l.entry.number} ${l.entry.name} (${ctx.table.tbl}:${l.entry.line + 1})`)
        .join('\n');
      return {
        markdown: `**#define ${o.from} ${o.to}**${o.why ? ` — ${o.why}` : ''}\n\n${rows ? `Lines of the host's table it changes:\n${rows}` : `No line of ${ctx.table.tbl} names \`${o.from}\`.`}`,
        range: o.ranges.line,
      };
    }
    const inc = ctx.file.includes.find(i => i.line === pos.line);
    if (!inc) return undefined;
    const count = new Map<string, number>();
    for (const l of ctx.lines) count.set(l.status, (count.get(l.status) ?? 0) + 1);
    const rows = [...count].map(([s, n]) => `| ${STATUS[s as UmlLine['status']]} | ${n} |`);
    const odd = ctx.lines.filter(l => l.status === 'enosys' || l.status === 'unlinkable' || l.status === 'overridden');
    return {
      markdown: [
        `**UML's ${ctx.table.bits}-bit table**: ${ctx.lines.length} lines of ${ctx.table.tbl} (${ctx.table.tags.join(', ')})`,
        '',
        '| what UML links | lines |',
        '|---|---|',
        ...rows,
        ...(odd.length ? ['', ...odd.map(l => `- ${l.entry.number} ${l.entry.name}: ${l.why}`)] : []),
      ].join('\n'),
      range: inc.range,
    };
  },
  definition(m, pos) {
    const ctx = m.ctx;
    const o = ctx?.file.overrides.find(x => x.line === pos.line);
    if (!ctx || !o) return [];
    return ctx.lines
      .filter(l => l.overrides.includes(o))
      .map(l => ({ file: ctx.abs(ctx.table.tbl), range: range(l.entry.line, 0, l.entry.line, 0) }));
  },
  rules: [table, stale],
};
