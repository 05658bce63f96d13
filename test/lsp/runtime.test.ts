// The Node flags and environment the client starts the server with (protocol/runtime.ts):
// node refuses to start on a flag it does not know, so a misspelt or retired one would leave
// the user without a server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../protocol/runtime';

test('node starts with the server flags and the process sees them and its environment', () => {
  const r = spawnSync(
    process.execPath,
    [...SERVER_NODE_FLAGS, '-e', 'console.log(JSON.stringify({ argv: process.execArgv, env: process.env }))'],
    { env: { ...process.env, ...SERVER_ENV }, encoding: 'utf8' },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const seen = JSON.parse(r.stdout) as { argv: string[]; env: Record<string, string> };
  assert.deepEqual(seen.argv.slice(0, SERVER_NODE_FLAGS.length), SERVER_NODE_FLAGS);
  for (const [k, v] of Object.entries(SERVER_ENV)) assert.equal(seen.env[k], v, k);
});

test('a misspelt flag is refused, as the test above relies on', () => {
  const r = spawnSync(process.execPath, ['--heap-growing-percentage=30', '-e', '0'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
});
