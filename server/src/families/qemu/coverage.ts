// Coverage of one QEMU tree: per target and ABI, what the kernel defines, what QEMU's
// tables define, what syscall.c dispatches and what strace.list prints.
import * as path from 'path';
import type { Reader } from '../../core/reader';
import type { Parser } from 'web-tree-sitter';
import { abiById } from '../../reference/linux/abis';
import type { KernelReference } from '../../reference/reference';
import { abiOfTarget } from './arches';
import { dispatchedNames } from './dispatch/labels';
import { targetDefines } from './tree';
import { linuxUserTargets } from './syscallhdr';
import { parseStraceList } from './straceList/model';
import { implemented } from '../../reference/linux/tbl';

export type { Coverage, Missing, Place, TargetCoverage } from '../../../../protocol/protocol';
import type { Coverage, Missing } from '../../../../protocol/protocol';

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
    const { defined, kernelNames, source: file } = targetDefines(root, r, t);
    const source = path.relative(root, file);
    const dir = path.join(lu, t.abiDir);
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
