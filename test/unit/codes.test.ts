// Codes split from another keep old settings working: a severity set for the old code
// reaches the new one unless the new one is set itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyConfig, readConfig } from '../../server/src/core/config';
import { codeInfo, codesSetBy } from '../../server/src/core/codes';
import { Finding } from '../../server/src/core/types';

const finding = (code: Finding['code']): Finding => ({
  file: 'f',
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  severity: 'warning',
  code,
  message: '',
  related: [],
  fixes: [],
});

test('a setting for name-mismatch still reaches dead cases; malformed-line still reaches too-large and timed-out files', () => {
  assert.deepEqual(codesSetBy('name-mismatch').sort(), ['dead-case', 'name-mismatch']);
  assert.deepEqual(codesSetBy('malformed-line').sort(), ['file-too-large', 'malformed-line', 'parse-timeout']);
  const off = readConfig({ severity: { 'name-mismatch': 'off' } });
  assert.deepEqual(
    applyConfig([finding('dead-case'), finding('name-mismatch'), finding('tbl-drift')], off).map(f => f.code),
    ['tbl-drift'],
  );
  const err = readConfig({ severity: { 'malformed-line': 'error' } });
  assert.deepEqual(
    applyConfig([finding('file-too-large'), finding('parse-timeout')], err).map(f => f.severity),
    ['error', 'error'],
  );
});

test('the new code set by itself wins over the old one, in either order', () => {
  for (const severity of [
    { 'name-mismatch': 'off', 'dead-case': 'error' },
    { 'dead-case': 'error', 'name-mismatch': 'off' },
  ]) {
    const cfg = readConfig({ severity });
    assert.deepEqual(
      applyConfig([finding('dead-case'), finding('name-mismatch')], cfg).map(f => `${f.code}:${f.severity}`),
      ['dead-case:error'],
    );
  }
});

test('unknown codes and severities are dropped; every code has a summary and a default', () => {
  const cfg = readConfig({ severity: { 'no-such-code': 'error', 'tbl-drift': 'loud' } });
  assert.deepEqual(cfg.severity, {});
  assert.equal(codeInfo('dead-case')?.formerly, 'name-mismatch');
  assert.equal(codeInfo('nope'), undefined);
});
