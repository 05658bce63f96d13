// Coverage of one QEMU tree: per target and ABI, what the kernel defines, what QEMU's
// tables define, what syscall.c dispatches and what strace.list prints.
import * as path from 'path';
import type { Reader } from '../../core/reader';
import type { Parser } from 'web-tree-sitter';
import { abiById } from '../../reference/linux/abis';
import type { KernelReference } from '../../reference/reference';
import { abiOfTarget } from './arches';
import { dispatchedNames } from './dispatch/labels';
import { headerDefines, headerRenames, targetAbis } from './tree';
import { linuxUserTargets } from './syscallhdr';
import { parseStraceList } from './straceList/model';
import { implemented, parseTbl } from '../../reference/linux/tbl';

export type { Coverage, Missing, Place, TargetCoverage } from '../../../../protocol/protocol';
import type { Coverage, Missing, Place } from '../../../../protocol/protocol';

/** The syscalls strace.list has an entry for. */
export const tracedNames = (file: string, text: string | undefined) =>
  new Set(text ? parseStraceList(file, text).entries.map(e => e.name) : []);

export function coverage(root: string, r: Reader, parser: Parser, ref: KernelReference | undefined): Coverage {
  const lu = path.join(root, 'linux-user');
  const syscallC = path.join(lu, 'syscall.c');
  const straceList = path.join(lu, 'strace.list');
  const cText = r.read(syscallC) ?? '';
  const dispatched = dispatchedNames(syscallC, cText, parser);
  const sText = r.read(straceList);
  const traced = tracedNames(straceList, sText);
  const straceEnd = Math.max(0, (sText ?? '').split('\n').length - 1);
  const defaultCase = Math.max(0, cText.slice(0, cText.indexOf('Unsupported syscall')).split('\n').length - 1);
  const out: Coverage = { root, kernel: ref?.release, targets: [] };
  for (const t of linuxUserTargets(root, r)) {
    const abi = abiById(abiOfTarget(t.target) ?? '');
    const abis = targetAbis(t);
    // What QEMU's tables define for this target, with where each name lives.
    const defined = new Map<string, Place>();
    // The kernel's names for them (before a syscallhdr.sh rename such as fadvise64_64).
    const kernelNames = new Set<string>();
    let source: string;
    const dir = path.join(lu, t.abiDir);
    if (t.systbl) {
      const file = path.join(dir, t.systbl);
      const renames = headerRenames(r.read(path.join(dir, 'syscallhdr.sh')));
      const model = parseTbl(file, r.read(file) ?? '');
      for (const e of model.entries) {
        if (!abis.includes(e.abi) || !implemented(e.entry)) continue;
        defined.set(renames.get(e.name) ?? e.name, { file, line: e.line });
        kernelNames.add(e.name);
      }
      source = path.relative(root, file);
    } else {
      // A stub may include the real list: riscv picks syscall32_nr.h or syscall64_nr.h.
      let file = path.join(dir, 'syscall_nr.h');
      let defines = headerDefines(file, r.read(file) ?? '');
      const includes = [...(r.read(file) ?? '').matchAll(/#\s*include\s+"(syscall\w*_nr\.h)"/g)].map(m => m[1]);
      const pick = includes.find(i => i.includes(/32/.test(t.target) ? '32' : '64')) ?? includes[0];
      if (pick && !defines.length) {
        file = path.join(dir, pick);
        defines = headerDefines(file, r.read(file) ?? '');
      }
      // Syscalls only: not TARGET_NR_syscalls (a count) or TARGET_NR_arch_specific_syscall (a base).
      for (const d of defines.filter(x => x.kind === 'syscall')) {
        defined.set(d.name, { file, line: d.line });
        kernelNames.add(d.name);
      }
      source = path.relative(root, file);
    }
    // What the kernel defines for the ABI.
    const ktable = abi && ref?.entries(abi)?.filter(k => implemented(k.entry));
    const lastLine = Math.max(0, ...[...defined.values()].map(p => p.line));
    const tableFile = [...defined.values()][0]?.file ?? path.join(dir, t.systbl ?? 'syscall_nr.h');
    const notInTable = (ktable ?? [])
      .filter(k => !kernelNames.has(k.name))
      .map(k => ({ name: k.name, where: { file: tableFile, line: lastLine } }));
    const names = [...defined.keys()];
    out.targets.push({
      target: t.target,
      abi: abi?.id ?? '?',
      source,
      kernel: ktable?.length,
      qemu: defined.size,
      dispatched: names.filter(n => dispatched.has(n)).length,
      traced: names.filter(n => traced.has(n)).length,
      notInTable,
      notDispatched: names
        .filter(n => !dispatched.has(n))
        .map(n => ({ name: n, where: { file: syscallC, line: defaultCase } })),
      notTraced: names
        .filter(n => dispatched.has(n) && !traced.has(n))
        .map(n => ({ name: n, where: { file: straceList, line: straceEnd } })),
    });
  }
  return out;
}

const pct = (a: number, b: number | undefined) => (b ? `${Math.round((100 * a) / b)}%` : '-');

export function coverageText(c: Coverage, markdown: boolean): string {
  const head = ['target', 'ABI', 'kernel', 'QEMU table', 'dispatched', 'traced', 'table source'];
  const rows = c.targets.map(t => [
    t.target,
    t.abi,
    t.kernel === undefined ? '-' : String(t.kernel),
    `${t.qemu} (${pct(t.qemu, t.kernel)})`,
    `${t.dispatched} (${pct(t.dispatched, t.qemu)})`,
    `${t.traced} (${pct(t.traced, t.qemu)})`,
    t.source,
  ]);
  const lines: string[] = [];
  if (markdown) {
    lines.push(`# syscall coverage of ${c.root}`, '', `Kernel: ${c.kernel ? `Linux ${c.kernel}` : 'none'}`, '');
    lines.push(
      `| ${head.join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...rows.map(r => `| ${r.join(' | ')} |`),
    );
    for (const t of c.targets) {
      lines.push('', `## ${t.target} (${t.abi})`);
      const list = (title: string, xs: Missing[]) => {
        if (xs.length) lines.push('', `${title} (${xs.length}): ${xs.map(x => `\`${x.name}\``).join(', ')}`);
      };
      list("In the kernel, not in QEMU's table", t.notInTable);
      list('Not dispatched in syscall.c', t.notDispatched);
      list('Not in strace.list', t.notTraced);
    }
    return lines.join('\n') + '\n';
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  lines.push(fmt(head), ...rows.map(fmt));
  return lines.join('\n') + '\n';
}
