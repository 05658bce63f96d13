// Finding the files systab reads in a tree: known paths only, never a workspace glob.
import * as fs from 'fs';
import * as path from 'path';
import { MAX_TEXT } from '../analysis/analyze';

/** Table files relative to a QEMU `linux-user/` directory. */
const LINUX_USER_KNOWN = ['mips/syscall-args-o32.c.inc', 'mips/cpu_loop.c', 'main.c', 'syscall.c', 'strace.list'];

export type ReadResult = { text: string } | { error: string; size?: number };

/** Read a text file with a size cap; a clear message instead of an exception. */
export function readText(file: string, cap = MAX_TEXT): ReadResult {
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return { error: `${file} is a directory` };
    if (st.size > cap) return { error: `${file} is ${(st.size / (1 << 20)).toFixed(1)} MB, more than systab reads (${cap >> 20} MB); it was not checked`, size: st.size };
    return { text: fs.readFileSync(file, 'utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? `${file} does not exist` : code === 'EACCES' ? `${file} cannot be read (permission denied)` : `${file} cannot be read (${code ?? String(e)})` };
  }
}

const exists = (p: string) => { try { return fs.statSync(p).isFile(); } catch { return false; } };
const isDir = (p: string) => { try { return fs.statSync(p).isDirectory(); } catch { return false; } };

/** The files of a tree that systab checks, found by their known paths. */
export function tableFiles(dir: string): string[] {
  const out = new Set<string>();
  const roots = [dir];
  // Accept a QEMU root, its linux-user/, or linux-user/<target>/.
  const linuxUser = [path.join(dir, 'linux-user'), dir, path.dirname(dir)].find(d => path.basename(d) === 'linux-user' && isDir(d));
  if (linuxUser) roots.push(linuxUser);
  if (linuxUser) {
    for (const rel of LINUX_USER_KNOWN) {
      const p = path.join(linuxUser, rel);
      if (exists(p) && (!p.endsWith('.c') || rel === 'syscall.c' || holdsO32Rows(p))) out.add(p);
    }
    let targets: string[] = [];
    try { targets = fs.readdirSync(linuxUser, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name); } catch { /* unreadable */ }
    for (const t of targets) {
      if (path.basename(dir) !== 'linux-user' && path.resolve(dir) !== path.resolve(linuxUser, '..') && path.resolve(dir) !== path.resolve(linuxUser, t)) continue;
      let names: string[] = [];
      try { names = fs.readdirSync(path.join(linuxUser, t)); } catch { continue; }
      for (const n of names) if (/^syscall.*\.tbl$/.test(n) || /^syscall\w*_nr\.h$/.test(n)) out.add(path.join(linuxUser, t, n));
    }
  }
  // Loose files in the directory itself (a fixture, a scratch copy).
  let here: string[] = [];
  try { here = fs.readdirSync(dir); } catch { /* unreadable */ }
  for (const n of here) {
    const p = path.join(dir, n);
    if ((/^syscall-args-o32.*\.c\.inc$/.test(n) || /^syscall.*\.tbl$/.test(n)) && exists(p)) out.add(p);
  }
  return [...out].sort();
}

function holdsO32Rows(file: string): boolean {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return /\bMIPS_SYS\s*\(/.test(text) && /\bmips_syscall_args\b/.test(text);
  } catch { return false; }
}

/** A file's text, or undefined when it cannot be read (the reader the checks take). */
export function readOrUndefined(file: string): string | undefined {
  const r = readText(file);
  return 'text' in r ? r.text : undefined;
}

/** One directory's entry names ([] when it cannot be read): never a walk. */
export function listDir(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
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
      try { mtimeMs = fs.statSync(file).mtimeMs; } catch { cache.delete(file); return undefined; }
      const hit = cache.get(file);
      if (hit && hit.mtimeMs === mtimeMs) { hit.checked = now; return hit.text; }
      const text = readOrUndefined(file);
      cache.set(file, { mtimeMs, text, checked: now });
      return text;
    },
    clear: () => cache.clear(),
  };
}
