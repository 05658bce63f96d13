// Seeded fuzzing of the real server over stdio: random incremental edits to each corpus
// file, then the server must be alive, answer hover and code actions in time, log no
// crash, and publish for the last version exactly what a fresh in-process check finds.
// Reproduce a run with SYSTAB_FUZZ_SEED=<seed>; a failing case leaves its edits in a
// repro.json next to its scratch copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  Hover,
  PublishDiagnosticsParams,
  TextDocumentContentChangeEvent,
  TextEdit,
} from 'vscode-languageserver-protocol';
import { fixAllEdits, normalizeEdits } from '../../server/src/core/edits';
import { Analysis } from '../../server/src/analysis/analyze';
import { Catalogue } from '../../server/src/reference/linux/catalogue';
import { analyzeText, catalogueOf } from '../helpers/engine';
import { KERNEL } from '../helpers/paths';
import {
  applyChange,
  BASE_SEED,
  caseSeed,
  CaseState,
  CORPUS,
  CorpusFile,
  corpusText,
  diagKey,
  findingKey,
  multisetDiff,
  mutate,
  MutationKind,
  Rng,
  scratchCopy,
  show,
  tmpParent,
} from './fuzzlib';
import { ReliabilityClient, startReliabilityServer } from './lspClient';

const MAX_CASES = Number(process.env.SYSTAB_FUZZ_CASES ?? 150);
const BUDGET_MS = Number(process.env.SYSTAB_FUZZ_MS ?? 25_000);
const REQUEST_MS = 5000;
/** SYSTAB_FUZZ_ONLY=3,17 runs only those cases (of the same seed), to reproduce them. */
const ONLY = (process.env.SYSTAB_FUZZ_ONLY ?? '').split(',').filter(Boolean).map(Number);

