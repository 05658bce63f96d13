// The disk: capped reads with clear messages, one-level listings, a cached reader.
import * as fs from 'fs';
import type { Reader } from '../core/reader';
import { MAX_TEXT } from '../core/text';

export type ReadResult = { text: string } | { error: string; size?: number };

/** Read a text file with a size cap; a clear message instead of an exception. */
export function readText(file: string, cap = MAX_TEXT): ReadResult {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return { error: `${file} is a directory` };
    if (st.size > cap)
      return {
        error: `${file} is ${(st.size / (1 << 20)).toFixed(1)} MB, more than systab reads (${cap >> 20} MB); it was not checked`,
        size: st.size,
      };
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      error:
        code === 'ENOENT'
          ? `${file} does not exist`
          : code === 'EACCES'
            ? `${file} cannot be read (permission denied)`
            : `${file} cannot be read (${code ?? String(e)})`,
    };
  }
}

/** A file's text, or undefined when it cannot be read (the reader the checks take). */
export function readOrUndefined(file: string): string | undefined {
  const r = readText(file);
  return 'text' in r ? r.text : undefined;
}

/** One directory's entry names ([] when it cannot be read): never a walk. */
export function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * A reader that keeps each file's text until its modification time changes: a check
 * re-reads the files it compares with on every edit, and most never change.
 */
export function cachedReader(recheckMs = 1000): { read(file: string): string | undefined; clear(): void } {
  const cache = new Map<string, { mtimeMs: number; text: string | undefined; checked: number }>();
  return {
    read(file) {
      // A file looked at within the last second is not looked at again (a check on every
      // keystroke reads dozens of them); a change on disk shows within that second.
      const now = Date.now();
      const fresh = cache.get(file);
      if (fresh && now - fresh.checked < recheckMs) return fresh.text;
      let mtimeMs: number;
      try {
        mtimeMs = fs.statSync(file).mtimeMs;
      } catch {
        cache.delete(file);
        return undefined;
      }
      const hit = cache.get(file);
      if (hit && hit.mtimeMs === mtimeMs) {
        hit.checked = now;
        return hit.text;
      }
      const text = readOrUndefined(file);
      cache.set(file, { mtimeMs, text, checked: now });
      return text;
    },
    clear: () => cache.clear(),
  };
}

/** The disk as a Reader, uncached (the CLI's view of a tree). */
export const diskReader: Reader = { read: readOrUndefined, list: listDir };
