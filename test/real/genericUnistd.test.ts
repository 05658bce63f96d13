// Linux 6.12 keeps both forms of the generic ABIs' table: scripts/syscall.tbl (what the
// kernel builds from) and include/uapi/asm-generic/unistd.h with each arch's uapi unistd.h
// and Makefile.syscalls (what a tree before 6.11 has alone). Read both ways, per ABI, they
// must agree but for what one form cannot hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { genericTables } from '../../server/src/io/kernelIndex';
import { GENERIC_ABIS } from '../../server/src/reference/linux/abis';
import { emptyCatalogue } from '../../server/src/reference/linux/catalogue';
import { archUnistd, GENERIC_UNISTD, makefileSyscalls } from '../../server/src/reference/linux/genericUnistd';
import { linuxReference } from '../../server/src/reference/linux/reference';
import { parseTbl } from '../../server/src/reference/linux/tbl';
import { realData } from '../helpers/paths';

const real = realData();
const root = real?.linux612;
const skip =
  root && fs.existsSync(path.join(root, makefileSyscalls('arm64')))
    ? false
    : 'Linux 6.12 from Debian (with its Makefile.syscalls) not available: run scripts/fetch-real-data.sh';

/**
 * What only scripts/syscall.tbl has: each arch's private syscalls (the `riscv`, `arc`, `csky`,
 * `nios2`, `or1k` lines), which 6.11 moved out of the arch headers; and what only the
 * headers have: csky's and hexagon's uapi unistd.h number 84 sync_file_range2 after the
 * generated list (`#define __NR_sync_file_range2 84`, `#undef __NR_sync_file_range`), a
 * rename the .tbl cannot show (families/qemu/syscallNr/expected.ts applies it to the .tbl).
 */
const TBL_ONLY: Record<string, string[]> = {
  riscv64: ['258 riscv_hwprobe sys_riscv_hwprobe -', '259 riscv_flush_icache sys_riscv_flush_icache -'],
  riscv32: ['258 riscv_hwprobe sys_riscv_hwprobe -', '259 riscv_flush_icache sys_riscv_flush_icache -'],
  arc: [
    '244 cacheflush sys_cacheflush -',
    '245 arc_settls sys_arc_settls -',
    '246 arc_gettls sys_arc_gettls -',
    '247 sysfs sys_sysfs -',
    '248 arc_usr_cmpxchg sys_arc_usr_cmpxchg -',
  ],
  csky: [
    '84 sync_file_range sys_sync_file_range compat_sys_sync_file_range',
    '244 set_thread_area sys_set_thread_area -',
    '245 cacheflush sys_cacheflush -',
  ],
  hexagon: ['84 sync_file_range sys_sync_file_range compat_sys_sync_file_range'],
  nios2: ['244 cacheflush sys_cacheflush -'],
  openrisc: ['244 or1k_atomic sys_or1k_atomic -'],
};
const HEADER_ONLY: Record<string, string[]> = {
  csky: ['84 sync_file_range2 sys_sync_file_range compat_sys_sync_file_range'],
  hexagon: ['84 sync_file_range2 sys_sync_file_range compat_sys_sync_file_range'],
};

test(
  'Linux 6.12: asm-generic/unistd.h per ABI equals scripts/syscall.tbl (but what one form cannot hold)',
  { skip },
  () => {
    const files = new Map<string, string>();
    for (const rel of [GENERIC_UNISTD, ...GENERIC_ABIS.flatMap(a => [archUnistd(a.arch), makefileSyscalls(a.arch)])]) {
      const p = path.join(root!, rel);
      if (fs.existsSync(p)) files.set(rel, fs.readFileSync(p, 'latin1'));
    }
    const cat = emptyCatalogue();
    genericTables(cat, files);
    const ref = linuxReference(cat);
    const tbl = parseTbl('scripts/syscall.tbl', fs.readFileSync(path.join(root!, 'scripts/syscall.tbl'), 'latin1'));
    const row = (e: { number: number; name: string; entry?: string; compat?: string }) =>
      `${e.number} ${e.name} ${e.entry ?? '-'} ${e.compat ?? '-'}`;
    assert.equal(GENERIC_ABIS.length, 9);
    for (const abi of GENERIC_ABIS) {
      const fromHeader = ref.entries({ ...abi, table: 'none' })!;
      assert.ok(fromHeader, `${abi.id}: a table from ${archUnistd(abi.arch)}`);
      const a = new Set(fromHeader.map(row));
      const b = new Set(tbl.entries.filter(e => abi.tags.includes(e.abi)).map(row));
      assert.ok(b.size > 300, abi.id);
      assert.deepEqual(
        [...b].filter(x => !a.has(x)),
        TBL_ONLY[abi.id] ?? [],
        `${abi.id}: only in scripts/syscall.tbl`,
      );
      assert.deepEqual(
        [...a].filter(x => !b.has(x)),
        HEADER_ONLY[abi.id] ?? [],
        `${abi.id}: only in the headers`,
      );
    }
  },
);