interface Step {
  kind: MutationKind;
  changes: TextDocumentContentChangeEvent[];
  version: number;
  pauseMs: number;
  hover: boolean;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

interface CaseResult {
  edits: number;
  overBudget: boolean;
  problems: string[];
}

async function runCase(
  c: ReliabilityClient,
  cat: Catalogue,
  corpus: CorpusFile,
  parent: string,
  i: number,
): Promise<CaseResult> {
  const seed = caseSeed(BASE_SEED, i);
  const r = new Rng(seed);
  const file = scratchCopy(corpus, parent, `case${i}`);
  const uri = URI.file(file).toString();
  const original = corpusText(corpus);
  let doc = TextDocument.create(uri, corpus.languageId, 1, original);
  const steps: Step[] = [];
  const problems: string[] = [];
  const state: CaseState = {};
  let edits = 0,
    budgeted = 0;
  await c.conn.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: corpus.languageId, version: 1, text: original },
  });
  try {
    const n = r.range(5, 15);
    for (let k = 0; k < n; k++) {
      const version = doc.version + 1;
      // Now and then several changes in one notification, each on the text the previous left.
      const changes: TextDocumentContentChangeEvent[] = [];
      let kind: MutationKind = 'insert-snippet';
      let next = doc;
      for (let m = r.chance(0.2) ? r.range(2, 3) : 1; m > 0; m--) {
        const mu = mutate(r, next, original, undefined, state);
        kind = mu.kind;
        changes.push(mu.change);
        next = applyChange(next, mu.change, version);
        edits++;
      }
      if (!changes.length) continue;
      const step: Step = { kind, changes, version, pauseMs: r.chance(0.3) ? r.int(20) : 0, hover: r.chance(0.15) };
      steps.push(step);
      doc = next;
      await c.conn.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: changes,
      });
      if (step.pauseMs) await sleep(step.pauseMs);
      if (step.hover) {
        // Forces an analysis (and an incremental reparse) between edits.
        const pos = { line: r.int(doc.lineCount), character: r.int(40) };
        await c
          .request('textDocument/hover', { textDocument: { uri }, position: pos }, REQUEST_MS)
          .catch(e => problems.push(`mid-sequence hover at v${version}: ${(e as Error).message}`));
      }
    }
    const last = doc.version;
    const text = doc.getText();
    let published: PublishDiagnosticsParams | undefined;
    try {
      published = await c.waitDiagnostics(uri, p => p.version === last, 10000);
    } catch (e) {
      problems.push((e as Error).message);
    }

    let fresh: Analysis;
    try {
      fresh = await analyzeText(file, text, cat);
    } catch (e) {
      problems.push(`a fresh check of v${last} throws: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      fresh = { file, findings: [], parts: [] };
    }
    // A parse that runs out of the engine's time budget is cancelled and reported as such:
    // timing decides, so the server's incremental reparse and a fresh parse may differ.
    const overBudget = [...(published?.diagnostics ?? []), ...fresh.findings].some(d =>
      /could not be parsed within/.test(String(d.message)),
    );
    if (overBudget) budgeted++;
    if (published && !overBudget) {
      const { onlyA: serverOnly, onlyB: freshOnly } = multisetDiff(
        published.diagnostics.map(diagKey),
        fresh.findings.map(findingKey),
      );
      if (serverOnly.length || freshOnly.length) {
        problems.push(
          `diagnostics for v${last} differ from a fresh check:\n  server only: ${serverOnly.slice(0, 5).join('\n    ')}\n  fresh only:  ${freshOnly.slice(0, 5).join('\n    ')}`,
        );
      }
    }

    // Requests at random places must be answered, in time.
    const pos = { line: r.int(doc.lineCount + 2), character: r.int(120) };
    try {
      const h = await c.request<Hover | null>(
        'textDocument/hover',
        { textDocument: { uri }, position: pos },
        REQUEST_MS,
      );
      if (h !== null && typeof (h.contents as { value?: unknown }).value !== 'string')
        problems.push(`hover at ${JSON.stringify(pos)} has no markdown: ${JSON.stringify(h).slice(0, 200)}`);
    } catch (e) {
      problems.push((e as Error).message);
    }
    const end = { line: pos.line + r.int(3), character: r.int(120) };
    try {
      const acts = await c.request<CodeAction[]>(
        'textDocument/codeAction',
        {
          textDocument: { uri },
          range: { start: pos, end },
          context: { diagnostics: published?.diagnostics.slice(0, 3) ?? [] },
        },
        REQUEST_MS,
      );
      if (!Array.isArray(acts)) problems.push(`codeAction answered ${JSON.stringify(acts)}`);
    } catch (e) {
      problems.push((e as Error).message);
    }
    // "Fix all" from the server is what the engine computes for the same text.
    try {
      const acts = await c.request<CodeAction[]>(
        'textDocument/codeAction',
        {
          textDocument: { uri },
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          context: { diagnostics: [], only: ['source.fixAll'] },
        },
        REQUEST_MS,
      );
      const got = (acts[0]?.edit?.changes?.[uri] ?? []) as TextEdit[];
      const want = normalizeEdits(text, fixAllEdits(fresh.findings));
      // Not compared when a parse ran out of time (above): the side that timed out has no fixes.
      if (!overBudget && JSON.stringify(got) !== JSON.stringify(want))
        problems.push(
          `fix-all edits differ from the engine's:\n  server: ${show(JSON.stringify(got), 300)}\n  engine: ${show(JSON.stringify(want), 300)}`,
        );
    } catch (e) {
      problems.push((e as Error).message);
    }

    if (!c.alive()) problems.push('the server process exited');
  } finally {
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri } }).catch(() => undefined);
  }
  if (problems.length) {
    const repro = path.join(path.dirname(file), 'repro.json');
    fs.writeFileSync(
      repro,
      JSON.stringify(
        { seed, baseSeed: BASE_SEED, case: i, corpus: corpus.name, file, steps, final: doc.getText() },
        null,
        1,
      ),
    );
    problems.push(
      `repro: ${repro} (steps: ${steps.map(s => s.kind).join(', ')}; final text ${show(doc.getText(), 400)})`,
    );
  } else {
    fs.rmSync(path.join(parent, `case${i}`), { recursive: true, force: true });
  }
  return { edits, overBudget: budgeted > 0, problems };
}

