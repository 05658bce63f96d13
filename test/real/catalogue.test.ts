// The bundled catalogue against Linux 6.12 from Debian: reproducible, and the same
// findings with it as with the tree itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { abiCard } from '../../server/src/reference/linux/cards';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { CLI, realData, ROOT, tmpDir } from '../helpers/paths';

const real = realData();
const skip = real?.linux612 ? false : 'Linux 6.12 from Debian not available: run scripts/fetch-real-data.sh';
const BUNDLED = path.join(ROOT, 'data', 'catalogue.json.gz');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

test('the generator reproduces the bundled catalogue byte for byte from Linux 6.12', { skip }, () => {
  const out = path.join(tmpDir('cat'), 'catalogue.json.gz');
  assert.equal(run(['index', '--kernel', real!.linux612!, '--out', out]).status, 0);
  assert.equal(zlib.gunzipSync(fs.readFileSync(out)).toString(), zlib.gunzipSync(fs.readFileSync(BUNDLED)).toString());
});

test('QEMU 7.2 o32 table: the same findings from the bundled catalogue as from the 6.12 tree', { skip }, () => {
  const table = path.join(real!.qemu, 'linux-user/mips/syscall-args-o32.c.inc');
  const strip = (out: string) =>
    JSON.parse(out).map((f: Record<string, unknown>) => ({
      file: f.file,
      range: f.range,
      severity: f.severity,
      code: f.code,
      message: f.message,
    }));
  const withTree = strip(run(['check', '--format', 'json', '--kernel', real!.linux612!, table]).stdout);
  const bundled = strip(run(['check', '--format', 'json', table]).stdout);
  assert.ok(withTree.length > 3);
  assert.deepEqual(bundled, withTree);
});

test('the cross-ABI card: pread64 and sync_file_range words on every ABI', { skip }, () => {
  const cat = linuxReference(loadCatalogueFile(BUNDLED));
  const words = (name: string) =>
    Object.fromEntries(
      abiCard(cat, [name])!
        .split('\n')
        .map(l => /^\| ([\w-]+) \| [^|]+ \| ([\w ]+) \|/.exec(l))
        .filter((m): m is RegExpExecArray => !!m && m[1] !== 'ABI')
        .map(m => [m[1], m[2]]),
    );
  const p = words('pread64');
  // sys_32_pread, sys_ia32_pread64 and sh's sys_pread_wrapper carry the padding explicitly.
  assert.deepEqual(
    {
      o32: p.o32,
      i386: p.i386,
      x86_64: p.x86_64,
      'arm-eabi': p['arm-eabi'],
      sh: p.sh,
      ppc64: p.ppc64,
      riscv32: p.riscv32,
      xtensa: p.xtensa,
    },
    { o32: '6', i386: '5', x86_64: '4', 'arm-eabi': '6', sh: '6', ppc64: '4', riscv32: '5', xtensa: '6' },
  );
  const s = words('sync_file_range');
  assert.deepEqual(
    { o32: s.o32, i386: s.i386, s390: s.s390, arm64: s.arm64 },
    { o32: '7', i386: '6', s390: '6', arm64: '4' },
  );
  assert.match(abiCard(cat, ['sync_file_range'])!, /Not on: arm-eabi, arm-oabi, ppc32, ppc64, xtensa/);
});
