// The CLI keeps a kernel tree's index in the cache the editor uses: a second check of an
// unchanged tree loads it, a changed tree is indexed again, --no-cache skips the cache.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, KERNEL, QEMU, scratch, tmpDir } from './helpers/paths';

test('check --kernel: the index is cached, checked against the tree, and rebuilt when it changed', () => {
  const cache = tmpDir('cli-cache');
  const kernel = scratch(KERNEL);
  const table = path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc');
  const run = (...extra: string[]) =>
    spawnSync(process.execPath, [CLI, 'check', '--format', 'json', '--kernel', kernel, ...extra, table], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CACHE_HOME: cache },
    });
  const first = run();
  assert.equal(first.status, 1, first.stderr);
  const files = () =>
    fs.readdirSync(path.join(cache, 'systab')).filter(f => f.startsWith('kernel-') && !f.endsWith('.tmp'));
  assert.equal(files().length, 1, 'the index was written to $XDG_CACHE_HOME/systab');
  const file = path.join(cache, 'systab', files()[0]);
  const stamp = () => fs.statSync(file).mtimeMs;
  const written = stamp();
  const second = run();
  assert.equal(second.stdout, first.stdout, 'the cached index gives the same findings');
  assert.equal(stamp(), written, 'an unchanged tree is not indexed again');
  const noCache = run('--no-cache');
  assert.equal(noCache.stdout, first.stdout);
  assert.equal(stamp(), written, '--no-cache neither reads nor writes the cache');
  // A changed prototype: the cache is stale, the tree is indexed again and the finding follows.
  const syscalls = path.join(kernel, 'include/linux/syscalls.h');
  const text = fs.readFileSync(syscalls, 'utf8');
  assert.match(text, /sys_sync_file_range\(/);
  fs.writeFileSync(
    syscalls,
    text.replace(
      /asmlinkage long sys_sync_file_range\([^;]*;/,
      'asmlinkage long sys_sync_file_range(int fd, unsigned int flags);',
    ),
  );
  const changed = run();
  assert.notEqual(stamp(), written, 'a changed tree is indexed again');
  assert.notEqual(changed.stdout, first.stdout, 'and the findings follow the tree');
});