test('fuzz: incremental edits to every corpus file, against a fresh check', async t => {
  const cat = await catalogueOf(KERNEL);
  const c = await startReliabilityServer({ kernelPath: KERNEL });
  const parent = tmpParent('fuzz');
  const started = Date.now();
  let cases = 0,
    edits = 0,
    overBudget = 0;
  const failed: string[] = [];
  try {
    await c.waitStatus(s => s.state === 'ready', 15000);
    for (let i = 0; i < MAX_CASES && Date.now() - started < BUDGET_MS; i++) {
      if (ONLY.length && !ONLY.includes(i)) continue;
      const corpus = CORPUS[i % CORPUS.length];
      const t0 = Date.now();
      const r = await runCase(c, cat, corpus, parent, i);
      if (process.env.SYSTAB_FUZZ_DEBUG)
        console.error(
          `case ${i} ${corpus.name} ${Date.now() - t0} ms ${r.problems.length ? 'FAIL\n' + r.problems.join('\n') : ''}`,
        );
      cases++;
      edits += r.edits;
      if (r.overBudget) overBudget++;
      if (r.problems.length)
        failed.push(`case ${i} (${corpus.name}, seed ${caseSeed(BASE_SEED, i)}):\n${r.problems.join('\n')}`);
      if (!c.alive()) {
        failed.push(`the server died during case ${i}`);
        break;
      }
    }
    t.diagnostic(
      `fuzz: base seed ${BASE_SEED}, ${cases} cases, ${edits} edits in ${Date.now() - started} ms (${overBudget} ending in a parse over the time budget, not compared); ${failed.length} failing`,
    );
    assert.deepEqual(failed, [], failed.join('\n\n'));
    const crashes = c.crashes();
    assert.deepEqual(crashes, [], `the server logged crashes:\n${crashes.join('\n')}`);
    assert.ok(c.alive(), 'the server is alive after every case');
    if (!ONLY.length) assert.ok(cases >= 20, `at least 20 cases ran (${cases})`);
  } finally {
    await c.stop();
    if (!failed.length) fs.rmSync(parent, { recursive: true, force: true });
  }
});

// ---------------------------------------------------------------------------------------
// Pathological inputs the fuzzer above leaves out: each gets a server of its own, which is
// killed afterwards (it may still be busy), and must answer within a few seconds.

interface Probe {
  published: boolean;
  hover: string;
  crashes: string[];
  ms: number;
}

async function probe(
  corpus: CorpusFile,
  text: string,
  limitMs = 3000,
  prepare?: (file: string) => void,
): Promise<Probe> {
  const c = await startReliabilityServer({ kernelPath: KERNEL });
  const parent = tmpParent('slow');
  try {
    await c.waitStatus(s => s.state === 'ready', 15000);
    const file = scratchCopy(corpus, parent, 'tree');
    prepare?.(file);
    const uri = URI.file(file).toString();
    const started = Date.now();
    await c.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: corpus.languageId, version: 1, text },
    });
    let hover = 'answered';
    try {
      await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }, limitMs);
    } catch (e) {
      hover = (e as Error).message;
    }
    const published = await c
      .waitDiagnostics(uri, p => p.version === 1, Math.max(1, limitMs - (Date.now() - started)))
      .then(
        () => true,
        () => false,
      );
    return { published, hover, crashes: c.crashes(), ms: Date.now() - started };
  } finally {
    c.kill();
    fs.rmSync(parent, { recursive: true, force: true });
  }
}

const byName = (n: string) => CORPUS.find(c => c.name === n)!;

function assertPrompt(p: Probe, what: string): void {
  assert.deepEqual(p.crashes, [], `${what}: the server logged a crash`);
  assert.equal(p.hover, 'answered', `${what}: hover`);
  assert.ok(p.published, `${what}: no diagnostics within the limit`);
}

test('pathological input: a .tbl line whose entry point sits 100k tabs to the right', async () => {
  const tbl = byName('tbl');
  const text = corpusText(tbl).replace(
    '19\to32\tlandlock_restrict_self\t\t',
    `19\to32\tlandlock_restrict_self${'\t'.repeat(100_000)}`,
  );
  assertPrompt(await probe(tbl, text), '100k tabs');
});

