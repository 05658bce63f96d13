// Every ABI's syscalls by name, from a kernel reference's tables (built once per reference).
import { ABIS, AbiDef } from './abis';
import type { KernelReference, TableEntry } from '../reference';
import { canonicalEntry } from './entryNames';

export interface AbiEntry {
  abi: AbiDef;
  entry: TableEntry;
}

const cache = new WeakMap<KernelReference, Map<string, AbiEntry[]>>();

export function syscallsByName(ref: KernelReference): Map<string, AbiEntry[]> {
  let byName = cache.get(ref);
  if (byName) return byName;
  byName = new Map();
  for (const abi of ABIS) {
    for (const e of ref.entries(abi) ?? []) {
      const list = byName.get(e.name) ?? [];
      list.push({ abi, entry: e });
      byName.set(e.name, list);
    }
  }
  cache.set(ref, byName);
  return byName;
}

/** The ABIs whose tables the reference has. */
export const abisIn = (ref: KernelReference) => ABIS.filter(a => ref.tableOf(a));

/** A syscall by its name or by one of its entry points (`sys_fadvise64_64`). */
export function lookupSyscall(ref: KernelReference, word: string): { name: string; entries: AbiEntry[] } | undefined {
  const byName = syscallsByName(ref);
  const direct = byName.get(word);
  if (direct) return { name: word, entries: direct };
  for (const [name, entries] of byName) {
    if (entries.some(x => x.entry.entry === word || x.entry.compat === word)) return { name, entries };
  }
  // Another era's spelling of an entry point (`__x64_sys_read`, `SyS_read`): its SYSCALL_DEFINE's name.
  const want = canonicalEntry(word);
  if (want === word) return undefined;
  for (const [name, entries] of byName) {
    const hit = (n?: string) => !!n && canonicalEntry(n) === want;
    if (entries.some(x => hit(x.entry.entry) || hit(x.entry.compat))) return { name, entries };
  }
  return undefined;
}
