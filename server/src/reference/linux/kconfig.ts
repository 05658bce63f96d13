// Which generic definition an arch compiles: the `CONFIG_` conditions around a
// SYSCALL_DEFINE (kernel/fork.c has four `clone`s) and the symbols an arch's Kconfig selects.
import { stripComments } from '../../syntax/c/comments';
import { branchConditions, Conditionals, conditionalLines } from '../../syntax/c/preprocessor';

export interface Conditions {
  requires?: string[];
  excludes?: string[];
}

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
  const events = conditionalLines(text);
  // Each branch's value is its simple condition, if it has one.
  const stack = new Conditionals<Cond>();
  let i = 0;
  return (offset: number) => {
    for (; i < events.length && events[i].at < offset; i++) {
      const { directive: d, rest } = events[i];
      stack.step(d, () => (d === 'else' ? null : parseCond(d === 'elif' ? 'if' : d, rest)));
    }
    const requires: string[] = [],
      excludes: string[] = [];
    const add = (c: Cond, negate: boolean) => {
      if (c) (c.neg !== negate ? excludes : requires).push(c.sym);
    };
    // An #elif or #else branch also means every earlier branch was false.
    for (const g of stack.open) for (const c of branchConditions(g)) add(c.value, c.negated);
    return requires.length || excludes.length
      ? { ...(requires.length ? { requires } : {}), ...(excludes.length ? { excludes } : {}) }
      : {};
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
