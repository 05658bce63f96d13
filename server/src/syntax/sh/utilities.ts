// The POSIX utilities the scripts pipe through, as functions on text: `sed -e` (`y///`
// and `s///`), the regular expressions of `sed` and `grep -E`, and `sort -n`.
import { fail } from './error';

/** A sed script of `-e` expressions: `y/abc/ABC/` and `s/RE/REPL/[g]` with basic regular expressions. */
export function sed(exprs: string[], input: string): string {
  let s = input;
  for (const e of exprs) {
    const y = /^y\/([^/]*)\/([^/]*)\/$/.exec(e);
    if (y) {
      if ([...y[1]].length !== [...y[2]].length || y[1].includes('\\') || y[2].includes('\\'))
        fail(`sed ${e} is not interpreted`);
      s = [...s]
        .map(c => {
          const k = y[1].indexOf(c);
          return k >= 0 ? y[2][k] : c;
        })
        .join('');
      continue;
    }
    const sub = /^s\/((?:[^/\\]|\\.)*)\/((?:[^/\\&]|\\[^0-9])*)\/(g?)$/.exec(e);
    if (!sub) fail(`sed expression '${e}' is not interpreted`);
    const re = new RegExp(breToJs(sub![1]), sub![3] ? 'g' : '');
    s = s.replace(re, () => sub![2].replace(/\\(.)/g, '$1'));
  }
  return s;
}

/** A POSIX basic or extended regular expression (the subset the scripts use) as a JS one. */
export function breToJs(re: string, extended = false): string {
  let out = '';
  for (let i = 0; i < re.length; i++) {
    const c = re[i];
    if (c === '[') {
      let j = i + 1;
      const neg = re[j] === '^';
      if (neg) j++;
      let body = '';
      if (re[j] === ']') {
        body = '\\]';
        j++;
      }
      for (; j < re.length && re[j] !== ']'; j++) {
        if (re[j] === '[' && re[j + 1] === ':') {
          const end = re.indexOf(':]', j);
          const cls = re.slice(j + 2, end);
          const classes: Record<string, string> = {
            space: ' \\t\\n\\v\\f\\r',
            blank: ' \\t',
            digit: '0-9',
            alpha: 'A-Za-z',
            alnum: '0-9A-Za-z',
            upper: 'A-Z',
            lower: 'a-z',
            xdigit: '0-9A-Fa-f',
            punct: '!-\\/:-@\\[-`{-~',
          };
          if (end < 0 || !(cls in classes)) fail(`the character class [:${cls}:] is not interpreted`);
          body += classes[cls];
          j = end + 1;
          continue;
        }
        body += re[j] === '\\' ? '\\\\' : re[j];
      }
      if (re[j] !== ']') fail(`an unterminated bracket expression in ${re}`);
      out += '[' + (neg ? '^' : '') + body + ']';
      i = j;
      continue;
    }
    if (c === '\\') {
      const n = re[++i];
      if (n === undefined) fail(`a trailing backslash in ${re}`);
      if (!extended && '(){}+?|'.includes(n)) fail(`\\${n} in a basic regular expression is not interpreted`);
      out += /[A-Za-z0-9]/.test(n) ? fail(`\\${n} is not interpreted`) : '\\' + n;
      continue;
    }
    if ('.*^$'.includes(c)) {
      out += c;
      continue;
    }
    if (extended && '()|+?{}'.includes(c)) {
      out += c;
      continue;
    }
    out += /[A-Za-z0-9_\s]/.test(c) ? c : '\\' + c;
  }
  return out;
}

/** `sort -n` on lines: leading blanks, optional minus, digits; ties by the whole line (bytes, as in the C locale). */
export function sortN(lines: string[]): string[] {
  const key = (l: string) => {
    const m = /^[ \t]*(-?)(\d*)/.exec(l)!;
    const v = m[2] === '' ? 0 : Number(m[2]);
    return m[1] ? -v : v;
  };
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return lines
    .map(l => ({ l, k: key(l) }))
    .sort((a, b) => a.k - b.k || cmp(a.l, b.l))
    .map(x => x.l);
}
