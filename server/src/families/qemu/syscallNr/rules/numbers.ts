// nr-mismatch and name-mismatch in a hand-written syscall_nr.h: each define against the
// table it must follow.
import type { Rule } from '../../../family';
import { Finding, range } from '../../../../core/types';
import type { Expected, ExpectedEntry } from '../expected';
import { baseValue, NrDefine, NrModel, nrIndex } from '../model';

/** The value text that makes `d` evaluate to `n`, keeping a `(BASE + N)` form. */
function valueFor(d: NrDefine, n: number, model: NrModel): string {
  return baseValue(model, d.value, n) ?? (/^0[xX]/.test(d.value) ? `0x${n.toString(16)}` : String(n));
}

function numbers({ file, model, expected, syscallC }: NrContext): Finding[] {
  if (!expected || model.stub || model.binary) return [];
  const out: Finding[] = [];
  const { byName } = nrIndex(model);
  const kByName = new Map<string, ExpectedEntry>();
  const kByNumber = new Map<number, ExpectedEntry>();
  for (const k of expected.entries) {
    if (!kByName.has(k.name)) kByName.set(k.name, k);
    if (!kByNumber.has(k.number)) kByNumber.set(k.number, k);
  }
  const rel = (k: ExpectedEntry, message: string) => ({
    location: { file: k.file, range: range(k.line, 0, k.line, 0) },
    message,
  });
  const src = expected.source;
  for (const d of model.defines) {
    if (d.kind !== 'syscall' || d.number === undefined) continue;
    const k = kByName.get(d.name);
    if (k) {
      if (k.number === d.number) continue;
      const other = kByNumber.get(d.number);
      const value = valueFor(d, k.number, model);
      out.push({
        file,
        range: d.ranges.value,
        severity: 'error',
        code: 'nr-mismatch',
        syscall: d.name,
        message:
          `${d.macro} is ${d.number}, but ${d.name} is ${k.number} in ${src}` +
          (other ? `; ${d.number} is ${other.name} there, so a guest calling ${other.name} gets ${d.name}` : ''),
        related: [rel(k, `${d.name} is ${k.number}`), ...(other ? [rel(other, `${d.number} is ${other.name}`)] : [])],
        fixes: [
          {
            title: `Set ${d.macro} to ${k.number}`,
            preferred: true,
            edits: [{ range: d.ranges.value, newText: value }],
          },
        ],
      });
      continue;
    }
    const at = kByNumber.get(d.number);
    if (!at || at.name === d.name) continue; // a number the table does not have: arch-private or removed
    if (byName.has(at.name)) continue; // an alias QEMU keeps beside the kernel's name
    const dead = syscallC ? caseOf(syscallC, `${d.prefix}${at.name}`) : undefined;
    const own = syscallC ? caseOf(syscallC, d.macro) : undefined;
    const c = `\`case ${d.prefix}${at.name}:\``;
    const o = `\`case ${d.macro}:\``;
    const so = !syscallC
      ? `syscall.c runs its ${o} code for ${at.name} calls, and any ${c} in syscall.c never runs for this target`
      : own && dead
        ? `syscall.c's ${o} (line ${own.line + 1}) runs for ${at.name} calls, and its ${c} (line ${dead.line + 1}) never runs for this target`
        : own
          ? `syscall.c's ${o} (line ${own.line + 1}) runs for ${at.name} calls; it has no ${c}`
          : dead
            ? `syscall.c's ${c} (line ${dead.line + 1}) never runs for this target, and with no ${o} either, ${at.name} calls get ENOSYS`
            : `syscall.c has a case for neither name: ${at.name} calls get ENOSYS`;
    out.push({
      file,
      range: d.ranges.name,
      severity: 'warning',
      code: 'name-mismatch',
      syscall: d.name,
      message: `${d.macro} (${d.number}): ${src} has no ${d.name}; ${d.number} is ${at.name} there${at.note ? ` (${at.note})` : ''}, so ${so}`,
      related: [
        rel(at, `${d.number} is ${at.name}`),
        ...(dead && syscallC
          ? [
              {
                location: { file: syscallC.file, range: range(dead.line, 0, dead.line, dead.length) },
                message: `${c}: never reached`,
              },
            ]
          : []),
      ],
      fixes: [
        {
          title: `Rename to ${d.prefix}${at.name}`,
          preferred: true,
          edits: [{ range: d.ranges.name, newText: at.name }],
        },
      ],
    });
  }
  return out;
}

export type NrContext = {
  file: string;
  model: NrModel;
  expected?: Expected;
  /** The tree's linux-user/syscall.c, when the header is in a tree. */
  syscallC?: { file: string; text: string };
  /** An `#if` test for lines a fix adds for this build alone (a header that serves several ABIs). */
  guard?: string;
  /** Every build of a header several share (this one at `self`): what each must define and the names it compiles. */
  siblings?: { builds: { expected: Expected; names: Set<string> }[]; self: number };
};

/** The line of `case MACRO:` in syscall.c. */
export function caseOf(c: { text: string }, macro: string): { line: number; length: number } | undefined {
  const m = new RegExp(`^[ \\t]*case\\s+${macro}\\s*:.*$`, 'm').exec(c.text);
  if (!m) return undefined;
  let line = 0;
  for (let i = c.text.indexOf('\n'); i !== -1 && i < m.index; i = c.text.indexOf('\n', i + 1)) line++;
  return { line, length: m[0].length };
}

/** Each `TARGET_NR_x` of a hand-written header against the table it must follow: a name the table has at another number is an error (a guest's call lands on another syscall; the fix sets the number, keeping a `(BASE + N)` form); a name the table does not have, at a number where the table has another syscall, is a warning (syscall.c runs that case's code for the other syscall, and a `case` under the table's name is dead code; the fix renames the define). */
export const rule: Rule<NrContext> = {
  codes: ['nr-mismatch', 'name-mismatch'],
  about:
    "Each `TARGET_NR_x` of a hand-written header against the table it must follow: a name the table has at another number is an error (a guest's call lands on another syscall; the fix sets the number, keeping a `(BASE + N)` form); a name the table does not have, at a number where the table has another syscall, is a warning (syscall.c runs that case's code for the other syscall, and a `case` under the table's name is dead code; the fix renames the define).",
  run: numbers,
};
