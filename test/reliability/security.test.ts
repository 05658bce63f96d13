// The server runs no other program: started with a preload that replaces every way
// child_process has of starting one by a recorder, a whole editing session (open, edit,
// hover, definition, code lens, code actions, both commands, coverage) must record nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { CodeAction, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { CLI, FIXTURES, KERNEL, QEMU, QEMU_OLD, scratch, tmpDir } from '../helpers/paths';
import { startReliabilityServer } from './lspClient';

const PRELOAD = `// systab security test: record every attempt to start a program.
'use strict';
const fs = require('fs');
const cp = require('child_process');
const log = process.env.SYSTAB_SPAWN_LOG;
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const original = cp[name];
  cp[name] = function (...args) {
    fs.appendFileSync(log, JSON.stringify({ pid: process.pid, call: name, args: args.filter(a => typeof a === 'string' || Array.isArray(a)) }) + '\\n');
    return original.apply(this, args);
  };
}
`;

function preload(): { dir: string; env: NodeJS.ProcessEnv; log: string } {
  const dir = tmpDir('sec');
  const script = path.join(dir, 'record-spawns.js');
  const log = path.join(dir, 'spawns.log');
  fs.writeFileSync(script, PRELOAD);
  const env = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(script)}`.trim(),
    SYSTAB_SPAWN_LOG: log,
  };
  return { dir, env, log };
}

const recorded = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []);

test('the recorder works: a program started under it is logged', () => {
  const { dir, env, log } = preload();
  try {
    const r = spawnSync(
      process.execPath,
      ['-e', "require('child_process').execFileSync(process.execPath, ['-e', '0'])"],
      { env, encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr);
    const lines = recorded(log);
    assert.ok(
      lines.some(l => JSON.parse(l).call === 'execFileSync'),
      `recorded: ${lines.join(' | ')}`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the server starts no program during a whole session', async () => {
  const { dir, env, log } = preload();
  const ws = scratch(QEMU);
  const old = scratch(QEMU_OLD);
  const c = await startReliabilityServer({ kernelPath: KERNEL }, { env });
  try {
    await c.waitStatus(s => s.state === 'ready');
    const open = async (file: string, languageId: string) => {
      const uri = URI.file(file).toString();
      await c.conn.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId, version: 1, text: fs.readFileSync(file, 'utf8') },
      });
      return uri;
    };
    const table = await open(path.join(ws, 'linux-user/mips/syscall-args-o32.c.inc'), 'c');
    const tbl = await open(path.join(ws, 'linux-user/mips/syscall_o32.tbl'), 'systab-tbl');
    const mipsSys = await open(path.join(old, 'linux-user/mips/cpu_loop.c'), 'c');
    const others = [];
    for (const rel of [
      'strace/strace.list',
      'qemu-dispatch/linux-user/syscall.c',
      'qemu-dispatch/linux-user/mips/syscall_o32.tbl',
    ]) {
      const f = path.join(FIXTURES, rel);
      if (fs.existsSync(f)) others.push(await open(f, f.endsWith('.tbl') ? 'systab-tbl' : 'c'));
    }
    const diags = await c.waitDiagnostics(table, (p: PublishDiagnosticsParams) =>
      p.diagnostics.some(d => d.code === 'arg-count-mismatch'),
    );
    await c.waitDiagnostics(tbl, () => true);
    await c.waitDiagnostics(mipsSys, () => true);
    for (const u of others) await c.waitDiagnostics(u, () => true);

    // Edits, on the table and on the .tbl it depends on.
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: table, version: 2 },
      contentChanges: [{ range: { start: { line: 12, character: 13 }, end: { line: 12, character: 14 } }, text: '7' }],
    });
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: tbl, version: 2 },
      contentChanges: [
        {
          range: { start: { line: 24, character: 0 }, end: { line: 24, character: 0 } },
          text: '20\to32\tfutex_waitv\t\t\tsys_futex_waitv\n',
        },
      ],
    });
    await c.waitDiagnostics(table, p => p.version === 2);

    for (const uri of [table, tbl, mipsSys, ...others]) {
      const h = await c.request<Hover | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 3, character: 8 },
      });
      assert.ok(h === null || typeof (h.contents as { value: string }).value === 'string');
      await c.request('textDocument/definition', { textDocument: { uri }, position: { line: 3, character: 8 } });
      await c.request('textDocument/codeLens', { textDocument: { uri } });
      await c.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } },
        context: { diagnostics: uri === table ? diags.diagnostics : [] },
      });
    }
    for (const command of ['systab.server.regenerateTable', 'systab.server.fixAll']) {
      const r = await c.request<{ applied: boolean }>('workspace/executeCommand', { command, arguments: [table] });
      assert.equal(r.applied, true, command);
    }
    await c.request('systab/coverage', { path: ws }).catch(() => undefined); // where the server has it
    assert.ok(c.applied.length >= 2, 'the commands asked the editor to apply their edits');
    assert.deepEqual(c.crashes(), []);
    assert.ok(c.alive());
  } finally {
    await c.stop();
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
  }
  try {
    assert.deepEqual(recorded(log), [], 'the server started a program');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI starts no program either: check, fix --dry-run, regen', () => {
  const { dir, env, log } = preload();
  const ws = scratch(QEMU);
  try {
    const table = path.join(ws, 'linux-user/mips/syscall-args-o32.c.inc');
    for (const args of [
      ['check', '--kernel', KERNEL, ws],
      ['fix', '--dry-run', '--kernel', KERNEL, ws],
      ['regen', '--kernel', KERNEL, table],
    ]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8' });
      assert.ok(r.status === 0 || r.status === 1, `${args[0]}: exit ${r.status} ${r.stderr}`);
    }
    assert.deepEqual(recorded(log), []);
  } finally {
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
