// The TextMate grammar of syscalls.master (syntaxes/master.tmLanguage.json), run by the
// engine VS Code uses (vscode-textmate on vscode-oniguruma) over FreeBSD's real files: every
// non-blank line gets a scope beyond the root, and each entry's number, audit event, type
// flags and name (as systab's own parser finds them) get the scope of what they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, parseRawGrammar, Registry, StateStack } from 'vscode-textmate';
import { parseMaster } from '../../server/src/reference/freebsd/master';
import { FREEBSD_FIXTURE, freebsdData, ROOT } from '../helpers/paths';

const ROOT_SCOPE = 'source.systab-master';

let grammar: Promise<IGrammar> | undefined;
function loadGrammar(): Promise<IGrammar> {
  grammar ??= (async () => {
    const wasm = fs.readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const file = path.join(ROOT, 'syntaxes', 'master.tmLanguage.json');
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async scope => (scope === ROOT_SCOPE ? parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null),
    });
    const g = await registry.loadGrammar(ROOT_SCOPE);
    assert.ok(g, 'the grammar loads');
    return g;
  })();
  return grammar;
}

interface Token {
  start: number;
  end: number;
  scopes: string[];
}

/** Every line's tokens, the rule stack carried from line to line as an editor does. */
async function tokenize(text: string): Promise<Token[][]> {
  const g = await loadGrammar();
  let stack: StateStack = INITIAL;
  return text.split('\n').map(line => {
    const r = g.tokenizeLine(line, stack);
    stack = r.ruleStack;
    return r.tokens.map(t => ({ start: t.startIndex, end: Math.min(t.endIndex, line.length), scopes: t.scopes }));
  });
}

/** The scopes at a (line, character). */
const scopesAt = (lines: Token[][], line: number, ch: number) =>
  lines[line].find(t => t.start <= ch && ch < t.end)?.scopes ?? [];

async function assertCovered(file: string, text: string): Promise<{ lines: number; entries: number }> {
  const lines = await tokenize(text);
  const src = text.split('\n');
  const problems: string[] = [];
  // Every non-blank line: some of it scoped beyond the root, and no non-blank stretch of a
  // line left at the root alone (a construct the grammar does not know).
  src.forEach((l, i) => {
    if (!l.trim()) return;
    const bare = lines[i].filter(t => t.scopes.length === 1 && l.slice(t.start, t.end).trim());
    if (bare.length)
      problems.push(
        `${path.basename(path.dirname(file))}/${path.basename(file)}:${i + 1}: only the root scope on ${bare
          .map(t => JSON.stringify(l.slice(t.start, t.end).trim()))
          .join(', ')}: ${l}`,
      );
  });
  // The key parts of each entry, at the positions systab's parser gives them.
  const model = parseMaster(file, text);
  assert.deepEqual(model.problems, [], 'the parser reads the file');
  const want = (what: string, r: { start: { line: number; character: number } }, re: RegExp) => {
    const s = scopesAt(lines, r.start.line, r.start.character);
    if (!s.some(x => re.test(x)))
      problems.push(`line ${r.start.line + 1}: the ${what} has scopes ${s.join(' ')}: ${src[r.start.line]}`);
  };
  for (const e of model.entries) {
    want('number', e.ranges.number, /^constant\.numeric\./);
    want('audit event', e.ranges.audit, /^support\.constant\.audit-event\./);
    for (const f of e.ranges.flags) want('type flag', f, /^(storage\.modifier\.syscall-type|invalid\.deprecated)\./);
    if (e.ranges.name && e.proto) want('name', e.ranges.name, /^entity\.name\.function\./);
    else if (e.ranges.name) want('name', e.ranges.name, /^(entity\.name|comment|string|markup|variable)/);
  }
  assert.deepEqual(problems.slice(0, Number(process.env.GRAMMAR_SHOW ?? 10)), [], `${problems.length} problems`);
  return { lines: src.length, entries: model.entries.length };
}

const shared = freebsdData();
for (const rel of ['syscalls.master', path.join('compat_freebsd32', 'syscalls.master')]) {
  test(`the grammar scopes every line of FreeBSD's ${rel}`, async t => {
    if (!shared) {
      t.skip(`FreeBSD's files are not in ${path.join(ROOT, '..', 'shared', 'data', 'freebsd')}`);
      return;
    }
    const file = path.join(shared, rel);
    const r = await assertCovered(file, fs.readFileSync(file, 'utf8'));
    t.diagnostic(`${rel}: ${r.lines} lines, ${r.entries} entries`);
    assert.ok(r.entries > 400);
  });
}

