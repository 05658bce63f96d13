// private-syscall-missing and private-syscall-return: QEMU's switch on ARM's private
// syscalls against arm_syscall()'s cases in the kernel.
import type { Rule } from '../../../family';
import type { Finding } from '../../../../core/types';
import type { ArmPrivate, ArmSyscallCase } from '../../../../reference/linux/armPrivate';
import { at, CpuLoopContext, finding, hex, kernelLine } from '../context';
import type { ArmLoop } from '../model';

export interface KernelCall {
  offset: number;
  /** `usr26`, or undefined for a bare `case 0`. */
  name?: string;
  kase: ArmSyscallCase;
  define?: { line: number };
}

/** arm_syscall()'s cases with their offsets (NR(x) resolved through the unistd.h defines). */
export function kernelCalls(k: ArmPrivate): KernelCall[] {
  const out: KernelCall[] = [];
  for (const c of k.traps?.cases ?? []) {
    const d = c.name ? k.unistd?.calls.find(x => x.name === c.name) : undefined;
    const offset = c.offset ?? d?.offset;
    if (offset !== undefined) out.push({ offset, name: c.name, kase: c, define: d });
  }
  return out;
}

/** What the kernel does for a case, in words. */
export function kernelOutcome(k: ArmPrivate, c: ArmSyscallCase): string {
  const sig = k.traps?.fallback?.signal ?? 'SIGILL';
  const ret = (r: string) => (r.replace(/\s/g, '') === 'regs->ARM_r0' ? 'returns with r0 unchanged' : `returns ${r}`);
  if (c.signals.length) return `raises ${c.signals.join(', ')}`;
  const parts: string[] = [];
  for (const b of c.breaks) parts.push(b ? `raises ${sig} when ${b}` : `raises ${sig}`);
  if (!c.breaks.includes('') && c.returns.length)
    parts.push(`${parts.length ? 'otherwise ' : ''}${c.returns.map(ret).join(' or ')}`);
  return parts.join(', ');
}

/** What QEMU does with a private offset its switch has no case for. */
function qemuOutcome(a: ArmLoop, offset: number, sig: string): string {
  if (offset === 0 && a.op === '>')
    return 'goes to do_syscall() (the test is `> ARM_NR_BASE`), which has no such syscall: -ENOSYS';
  if (a.enosysMax !== undefined && offset <= a.enosysMax) return 'gets -ENOSYS from the default';
  if (a.sigill) return `gets ${sig} from the default`;
  return 'gets whatever the default does';
}

const nameOf = (c: KernelCall) => (c.name ? `__ARM_NR_${c.name}` : `__ARM_NR_BASE + ${c.offset}`);

export function privateCalls(ctx: CpuLoopContext): Finding[] {
  const a = ctx.model.arm;
  const k = ctx.arm;
  if (!a || !k?.traps) return [];
  const t = k.traps;
  const base = k.unistd?.base ?? 0xf0000;
  const out: Finding[] = [];
  const calls = kernelCalls(k);
  const byOffset = new Map(calls.map(c => [c.offset, c] as const));
  const caseOffset = (label: string, offset: number | undefined) =>
    offset ?? calls.find(c => c.name && label === `ARM_NR_${c.name}`)?.offset;
  const handled = new Set(a.cases.map(c => caseOffset(c.label, c.offset)).filter((x): x is number => x !== undefined));
  for (const c of calls) {
    if (handled.has(c.offset)) continue;
    const related = [
      { location: kernelLine(ctx, t.file, c.kase.line), message: `arm_syscall(): ${kernelOutcome(k, c.kase)}` },
    ];
    if (c.define && k.unistd)
      related.push({
        location: kernelLine(ctx, k.unistd.file, c.define.line),
        message: `${nameOf(c)} = __ARM_NR_BASE + ${c.offset}`,
      });
    // QEMU's case of that name at another number (target_syscall.h): the label is where to say so.
    const misnumbered = c.name
      ? a.cases.find(q => q.label === `ARM_NR_${c.name}` && q.offset !== undefined)
      : undefined;
    const where = misnumbered
      ? `: \`case ${misnumbered.label}:\` is ${hex(base + misnumbered.offset!)} in QEMU (target_syscall.h), not the kernel's ${hex(base + c.offset)}, so`
      : ' has no case:';
    out.push(
      finding(
        ctx,
        'private-syscall-missing',
        'warning',
        misnumbered?.span ?? a.defaultSpan ?? a.test,
        `${nameOf(c)} (${hex(base + c.offset)}${c.kase.note ? `, ${c.kase.note}` : ''})${where} a guest ${qemuOutcome(a, c.offset, t.fallback?.signal ?? 'SIGILL')}, where the kernel ${kernelOutcome(k, c.kase)} (${at(t.file, c.kase.line)})`,
        { related, syscall: c.name },
      ),
    );
  }
  for (const q of a.cases) {
    const off = caseOffset(q.label, q.offset);
    const c = off === undefined ? undefined : byOffset.get(off);
    if (!c || q.setsR0 || q.leaves || c.kase.signals.length) continue;
    const sets = c.kase.returns.filter(r => r.replace(/\s/g, '') !== 'regs->ARM_r0');
    if (!sets.length) continue;
    out.push(
      finding(
        ctx,
        'private-syscall-return',
        'warning',
        q.span,
        `\`case ${q.label}:\` never sets env->regs[0], so the guest's r0 keeps the value it passed in; the kernel returns ${sets.join(' or ')} (${at(t.file, c.kase.line)})`,
        {
          related: [
            { location: kernelLine(ctx, t.file, c.kase.line), message: `arm_syscall(): ${kernelOutcome(k, c.kase)}` },
          ],
          syscall: c.name,
        },
      ),
    );
  }
  return out;
}

/** ARM's private syscalls (0xf0000 past the syscall base) against the kernel's arm_syscall(): every call the kernel handles that QEMU's switch has no case for (or has under a number other than the kernel's), with what the guest gets instead (the default's -ENOSYS, or do_syscall() for ARM_NR_BASE itself) and what the kernel does (a signal, a value, r0 unchanged); and every case that never sets the return register where the kernel returns a value. */
export const rule: Rule<CpuLoopContext> = {
  codes: ['private-syscall-missing', 'private-syscall-return'],
  about:
    "ARM's private syscalls (0xf0000 past the syscall base) against the kernel's arm_syscall(): every call the kernel handles that QEMU's switch has no case for (or has under a number other than the kernel's), with what the guest gets instead (the default's -ENOSYS, or do_syscall() for ARM_NR_BASE itself) and what the kernel does (a signal, a value, r0 unchanged); and every case that never sets the return register where the kernel returns a value.",
  run: privateCalls,
};
