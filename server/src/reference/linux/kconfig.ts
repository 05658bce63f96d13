// Which generic definition an arch compiles: the `CONFIG_` conditions around a
// SYSCALL_DEFINE (kernel/fork.c has four `clone`s) and the symbols an arch's Kconfig selects.
import { stripComments } from '../../syntax/c/comments';

export interface Conditions { requires?: string[]; excludes?: string[] }

type Cond = { sym: string; neg: boolean } | null;

/** `#ifdef CONFIG_X`, `#if defined(CONFIG_X)`, `#if !IS_ENABLED(CONFIG_X)`; null when not that simple. */
function parseCond(directive: string, rest: string): Cond {
  const r = stripComments(rest, false).trim();
  if (directive === 'ifdef' || directive === 'ifndef') {
    const m = /^CONFIG_(\w+)$/.exec(r);
    return m ? { sym: m[1], neg: directive === 'ifndef' } : null;
  }
  const m = /^(!?)\s*(?:defined\s*\(?\s*|IS_ENABLED\s*\(\s*|IS_BUILTIN\s*\(\s*)?CONFIG_(\w+)\s*\)?$/.exec(r);
  return m ? { sym: m[2], neg: m[1] === '!' } : null;
}

/** A function from an offset in `text` to the simple CONFIG_ conditions in force there. */
export function conditionsAt(text: string): (offset: number) => Conditions {
  const events: { at: number; d: string; rest: string }[] = [];
  const re = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) events.push({ at: m.index, d: m[1], rest: m[2] });
  // Frames: the conditions of the branches seen so far, and of the current branch.
  const stack: { previous: Cond[]; current: Cond | 'else' }[] = [];
  let i = 0;
  return (offset: number) => {
    for (; i < events.length && events[i].at < offset; i++) {
      const { d, rest } = events[i];
      if (d === 'if' || d === 'ifdef' || d === 'ifndef') stack.push({ previous: [], current: parseCond(d, rest) });
      else if (d === 'elif') { const f = stack[stack.length - 1]; if (f && f.current !== 'else') { f.previous.push(f.current); f.current = parseCond('if', rest); } }
      else if (d === 'else') { const f = stack[stack.length - 1]; if (f && f.current !== 'else') { f.previous.push(f.current); f.current = 'else'; } }
      else stack.pop();
    }
    const requires: string[] = [], excludes: string[] = [];
    const add = (c: Cond, negate: boolean) => { if (c) (c.neg !== negate ? excludes : requires).push(c.sym); };
    for (const f of stack) {
      // An #elif or #else branch also means every earlier branch was false.
      for (const p of f.previous) add(p, true);
      if (f.current !== 'else') add(f.current, false);
    }
    return requires.length || excludes.length ? { ...(requires.length ? { requires } : {}), ...(excludes.length ? { excludes } : {}) } : {};
  };
}

/** The symbols an arch's Kconfig selects (`select FOO`, whatever its condition). */
export function archSelects(kconfig: string): string[] {
  const out = new Set<string>();
  const re = /^\s*select\s+(\w+)/gm;
  for (let m = re.exec(kconfig); m; m = re.exec(kconfig)) out.add(m[1]);
  return [...out].sort();
}

/** The symbols an arch's Kconfig defines itself (`config FOO`): set by defaults or users. */
export function archDefines(kconfig: string): string[] {
  const out = new Set<string>();
  const re = /^\s*(?:menu)?config\s+(\w+)/gm;
  for (let m = re.exec(kconfig); m; m = re.exec(kconfig)) out.add(m[1]);
  return [...out].sort();
}
