// duplicate-entry in a hand-written syscall_nr.h: two syscall names at one number in one build.
import type { Rule } from '../../../family';
import { Finding, range } from '../../../../core/types';
import { NrDefine } from '../model';
import type { NrContext } from './numbers';

/** True when `a` is written as the other (`#define TARGET_NR_x TARGET_NR_y`): an alias on purpose. */
const aliases = (a: NrDefine, b: NrDefine) =>
  new RegExp(`\\b${b.macro}\\b`).test(a.value) || new RegExp(`\\b${a.macro}\\b`).test(b.value);

function duplicates({ file, model, expected }: NrContext): Finding[] {
  if (!expected || model.stub || model.binary) return [];
  const kNumber = new Map<string, number>();
  const kNames = new Map<number, string[]>();
  for (const k of expected.entries) {
    if (!kNumber.has(k.name)) kNumber.set(k.name, k.number);
    kNames.set(k.number, [...(kNames.get(k.number) ?? []), k.name]);
  }
  const out: Finding[] = [];
  const first = new Map<number, NrDefine>();
  for (const d of model.defines) {
    if (d.kind !== 'syscall' || d.number === undefined) continue;
    const a = first.get(d.number);
    if (!a) {
      first.set(d.number, d);
      continue;
    }
    if (a.name === d.name || aliases(a, d)) continue;
    // A name the kernel numbers elsewhere is nr-mismatch's; names the kernel keeps together are its aliases.
    const elsewhere = (x: NrDefine) => kNumber.has(x.name) && kNumber.get(x.name) !== x.number;
    if (elsewhere(a) || elsewhere(d)) continue;
    const here = kNames.get(d.number) ?? [];
    if (here.includes(a.name) && here.includes(d.name)) continue;
    const kernel = here[0];
    const stale = here.includes(a.name) ? d : here.includes(d.name) ? a : undefined;
    const k = kernel ? expected.entries.find(e => e.number === d.number && e.name === kernel) : undefined;
    const next = stale ? stale.line + 1 : 0;
    out.push({
      file,
      range: d.ranges.name,
      severity: 'warning',
      code: 'duplicate-entry',
      syscall: d.name,
      message:
        `${d.macro} and ${a.macro} (line ${a.line + 1}) are both ${d.number}` +
        (kernel ? `; ${expected.source} has ${kernel} there` : `; ${expected.source} has no syscall there`) +
        `: syscall.c cannot have a \`case\` for both (a duplicate case value), so one of them is never dispatched`,
      related: [
        { location: { file, range: a.ranges.name }, message: `${a.macro} is ${d.number} too` },
        ...(k
          ? [{ location: { file: k.file, range: range(k.line, 0, k.line, 0) }, message: `${k.number} is ${k.name}` }]
          : []),
      ],
      fixes: stale
        ? [
            {
              title: `Remove ${stale.macro}`,
              preferred: true,
              edits: [{ range: range(stale.line, 0, next, 0), newText: '' }],
            },
          ]
        : [],
    });
  }
  // A name the kernel lacks at a number where it has a syscall this header puts elsewhere: once
  // nr-mismatch's fix moves that syscall here, they are two names at one number.
  const byName = new Map(model.defines.filter(d => d.kind === 'syscall').map(d => [d.name, d] as const));
  for (const x of model.defines) {
    if (x.kind !== 'syscall' || x.number === undefined || kNumber.has(x.name)) continue;
    const k = expected.entries.find(e => e.number === x.number);
    const kd = k && byName.get(k.name);
    if (!k || !kd || kd.number === undefined || kd.number === x.number) continue;
    out.push({
      file,
      range: x.ranges.name,
      severity: 'warning',
      code: 'duplicate-entry',
      syscall: x.name,
      message:
        `${x.macro} is ${x.number}, where ${expected.source} has ${k.name}, which this header defines as ${kd.number} ` +
        `(line ${kd.line + 1}): once ${kd.macro} is ${x.number}, the two are one number and syscall.c cannot have a \`case\` for both`,
      related: [
        { location: { file, range: kd.ranges.value }, message: `${kd.macro} is ${kd.number}` },
        { location: { file: k.file, range: range(k.line, 0, k.line, 0) }, message: `${k.number} is ${k.name}` },
      ],
      fixes: [
        {
          title: `Remove ${x.macro}`,
          preferred: true,
          edits: [{ range: range(x.line, 0, x.line + 1, 0), newText: '' }],
        },
      ],
    });
  }
  return out;
}

/** Two syscall names at one number in one build of a header, unless one is written as the other (`#define TARGET_NR_x TARGET_NR_y`, an alias on purpose) or the kernel keeps both there: syscall.c cannot have a `case` for both, so one is never dispatched. Also a name the kernel lacks at a number where the kernel has a syscall the header defines at another number (fixing that number would make the two collide). The fix removes the name the kernel does not have at that number. */
export const rule: Rule<NrContext> = {
  codes: ['duplicate-entry'],
  about:
    'Two syscall names at one number in one build of a header, unless one is written as the other (`#define TARGET_NR_x TARGET_NR_y`, an alias on purpose) or the kernel keeps both there: syscall.c cannot have a `case` for both, so one is never dispatched. Also a name the kernel lacks at a number where the kernel has a syscall the header defines at another number (fixing that number would make the two collide). The fix removes the name the kernel does not have at that number.',
  run: duplicates,
};
