// tbl-drift: a copy of a kernel `.tbl` (QEMU's `linux-user/<dir>/`, perf's `tools/perf/arch/`)
// against the table it mirrors: lines added, removed or changed, each with the edit that
// brings it back in step.
import type { Rule } from '../../../family';
import type { KernelReference, TableEntry } from '../../../../reference/reference';
import { lineText, wholeLineRange } from '../../../../core/text';
import { TblEntry, TblModel } from '../../../../reference/linux/tbl';
import { canonicalPair } from '../../../../reference/linux/entryNames';
import { Finding, Fix, range, TextEdit } from '../../../../core/types';

/** Where each field starts (tab-expanded column) on a line, and whether tabs or spaces lead to it. */
function layoutOf(model: TblModel, e: TblEntry): { cols: number[]; tabs: boolean[] } {
  const line = lineText(model.map, e.line);
  const ranges = [e.ranges.number, e.ranges.abi, e.ranges.name, e.ranges.entry, e.ranges.compat].filter(
    (r): r is NonNullable<typeof r> => !!r,
  );
  return {
    cols: ranges.map(r => visual(line.slice(0, r.start.character))),
    tabs: ranges.map((r, i) => i > 0 && line.slice(ranges[i - 1].end.character, r.start.character).includes('\t')),
  };
}

const visual = (s: string) => {
  let c = 0;
  for (const ch of s) c = ch === '\t' ? (c + 8) & ~7 : c + 1;
  return c;
};

const fieldCount = (e: TblEntry) => 3 + (e.entry ? 1 : 0) + (e.compat ? 1 : 0);

/**
 * A `.tbl` line for `k` in the layout of the lines around it: the same columns, reached with
 * tabs or spaces as the neighbouring line reaches them (s390's `134  common` pads with spaces).
 */
export function renderTblLine(
  model: TblModel,
  k: Pick<TableEntry, 'number' | 'abi' | 'name' | 'entry' | 'compat'>,
  near?: TblEntry,
): string {
  // A compat entry point without a native one keeps its column with the kernel's `-`.
  const fields = [String(k.number), k.abi, k.name, k.entry ?? (k.compat ? '-' : undefined), k.compat].filter(
    (x): x is string => !!x,
  );
  // The nearest line with as many fields, else the nearest at all.
  const at = near?.line ?? model.entries[model.entries.length - 1]?.line ?? 0;
  const byDistance = [...model.entries].sort(
    (a, b) => Math.abs(a.line - at) - Math.abs(b.line - at) || b.line - a.line,
  );
  const tpl = byDistance.find(e => fieldCount(e) >= fields.length) ?? byDistance[0];
  const { cols, tabs } = tpl ? layoutOf(model, tpl) : { cols: [], tabs: [] };
  let out = '';
  let col = 0;
  fields.forEach((field, i) => {
    if (i > 0) {
      const want = cols[i] ?? cols[cols.length - 1] ?? 0;
      const useTabs = tabs[i] ?? tabs[tabs.length - 1] ?? true;
      // Counting the column as we go (not re-measuring); at least one separator.
      if (useTabs) {
        do {
          out += '\t';
          col = (col + 8) & ~7;
        } while (col < want);
      } else {
        const n = Math.max(1, want - col);
        out += ' '.repeat(n);
        col += n;
      }
    }
    out += field;
    col += field.length;
  });
  return out;
}

/** The table a copy is compared with: its lines, the file they are in, and its name in messages. */
export interface TblOriginal {
  entries: readonly TableEntry[];
  file: string;
  /** `the kernel's arch/x86/entry/syscalls/syscall_64.tbl`. */
  label: string;
}

/** The kernel reference's table at `rel` as an original. */
export const referenceOriginal = (ref: KernelReference, rel: string): TblOriginal | undefined => {
  const entries = ref.table(rel);
  return entries && { entries, file: ref.fileOf(rel), label: `the kernel's ${rel}` };
};

