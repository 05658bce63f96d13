// strace's syscall tables (`src/linux/<arch>/syscallent*.h` and the shared pieces they
// include), each personality's build compared with the kernel's table and prototypes for
// its ABI. Which files make which ABI: personalities.ts.
import * as path from 'path';
import { contains } from '../../../core/text';
import { Finding, Location, Position } from '../../../core/types';
import type { Reader } from '../../../core/reader';
import { needOn, sideSections } from '../../../reference/linux/need';
import { implemented } from '../../../reference/linux/tbl';
import { protoLocation } from '../../../reference/reference';
import { Family, Hover } from '../../family';
import { notChecked, SUPPLY_KERNEL } from '../../notChecked';
import { kernelNumber, registerNumber, StraceContext, tblLocation } from './context';
import { cachedBuildTable, looksLikeSyscallent, Row } from './model';
import { KNOWN_FILES, PERSONALITIES, personalitiesOf } from './personalities';
import { rule as argCount } from './rules/argCount';
import { rule as missing } from './rules/missing';
import { rule as numbers } from './rules/numbers';
import { rule as overridden } from './rules/overridden';

export interface StraceModel {
  contexts: StraceContext[];
}

const RULES = [numbers, argCount, missing, overridden];

const FILE_RE = /[\\/]linux[\\/][^\\/]+[\\/](syscallent[\w-]*|subcallent)\.h$/;

/** The `HAVE_ARCH_*`/`ARCH_WANT_*` numeric defines of an arch's arch_defs_.h. */
function archDefines(linuxDir: string, arch: string, ws: Reader): Record<string, string> {
  const text = ws.read(path.join(linuxDir, arch, 'arch_defs_.h')) ?? '';
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^\s*#\s*define\s+((?:HAVE_ARCH|ARCH_WANT)_\w+)\s+(\d+)\s*$/gm)) out[m[1]] = m[2];
  return out;
}

function rowAt(m: StraceModel, pos: Position): { ctx: StraceContext; row: Row } | undefined {
  for (const ctx of m.contexts)
    for (const row of ctx.build.rows)
      if (row.file === ctx.file && row.name !== undefined && contains(row.ranges.row, pos)) return { ctx, row };
  return undefined;
}

