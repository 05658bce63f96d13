// unused-marker-undefined: the marker is defined where the table uses it.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { UNUSED_MARKER } from '../../o32/table';
import { markerDefineAt } from '../../o32/fixes';
import { CpuLoopContext, finding } from '../context';
import { TABLE } from '../model';

export function markerDefined(ctx: CpuLoopContext): Finding[] {
  const m = ctx.model.mips;
  if (!m || m.marker || (!m.usesMarker && !m.markerTests.length)) return [];
  const text = ctx.model.map.text;
  const lineStart = text.lastIndexOf('\n', m.decl.start - 1) + 1;
  const where = m.usesMarker
    ? m.rowsFile
      ? `the rows it includes (${m.rowsFile.split(/[\\/]/).pop()}) use ${UNUSED_MARKER}`
      : `its rows use ${UNUSED_MARKER}`
    : `the dispatch compares entries with ${UNUSED_MARKER}`;
  return [
    finding(
      ctx,
      'unused-marker-undefined',
      'error',
      m.decl.start === m.decl.end
        ? m.decl
        : { start: m.decl.start, end: Math.min(m.decl.end, text.indexOf('\n', m.decl.start)) },
      `${TABLE} is declared with no #define of ${UNUSED_MARKER} before it, but ${where}: the file does not compile (or takes a definition from elsewhere that need not be -1)`,
      {
        fixes: [
          {
            title: `Define ${UNUSED_MARKER} as -1 before the table`,
            preferred: true,
            // The same edit o32's fixes make when they write the marker: fix-all applies it once.
            edits: [markerDefineAt(text, lineStart, ctx.model.map)],
          },
        ],
      },
    ),
  ];
}

/** The unused marker must be defined before the table whose rows (in the file, or in the `.inc` it includes) or whose dispatch test use it. The fix inserts `#define MIPS_SYSCALL_NUMBER_UNUSED -1` before the table in the file's style. */
export const rule: Rule<CpuLoopContext> = {
  codes: ['unused-marker-undefined'],
  about:
    "The unused marker must be defined before the table whose rows (in the file, or in the `.inc` it includes) or whose dispatch test use it. The fix inserts `#define MIPS_SYSCALL_NUMBER_UNUSED -1` before the table in the file's style.",
  run: markerDefined,
};