function drift(model: TblModel, original: TblOriginal): Finding[] {
  const out: Finding[] = [];
  const kernel = original.entries;
  const kfile = original.file;
  const kloc = (k: TableEntry) => ({ file: kfile, range: range(k.line, 0, k.line, 0) });
  const key = (e: { number: number; abi: string }) => `${e.number}/${e.abi}`;
  const mine = new Map(model.entries.map(e => [key(e), e] as const));
  const theirs = new Map(kernel.map(k => [key(k), k] as const));
  const order = new Map(kernel.map((k, i) => [key(k), i] as const));
  const nl = model.map.text.includes('\r\n') ? '\r\n' : '\n';
  const lineSpan = (e: TblEntry): TextEdit['range'] => e.ranges.line;
  const wholeLine = (e: TblEntry) => wholeLineRange(model.map, e.line);
  const kbase = original.label;
  const f = (
    r: Finding['range'],
    message: string,
    fix: Fix,
    related: Finding['related'],
    syscall: string,
  ): Finding => ({
    file: model.file,
    range: r,
    severity: 'warning',
    code: 'tbl-drift',
    message,
    related,
    fixes: [fix],
    syscall,
  });

  // Lines the copy lacks, grouped by where they go: a long run is one finding, not hundreds.
  const additions = new Map<number, TableEntry[]>();
  for (const k of kernel) {
    const e = mine.get(key(k));
    if (!e) {
      // After the line that stays (one the kernel has too) that comes before it in the kernel's
      // order, so 179's `spu` line goes after its `32` and `64` ones: lines that go are deleted whole.
      const prev = model.entries.filter(x => theirs.has(key(x)) && order.get(key(x))! < order.get(key(k))!).pop();
      const at = prev ? prev.line : -1;
      additions.set(at, [...(additions.get(at) ?? []), k]);
      continue;
    }
    const diffs: string[] = [];
    if (e.name !== k.name) diffs.push(`name ${e.name} -> ${k.name}`);
    // Compared as the SYSCALL_DEFINEs they name: a copy of a 5.0 table spells `__x64_sys_read`
    // what 6.12 spells `sys_read`, and that is no drift.
    const mineC = canonicalPair(e.entry, e.compat);
    const theirsC = canonicalPair(k.entry, k.compat);
    if ((mineC.entry ?? '') !== (theirsC.entry ?? ''))
      diffs.push(`entry point ${e.entry ?? '(none)'} -> ${k.entry ?? '(none)'}`);
    if ((mineC.compat ?? '') !== (theirsC.compat ?? ''))
      diffs.push(`compat entry point ${e.compat ?? '(none)'} -> ${k.compat ?? '(none)'}`);
    if (diffs.length) {
      out.push(
        f(
          lineSpan(e),
          `${e.number} ${e.name} differs from ${kbase}: ${diffs.join(', ')}`,
          {
            title: `Update ${e.number} ${e.name} from the kernel`,
            preferred: true,
            edits: [{ range: lineSpan(e), newText: renderTblLine(model, k, e) }],
          },
          [{ location: kloc(k), message: `${k.name} in ${kbase}` }],
          e.name,
        ),
      );
    }
  }
  for (const [line, ks] of additions) {
    const prev = line >= 0 ? model.entries.find(x => x.line === line) : undefined;
    // With nothing before them, they go above the first line that stays (below any header).
    const firstKept = model.entries.find(x => theirs.has(key(x)));
    const at = prev ? prev.ranges.line.end : { line: firstKept?.line ?? 0, character: 0 };
    const anchor = prev ? prev.ranges.line : range(0, 0, 0, 0);
    const text = ks.map(k => renderTblLine(model, k, prev ?? firstKept)).join(nl);
    const edit = { range: { start: at, end: at }, newText: prev ? nl + text : text + nl, order: ks[0].number };
    const related = ks.slice(0, 20).map(k => ({ location: kloc(k), message: `${k.number} ${k.name} in ${kbase}` }));
    const message =
      ks.length <= 3
        ? ks.map(k => `${k.number} ${k.name} (${k.abi})`).join(', ') +
          ` ${ks.length === 1 ? 'is' : 'are'} in ${kbase} but not in this copy`
        : `${ks.length} syscalls of ${kbase} are not in this copy: ${ks[0].number} ${ks[0].name} to ${ks[ks.length - 1].number} ${ks[ks.length - 1].name}`;
    const title =
      ks.length === 1
        ? `Add ${ks[0].number} ${ks[0].name} from the kernel`
        : `Add ${ks.length} lines from the kernel (${ks[0].number}-${ks[ks.length - 1].number})`;
    out.push(f(anchor, message, { title, preferred: true, edits: [edit] }, related, ks[0].name));
  }
  for (const e of model.entries) {
    if (theirs.has(key(e))) continue;
    out.push(
      f(
        e.ranges.line,
        `${e.number} ${e.name} (${e.abi}) is not in ${kbase}`,
        {
          title: `Remove ${e.number} ${e.name} (not in the kernel)`,
          preferred: true,
          edits: [{ range: wholeLine(e), newText: '' }],
        },
        [],
        e.name,
      ),
    );
  }
  return out;
}

export const rule: Rule<{ model: TblModel; original?: TblOriginal }> = {
  codes: ['tbl-drift'],
  about:
    "Where the table is a copy of a kernel table (QEMU's `linux-user/<dir>/syscall*.tbl` against the kernel's; perf's `tools/perf/arch/<arch>/entry/syscalls/*.tbl` against the original in the same tree), every line the original has and the copy lacks, every line the copy has and the original does not, and every line whose name or entry points differ. Entry points are compared as the SYSCALL_DEFINE they name, so another era's spelling (`__x64_sys_read`, `sys_clone/ptregs`, `stub_fork`, an i386 compat column that repeats the native entry) is no drift. Fixes insert, delete or rewrite lines aligned to the copy's own columns; a long run of missing lines is one finding with one edit.",
  run: ({ model, original }) => (original ? drift(model, original) : []),
};
