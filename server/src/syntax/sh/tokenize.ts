// Words of a POSIX sh script: literal parts (quoted or not), `$VAR`/`${VAR}` and `$((...))`,
// with `;`/newline separators and operators. Command substitution is refused: the subset
// never runs anything.
import { fail } from './error';

export type Part = { lit: string; quoted: boolean } | { var: string; quoted: boolean } | { arith: string };
export type Word = Part[];
export type Tok =
  | { kind: 'word'; word: Word; line: number }
  | { kind: 'sep'; line: number }
  | { kind: 'op'; text: string; line: number };

/** Splits shell text into words, `;`/newline separators and `|`, `>`, `(`, `)` operators. */
export function tokenize(text: string, firstLine: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0,
    line = firstLine;
  const varName = /[A-Za-z_][A-Za-z0-9_]*|[0-9#?@*$!-]/y;
  while (i < text.length) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '\n') {
      i += 2;
      line++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\n' || c === ';') {
      if (c === '\n') line++;
      toks.push({ kind: 'sep', line });
      i++;
      continue;
    }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '|' || c === '>' || c === '<' || c === '(' || c === ')' || c === '&') {
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' || two === '>>' ? two : c;
      toks.push({ kind: 'op', text: op, line });
      i += op.length;
      continue;
    }
    const word: Word = [];
    const lit = (s: string, quoted: boolean) => {
      const last = word[word.length - 1];
      if (last && 'lit' in last && last.quoted === quoted) last.lit += s;
      else word.push({ lit: s, quoted });
    };
    const dollar = (quoted: boolean) => {
      // at text[i] === '$'
      if (text.startsWith('$((', i)) {
        let depth = 0,
          j = i + 1;
        for (; j < text.length; j++) {
          if (text[j] === '(') depth++;
          else if (text[j] === ')') {
            depth--;
            if (depth === 0) break;
          }
        }
        const inner = text.slice(i + 3, j - 1);
        if (text[j - 1] !== ')') fail(`line ${line + 1}: unterminated $((...))`);
        word.push({ arith: inner });
        i = j + 1;
        return;
      }
      if (text[i + 1] === '{') {
        const end = text.indexOf('}', i);
        const name = text.slice(i + 2, end);
        if (end < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$|^[0-9]$/.test(name))
          fail(`line ${line + 1}: \${...} other than a plain variable`);
        word.push({ var: name, quoted });
        i = end + 1;
        return;
      }
      varName.lastIndex = i + 1;
      const m = varName.exec(text);
      if (!m) {
        lit('$', quoted);
        i++;
        return;
      }
      if (text[i + 1] === '(') fail(`line ${line + 1}: command substitution $(...)`);
      word.push({ var: m[0], quoted });
      i = varName.lastIndex;
    };
    while (i < text.length) {
      const d = text[i];
      if (' \t\r\n;|&<>()'.includes(d)) break;
      if (d === '\\') {
        if (text[i + 1] === '\n') {
          i += 2;
          line++;
          continue;
        }
        lit(text[i + 1] ?? '', true);
        i += 2;
        continue;
      }
      if (d === "'") {
        const end = text.indexOf("'", i + 1);
        if (end < 0) fail(`line ${line + 1}: unterminated '...'`);
        const s = text.slice(i + 1, end);
        line += s.split('\n').length - 1;
        lit(s, true);
        i = end + 1;
        continue;
      }
      if (d === '"') {
        i++;
        lit('', true);
        while (i < text.length && text[i] !== '"') {
          const e = text[i];
          if (e === '\\' && '$`"\\\n'.includes(text[i + 1] ?? '')) {
            if (text[i + 1] === '\n') line++;
            else lit(text[i + 1], true);
            i += 2;
            continue;
          }
          if (e === '$') {
            dollar(true);
            continue;
          }
          if (e === '`') fail(`line ${line + 1}: command substitution \`...\` inside the loop`);
          if (e === '\n') line++;
          lit(e, true);
          i++;
        }
        if (text[i] !== '"') fail(`line ${line + 1}: unterminated "..."`);
        i++;
        continue;
      }
      if (d === '$') {
        dollar(false);
        continue;
      }
      if (d === '`') fail(`line ${line + 1}: command substitution \`...\``);
      lit(d, false);
      i++;
    }
    toks.push({ kind: 'word', word, line });
  }
  return toks;
}

export const plain = (w: Word): string | undefined =>
  w.length === 1 && 'lit' in w[0] && !w[0].quoted ? w[0].lit : undefined;
