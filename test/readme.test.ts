// The README's first screen stays true: the quick-start command prints what the README
// shows, and exits 1 as it says (the example has errors on purpose).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { CLI, ROOT } from './helpers/paths';

test('the quick-start command prints what the README shows', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const m = /<!-- quick-start:[^>]*-->\n```text\n([\s\S]*?)```/.exec(readme);
  assert.ok(m, 'the README has the quick-start output block');
  const cmd = /node dist\/cli\.js (check examples\/o32)/.exec(readme);
  assert.ok(cmd, 'the README gives the quick-start command');
  const r = spawnSync(process.execPath, [CLI, ...cmd[1].split(' ')], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1, 'the example has errors: exit status 1');
  assert.equal(r.stdout + r.stderr, m[1]);
});
