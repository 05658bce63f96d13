// Seeded random edits to a syscall.c, each applied as the server applies it (an incremental
// reparse, every memo carried from the text before), checked against a check from nothing.
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, cSyntaxOf, parseC, Workspace } from '../../server/src/analysis/analyze';
import { forgetMemos } from '../../server/src/core/memos';
import { applyChanges, currentParse, DocState } from '../../server/src/lsp/docState';
import type { Parser } from '../../server/src/syntax/c/parser';
import { caseLabels } from '../../server/src/families/qemu/dispatch/labels';
import { pairMisreads, PairMisread, pairTargets } from '../../server/src/families/qemu/dispatch/pairs';
import { fallthroughs } from '../../server/src/families/qemu/fallthrough';
import { qemuRootOf, syscallAliases } from '../../server/src/families/qemu/tree';
import type { CParse } from '../../server/src/syntax/c/parse';

// What an edit may type: characters that open or close comments, strings, directives, blocks
// and cases, and the statements and lines the checks read.
const TYPED = [
  'a',
  '0',
  ' ',
  '\n',
  '/',
  '*',
  '#',
  '\\',
  '"',
  ';',
  '{',
  '}',
  ':',
  '(',
  ')',
  'case TARGET_NR_read:',
  'case TARGET_NR_pread64:\n',
  'break;',
  'return 0;',
  '/* fall through */',
  '#ifdef TARGET_NR_foo\n',
  '#if defined(TARGET_MIPS)\n',
  '#else\n',
  '#endif\n',
  '#define TARGET_NR_alias TARGET_NR_read\n',
  '#define TARGET_NR_',
  'define',
  '_x',
  'arg2 = arg3;\n',
  'ret = target_offset64(arg2, arg3);\n',
  'if (regpairs_aligned(cpu_env, num)) {\n',
  'static int helper(int a)\n{\n',
  '}\n',
];

/**
 * What is compared: the findings (everything a front end shows) and, beneath them, the case
 * labels, the fallthroughs and every 64-bit argument read (misread or not) on every target.
 */
function shown(file: string, text: string, ws: Workspace, parse: CParse | undefined, a: ReturnType<typeof analyze>) {
  const labels = parse ? caseLabels(text, parse.tree) : [];
  const checked: PairMisread[] = [];
  if (ws.kernel) pairMisreads(text, labels, pairTargets(qemuRootOf(file)!, ws, text), ws.kernel, checked);
  return {
    findings: JSON.stringify(a.findings),
    labels: JSON.stringify(labels),
    falls: JSON.stringify(parse ? fallthroughs(parse.tree, 'TARGET_NR_', text) : []),
    reads: JSON.stringify(checked.map(m => [m.target, m.name, m.label.start, m.uses])),
    aliases: JSON.stringify(syscallAliases(text)),
  };
}

/**
 * `edits` edits to `original`; after every `every`-th, the findings of the re-check (the
 * incremental path) must equal those of a fresh parse and a check with every memo dropped.
 * Returns how many findings the fresh checks made in all (so a caller can see they were not empty).
 */
export function recheckEqualsFresh(
  file: string,
  original: string,
  ws: Workspace,
  parser: Parser,
  edits: number,
  every: number,
  seed = 12345,
): number {
  const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
  const state: DocState = {
    uri: 'file://x',
    file,
    doc: TextDocument.create('file://x', 'c', 1, original),
    stale: true,
  };
  currentParse(state, parser);
  let total = 0;
  for (let i = 0; i < edits; i++) {
    const text = state.doc.getText();
    // Now and then back to the original, so that the edits do not wear the file down.
    if (rnd(40) === 0) {
      applyChanges(state, [{ text: original }], i + 2);
    } else {
      // Edits bunch where the checks look: near a case label or a pair's read half of the time.
      const labels = [...text.matchAll(/case TARGET_NR_\w+:|target_offset64|regpairs_aligned|break;/g)];
      const near = labels.length && rnd(2) ? labels[rnd(labels.length)].index! + rnd(400) - 100 : rnd(text.length);
      const at = Math.max(0, Math.min(text.length, near));
      // A character replaced by another (the text keeps its length), a piece typed, or a few deleted.
      const kind = rnd(3);
      const singles = TYPED.filter(t => t.length === 1);
      const del = kind === 0 ? 1 : kind === 1 ? 0 : 1 + rnd(20);
      const typed = kind === 0 ? singles[rnd(singles.length)] : kind === 1 ? TYPED[rnd(TYPED.length)] : '';
      const end = Math.min(text.length, at + del);
      applyChanges(
        state,
        [{ range: { start: state.doc.positionAt(at), end: state.doc.positionAt(end) }, text: typed }],
        i + 2,
      );
    }
    const now = state.doc.getText();
    const again = analyze(file, now, ws, () => currentParse(state, parser));
    if (i % every !== every - 1) continue;
    const incremental = shown(file, now, ws, currentParse(state, parser), again);
    forgetMemos();
    let fresh: ReturnType<typeof parseC>;
    const check = analyze(file, now, ws, () => (fresh ??= parseC(parser, now, undefined, cSyntaxOf(file, now)?.wrap)));
    fresh ??= parseC(parser, now, undefined, cSyntaxOf(file, now)?.wrap);
    forgetMemos();
    const expected = shown(file, now, ws, fresh, check);
    fresh?.tree.delete();
    total += check.findings.length;
    assert.deepEqual(incremental, expected, `edit ${i}`);
  }
  state.parse?.tree.delete();
  return total;
}