for (const rel of ['sys/kern/syscalls.master', 'sys/compat/freebsd32/syscalls.master']) {
  test(`the grammar scopes every line of the fixture ${rel}`, async () => {
    const file = path.join(FREEBSD_FIXTURE, rel);
    await assertCovered(file, fs.readFileSync(file, 'utf8'));
  });
}

test('the grammar on each construct', async () => {
  const text = [
    '; a comment',
    '#include <sys/param.h>',
    '%%ABI_HEADERS%%',
    '#ifdef PAD64_REQUIRED',
    '7\tAUE_WAIT4\tSTD|CAPENABLED\t{',
    '\t\tint wait4(',
    '\t\t    int pid,',
    '\t\t    _Out_opt_ int *status,',
    '\t\t    _Out_writes_bytes_(nbyte) void *buf,',
    '\t\t    _Contains_long_ptr_ struct rusage *rusage',
    '\t\t);',
    '\t}',
    '#endif',
    '151-153\tAUE_NULL\tUNIMPL\tnosys',
    '8\tAUE_CREAT\tCOMPAT\t{ int creat(const char *path, int mode); } ocreat creat_args int',
    '1\tAUE_EXIT\tNOPROTO\t{ void sys_exit(int rval); } exit \\',
    '\t\t\t\t    sys_exit_args void',
    '3\tAUE_READ\tNOPROTO\t{ ssize_t read(int fd, void *buf, \\',
    '\t\t\t\t    size_t nbyte); }',
  ].join('\n');
  const lines = await tokenize(text);
  const at = (l: number, word: string, nth = 0) => {
    let ch = -1;
    for (let k = 0; k <= nth; k++) ch = text.split('\n')[l].indexOf(word, ch + 1);
    assert.ok(ch >= 0, `${word} on line ${l + 1}`);
    return scopesAt(lines, l, ch).slice(1).join(' ');
  };
  assert.match(at(0, ';'), /comment\.line\.semicolon/);
  assert.match(at(1, 'include'), /keyword\.control\.directive\.include/);
  assert.match(at(1, 'sys/param.h'), /string\.quoted/);
  assert.match(at(2, 'ABI_HEADERS'), /constant\.other\.placeholder/);
  assert.match(at(3, 'ifdef'), /keyword\.control\.directive/);
  assert.match(at(4, '7'), /constant\.numeric/);
  assert.match(at(4, 'AUE_WAIT4'), /support\.constant\.audit-event/);
  assert.match(at(4, 'STD'), /storage\.modifier\.syscall-type/);
  assert.match(at(4, '|'), /keyword\.operator/);
  assert.match(at(4, 'CAPENABLED'), /storage\.modifier\.syscall-type/);
  assert.match(at(5, 'int'), /meta\.prototype.*storage\.type/);
  assert.match(at(5, 'wait4'), /entity\.name\.function/);
  assert.match(at(6, 'pid'), /variable\.parameter/);
  assert.match(at(7, '_Out_opt_'), /storage\.modifier\.annotation/);
  assert.match(at(8, '_Out_writes_bytes_'), /storage\.modifier\.annotation/);
  assert.match(at(9, '_Contains_long_ptr_'), /storage\.modifier\.annotation/);
  assert.match(at(11, '}'), /punctuation\.section\.block\.end/);
  assert.match(at(12, 'endif'), /keyword\.control\.directive/);
  assert.match(at(13, '151'), /constant\.numeric/);
  assert.match(at(13, '153'), /constant\.numeric/);
  assert.match(at(13, 'UNIMPL'), /invalid\.deprecated/);
  assert.match(at(13, 'nosys'), /comment\.line\.description/);
  assert.match(at(14, 'creat', 0), /entity\.name\.function/);
  assert.match(at(14, 'ocreat'), /entity\.name\.function\.alternative/);
  assert.match(at(14, 'creat_args'), /entity\.name\.type\.argument-struct/);
  assert.match(at(14, 'int', 2), /storage\.type\.return/);
  assert.match(at(15, '\\'), /constant\.character\.escape\.line-continuation/);
  assert.match(at(15, 'exit', 1), /entity\.name\.function\.alternative/);
  assert.match(at(16, 'sys_exit_args'), /entity\.name\.type\.argument-struct/);
  assert.match(at(16, 'void'), /storage\.type\.return/);
  assert.match(at(17, '\\'), /meta\.prototype.*constant\.character\.escape\.line-continuation/);
  assert.match(at(18, 'nbyte'), /meta\.prototype.*variable\.parameter/);
  assert.match(at(18, '}'), /punctuation\.section\.block\.end/);
});
