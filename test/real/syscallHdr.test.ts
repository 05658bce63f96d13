// regenHeader against the real thing: for every QEMU 7.2 linux-user target with a .tbl,
// run `sh linux-user/<dir>/syscallhdr.sh IN OUT ABIS PREFIX OFFSET` with the arguments
// configs/targets/*.mak and linux-user/<dir>/meson.build give (the test may run it; the
// product never does) and compare byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { realData, ROOT, tmpDir } from '../helpers/paths';
import { loadCatalogueFile } from '../../server/src/io/catalogueFile';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { parseSyscallNr } from '../../server/src/families/qemu/syscallNr/model';
import { expectedForHeader, syscallNrFindings } from '../../server/src/families/qemu/syscallNr/rules';
import { linuxUserTargets, parseMesonGenerator, regenHeader } from '../../server/src/families/qemu/syscallhdr';
import { diskReader as fsIO } from '../../server/src/io/files';

const real = realData();
const skip = real ? false : 'real QEMU/Linux trees not available: run scripts/fetch-real-data.sh';

/** The 25 QEMU 7.2 linux-user targets that generate their header from a .tbl. */
const EXPECTED_TARGETS = [
  'alpha',
  'arm',
  'armeb',
  'hppa',
  'i386',
  'm68k',
  'microblaze',
  'microblazeel',
  'mips',
  'mips64',
  'mips64el',
  'mipsel',
  'mipsn32',
  'mipsn32el',
  'ppc',
  'ppc64',
  'ppc64le',
  's390x',
  'sh4',
  'sh4eb',
  'sparc',
  'sparc32plus',
  'sparc64',
  'x86_64',
  'xtensa',
  'xtensaeb',
];