export const syscallentFamily: Family<StraceModel> = {
  id: 'strace/syscallent',
  title: "strace's syscallent tables (src/linux/<arch>/syscallent*.h)",
  documents: [{ pattern: '**/linux/*/syscallent*.h', language: 'c' }],
  claims: (file, text) => FILE_RE.test(file) && looksLikeSyscallent(text),
  locate(dir: string, io: Reader) {
    for (const linux of [path.join(dir, 'src', 'linux'), path.join(dir, 'linux'), dir]) {
      const found = KNOWN_FILES.map(rel => path.join(linux, rel)).filter(f => io.read(f) !== undefined);
      if (found.length) return found;
    }
    return [];
  },
  analyze(doc, ws) {
    const linuxDir = path.dirname(path.dirname(doc.file));
    const dir = path.basename(path.dirname(doc.file));
    const ps = personalitiesOf(dir);
    if (!ps.length)
      return {
        findings: [
          notChecked(
            doc.file,
            `strace's ${dir} tables are not checked yet: systab checks the personalities of ${Object.keys(PERSONALITIES).join(', ')}`,
          ),
        ],
      };
    const ref = ws.kernel;
    if (!ref) return { findings: [notChecked(doc.file, `nothing to compare this table with: ${SUPPLY_KERNEL}`)] };
    const read = (f: string) => (f === doc.file ? doc.text : ws.read(f));
    const contexts: StraceContext[] = [];
    const findings: Finding[] = [];
    const noTable: string[] = [];
    const seen = new Set<string>();
    const push = (f: Finding) => {
      const key = `${f.code}|${f.range.start.line}:${f.range.start.character}|${f.message}`;
      if (!seen.has(key)) (seen.add(key), findings.push(f));
    };
    for (const p of ps) {
      const top = path.join(linuxDir, p.top);
      const arch = p.top.split('/')[0];
      if (read(top) === undefined) continue;
      const build = cachedBuildTable(top, {
        linuxDir,
        arch,
        defines: { ...archDefines(linuxDir, arch, ws), ...p.defines },
        read,
      });
      if (!build.files.includes(doc.file)) continue;
      for (const pr of build.problems)
        if (pr.file === doc.file)
          push({
            file: doc.file,
            range: pr.range,
            severity: 'error',
            code: 'malformed-line',
            message: pr.message,
            related: [],
            fixes: [],
          });
      const entries = ref.entries(p.abi);
      if (!entries) {
        noTable.push(`${p.abi.id} (${p.abi.table})`);
        continue;
      }
      const kernel = new Map(entries.map(e => [e.number, e] as const));
      const kernelByName = new Map(entries.map(e => [e.name, e] as const));
      const ctx: StraceContext = { file: doc.file, personality: p, build, ref, kernel, kernelByName };
      contexts.push(ctx);
      for (const r of RULES) for (const f of r.run(ctx)) push(f);
    }
    if (noTable.length)
      push(
        notChecked(
          doc.file,
          `${ref.label} has no table for ${noTable.join(', ')}` +
            (noTable.some(t => t.includes('scripts/syscall.tbl'))
              ? ' (the generic table came with Linux 6.11; older trees define it in include/uapi/asm-generic/unistd.h)'
              : '') +
            '; point systab.kernelPath or --kernel at a tree that has it, or leave it unset to use the bundled catalogue',
        ),
      );
    return { model: { contexts }, findings };
  },
  hover(m, pos): Hover | undefined {
    const hit = rowAt(m, pos);
    if (!hit) return undefined;
    const out: string[] = [];
    for (const ctx of m.contexts) {
      const row = ctx.build.rows.find(r => r === hit.row);
      if (!row) continue;
      const abi = ctx.personality.abi;
      const n = kernelNumber(ctx, row);
      const k = n === undefined ? undefined : ctx.kernel.get(n);
      if (n === undefined) {
        out.push(`**${row.name}** — strace-internal index ${row.index} on ${abi.id}, not a kernel number`);
        continue;
      }
      if (!k) {
        out.push(
          `**${row.name}** — ${abi.id} ${registerNumber(ctx, n)}: ${ctx.ref.label} has no syscall at this number`,
        );
        continue;
      }
      out.push(
        `**${k.name}** — ${abi.id} syscall ${registerNumber(ctx, n)}; entry point \`${k.entry ?? '-'}\`${k.compat && abi.compat ? `, compat \`${k.compat}\`` : ''}`,
      );
      if (!implemented(k.entry)) {
        out.push('', 'Not implemented by the kernel: calls return ENOSYS.');
        continue;
      }
      const need = needOn(k, ctx.ref, abi);
      out.push(
        '',
        `${need.count === undefined ? 'No C prototype found: the count cannot be checked' : `**${need.count} argument word${need.count === 1 ? '' : 's'} on ${abi.id}**`}; this row says \`${row.nargsText}\`.`,
      );
      out.push(...sideSections(need, abi.words));
      out.push('');
    }
    return out.length ? { markdown: out.join('\n').trim(), range: hit.row.ranges.row } : undefined;
  },
  definition(m, pos): Location[] {
    const hit = rowAt(m, pos);
    if (!hit) return [];
    const out: Location[] = [];
    for (const ctx of m.contexts) {
      const n = kernelNumber(ctx, hit.row);
      const k = n === undefined ? undefined : ctx.kernel.get(n);
      if (!k) continue;
      out.push(tblLocation(ctx, k));
      if (!ctx.ref.root) continue;
      for (const e of [k.entry, ctx.personality.abi.compat ? k.compat : undefined]) {
        const p = implemented(e) ? ctx.ref.prototype(e!, ctx.personality.abi.arch) : undefined;
        if (p) out.push(protoLocation(ctx.ref, p));
      }
    }
    const key = (l: Location) => `${l.file}:${l.range.start.line}`;
    return out.filter((l, i) => out.findIndex(x => key(x) === key(l)) === i);
  },
  rules: RULES,
};
