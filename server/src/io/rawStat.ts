// A path's mtime, size and kind without building an fs.Stats. A freshness check stats tens
// of thousands of paths; under Node 20 each fs.Stats (with its four Dates) took a third of
// the check's time and made most of its garbage. Node's own binding fills one shared array
// instead. It is used only where fs.statSync itself calls it the same way (a binding called
// with the wrong arguments aborts the process: Node 18 passed an error object instead) and
// agrees with fs.statSync on a probe; everywhere else fs.statSync is.
import * as fs from 'fs';
import * as path from 'path';

/** Where rawStat puts what it read: mtime in ms (as fs.Stats.mtimeMs), size, 1 for a directory (one array: no garbage per path). */
export const statOut = new Float64Array(3);

const S_IFMT = 0o170000,
  S_IFDIR = 0o040000;

function viaStats(p: string): boolean {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return false;
  statOut[0] = st.mtimeMs;
  statOut[1] = st.size;
  statOut[2] = st.isDirectory() ? 1 : 0;
  return true;
}

/** How Node 20's fs.statSync calls the binding: path, bigint, no request (synchronous), throwIfNoEntry. */
const SAME_CALL =
  /binding\.stat\(\s*pathModule\.toNamespacedPath\(path\),\s*options\.bigint,\s*undefined,\s*options\.throwIfNoEntry,?\s*\)/;

/** Whether a runtime's fs.statSync (its source) calls the binding as rawStat would. */
export const callsBindingAsWeDo = (statSyncSource: string) => SAME_CALL.test(statSyncSource);

type StatBinding = { stat(p: string, bigint: false, req: undefined, throwIfNoEntry: false): Float64Array | undefined };

function viaBinding(): ((p: string) => boolean) | undefined {
  try {
    if (!callsBindingAsWeDo(String(fs.statSync))) return undefined;
    // Asking for a binding warns (DEP0111) when pending deprecations are shown: not worth a warning.
    if (process.execArgv.includes('--pending-deprecation') || process.env.NODE_PENDING_DEPRECATION === '1')
      return undefined;
    const binding = (process as unknown as { binding?: (m: string) => StatBinding }).binding?.('fs');
    if (typeof binding?.stat !== 'function') return undefined;
    // The array's layout: mode at 1, size at 8, mtime's seconds and nanoseconds at 12 and 13.
    const raw = (p: string): boolean => {
      if (p.includes('\0')) return viaStats(p); // fs.statSync refuses it: so must this
      const v = binding.stat(p, false, undefined, false);
      if (!v) return false;
      statOut[0] = v[12] * 1e3 + v[13] / 1e6;
      statOut[1] = v[8];
      statOut[2] = (v[1] & S_IFMT) === S_IFDIR ? 1 : 0;
      return true;
    };
    for (const probe of [__filename, path.dirname(__filename)]) {
      if (!raw(probe)) return undefined;
      const a = [...statOut];
      if (!viaStats(probe) || a.some((x, i) => x !== statOut[i])) return undefined;
    }
    if (raw(path.join(__dirname, '.systab-no-such-file'))) return undefined;
    return raw;
  } catch {
    return undefined;
  }
}

let chosen: ((p: string) => boolean) | undefined;
const way = () => (chosen ??= viaBinding() ?? viaStats);

/** Stat `p` into statOut; false when it does not exist. Throws as fs.statSync does otherwise (a looping link, no permission). */
export function rawStat(p: string): boolean {
  return way()(p);
}

/** Which way rawStat reads (tests). */
export const rawStatKind = () => (way() === viaStats ? 'fs.statSync' : 'binding');
