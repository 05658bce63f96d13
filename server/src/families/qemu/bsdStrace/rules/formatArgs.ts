// strace-format-args in bsd-user's strace.list: a format's conversions against the words the
// FreeBSD prototype takes on each bsd-user target, `%s` on arguments that are not strings,
// and formats whose parentheses or quotes do not balance.
import type { Rule } from '../../../family';
import { Finding, Fix } from '../../../../core/types';
import { FbsdWord, freebsdAbi, freebsdWords, isPointerType } from '../../../../reference/freebsd/abis';
import { protoText } from '../../../../reference/freebsd/card';
import type { MasterParam } from '../../../../reference/freebsd/master';
import { formatConversions, StraceEntry } from '../../straceList/model';
import { BsdStraceContext, find, retarget } from './context';
import { masterAt } from '../../bsdNr/rules/context';

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
const isString = (p: MasterParam) => /\bchar\s*\*$/.test(p.type) || (p.annotations ?? []).some(a => /_z_/.test(a));

/** The format's text between its quotes, when it is one literal. */
const literal = (e: StraceEntry) =>
  e.format?.parts.length === 1 && e.format.parts[0].kind === 'string' ? e.format.parts[0].value : undefined;

function balance(s: string): string | undefined {
  let depth = 0;
  for (const ch of s.replace(/%%/g, '')) {
    if (ch === '(') depth++;
    else if (ch === ')' && --depth < 0) return 'closes a parenthesis it never opened';
  }
  if (depth) return `leaves ${plural(depth, 'parenthesis')} open`;
  if ((s.match(/"/g) ?? []).length % 2) return 'opens a quote it never closes';
  return undefined;
}

function formatArgs(c: BsdStraceContext): Finding[] {
  const out: Finding[] = [];
  const abis = c.arches.map(a => freebsdAbi(a)).filter(a => a !== undefined);
  for (const e of c.model.entries) {
    if (!e.format || e.print) continue;
    const lit = literal(e);
    const unbalanced = lit !== undefined ? balance(lit) : undefined;
    if (unbalanced)
      out.push(
        find(c.file, {
          range: e.ranges.format,
          severity: 'warning',
          code: 'strace-format-args',
          syscall: e.name,
          message: `${e.name}: the format ${e.format.text} ${unbalanced}: -strace output for it cannot be read back`,
        }),
      );
    const convs = formatConversions(e.format);
    if (!convs || !convs.length || convs[0].conv !== 's') continue;
    // A row the names rule retargets, or whose macro FreeBSD does not know, is judged by
    // its printed name (the syscall whose row it becomes).
    const known = (n: string) => c.ref.defined(n)?.entry ?? c.ref.live(n);
    const entry = retarget(c, e) ? known(e.string) : (known(e.name) ?? known(e.string));
    if (!entry?.proto || entry.proto.varargs) continue;
    const params = entry.proto.params;
    const printed = convs.slice(1).reduce((s, x) => s + x.args, 0);
    const per = abis.map(abi => ({ abi, words: freebsdWords(params, abi) }));
    const wrong = per.filter(p => p.words.length !== printed);
    const proto = protoText(entry)!;
    const related = [masterAt(c.ref, entry.line, `${proto}: ${entry.number} in syscalls.master`)];
    if (wrong.length) {
      const none = wrong.length === per.length;
      const counts = [...new Set(per.map(p => p.words.length))];
      const on = (ps: typeof per) => ps.map(p => `${p.abi.arch} ${p.words.length}`).join(', ');
      out.push(
        find(c.file, {
          range: e.ranges.format,
          severity: none ? 'warning' : 'information',
          code: 'strace-format-args',
          syscall: e.name,
          message: none
            ? `${e.name}: the format ${e.format.text} prints ${plural(printed, 'argument')} after the name, but ${proto} takes ${counts.length === 1 ? plural(counts[0], 'word') : `${on(per)} words`} on ${per.map(p => p.abi.arch).join(', ')}: -strace ${printed < Math.min(...counts) ? 'leaves arguments out' : 'prints words the call does not have'}`
            : `${e.name}: the format ${e.format.text} prints ${plural(printed, 'word')}, right on ${per
                .filter(p => !wrong.includes(p))
                .map(p => p.abi.arch)
                .join(
                  ', ',
                )}, but ${proto} takes ${on(wrong)} words there (a 64-bit argument is two words on a 32-bit target${wrong.some(w => w.abi.align64) ? ', after a pad word on arm' : ''}): -strace prints ${wrong.some(w => w.words.length > printed) ? 'halves or pads in place of' : 'more than'} the arguments there`,
          related,
          fixes: none && counts.length === 1 ? fixFor(e, params) : [],
        }),
      );
    }
    // `%s` reads a string at the word: wrong for a number or a pointer to anything else.
    for (const { abi, words } of per) {
      let slot = 0;
      for (const conv of convs.slice(1)) {
        const w: FbsdWord | undefined = words[slot + conv.args - 1];
        slot += conv.args;
        if (conv.conv !== 's' || !w) continue;
        const p = w.param >= 0 ? params[w.param] : undefined;
        if (p && isString(p)) continue;
        out.push(
          find(c.file, {
            range: e.ranges.format,
            severity: 'warning',
            code: 'strace-format-args',
            syscall: e.name,
            message: `${e.name}: the format ${e.format.text} prints word ${slot} with %s on ${abi.arch}, but that word is ${p ? `${p.name} (${p.type}${isPointerType(p.type) ? ', not a string' : ''})` : 'padding'}: -strace reads memory at that value as a string`,
            related,
          }),
        );
        break;
      }
    }
  }
  return dedupe(out);
}

/** One finding per row and message (the %s check runs per target). */
function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter(f => {
    const k = `${f.range.start.line}:${f.message.replace(/ on \w+,/, '')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** `"%s(%d, %p)"` rebuilt from the prototype's types, keeping the row's separator. */
function fixFor(e: StraceEntry, params: MasterParam[]): Fix[] {
  const lit = literal(e);
  const m = lit !== undefined ? /^%s\((.*)\)$/.exec(lit) : null;
  if (!m || /\\|"/.test(lit!)) return [];
  const sep = m[1].includes(', ') || !m[1] ? ', ' : ',';
  const conv = (p: MasterParam): string | undefined => {
    if (isString(p)) return '\\"%s\\"';
    if (isPointerType(p.type)) return '%p';
    if (/^(int|long|pid_t|lwpid_t|ssize_t|off_t|id_t)$/.test(p.type.replace(/^const /, ''))) return '%d';
    if (/^(u_int|u_long|size_t|mode_t|uid_t|gid_t|uint32_t|u_int32_t|unsigned)$/.test(p.type)) return '%#x';
    return undefined;
  };
  const cs = params.map(conv);
  if (cs.some(x => x === undefined)) return [];
  const newText = `"%s(${cs.join(sep)})"`;
  return [
    {
      title: `Print ${plural(params.length, 'argument')}: ${newText}`,
      preferred: true,
      edits: [{ range: e.format!.parts[0].range, newText }],
    },
  ];
}

/** A row's format (`"%s(%d, %#x)"`) prints one raw argument word per conversion after the name: print_syscall() hands it arg1..arg6 as the target passed them. The count must equal the words the FreeBSD prototype takes on each bsd-user target (64-bit targets one per argument; i386 two for a 64-bit scalar; arm two after a pad word). A count right on no target is a warning (the fix rebuilds the conversions where the types allow); right on some targets only, information. `%s` on a word that is not a string, and a format whose parentheses or quotes do not balance, are warnings. */
export const rule: Rule<BsdStraceContext> = {
  codes: ['strace-format-args'],
  about:
    'A row\'s format (`"%s(%d, %#x)"`) prints one raw argument word per conversion after the name: print_syscall() hands it arg1..arg6 as the target passed them. The count must equal the words the FreeBSD prototype takes on each bsd-user target (64-bit targets one per argument; i386 two for a 64-bit scalar; arm two after a pad word). A count right on no target is a warning (the fix rebuilds the conversions where the types allow); right on some targets only, information. `%s` on a word that is not a string, and a format whose parentheses or quotes do not balance, are warnings.',
  run: formatArgs,
};
