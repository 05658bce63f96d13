// Statements of the sh subset: commands, assignments, `if [ ... ]; then ... elif ... else
// ... fi`, `while read VAR...; do ... done` and `continue`.
import { fail } from './error';
import { plain, Tok, tokenize, Word } from './tokenize';

export type Stmt =
  | { kind: 'cmd'; words: Word[]; line: number }
  | { kind: 'assign'; name: string; value: Word; line: number }
  | { kind: 'if'; branches: { test: Word[]; body: Stmt[] }[]; otherwise?: Stmt[]; line: number }
  | { kind: 'while-read'; vars: string[]; body: Stmt[]; line: number }
  | { kind: 'continue'; line: number };

class Parser {
  i = 0;
  constructor(private toks: Tok[]) {}
  peekWord(): string | undefined {
    const t = this.toks[this.i];
    return t?.kind === 'word' ? plain(t.word) : undefined;
  }
  skipSeps() {
    while (this.toks[this.i]?.kind === 'sep') this.i++;
  }
  expect(word: string) {
    this.skipSeps();
    if (this.peekWord() !== word) fail(`line ${(this.toks[this.i]?.line ?? 0) + 1}: expected \`${word}\``);
    this.i++;
  }
  list(ends: string[]): Stmt[] {
    const out: Stmt[] = [];
    for (;;) {
      this.skipSeps();
      const t = this.toks[this.i];
      if (!t) {
        if (ends.length) fail(`unexpected end of script, expected ${ends.map(e => `\`${e}\``).join(' or ')}`);
        return out;
      }
      const w = this.peekWord();
      if (w !== undefined && ends.includes(w)) return out;
      out.push(this.stmt());
    }
  }
  words(): Word[] {
    const out: Word[] = [];
    for (let t = this.toks[this.i]; t && t.kind === 'word'; t = this.toks[++this.i]) out.push(t.word);
    const t = this.toks[this.i];
    if (t?.kind === 'op')
      fail(`line ${t.line + 1}: \`${t.text}\` (pipes, redirections and subshells are not interpreted inside the loop)`);
    return out;
  }
  test(): Word[] {
    const ws = this.words();
    const first = ws.length ? plain(ws[0]) : undefined;
    if (first !== '[' || plain(ws[ws.length - 1]) !== ']')
      fail(`line ${(this.toks[this.i - 1]?.line ?? 0) + 1}: a condition other than \`[ ... ]\``);
    return ws.slice(1, -1);
  }
  stmt(): Stmt {
    const t = this.toks[this.i] as Extract<Tok, { kind: 'word' }> | Extract<Tok, { kind: 'op' }>;
    const line = t.line;
    if (t.kind === 'op') fail(`line ${line + 1}: \`${t.text}\` is not interpreted`);
    const w = this.peekWord();
    if (w === 'if') {
      this.i++;
      const branches: { test: Word[]; body: Stmt[] }[] = [];
      let test = this.test();
      this.expect('then');
      let otherwise: Stmt[] | undefined;
      for (;;) {
        const body = this.list(['elif', 'else', 'fi']);
        branches.push({ test, body });
        const end = this.peekWord();
        this.i++;
        if (end === 'elif') {
          test = this.test();
          this.expect('then');
          continue;
        }
        if (end === 'else') {
          otherwise = this.list(['fi']);
          this.i++;
        }
        break;
      }
      return { kind: 'if', branches, otherwise, line };
    }
    if (w === 'while') {
      this.i++;
      const ws = this.words();
      const names = ws.map(plain);
      if (
        names[0] !== 'read' ||
        names.length < 2 ||
        names.slice(1).some(n => !n || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(n))
      )
        fail(`line ${line + 1}: a loop other than \`while read VAR...\``);
      this.expect('do');
      const body = this.list(['done']);
      this.i++;
      return { kind: 'while-read', vars: names.slice(1) as string[], body, line };
    }
    if (w === 'continue') {
      this.i++;
      return { kind: 'continue', line };
    }
    const ws = this.words();
    const head = ws[0];
    const first = head[0];
    if (ws.length === 1 && first && 'lit' in first && !first.quoted) {
      const a = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.lit);
      if (a)
        return {
          kind: 'assign',
          name: a[1],
          value: [{ lit: first.lit.slice(a[0].length), quoted: true }, ...head.slice(1)],
          line,
        };
    }
    return { kind: 'cmd', words: ws, line };
  }
}

/** The statements of `text`, whose first line is `firstLine` of its script (for messages). */
export function parseSh(text: string, firstLine: number): Stmt[] {
  return new Parser(tokenize(text, firstLine)).list([]);
}
