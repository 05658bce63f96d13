// Every ABI's syscalls by name, from a catalogue's tables (built once per catalogue).
import { ABIS, AbiDef } from './abis';
import { Catalogue, CatalogueTblEntry } from './catalogue';

export interface AbiEntry { abi: AbiDef; entry: CatalogueTblEntry }

const cache = new WeakMap<Catalogue, Map<string, AbiEntry[]>>();

export function syscallsByName(cat: Catalogue): Map<string, AbiEntry[]> {
  let byName = cache.get(cat);
  if (byName) return byName;
  byName = new Map();
  for (const abi of ABIS) {
    const table = cat.tables[abi.table];
    if (!table) continue;
    for (const e of table) {
      if (!abi.tags.includes(e.abi)) continue;
      const list = byName.get(e.name) ?? [];
      list.push({ abi, entry: e });
      byName.set(e.name, list);
    }
  }
  cache.set(cat, byName);
  return byName;
}

/** The ABIs whose tables are in the catalogue. */
export const abisIn = (cat: Catalogue) => ABIS.filter(a => cat.tables[a.table]);

/** A syscall by its name or by one of its entry points (`sys_fadvise64_64`). */
export function lookupSyscall(cat: Catalogue, word: string): { name: string; entries: AbiEntry[] } | undefined {
  const byName = syscallsByName(cat);
  const direct = byName.get(word);
  if (direct) return { name: word, entries: direct };
  for (const [name, entries] of byName) {
    if (entries.some(x => x.entry.entry === word || x.entry.compat === word)) return { name, entries };
  }
  return undefined;
}
