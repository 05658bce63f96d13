// The word rule on every ABI, on the syscalls with 64-bit arguments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ABIS } from '../../server/src/reference/linux/abis';
import { parseParamList } from '../../server/src/reference/linux/params';
import { layout } from '../../server/src/reference/linux/words';

const PROTOS: Record<string, string> = {
  pread64: 'unsigned int fd, char __user *buf, size_t count, loff_t pos',
  truncate64: 'const char __user *path, loff_t length',
  readahead: 'int fd, loff_t offset, size_t count',
  sync_file_range: 'int fd, loff_t offset, loff_t nbytes, unsigned int flags',
  fallocate: 'int fd, int mode, loff_t offset, loff_t len',
  fanotify_mark: 'int fanotify_fd, unsigned int flags, u64 mask, int dfd, const char __user *pathname',
};
// Words per kind of ABI: 32-bit aligning 64-bit pairs, 32-bit packing them, 64-bit.
const EXPECT: Record<string, [number, number, number]> = {
  pread64: [6, 5, 4],
  truncate64: [4, 3, 2],
  readahead: [5, 4, 3],
  sync_file_range: [7, 6, 4],
  fallocate: [6, 6, 4],
  fanotify_mark: [6, 6, 5],
};
const ALIGNING = ['o32', 'arm-eabi', 'ppc32', 'xtensa', 'hexagon'];
const PACKING = [
  'i386',
  'arm-oabi',
  'riscv32',
  'arc',
  'csky',
  'nios2',
  'openrisc',
  's390',
  'sparc32',
  'parisc32',
  'm68k',
  'microblaze',
  'sh',
];
const WIDE = [
  'n32',
  'n64',
  'x86_64',
  'x32',
  'arm64',
  'riscv64',
  'loongarch64',
  'ppc64',
  's390x',
  'sparc64',
  'parisc64',
  'alpha',
];

test('every ABI is classified once', () => {
  assert.deepEqual([...ALIGNING, ...PACKING, ...WIDE].sort(), ABIS.map(a => a.id).sort());
});

for (const abi of ABIS) {
  test(`${abi.id}: 64-bit arguments`, () => {
    const kind = ALIGNING.includes(abi.id) ? 0 : PACKING.includes(abi.id) ? 1 : 2;
    assert.equal(abi.words.bits === 64, kind === 2);
    for (const [name, proto] of Object.entries(PROTOS)) {
      assert.equal(layout(parseParamList(proto), abi.words).length, EXPECT[name][kind], `${abi.id} ${name}`);
    }
  });
}
