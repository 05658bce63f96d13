// The user's steps in code-server, driven with the mouse and keyboard (run by scripts/e2e.mjs).
// Each step saves test-results/NN-name.png and fails with a message saying what was seen.
import { readFileSync } from 'fs';
import * as path from 'path';

const LONG = 90_000;

export async function runSteps({ page, url, ws, expect, results, log, fail, discrepancies }) {
  const shot = async name => {
    const file = path.join(results, `${name}.png`);
    await page.screenshot({ path: file });
    log(`  screenshot test-results/${name}.png`);
  };
  const sleep = ms => page.waitForTimeout(ms);
  const until = async (what, fn, timeout = LONG, every = 500) => {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await fn();
        if (last && last.ok !== false) return last;
      } catch (e) {
        last = { error: String(e.message ?? e) };
      }
      if (Date.now() > end)
        fail(
          `timed out after ${timeout / 1000} s waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 2000)}`,
        );
      await sleep(every);
    }
  };
  const rel = f => path.relative(ws.folder, f);

  // --- the workbench -------------------------------------------------------
  log('step 0: open code-server');
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: LONG });
  await page.locator('.monaco-workbench').waitFor({ timeout: LONG });
  await page
    .locator('.explorer-folders-view, .explorer-viewlet')
    .first()
    .waitFor({ timeout: LONG })
    .catch(() => undefined);
  await until(
    'the workbench to settle (status bar)',
    async () => (await page.locator('#workbench\\.parts\\.statusbar').count()) > 0,
  );
  await sleep(2000);
  // Close notifications that could cover the editor (none are expected).
  await page.keyboard.press('Escape');
  await shot('00-workbench');

  const statusText = async () =>
    (await page.locator('#workbench\\.parts\\.statusbar').innerText()).replace(/\s+/g, ' ');
  const systabStatus = async () => {
    const item = page
      .locator(
        '#workbench\\.parts\\.statusbar [id="systab.systab.status"], #workbench\\.parts\\.statusbar .statusbar-item:has-text("systab")',
      )
      .first();
    return (await item.count()) ? (await item.innerText()).replace(/\s+/g, ' ').trim() : '';
  };
  const languageMode = async () => {
    const item = page.locator('[id="status.editor.mode"]');
    return (await item.count()) ? (await item.innerText()).trim() : '';
  };
  /** The problems counts of the status bar ("Errors: 3, Warnings: 34"...). */
  const problemCounts = async () => {
    const item = page.locator('[id="status.problems"]');
    if (!(await item.count())) return undefined;
    const label =
      (await item.getAttribute('aria-label')) ??
      (await item.locator('a, .statusbar-item-label').first().getAttribute('aria-label')) ??
      '';
    const text = (await item.innerText()).replace(/\s+/g, ' ').trim();
    const num = re => {
      const m = label.match(re);
      return m ? Number(m[1]) : 0;
    };
    return {
      label,
      text,
      errors: num(/Errors?:\s*(\d+)/i),
      warnings: num(/Warnings?:\s*(\d+)/i),
      infos: num(/Infos?:\s*(\d+)/i),
    };
  };

  async function quickOpen(file) {
    await page
      .locator('.monaco-workbench')
      .click({ position: { x: 800, y: 5 } })
      .catch(() => undefined);
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(rel(file));
    await until(
      `quick open to list ${path.basename(file)}`,
      async () =>
        (await page.locator('.quick-input-widget .monaco-list-row', { hasText: path.basename(file) }).count()) > 0,
    );
    await page.keyboard.press('Enter');
    await until(
      `an editor tab for ${path.basename(file)}`,
      async () => (await page.locator('.tabs-container .tab.active', { hasText: path.basename(file) }).count()) > 0,
    );
    await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor();
  }
  async function gotoLine(line, col) {
    await page.keyboard.press('Control+G');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(col ? `:${line}:${col}` : `:${line}`);
    await page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
  }
  const editor = () => page.locator('.editor-group-container.active .monaco-editor').first();
  const viewLine = text => editor().locator('.view-line', { hasText: text }).first();
  async function commandPalette(label) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await until(`the command palette to offer "${label}"`, async () => (await row.count()) > 0, 30_000);
    await row.click();
  }
  const fileText = f => readFileSync(f, 'utf8');

  // --- 1. open the o32 table: squiggles, language, status, Problems ---------
  log('step 1: open the o32 table with Ctrl+P');
  const exp = expect.table;
  await quickOpen(ws.table);
  const mode = await until('the language mode in the status bar', async () => (await languageMode()) || false, 30_000);
  log(`  language mode: ${mode}`);
  if (mode !== 'C') fail(`the o32 table opened as "${mode}", not as C (language id 'c')`);
  await until('squiggles in the o32 table', async () => {
    const n = await editor().locator('.squiggly-error, .squiggly-warning, .squiggly-info').count();
    return n > 0 ? { ok: true, n } : { ok: false, n };
  });
  // The counts settle once the server has published; wait for the CLI's total, then
  // compare the split by severity (a difference is reported at the end, after every step).
  const want = {
    errors: exp.severity.error ?? 0,
    warnings: exp.severity.warning ?? 0,
    infos: exp.severity.information ?? 0,
  };
  const counts = await until(`the status bar to count ${exp.total} problems (as \`systab check\` does)`, async () => {
    const c = await problemCounts();
    return c && c.errors + c.warnings + c.infos === exp.total ? c : { ok: false, ...c };
  });
  log(`  status bar problems: ${counts.label || counts.text}; the CLI: ${JSON.stringify(want)}`);
  if (counts.errors !== want.errors || counts.warnings !== want.warnings || counts.infos !== want.infos) {
    discrepancies.push(
      `the editor counts ${counts.errors} errors, ${counts.warnings} warnings, ${counts.infos} infos on ${rel(ws.table)}, ` +
        `\`systab check\` ${want.errors}, ${want.warnings}, ${want.infos} (same ${exp.total} findings, other severities)`,
    );
  }
  const lens = await until(
    'the code lens above the table',
    async () => {
      const t = (await editor().locator('.codelens-decoration').allInnerTexts()).join(' | ').replace(/\s+/g, ' ');
      return t.includes('rows') ? t : false;
    },
    30_000,
  );
  log(`  code lens: ${lens}`);
  const missing = exp.code['missing-entry'] ?? 0,
    mismatched = exp.code['arg-count-mismatch'] ?? 0;
  if (!lens.includes(`${missing} missing`) || !lens.includes(`${mismatched} mismatched`))
    fail(`the code lens says "${lens}", expected "${missing} missing" and "${mismatched} mismatched"`);
  log(`  systab status bar item: ${await systabStatus()}`);
  await shot('01-o32-table-squiggles');

  // The Problems panel (Ctrl+Shift+M): the file's row carries the total count.
  await page.keyboard.press('Control+Shift+M');
  const panel = page.locator('.markers-panel');
  await panel.waitFor({ state: 'visible' });
  const fileRow = panel.locator('.monaco-list-row', { hasText: path.basename(ws.table) }).first();
  const badge = await until(
    `the Problems panel to list ${path.basename(ws.table)} with ${exp.total} problems`,
    async () => {
      if (!(await fileRow.count())) return false;
      const b = (await fileRow.locator('.monaco-count-badge').innerText()).trim();
      return Number(b) === exp.total ? b : { ok: false, badge: b };
    },
  );
  const rowsText = (await panel.locator('.monaco-list-row').allInnerTexts())
    .map(s => s.replace(/\s+/g, ' '))
    .slice(0, 6);
  log(`  Problems panel: ${path.basename(ws.table)} (${badge}); first rows: ${JSON.stringify(rowsText)}`);
  // Errors come first: the o32 table's first is the syscall row's word count (8, from the
  // kernel's assembly), each error followed by its related-information lines.
  if (!rowsText.some(r => /systab (arg-count-mismatch|missing-entry)/.test(r)))
    fail(`the Problems panel does not list an o32 error first: ${JSON.stringify(rowsText)}`);
  const mmFinding = exp.findings.find(f => f.code === 'arg-count-mismatch');
  if (mmFinding) {
    const name = mmFinding.message.match(/^(\w+)/)[1];
    const r = panel.locator('.monaco-list-row', { hasText: `${name} (` }).first();
    if (await r.count()) {
      const icon =
        (await r
          .locator('[class*="codicon-error"], [class*="codicon-warning"], [class*="codicon-info"]')
          .first()
          .getAttribute('class')
          .catch(() => '')) ?? '';
      const seen = /codicon-error/.test(icon)
        ? 'error'
        : /codicon-warning/.test(icon)
          ? 'warning'
          : /codicon-info/.test(icon)
            ? 'information'
            : `unknown (${icon})`;
      log(`  Problems panel: ${name}'s arg-count-mismatch shows as ${seen} (the CLI: ${mmFinding.severity})`);
      if (seen !== mmFinding.severity)
        discrepancies.push(
          `the Problems panel shows ${name}'s arg-count-mismatch as ${seen}, \`systab check\` as ${mmFinding.severity}`,
        );
    }
  }
  await shot('02-problems-panel');
  await page.keyboard.press('Control+Shift+M'); // toggle the panel back off

  // --- 2. hover a row ------------------------------------------------------
  const hoverName = ws.real
    ? 'sync_file_range'
    : (exp.findings.find(f => f.code === 'arg-count-mismatch')?.message.match(/^(\w+)/)?.[1] ?? 'mount');
  const hoverLine =
    fileText(ws.table)
      .split('\n')
      .findIndex(l => new RegExp(`/\\*\\s*${hoverName}\\s*\\*/|\\b${hoverName}\\b`).test(l)) + 1;
  log(`step 2: hover the ${hoverName} row`);
  if (hoverLine < 1) fail(`no ${hoverName} row in ${ws.table}`);
  await editor().click({ position: { x: 300, y: 200 } });
  await gotoLine(hoverLine);
  const row = viewLine(hoverName);
  await row.waitFor({ state: 'visible' });
  const nameSpan = row.locator('span', { hasText: hoverName }).last();
  const box = await nameSpan.boundingBox();
  if (!box) fail(`the ${hoverName} row is not on screen`);
  const hoverWidget = page.locator('.monaco-hover:visible, .monaco-resizable-hover:visible').first();
  const card = await until(
    `a hover card on the ${hoverName} row`,
    async () => {
      await page.mouse.move(box.x + box.width / 2 + 1, box.y + box.height / 2);
      await sleep(1200);
      if (!(await hoverWidget.count())) {
        await page.mouse.move(box.x - 40, box.y - 40);
        return false;
      }
      const t = (await hoverWidget.innerText()).replace(/\s+/g, ' ');
      return t.includes(hoverName) ? t : { ok: false, text: t };
    },
    60_000,
    300,
  );
  log(`  hover card: ${card.slice(0, 300)}…`);
  if (ws.real)
    for (const s of ['sp+16', 'QEMU must fetch 7 words'])
      if (!card.includes(s)) fail(`the hover card on sync_file_range does not mention "${s}": ${card}`);
  // The card opens at its top: the count QEMU must fetch, then the prototype and word layout.
  await shot(`03-hover-${hoverName}`);
  await page.mouse.move(5, 500);
  await page.keyboard.press('Escape');

  // --- 3. quick-fix with Ctrl+. --------------------------------------------
  const mm = exp.findings.find(f => f.code === 'arg-count-mismatch');
  if (!mm) fail('the CLI reports no arg-count-mismatch on this table, nothing to quick-fix');
  const mmName = mm.message.match(/^(\w+)/)[1];
  const need = mm.message.match(/needs (\d+)/)[1];
  log(`step 3: quick-fix ${mmName}'s count with Ctrl+. (to ${need})`);
  await gotoLine(mm.range.start.line + 1, mm.range.start.character + 1);
  await sleep(500);
  await page.keyboard.press('Control+.');
  const title = `Set ${mmName}'s count to ${need}`;
  const action = page
    .locator('.action-widget .monaco-list-row, .context-view .monaco-list-row', { hasText: title })
    .first();
  await until(`the quick-fix menu to offer "${title}"`, async () => (await action.count()) > 0, 30_000);
  await shot('04-quickfix-menu');
  await action.click();
  const lineNo = mm.range.start.line;
  const fixed = await until(
    `the ${mmName} row to read ${need}`,
    async () => {
      const t = (await viewLine(mmName).innerText()).replace(/\s+/g, ' ');
      return new RegExp(`=\\s*${need}\\b`).test(t) ? t : { ok: false, line: t };
    },
    30_000,
  );
  log(`  the row now reads: ${fixed.trim()}`);
  const c3 = await until(
    `the finding to go (status bar ${exp.total - 1} problems)`,
    async () => {
      const c = await problemCounts();
      return c && c.errors + c.warnings + c.infos === exp.total - 1 ? c : { ok: false, ...c };
    },
    30_000,
  );
  log(`  status bar problems now: ${c3.label || c3.text}`);
  await page.keyboard.press('Control+S');
  await until(
    `${rel(ws.table)} to be saved with the fix`,
    async () =>
      new RegExp(
        `\\[\\s*${mm.range.start.line}\\]\\s*=\\s*${need}\\b|${mmName}.*\\b${need}\\b|\\b${need}\\b.*${mmName}`,
      ).test(fileText(ws.table).split('\n')[lineNo]),
    15_000,
  );
  await shot('05-quickfix-applied');
  await page.keyboard.press('Control+Home');
  // One mismatch fewer (QEMU 7.2's table has two: syscall's 7 for 8 words, and the one fixed).
  const left = `${mismatched - 1} mismatched`;
  const lens3 = await until(
    `the code lens to say ${left}`,
    async () => {
      const t = (await editor().locator('.codelens-decoration').allInnerTexts()).join(' | ').replace(/\s+/g, ' ');
      return t.includes(` ${left}`) ? t : { ok: false, lens: t };
    },
    30_000,
  );
  log(`  code lens: ${lens3}`);

  // --- 4. systab: Regenerate table -----------------------------------------
  log('step 4: "systab: Regenerate table" from the command palette (F1)');
  const before = fileText(ws.table);
  await commandPalette('systab: Regenerate table');
  const regenerated = await until(
    'the table to be regenerated (missing rows inserted, dirty editor)',
    async () => {
      const dirty = (await page.locator('.tabs-container .tab.active.dirty').count()) > 0;
      const lensNow = (await editor().locator('.codelens-decoration').allInnerTexts()).join(' ').replace(/\s+/g, ' ');
      return dirty && lensNow.includes(' 0 missing') ? lensNow : { ok: false, dirty, lens: lensNow };
    },
    60_000,
  );
  log(`  code lens after regenerating: ${regenerated}`);
  await page.keyboard.press('Control+S');
  const after = await until(
    'the regenerated table on disk',
    async () => {
      const t = fileText(ws.table);
      return t !== before ? t : false;
    },
    15_000,
  );
  const added = after.split('\n').length - before.split('\n').length;
  log(`  the file changed: ${before.split('\n').length} -> ${after.split('\n').length} lines`);
  for (const f of exp.findings.filter(f => f.code === 'missing-entry')) {
    const name = f.message.match(/^(\w+)/)[1];
    if (!after.includes(name)) fail(`after "Regenerate table", ${name} still has no row`);
  }
  const c4 = await until(
    'no errors left after regenerating',
    async () => {
      const c = await problemCounts();
      return c && c.errors === 0 ? c : { ok: false, ...c };
    },
    30_000,
  );
  log(`  status bar problems now: ${c4.label || c4.text} (${added >= 0 ? '+' : ''}${added} lines)`);
  await gotoLine(
    after
      .split('\n')
      .findIndex(l =>
        l.includes(exp.findings.find(f => f.code === 'missing-entry')?.message.match(/^(\w+)/)[1] ?? '@@'),
      ) + 1 || 1,
  );
  await shot('06-regenerated-table');

  // --- 5. systab: Show syscall coverage ------------------------------------
  log('step 5: "systab: Show syscall coverage" from the command palette (F1)');
  await commandPalette('systab: Show syscall coverage');
  await until(
    'a "Syscall coverage" tab',
    async () => (await page.locator('.tabs-container .tab.active', { hasText: 'Syscall coverage' }).count()) > 0,
    60_000,
  );
  const coverage = await until(
    'the coverage webview to render its table',
    async () => {
      for (const f of page.frames()) {
        const t = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (t.includes('Syscall coverage of')) return t.replace(/\s+/g, ' ');
      }
      return false;
    },
    60_000,
  );
  log(`  coverage webview: ${coverage.slice(0, 300)}…`);
  if (ws.real && !/mips/i.test(coverage))
    fail(`the coverage webview does not list the mips target: ${coverage.slice(0, 1000)}`);
  // The bars are drawn to scale: a bar's filled part is value/of of its width.
  let widths = [];
  for (const f of page.frames()) {
    const w = await f
      .evaluate(() =>
        [...document.querySelectorAll('.bar')].map(b => {
          const span = b.querySelector('span');
          return {
            title: b.getAttribute('title'),
            fill: span ? Math.round((100 * span.getBoundingClientRect().width) / Math.max(1, b.clientWidth)) : -1,
          };
        }),
      )
      .catch(() => []);
    if (w.length) {
      widths = w;
      break;
    }
  }
  const wrong = widths.filter(b => {
    const m = b.title?.match(/\((\d+)%\)/);
    return m && Math.abs(Number(m[1]) - b.fill) > 3;
  });
  log(
    `  coverage bars: ${widths.length}, ${wrong.length} not drawn to scale${wrong.length ? ` (e.g. "${wrong[0].title}" is filled ${wrong[0].fill}%)` : ''}`,
  );
  if (wrong.length)
    discrepancies.push(
      `${wrong.length} of ${widths.length} coverage bars are not drawn to scale (e.g. "${wrong[0].title}" is filled ${wrong[0].fill}%): ` +
        "their inline style=\"width:…\" is blocked by the webview's own Content-Security-Policy (style-src 'nonce-…'; see test-results/browser-console.log)",
    );
  await sleep(1000);
  await shot('07-coverage-webview');

  // --- 6. a .tbl copy: language 'systab-tbl' -------------------------------
  if (expect.tbl) {
    log('step 6: open syscall_o32.tbl (language systab-tbl)');
    await quickOpen(ws.tbl);
    const m = await until('the language mode of the .tbl', async () => (await languageMode()) || false, 30_000);
    log(`  language mode: ${m}`);
    if (m !== 'Syscall table') fail(`syscall_o32.tbl opened as "${m}", not as "Syscall table" (systab-tbl)`);
    const t = expect.tbl;
    if (t.total) {
      await until(
        'squiggles in syscall_o32.tbl',
        async () => (await editor().locator('.squiggly-error, .squiggly-warning, .squiggly-info').count()) > 0,
      );
      await page.keyboard.press('Control+Shift+M');
      const tblRow = page.locator('.markers-panel .monaco-list-row', { hasText: 'syscall_o32.tbl' }).first();
      const b = await until(`the Problems panel to list syscall_o32.tbl with ${t.total} problems`, async () => {
        if (!(await tblRow.count())) return false;
        const v = (await tblRow.locator('.monaco-count-badge').innerText()).trim();
        return Number(v) === t.total ? v : { ok: false, badge: v };
      });
      log(`  Problems panel: syscall_o32.tbl (${b})`);
    }
    await shot('08-tbl-file');
  }
}
