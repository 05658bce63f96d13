// Hover cards for a Linux syscall: one table entry (number, entry points, prototypes, the
// o32 word layout), and one syscall across every ABI of the catalogue.
import { abiById, guestNumber, O32_ABI } from './abis';
import type { KernelReference } from '../reference';
import { needOn, notImplemented, o32Need, sideSections, signature, SysEntry } from './need';
import { abisIn, lookupSyscall } from './syscallIndex';
import { canonicalEntry, X86Era, x86CalledSymbol } from './entryNames';
import { splitLines } from '../../core/text';
import { Position, Range } from '../../core/types';

export function hoverCard(e: SysEntry, ref: KernelReference | undefined, rowValue?: string): string {
  const out: string[] = [];
  const o32 = e.abi === 'o32';
  out.push(
    `**${e.name}** — ${e.abi} syscall ${e.number}${o32 ? ` (\`${guestNumber(O32_ABI, e.number)}\` in v0)` : ''}`,
  );
  if (notImplemented(e)) {
    out.push(
      '',
      `Not implemented by the kernel (${e.entry ?? 'no entry point'}): ${o32 ? 'the row should be `MIPS_SYSCALL_NUMBER_UNUSED`.' : 'calls return ENOSYS.'}`,
    );
    return out.join('\n');
  }
  const entries = `Entry point \`${e.entry}\`${e.compat ? `, compat entry point \`${e.compat}\`` : ''}`;
  if (!o32 || !ref) {
    out.push('', entries);
    if (rowValue !== undefined) out.push('', `This row: \`${rowValue}\``);
    if (o32) out.push('', '*No kernel prototypes loaded: set `systab.kernelPath` to see the word layout.*');
    return out.join('\n');
  }
  // What the row must say comes first: a long card is scrolled, and its top stays in view.
  const need = o32Need(e, ref);
  const fetch =
    need.count === undefined
      ? `No C prototype found for ${need.missing.map(m => `\`${m}\``).join(', ')}: the count cannot be checked`
      : `**QEMU must fetch ${need.count} word${need.count === 1 ? '' : 's'}**${need.count > 4 ? ` (${need.count - 4} from the stack at sp+16…)` : ''}`;
  out.push('', `${fetch}${rowValue !== undefined ? `; this row says \`${rowValue}\`` : ''}. ${entries}.`);
  out.push(...sideSections(need));
  if (need.count !== undefined && need.missing.length)
    out.push('', `No C prototype found for ${need.missing.map(m => `\`${m}\``).join(', ')}.`);
  return out.join('\n');
}

/** The syscall name a word stands for: `TARGET_NR_x`, `__NR_x`, `sys_x`, `SYSCALL_DEFINEn(x`. */
export function syscallWordAt(text: string, pos: Position): { words: string[]; range: Range } | undefined {
  const line = splitLines(text)[pos.line] ?? '';
  const re = /\w+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    if (pos.character < m.index || pos.character > m.index + m[0].length) continue;
    const w = m[0];
    const words = [w];
    // Any era's spelling of an entry point (`__x64_sys_read`, `SyS_read`) stands for its SYSCALL_DEFINE.
    const canonical = canonicalEntry(w);
    if (canonical !== w) words.push(canonical);
    const pre = /^(TARGET_NR_|__NR_|__NR3264_|compat_sys_|sys32_|sys_32_|__sys_|sys_)(\w+)$/.exec(canonical);
    if (pre) words.push(pre[2]);
    // `SYSCALL_DEFINE3(read, ...)`: the name follows the macro.
    const before = line.slice(0, m.index);
    if (/(COMPAT_)?SYSCALL(32)?_DEFINE\d\(\s*$/.test(before)) words.unshift(`sys_${w}`);
    return {
      words,
      range: { start: { line: pos.line, character: m.index }, end: { line: pos.line, character: m.index + w.length } },
    };
  }
  return undefined;
}

/** One card for a syscall on every ABI of the catalogue: prototype, numbers, words. */
export function abiCard(ref: KernelReference, words: string[]): string | undefined {
  const hit = words.map(w => lookupSyscall(ref, w)).find(x => x);
  if (!hit) return undefined;
  const out: string[] = [`**${hit.name}**`];
  const protos = new Set<string>();
  const rows: string[] = [];
  for (const { abi, entry } of hit.entries) {
    const sys: SysEntry = { ...entry };
    const need = notImplemented(sys) ? undefined : needOn(sys, ref, abi);
    const native = need?.native?.proto;
    if (native && protos.size < 3) protos.add(`\`${signature(native)}\` (${native.file}:${native.line + 1})`);
    const count = notImplemented(sys) ? 'not implemented' : (need?.count ?? 'unknown');
    rows.push(
      `| ${abi.id} | ${guestNumber(abi, entry.number)} | ${count} | \`${entry.entry ?? '-'}\`${entry.compat && abi.compat ? ` / \`${entry.compat}\`` : ''} |`,
    );
  }
  out.push('', ...[...protos].map(p => `${p}  `));
  out.push('', '| ABI | number | words | entry points |', '|---|---|---|---|', ...rows);
  const have = new Set(hit.entries.map(x => x.abi.id));
  const absent = abisIn(ref)
    .filter(a => !have.has(a.id))
    .map(a => a.id);
  if (absent.length) out.push('', `Not on: ${absent.join(', ')}`);
  out.push(
    '',
    `*From ${ref.root ? `the kernel tree at ${ref.root}` : 'the bundled catalogue'}${ref.release ? ` (${ref.kernel} ${ref.release})` : ''}.*`,
  );
  return out.join('\n');
}

const X86_ABI_OF_TAG: Record<string, string> = { i386: 'i386', common: 'x86_64', '64': 'x86_64', x32: 'x32' };

/**
 * An x86 `.tbl` line's entry points as the kernel of the table's era really calls them
 * (seed of "truth in advertising": `sys_read` is no symbol of a 5.7+ kernel), each with the
 * SYSCALL_DEFINE that implements it and its words on the line's ABI.
 */
export function x86Sections(e: SysEntry, ref: KernelReference | undefined, era: X86Era): string[] {
  const abiId = X86_ABI_OF_TAG[e.abi];
  if (!abiId || notImplemented(e)) return [];
  const out: string[] = [];
  for (const [label, name] of [
    ['Entry point', e.entry],
    ['Compat entry point', e.compat],
  ] as const) {
    if (!name) continue;
    const called = x86CalledSymbol(name, e.abi, era);
    if (!called) continue;
    const canonical = canonicalEntry(name);
    const p = ref?.prototype(name, 'x86');
    const impl = p
      ? `; implemented by ${p.kind === 'COMPAT_SYSCALL_DEFINE' ? 'COMPAT_SYSCALL_DEFINE' : p.kind === 'SYSCALL_DEFINE' ? 'SYSCALL_DEFINE' : 'the definition'} of \`${p.entry}\` (${p.file}:${p.line + 1})`
      : ref
        ? `; no prototype of \`${canonical}\` in ${ref.label}`
        : '';
    out.push('', `${label} \`${name}\`: the kernel calls \`${called.symbol}\`, ${called.how}${impl}.`);
  }
  const abi = abiById(abiId);
  if (ref && abi) out.push(...sideSections(needOn(e, ref, abi), abi.words));
  return out;
}