test('pathological input: a 100k-character run of juxtaposed identifiers inside an o32 row', async () => {
  const inc = byName('designated');
  const text = corpusText(inc).replace('[   6', `[   6${'x y '.repeat(25_000)}`);
  assertPrompt(await probe(inc, text), '100k of `x y `');
});

test('pathological input: a syscall_nr.h #define nested 5000 parentheses deep', async () => {
  const nr = byName('syscall_nr.h');
  const text = corpusText(nr).replace(
    '(TARGET_NR_Linux +   1)',
    `${'('.repeat(5000)}TARGET_NR_Linux + 1${')'.repeat(5000)}`,
  );
  assert.notEqual(text, corpusText(nr));
  assertPrompt(await probe(nr, text), '5000 parentheses');
});

test('pathological input: a designated row numbered 0x1000000', async () => {
  const inc = byName('designated');
  const text = corpusText(inc).replace('[   8] = 2', '[ 0x1000000] = 2');
  assertPrompt(await probe(inc, text), '[ 0x1000000]');
});

test('pathological input: the .tbl beside a designated table has syscall 10000000', async () => {
  const inc = byName('designated');
  assertPrompt(
    await probe(inc, corpusText(inc), 3000, file => {
      fs.appendFileSync(path.join(path.dirname(file), 'syscall_o32.tbl'), '10000000\to32\tfar_away\tsys_read\n');
    }),
    '.tbl with 10000000',
  );
});

test('pathological input: a designated row numbered 4015 and one 100k-character row', async () => {
  // Was: one unused-slot-zero fix per hole below 4015, each row rendered from the long row:
  // fix-all was 400 million characters. In-process: a server asked for that writes it all.
  const inc = byName('designated');
  const file = path.join(inc.tree, inc.rel);
  const text = corpusText(inc)
    .replace('[  15] = 6', '[4015] = 6')
    .replace('/* pwrite64 */', `/* pwrite64 ${'x'.repeat(100_000)} */`);
  const started = Date.now();
  const a = await analyzeText(file, text, await catalogueOf(KERNEL));
  const size = fixAllEdits(a.findings).reduce((n, e) => n + e.newText.length, 0);
  assert.ok(size < 1_000_000, `fix-all inserts ${size} characters into a ${text.length}-character file`);
  assert.ok(a.findings.length < 100, `${a.findings.length} findings`);
  assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
});

// ---------------------------------------------------------------------------------------
// Positions as LSP counts them: UTF-16 code units, and \n, \r\n or a lone \r as line breaks.
// The editor shows a diagnostic on what its range covers in the editor's own text.

async function countUnderDiagnostic(text: string): Promise<string> {
  const inc = byName('designated');
  const c = await startReliabilityServer({ kernelPath: KERNEL });
  const parent = tmpParent('pos');
  try {
    await c.waitStatus(s => s.state === 'ready', 15000);
    const file = scratchCopy(inc, parent, 'tree');
    const uri = URI.file(file).toString();
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'c', version: 1, text } });
    const d = await c.waitDiagnostics(uri, p => p.version === 1);
    const sfr = d.diagnostics.find(x => String(x.message).startsWith('sync_file_range (4012) needs 7'));
    assert.ok(sfr, 'the sync_file_range finding');
    return TextDocument.create(uri, 'c', 1, text).getText(sfr.range);
  } finally {
    await c.stop();
    fs.rmSync(parent, { recursive: true, force: true });
  }
}

test('positions: LF, CRLF and a non-BMP character before the count on its line', async () => {
  const text = corpusText(byName('designated'));
  assert.equal(await countUnderDiagnostic(text), '4');
  assert.equal(await countUnderDiagnostic(text.replace(/\n/g, '\r\n')), '4');
  assert.equal(await countUnderDiagnostic(text.replace('    [  12] = 4', '/*😀*/[  12] = 4')), '4');
});

test('positions: a lone carriage return is a line break to the editor', async () => {
  const text = corpusText(byName('designated'));
  assert.equal(await countUnderDiagnostic(text.replace('/* read */', '/* re\rad */')), '4');
  assert.equal(await countUnderDiagnostic(text.replace(/\n/g, '\r')), '4');
});