test('regenHeader equals syscallhdr.sh output, byte for byte, for every QEMU 7.2 target with a .tbl', { skip }, () => {
  const qemu = real!.qemu;
  const targets = linuxUserTargets(qemu, fsIO).filter(t => t.systbl);
  assert.deepEqual(
    targets.map(t => t.target),
    EXPECTED_TARGETS,
  );
  const tmp = tmpDir('hdr');
  try {
    for (const t of targets) {
      const dir = t.abiDir;
      const tblRel = `linux-user/${dir}/${t.systbl}`;
      const tbl = path.join(qemu, tblRel);
      const gen = parseMesonGenerator(fs.readFileSync(path.join(qemu, 'linux-user', dir, 'meson.build'), 'utf8'), dir);
      assert.ok(!('error' in gen), `${t.target}: meson.build`);
      if ('error' in gen) continue;
      const outName = gen.output.replace('@BASENAME@', t.systbl!.replace(/\.tbl$/, ''));
      const outDir = path.join(tmp, `libqemu-${t.target}-linux-user.fa.p`);
      fs.mkdirSync(outDir, { recursive: true });
      const out = path.join(outDir, outName);
      const script = path.join(qemu, 'linux-user', dir, 'syscallhdr.sh');
      const r = spawnSync('sh', [script, tbl, out, t.systblAbi!, ...gen.extra], {
        encoding: 'utf8',
        env: { ...process.env, LC_ALL: 'C' },
      });
      assert.equal(r.status, 0, `${t.target}: ${r.stderr}`);
      const expected = fs.readFileSync(out, 'utf8');
      const mine = regenHeader(qemu, fs.readFileSync(tbl, 'utf8'), tblRel, t.target, fsIO);
      assert.ok(mine.ok, `${t.target}: ${mine.ok ? '' : mine.error}`);
      if (!mine.ok) continue;
      assert.equal(mine.target, t.target);
      assert.equal(mine.output, outName);
      assert.ok(expected.length > 200, `${t.target}: the script wrote a header`);
      assert.equal(mine.text, expected, `${t.target}: regenHeader differs from sh ${path.relative(qemu, script)}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test('one .tbl, several ABI lists: --target is required and the candidates are named', { skip }, () => {
  const qemu = real!.qemu;
  const ppc = regenHeader(
    qemu,
    fs.readFileSync(path.join(qemu, 'linux-user/ppc/syscall.tbl'), 'utf8'),
    'linux-user/ppc/syscall.tbl',
    undefined,
    fsIO,
  );
  assert.equal(ppc.ok, false);
  if (!ppc.ok) {
    assert.deepEqual(ppc.candidates, ['ppc', 'ppc64', 'ppc64le']);
    assert.match(
      ppc.error,
      /different ABI lists: ppc \(TARGET_SYSTBL_ABI=common,nospu,32\), ppc64 \(TARGET_SYSTBL_ABI=common,nospu,64\), ppc64le .*--target/,
    );
  }
  const sparc = regenHeader(
    qemu,
    fs.readFileSync(path.join(qemu, 'linux-user/sparc/syscall.tbl'), 'utf8'),
    'linux-user/sparc/syscall.tbl',
    undefined,
    fsIO,
  );
  assert.equal(sparc.ok, false);
  if (!sparc.ok) assert.deepEqual(sparc.candidates, ['sparc', 'sparc32plus', 'sparc64']);
  // mips and mipsel share one ABI list: no --target needed, both are named.
  const o32 = regenHeader(
    qemu,
    fs.readFileSync(path.join(qemu, 'linux-user/mips/syscall_o32.tbl'), 'utf8'),
    'linux-user/mips/syscall_o32.tbl',
    undefined,
    fsIO,
  );
  assert.ok(o32.ok);
  if (o32.ok) {
    assert.deepEqual(o32.targets, ['mips', 'mipsel']);
    assert.match(o32.text, /^#ifndef LINUX_USER_MIPS_SYSCALL_O32_NR_H\n/);
    assert.match(o32.text, /\n#define TARGET_NR_fadvise64_64\t\(4000 \+ 254\)\n/, 'the mips script renames fadvise64');
  }
  const wrong = regenHeader(qemu, '', 'linux-user/ppc/syscall.tbl', 'sparc64', fsIO);
  assert.equal(wrong.ok, false);
  if (!wrong.ok)
    assert.match(
      wrong.error,
      /sparc64 uses linux-user\/sparc\/syscall.tbl, not linux-user\/ppc\/syscall.tbl; the targets using this table are ppc/,
    );
});

test(
  'QEMU 7.2 hand-written syscall_nr.h against the bundled Linux 6.12 catalogue: the confirmed findings',
  { skip },
  () => {
    const qemu = real!.qemu;
    const cat = linuxReference(loadCatalogueFile(path.join(ROOT, 'data', 'catalogue.json.gz')));
    const headers = [
      'aarch64/syscall_nr.h',
      'cris/syscall_nr.h',
      'hexagon/syscall_nr.h',
      'loongarch64/syscall_nr.h',
      'nios2/syscall_nr.h',
      'openrisc/syscall_nr.h',
      'riscv/syscall32_nr.h',
      'riscv/syscall64_nr.h',
      'i386/syscall_nr.h',
      'mips/syscall_nr.h',
      'mips64/syscall_nr.h',
      'x86_64/syscall_nr.h',
    ];
    const all: string[] = [];
    for (const h of headers) {
      const file = path.join(qemu, 'linux-user', h);
      const model = parseSyscallNr(file, fs.readFileSync(file, 'utf8'));
      assert.deepEqual(model.problems, [], h);
      const findings = syscallNrFindings(file, model, expectedForHeader(`linux-user/${h}`, qemu, cat, { io: fsIO }));
      all.push(
        ...findings.map(
          f =>
            `${h}:${f.range.start.line + 1} ${f.code} ${f.syscall}${f.code === 'missing-entry' ? ` ${f.related.length}` : ''}`,
        ),
      );
    }
    // hexagon: Linux numbers 84 as sync_file_range2 (fd, flags, offset, nbytes): arch/hexagon/include/uapi/asm/unistd.h
    // `#define __NR_sync_file_range2 84` / `#undef __NR_sync_file_range` (6.1: __ARCH_WANT_SYNC_FILE_RANGE2).
    assert.deepEqual(
      all.filter(x => /mismatch/.test(x)),
      ['hexagon/syscall_nr.h:93 name-mismatch sync_file_range'],
    );
    assert.deepEqual(
      all.filter(x => /missing-entry/.test(x)),
      [
        'aarch64/syscall_nr.h:307 missing-entry quotactl_fd 1',
        'aarch64/syscall_nr.h:310 missing-entry memfd_secret 16',
        'hexagon/syscall_nr.h:326 missing-entry quotactl_fd 1',
        'hexagon/syscall_nr.h:329 missing-entry process_mrelease 15',
        'loongarch64/syscall_nr.h:86 missing-entry newfstatat 2',
        'loongarch64/syscall_nr.h:309 missing-entry cachestat 12',
        'nios2/syscall_nr.h:327 missing-entry quotactl_fd 1',
        'nios2/syscall_nr.h:330 missing-entry process_mrelease 15',
        'openrisc/syscall_nr.h:328 missing-entry quotactl_fd 1',
        'openrisc/syscall_nr.h:331 missing-entry process_mrelease 15',
        'riscv/syscall32_nr.h:228 missing-entry riscv_hwprobe 1',
        'riscv/syscall32_nr.h:301 missing-entry quotactl_fd 1',
        'riscv/syscall32_nr.h:304 missing-entry memfd_secret 16',
        'riscv/syscall64_nr.h:251 missing-entry riscv_hwprobe 1',
        'riscv/syscall64_nr.h:307 missing-entry quotactl_fd 1',
        'riscv/syscall64_nr.h:310 missing-entry memfd_secret 16',
      ],
    );
  },
);
