// makeDir: nested directories made, an existing one left alone, and a parent that refuses
// new entries (/proc) an error at once, where fs.mkdir's recursive mode never returned;
// the command run with its cache directory there still checks and ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeDir, makeDirSync } from '../../server/src/io/makeDir';
import { CLI, KERNEL, QEMU, tmpDir } from '../helpers/paths';

test('nested levels are made, sync and async; an existing directory is fine', async () => {
  const root = tmpDir('makedir');
  makeDirSync(path.join(root, 'a', 'b', 'c'));
  assert.ok(fs.statSync(path.join(root, 'a', 'b', 'c')).isDirectory());
  makeDirSync(path.join(root, 'a', 'b'));
  await makeDir(path.join(root, 'x', 'y'));
  assert.ok(fs.statSync(path.join(root, 'x', 'y')).isDirectory());
  await makeDir(root);
});

const proc = fs.existsSync('/proc/self') ? false : 'no /proc on this system';

test('under /proc: an error at once, sync and async', { skip: proc }, async () => {
  assert.throws(() => makeDirSync('/proc/systab-no-such/cache'), /ENOENT/);
  await assert.rejects(makeDir('/proc/systab-no-such/cache'), /ENOENT/);
  const file = path.join(tmpDir('makedir-file'), 'f');
  fs.writeFileSync(file, '');
  assert.throws(() => makeDirSync(path.join(file, 'sub')), /ENOTDIR|EEXIST/);
});

test('the command with its cache directory under /proc: checks, keeps nothing, ends', { skip: proc }, () => {
  const r = spawnSync(process.execPath, [CLI, 'check', '--kernel', KERNEL, QEMU], {
    encoding: 'utf8',
    timeout: 120000,
    env: { ...process.env, XDG_CACHE_HOME: '/proc/systab-no-such' },
  });
  assert.equal(r.signal, null, 'it ended by itself');
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  assert.match(r.stdout + r.stderr, /systab: \d+ errors?/);
});
