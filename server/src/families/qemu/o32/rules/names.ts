// name-mismatch: a row's name against the `.tbl` name at its number.
import { guestNumber, O32_ABI } from '../../../../reference/linux/abis';
import { notImplemented, SysEntry } from '../../../../reference/linux/need';
import type { Rule } from '../../../family';
import { Finding } from '../../../../core/types';
import { finding, O32Context, replace, tblLocation } from '../context';
import { base } from './missingEntry';
import { entriesByNumber, rowName } from '../fixes';

const strip = (s: string) => s.replace(/^(__sys_|sys32_|sys_32_|compat_sys_|sys_|sysm_)/, '').replace(/^mips_/, '');

/** MIPS_SYS rows name an entry point (`sys_exit`); accept any name the `.tbl` line implies. */
function sameSyscall(rowName: string, e: SysEntry, style: 'designated' | 'mips-sys'): boolean {
  if (style === 'designated') return rowName === e.name;
  if (notImplemented(e)) return rowName === 'sys_ni_syscall' || strip(rowName) === e.name;
  return [e.name, e.entry, e.compat].some(x => x && (x === rowName || strip(x) === strip(rowName)));
}

export function names(ctx: O32Context): Finding[] {
  const out: Finding[] = [];
  const byNr = entriesByNumber(ctx.tbl);
  const tblMax = ctx.tbl.entries.reduce((m, e) => Math.max(m, e.number), -1);
  const tblName = base(ctx.tbl.file);
  for (const row of ctx.table.rows) {
    if (!row.name || !row.name_) continue;
    const e = byNr.get(row.number);
    if (!e) {
      if (row.number > tblMax) {
        out.push(
          finding(
            ctx,
            'name-mismatch',
            'information',
            row.name_,
            `row ${row.number} (${row.name}) is past the last syscall in ${tblName} (${tblMax})`,
            { syscall: row.name },
          ),
        );
      }
      continue;
    }
    if (sameSyscall(row.name, e, ctx.table.style)) continue;
    const want = rowName(ctx, row.number, e);
    // A designated row's name is only a comment; a MIPS_SYS row's position is its number,
    // so a wrong name there can mean the rows below it are shifted.
    const severity = ctx.table.style === 'mips-sys' && !notImplemented(e) ? 'warning' : 'information';
    out.push(
      finding(
        ctx,
        'name-mismatch',
        severity,
        row.name_,
        `row ${row.number} (${guestNumber(O32_ABI, row.number)}) is named ${row.name}, but ${tblName} has ${e.name} at that number`,
        {
          syscall: e.name,
          related: [{ location: tblLocation(ctx.tbl, e), message: `${e.name} in ${tblName}` }],
          // A historical name in a comment (oldolduname where the .tbl says unused59) is the
          // user's to keep: offered, but fix-all renames only where the name can mean a shift.
          fixes: [
            { title: `Rename to ${want}`, preferred: severity === 'warning', edits: [replace(ctx, row.name_, want)] },
          ],
        },
      ),
    );
  }
  return out;
}

/** A row's name (its comment, or the entry point in `MIPS_SYS` rows) against the `.tbl` name at its number. In `MIPS_SYS` tables, numbered by position, a wrong name can mean every later row is shifted, so it is a warning there. */
export const rule: Rule<O32Context> = {
  codes: ['name-mismatch'],
  about:
    "A row's name (its comment, or the entry point in `MIPS_SYS` rows) against the `.tbl` name at its number. In `MIPS_SYS` tables, numbered by position, a wrong name can mean every later row is shifted, so it is a warning there.",
  run: names,
};
