// The hover card of a FreeBSD syscall: its syscalls.master entry (number, type, prototype)
// and, per bsd-user target, the argument words QEMU must read.
import { freebsdAbi, freebsdWords, wordSlot, wordsText } from './abis';
import { kindOf, MasterSyscall } from './master';
import type { FreeBsdReference } from './reference';

/** QEMU 7.2's bsd-user targets, for cards shown outside a QEMU tree. */
export const DEFAULT_BSD_ARCHES = ['x86_64', 'i386', 'arm'];

export const protoText = (e: MasterSyscall) =>
  e.proto
    ? `${e.proto.ret}${e.proto.ret.endsWith('*') ? '' : ' '}${e.proto.name}(${e.proto.params.length ? e.proto.params.map(p => `${p.type}${p.type.endsWith('*') ? '' : ' '}${p.name}`).join(', ') : 'void'}${e.proto.varargs ? ', ...' : ''})`
    : undefined;

export function entryCard(e: MasterSyscall, arches: readonly string[] = DEFAULT_BSD_ARCHES): string {
  const out: string[] = [];
  const name = e.name ?? '(unnamed)';
  const nums = e.last > e.number ? `${e.number}-${e.last}` : `${e.number}`;
  out.push(`**${name}** — FreeBSD syscall ${nums} (\`${e.type}\`, audit \`${e.audit}\`)`);
  const kind = kindOf(e);
  if (kind === 'compat') out.push('', 'Kept for binaries built for older releases; new programs do not call it.');
  if (kind === 'obsolete') out.push('', 'Obsolete: the kernel answers ENOSYS.');
  if (kind === 'reserved' || kind === 'unimplemented') out.push('', 'No syscall: calls get ENOSYS.');
  const p = protoText(e);
  if (p) out.push('', '```c', p + ';', '```');
  if (e.proto && e.proto.params.length) {
    out.push('', '| target | words | layout |', '| --- | --- | --- |');
    for (const arch of arches) {
      const abi = freebsdAbi(arch);
      if (!abi) continue;
      const w = freebsdWords(e.proto.params, abi);
      const slots = w.map((_, i) => wordSlot(abi, i));
      out.push(`| ${arch} | ${w.length} | ${wordsText(e.proto.params, w)} (${slots.join(', ')}) |`);
    }
  }
  return out.join('\n');
}

/** The card of a syscall by a name as a header or table writes it (`swapoff`, `freebsd13_swapoff`). */
export function freebsdCardOf(ref: FreeBsdReference, name: string, arches?: readonly string[]): string | undefined {
  const l = ref.defined(name);
  const e = l?.entry ?? ref.live(name);
  return e && entryCard(e, arches);
}
