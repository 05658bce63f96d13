// The argument words an assembly entry point reads, where its code shows them: MIPS
// `sys_syscall` (scall32-o32.S) and `sys32_syscall` (scall64-o32.S) have no C prototype,
// but their bodies name every register and o32 stack slot they read. Each is modelled as
// a prototype of one `long` per word read, kind `assembly`, with what it reads as evidence.
import type { Prototype } from './catalogue';
import type { Param } from './params';

/** The known files and how their registers map to o32 words. */
export const MIPS_O32_ASM = ['arch/mips/kernel/scall32-o32.S', 'arch/mips/kernel/scall64-o32.S'];

const STORE = /^s[bhwd]$|^sw[lr]$/;
const BRANCH = /^(b\w*|j|jr|jal|jalr)$/;

/** `# comment` and C comments out, keeping line numbers. */
const codeOf = (line: string) => line.replace(/\/\*.*?\*\//g, ' ').replace(/#.*$/, '');

/**
 * Where the o32 entry of a 64-bit kernel put words 5-8: `lw a4, 16(t0)` (t0 is the user
 * stack) means a4 holds word 4 (zero-based). Without such lines a4-a7 say nothing.
 */
function registerWords(text: string): Map<string, number> {
  const out = new Map<string, number>([
    ['a0', 0],
    ['a1', 1],
    ['a2', 2],
    ['a3', 3],
  ]);
  for (const m of text.matchAll(/^\s*(?:\w+:\s*)?lw\s+(a[4-7])\s*,\s*(\d+)\s*\(\s*t0\s*\)/gm)) {
    const off = Number(m[2]);
    if (off >= 16 && off % 4 === 0) out.set(m[1], off / 4);
  }
  return out;
}

/**
 * Every `LEAF(sys...)` .. `END(sys...)` whose reads are all accounted for: a register read
 * before it is written, or an o32 stack slot `N(sp)` (N >= 16) loaded. The word count is
 * the highest word read, plus one. A body reading a register whose word is not known
 * gives nothing (never a guess).
 */
export function mipsAsmPrototypes(rel: string, text: string): Prototype[] {
  if (!MIPS_O32_ASM.includes(rel)) return [];
  const lines = text.split('\n');
  const words = registerWords(text);
  const out: Prototype[] = [];
  for (let i = 0; i < lines.length; i++) {
    const leaf = /^\s*LEAF\s*\(\s*(sys\w*)\s*\)/.exec(lines[i]);
    if (!leaf) continue;
    const name = leaf[1];
    const read = new Map<number, string>();
    const written = new Set<string>();
    let ok = true;
    let numberWord = false;
    let j = i + 1;
    for (; j < lines.length && ok; j++) {
      if (new RegExp(`^\\s*END\\s*\\(\\s*${name}\\s*\\)`).test(lines[j])) break;
      const code = codeOf(lines[j])
        .replace(/^\s*\w+:/, '')
        .trim();
      if (!code || code.startsWith('.')) continue;
      const m = /^([a-z][\w.]*)\s*(.*)$/.exec(code);
      if (!m) continue;
      const op = m[1];
      const operands = m[2].split(',').map(s => s.trim());
      const sources = STORE.test(op) || BRANCH.test(op) ? operands : operands.slice(1);
      for (const s of sources) {
        const mem = /^(-?\d+)\s*\(\s*\$?(\w+)\s*\)$/.exec(s);
        const reg = mem ? mem[2] : s.replace(/^\$/, '');
        if (mem && reg === 'sp' && !STORE.test(op)) {
          const off = Number(mem[1]);
          if (off >= 16 && off % 4 === 0) read.set(off / 4, `${off}(sp)`);
          continue;
        }
        if (!/^a[0-7]$/.test(reg) || written.has(reg)) continue;
        const w = words.get(reg);
        if (w === undefined) ok = false;
        else {
          read.set(w, reg);
          if (w === 0 && /__NR_/.test(code)) numberWord = true;
        }
      }
      const dest = STORE.test(op) || BRANCH.test(op) ? undefined : operands[0]?.replace(/^\$/, '');
      if (dest) written.add(dest);
    }
    if (!ok || !read.size || j >= lines.length) continue;
    const count = Math.max(...read.keys()) + 1;
    const params: Param[] = [];
    for (let w = 0; w < count; w++)
      params.push({ type: 'long', name: w === 0 && numberWord ? 'nr' : `arg${numberWord ? w : w + 1}` });
    out.push({
      entry: name,
      params,
      file: rel,
      line: i,
      kind: 'assembly',
      arch: 'mips',
      reads: [...read.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r),
    });
  }
  return out;
}
