// syscall-bound: the tests that choose between the table (or the private calls) and ENOSYS.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import { at, CpuLoopContext, edit, finding, hex, kernelLine } from '../context';
import { TABLE, typeBytes } from '../model';

function mipsBounds(ctx: CpuLoopContext): Finding[] {
  const m = ctx.model.mips;
  if (!m) return [];
  const out: Finding[] = [];
  const bytes = typeBytes(m.type);
  for (const b of m.bounds) {
    if (b.size === 'bytes' && bytes !== undefined && bytes > 1) {
      out.push(
        finding(
          ctx,
          'syscall-bound',
          'error',
          b.size_,
          `the bound compares the syscall number with sizeof(${TABLE}), its size in bytes (${bytes} per \`${m.type}\`), not its ${m.rows?.rows.length ?? ''}${m.rows ? ' ' : ''}elements: numbers past the last row read ${TABLE} beyond its end instead of answering ENOSYS`,
          {
            fixes: [
              {
                title: `Compare with ARRAY_SIZE(${TABLE})`,
                preferred: true,
                edits: [edit(ctx, b.size_, `ARRAY_SIZE(${TABLE})`)],
              },
            ],
          },
        ),
      );
    }
    // `n > size` lets n == size through: one element past the end.
    if (b.op === '>' || b.op === '<=') {
      const fixed = b.op === '>' ? '>=' : '<';
      const written = ctx.model.map.text.slice(b.op_.start, b.op_.end);
      const flip = written !== b.op;
      out.push(
        finding(
          ctx,
          'syscall-bound',
          'error',
          b.op_,
          `the bound lets the number equal to the table's size through (\`${ctx.model.map.text.slice(b.span.start, b.span.end)}\`): that number reads one element past the end of ${TABLE}`,
          {
            fixes: [
              {
                title: `Use ${flip ? { '>=': '<=', '<': '>' }[fixed] : fixed}`,
                preferred: true,
                edits: [edit(ctx, b.op_, flip ? { '>=': '<=', '<': '>' }[fixed]! : fixed)],
              },
            ],
          },
        ),
      );
    }
  }
  if (m.reads.length && !m.bounds.length) {
    out.push(
      finding(
        ctx,
        'syscall-bound',
        'warning',
        m.reads[0],
        `${TABLE} is indexed with no comparison against its size: a syscall number past the last row reads beyond the table instead of answering ENOSYS`,
      ),
    );
  }
  return out;
}

function armBounds(ctx: CpuLoopContext): Finding[] {
  const a = ctx.model.arm;
  const k = ctx.arm;
  if (!a || !k) return [];
  const out: Finding[] = [];
  if (k.entry && a.op !== k.entry.op) {
    const zero = k.traps?.cases.find(c => c.offset === 0);
    const text = ctx.model.map.text.slice(a.test.start, a.test.end);
    out.push(
      finding(
        ctx,
        'syscall-bound',
        'warning',
        a.op_,
        a.op === '>'
          ? `\`${text}\` leaves ARM_NR_BASE itself (${hex(k.unistd?.base ?? 0xf0000)}) to do_syscall(), which has no such syscall and answers -ENOSYS; the kernel sends every number from __ARM_NR_BASE up to arm_syscall() (\`${k.entry.op}\`, ${at(k.entry.file, k.entry.line)})${zero ? `, whose case 0 (${zero.note ?? 'offset 0'}) ${zero.signals.length ? `raises ${zero.signals.join(', ')}` : `returns ${zero.returns.join(', ')}`}` : ''}`
          : `\`${text}\` sends ARM_NR_BASE itself to the private calls; the kernel's entry tests \`${k.entry.op}\` (${at(k.entry.file, k.entry.line)})`,
        {
          related: [
            {
              location: kernelLine(ctx, k.entry.file, k.entry.line),
              message: `the kernel's bound: ${k.entry.op} __ARM_NR_BASE`,
            },
            ...(zero && k.traps
              ? [{ location: kernelLine(ctx, k.traps.file, zero.line), message: `arm_syscall(): case 0` }]
              : []),
          ],
          fixes: [{ title: `Use ${k.entry.op}`, preferred: true, edits: [edit(ctx, a.op_, k.entry.op)] }],
        },
      ),
    );
  }
  const t = k.traps;
  if (t?.enosysMax !== undefined && a.enosysMax !== undefined && a.enosysMax !== t.enosysMax && a.enosys_) {
    const base = k.unistd?.base ?? 0xf0000;
    const qemu =
      a.enosysMax === Infinity
        ? 'every private number without a case gets -ENOSYS'
        : `private numbers up to ${hex(base + a.enosysMax)} get -ENOSYS${a.sigill ? ', later ones SIGILL' : ''}`;
    out.push(
      finding(
        ctx,
        'syscall-bound',
        'warning',
        a.enosys_,
        `${qemu}; the kernel answers -ENOSYS for ${hex(base)}-${hex(base + t.enosysMax)} only and raises ${t.fallback?.signal ?? 'a signal'} past it (${at(t.file, t.enosysLine ?? t.line)})`,
        {
          related: [
            {
              location: kernelLine(ctx, t.file, t.enosysLine ?? t.line),
              message: `arm_syscall(): (no & 0xffff) <= ${hex(t.enosysMax)} returns -ENOSYS`,
            },
          ],
        },
      ),
    );
  }
  return out;
}

/** The bounds before a table or the private calls. MIPS: the number must be compared with the table's element count (`ARRAY_SIZE`), not `sizeof` in bytes where an element is wider than a byte, and with `>=` (a `>` lets the number equal to the size read past the end); a table read with no bound at all is reported. ARM: the test that sends a number to the private calls must be the kernel's (`>=` __ARM_NR_BASE in entry-common.S), and the range answered -ENOSYS must be arm_syscall()'s (0xf0000-0xf07ff; SIGILL past it). */
export const rule: Rule<CpuLoopContext> = {
  codes: ['syscall-bound'],
  about:
    "The bounds before a table or the private calls. MIPS: the number must be compared with the table's element count (`ARRAY_SIZE`), not `sizeof` in bytes where an element is wider than a byte, and with `>=` (a `>` lets the number equal to the size read past the end); a table read with no bound at all is reported. ARM: the test that sends a number to the private calls must be the kernel's (`>=` __ARM_NR_BASE in entry-common.S), and the range answered -ENOSYS must be arm_syscall()'s (0xf0000-0xf07ff; SIGILL past it).",
  run: ctx => [...mipsBounds(ctx), ...armBounds(ctx)],
};
