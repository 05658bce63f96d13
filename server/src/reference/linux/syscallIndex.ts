// Every ABI's syscalls by name, from a kernel reference's tables (built once per reference).
import { ABIS, AbiDef } from './abis';
import type { KernelReference, TableEntry } from '../reference';

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
  return undefined;
}
