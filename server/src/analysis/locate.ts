// What `check DIR` opens: each family's known paths from DIR, never a walk of the tree.
import type { Reader } from '../core/reader';
import { FAMILIES } from '../families/registry';

export function tableFiles(dir: string, io: Reader): string[] {
  return [...new Set(FAMILIES.flatMap(f => f.locate?.(dir, io) ?? []))].sort();
}

/** What the families look for, for the message when a directory holds none of it. */
export const lookedFor = () => FAMILIES.map(f => f.title).join('; ');

const globPart = (g: string) => new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);

/**
 * Where systab reads files named like `file` (from the families' document patterns), for a
 * file that is not read where it is: `strace.list` outside `linux-user/`.
 */
export function placesFor(file: string): string[] {
  const base = file.replace(/\\/g, '/').split('/').pop() ?? '';
  const patterns = FAMILIES.flatMap(f => f.documents.map(d => d.pattern).filter((p): p is string => !!p));
  return [
    ...new Set(
      patterns.filter(p => /\//.test(p) && globPart(p.split('/').pop()!).test(base) && !/^\*\*\/[^/]*$/.test(p)),
    ),
  ];
}
