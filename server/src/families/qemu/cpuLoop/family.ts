// QEMU linux-user's cpu loops: `linux-user/<dir>/cpu_loop.c`, or the one `main.c` that
// held every target's loop in older trees. MIPS o32: the argument table's type, marker and
// bound, and the stack fetch (the rows themselves are qemu/o32's); ARM: the private
// syscalls against the kernel's arm_syscall().
import * as path from 'path';
import type { Reader } from '../../../core/reader';
import { contains, rangeOf } from '../../../core/text';
import { Family, Hover } from '../../family';
import { notChecked, SUPPLY_KERNEL } from '../../notChecked';
import { linuxUserOf } from '../tree';
import { at, CpuLoopContext, hex } from './context';
import { CpuLoopModel, isCpuLoopFile, mayHoldLoop, readCpuLoop } from './model';
import { rule as bound } from './rules/bound';
import { rule as markerDefined } from './rules/markerDefined';
import { rule as markerType } from './rules/markerType';
import { kernelCalls, kernelOutcome, rule as privateCalls } from './rules/privateCalls';
import { rule as stackFetch } from './rules/stackFetch';

const RULES = [markerType, markerDefined, bound, stackFetch, privateCalls];

/** What an ARM check needs from the kernel, or what is missing. */
function armMissing(ctx: CpuLoopContext): string | undefined {
  if (!ctx.ref) return `no kernel catalogue; ${SUPPLY_KERNEL}`;
  const k = ctx.arm;
  const lacks = [
    !k?.unistd && 'arch/arm/include/uapi/asm/unistd.h (the __ARM_NR_* numbers)',
    !k?.traps && "arch/arm/kernel/traps.c (arm_syscall()'s cases)",
    !k?.entry && "arch/arm/kernel/entry-common.S (the entry's bound)",
  ].filter(Boolean);
  return lacks.length
    ? `${ctx.ref.label} has no ${lacks.join(', ')}; point systab.kernelPath (or --kernel) at a Linux tree that has them`
    : undefined;
}

export const cpuLoopFamily: Family<CpuLoopModel> = {
  id: 'qemu/cpuLoop',
  title: 'QEMU linux-user cpu loops (MIPS o32 table bounds, ARM private syscalls)',
  documents: [
    { pattern: '**/linux-user/*/cpu_loop.c', language: 'c' },
    { pattern: '**/linux-user/main.c', language: 'c' },
  ],
  syntax: 'c',
  // Every cpu_loop.c (one with nothing to check says so); main.c only when it holds a loop.
  claims: (file, text) => isCpuLoopFile(file) && (!file.endsWith('main.c') || mayHoldLoop(text)),
  locate(dir: string, io: Reader) {
    const lu = linuxUserOf(dir, io);
    if (!lu) return [];
    return ['mips/cpu_loop.c', 'arm/cpu_loop.c', 'main.c']
      .map(rel => path.join(lu, rel))
      .filter(p => {
        const t = io.read(p);
        return t !== undefined && mayHoldLoop(t);
      });
  },
  analyze(doc, ws) {
    const parsed = doc.c?.();
    if (!parsed) return { findings: [] };
    const model = readCpuLoop(doc.file, doc.text, parsed.tree, ws, ws.parser);
    if (!model) return { findings: [] };
    const ctx: CpuLoopContext = { file: doc.file, model, ref: ws.kernel, arm: ws.kernel?.armPrivate?.() };
    const findings = RULES.flatMap(r => r.run(ctx));
    if (model.arm) {
      const missing = armMissing(ctx);
      if (missing) findings.push(notChecked(doc.file, `ARM private syscalls not compared with the kernel: ${missing}`));
    }
    if (!model.mips && !model.arm) {
      const inc = /^\s*#\s*include\s*"([^"]*cpu_loop\.c)"/m.exec(doc.text)?.[1];
      findings.push(
        notChecked(
          doc.file,
          inc
            ? `this loop is ${inc}'s (included here): its checks are reported on that file`
            : mayHoldLoop(doc.text)
              ? 'no mips_syscall_args table and no `if (n > ARM_NR_BASE)` switch on the private syscalls could be read in this file, so nothing in it was checked'
              : "systab checks the cpu loops of MIPS o32 (the argument table's type, marker and bounds) and ARM (the private syscalls); this file has neither",
        ),
      );
    }
    return { model, findings };
  },
  // On a private-call case label: what the kernel does with that call.
  hover(model, pos, ws): Hover | undefined {
    const a = model.arm;
    const k = ws.kernel?.armPrivate?.();
    if (!a || !k?.traps) return undefined;
    const calls = kernelCalls(k);
    for (const q of a.cases) {
      const r = rangeOf(model.map, q.span.start, q.span.end);
      if (!contains(r, pos)) continue;
      const c = calls.find(x => (q.offset !== undefined ? x.offset === q.offset : q.label === `ARM_NR_${x.name}`));
      if (!c) return undefined;
      const base = k.unistd?.base ?? 0xf0000;
      const lines = [
        `**${c.name ? `__ARM_NR_${c.name}` : 'ARM private call'}** = ${hex(base + c.offset)} (__ARM_NR_BASE + ${c.offset})`,
        '',
        `The kernel's arm_syscall() ${kernelOutcome(k, c.kase)} (${at(k.traps.file, c.kase.line)}, ${ws.kernel!.label}).`,
      ];
      return { markdown: lines.join('\n'), range: r };
    }
    return undefined;
  },
  rules: RULES,
};
