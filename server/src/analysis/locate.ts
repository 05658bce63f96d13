// What `check DIR` opens: each family's known paths from DIR, never a walk of the tree.
import type { Reader } from '../core/reader';
import { FAMILIES } from '../families/registry';

export function tableFiles(dir: string, io: Reader): string[] {
  return [...new Set(FAMILIES.flatMap(f => f.locate?.(dir, io) ?? []))].sort();
}

/** What the families look for, for the message when a directory holds none of it. */
export const lookedFor = () => FAMILIES.map(f => f.title).join('; ');
