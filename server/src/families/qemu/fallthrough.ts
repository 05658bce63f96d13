// Fallthrough in a syscall dispatch switch: a `case` whose statements can run on into the
// next `case` (another syscall's code) without `break`, `return` or `goto`. Labels that
// share one body (no statements between them) and an explicit fallthrough (a comment
// saying so, `fallthrough;`, `QEMU_FALLTHROUGH;`, `__attribute__((fallthrough))`) are fine.
import type { Node, Tree } from 'web-tree-sitter';
import { RegionMemo } from '../../syntax/c/regionMemo';
import { MatchMemo } from '../../core/textChange';

export interface Fallthrough {
  /** The case that runs on: its label's name, and the byte range of its last statement. */
  from: { name: string; start: number; end: number };
  /** The case it runs into (`default` for the default label). */
  into: { name: string; start: number; end: number };
}

const NORETURN = new Set([
  'abort',
  'exit',
  '_exit',
  'g_assert_not_reached',
  'cpu_loop_exit',
  'cpu_loop_exit_noexc',
  'unreachable',
  '__builtin_unreachable',
  'qemu_abort',
  'error_exit',
]);
const FALL_COMMENT = /fall(s|ing)?[\s-]*(through|thru)|no\s*break/i;

type Verdict = 'yes' | 'no' | 'unknown';

const statements = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');

/** Does control never leave the end of `n` normally? */
function ends(n: Node | undefined | null): Verdict {
  if (!n) return 'no';
  switch (n.type) {
    case 'break_statement':
    case 'return_statement':
    case 'goto_statement':
    case 'continue_statement':
      return 'yes';
    case 'expression_statement': {
      const call = n.namedChildren[0];
      if (call?.type === 'call_expression') {
        const fn = call.childForFieldName('function');
        if (fn && NORETURN.has(fn.text)) return 'yes';
      }
      if (call?.type === 'identifier' && /^(fallthrough|QEMU_FALLTHROUGH)$/.test(call.text)) return 'yes';
      return 'no';
    }
    case 'attributed_statement':
      return /fallthrough/.test(n.text) ? 'yes' : 'no';
    case 'compound_statement':
      return ends(statements(n).pop());
    case 'if_statement': {
      const alt = n.childForFieldName('alternative');
      if (!alt) return 'no';
      const a = ends(n.childForFieldName('consequence')),
        b = ends(alt.type === 'else_clause' ? statements(alt).pop() : alt);
      return a === 'yes' && b === 'yes' ? 'yes' : a === 'unknown' || b === 'unknown' ? 'unknown' : 'no';
    }
    case 'else_clause':
      return ends(statements(n).pop());
    case 'preproc_if':
    case 'preproc_ifdef':
    case 'preproc_elif':
    case 'preproc_else':
      // Branches the preprocessor chooses among: sure only when every branch ends.
      return 'unknown';
    case 'labeled_statement':
      return ends(statements(n).pop());
    default:
      return n.type.startsWith('preproc') || n.type === 'ERROR'
        ? 'unknown'
        : n.type.endsWith('_statement')
          ? /^(switch|while|for|do)_statement$/.test(n.type)
            ? 'unknown'
            : 'no'
          : 'no';
  }
}

/** A case's label name: the identifier after `case` (with `prefix` removed), or `default`. */
function labelOf(c: Node, prefix: string): string | undefined {
  const v = c.childForFieldName('value');
  if (!v) return 'default';
  if (v.type !== 'identifier') return undefined;
  return v.text.startsWith(prefix) ? v.text.slice(prefix.length) : undefined;
}

/**
 * Every case of the switch statements in `tree` whose label names a syscall (`prefix`) and
 * whose body runs on into the next case. `offset` is subtracted from byte positions (a
 * wrapped parse).
 */
export function fallthroughs(tree: Tree, prefix: string, text: string, offset = 0): Fallthrough[] {
  const re = new RegExp(`\\bcase\\s+${prefix}\\w+\\s*:`, 'g');
  const done = new Set<number>();
  return memo.run(
    `${prefix}\0${offset}`,
    tree,
    text,
    offset,
    caseMatches.matches(text, re),
    m => {
      const out: Fallthrough[] = [];
      const node = tree.rootNode.descendantForIndex(m.index + offset);
      const c = node?.type === 'case' ? node.parent : node;
      if (c?.type === 'case_statement' && c.parent) scan(c.parent, out);
      return out;
    },
    (f, by) => ({
      from: { ...f.from, start: f.from.start + by, end: f.from.end + by },
      into: { ...f.into, start: f.into.start + by, end: f.into.end + by },
    }),
  );
  function scan(parent: Node, out: Fallthrough[]) {
    if (done.has(parent.id)) return;
    done.add(parent.id);
    const kids = parent.namedChildren.filter((k): k is Node => !!k);
    kids.forEach((c, i) => {
      if (c.type !== 'case_statement') return;
      const name = labelOf(c, prefix);
      if (!name || name === 'default') return;
      const value = c.childForFieldName('value');
      const body = c.namedChildren.filter((k): k is Node => !!k && k.id !== value?.id);
      const stmts = body.filter(k => k.type !== 'comment');
      if (!stmts.length) return; // shares the next case's body
      const lastKid = body[body.length - 1];
      if (lastKid.type === 'comment' && FALL_COMMENT.test(lastKid.text)) return;
      if (ends(stmts[stmts.length - 1]) !== 'no') return;
      const next = kids[i + 1];
      if (!next || next.type !== 'case_statement') return; // the switch ends, or a preprocessor block: unsure
      // A fallthrough comment just before the next label.
      const between = text.slice(lastKid.endIndex - offset, next.startIndex - offset);
      if (FALL_COMMENT.test(between)) return;
      const intoName = labelOf(next, prefix) ?? next.childForFieldName('value')?.text ?? 'default';
      const last = stmts[stmts.length - 1];
      const nv = next.childForFieldName('value') ?? next;
      out.push({
        from: { name, start: last.startIndex - offset, end: last.endIndex - offset },
        into: { name: intoName, start: nv.startIndex - offset, end: nv.endIndex - offset },
      });
    });
  }
}

// Each switch is walked again only when the top-level definition holding it changes.
const memo = new RegionMemo<Fallthrough>();
const caseMatches = new MatchMemo();
