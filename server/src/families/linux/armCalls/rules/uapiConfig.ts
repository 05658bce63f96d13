// config-in-uapi: syscall numbers a header user space sees defines only under CONFIG_ tests.
import type { Finding } from '../../../../core/types';
import type { Rule } from '../../../family';
import { configTests } from '../../../../reference/linux/armCalls';
import { ArmContext, finding, onHeader } from '../context';

export const rule: Rule<ArmContext> = {
  codes: ['config-in-uapi'],
  about:
    "ARM's unistd.h is exported to user space (make headers_install; from 3.7 as uapi/asm/unistd.h, before that asm/unistd.h itself), where no `CONFIG_` symbol is ever defined. A `__NR_x` or `__ARM_NR_x` defined only under `#ifdef CONFIG_...` is a number the kernel has and no program can name (and one under `#ifndef CONFIG_...` one every program sees whatever the kernel was built with). Numbers under `#ifdef __KERNEL__` are the kernel's own and are not findings.",
  run(ctx) {
    const h = ctx.model.numbers;
    if (!onHeader(ctx, h)) return [];
    const out: Finding[] = [];
    for (const d of [...h!.unistd.numbers, ...h!.unistd.private]) {
      const tests = configTests(d.conditions);
      if (!tests.length) continue;
      out.push(
        finding(
          ctx.file,
          'config-in-uapi',
          'warning',
          d.ranges.macro,
          `${d.macro} is defined only under #if ${tests.join(' && ')}: user space never has CONFIG_ symbols, so no program ${/^!/.test(tests[0]) ? 'can tell whether the kernel has this number' : 'sees this number'}`,
          { syscall: d.name },
        ),
      );
    }
    return out;
  },
};
