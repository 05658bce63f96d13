// The o32 word rule: a 64-bit scalar is two words starting on an even word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDefineArgs, parseParamList } from '../../server/src/reference/linux/params';
import { AbiWords, is64, layout, O32, wordLayout, wordPlace } from '../../server/src/reference/linux/words';

const words = (proto: string, abi: AbiWords = O32) => layout(parseParamList(proto), abi).length;
const shape = (proto: string) =>
  layout(parseParamList(proto), O32)
    .map(w => w.part)
    .join(' ');
const compat = (proto: string) => wordLayout(parseParamList(proto)).length;
const need = (native: string, wrapper?: string) => Math.max(words(native), wrapper ? compat(wrapper) : 0);

test('the o32 word counts seed 000 states: pread64 6, sync_file_range 7, fadvise64 7, ...', () => {
  assert.equal(
    need(
      'unsigned int fd, char __user *buf, size_t count, loff_t pos',
      'unsigned long fd, char __user *buf, size_t count, unsigned long unused, unsigned long a4, unsigned long a5',
    ),
    6,
    'pread64',
  );
  assert.equal(need('unsigned int fd, const char __user *buf, size_t count, loff_t pos'), 6, 'pwrite64');
  assert.equal(need('const char __user *path, loff_t length'), 4, 'truncate64');
  assert.equal(need('unsigned int fd, loff_t length'), 4, 'ftruncate64');
  assert.equal(
    need('int fd, loff_t offset, size_t count', 'int fd, u32 pad0, u64 a2, u64 a3, size_t count'),
    5,
    'readahead',
  );
  assert.equal(need('int fd, loff_t offset, loff_t len, int advice'), 7, 'fadvise64');
  assert.equal(need('int fd, loff_t offset, loff_t nbytes, unsigned int flags'), 7, 'sync_file_range');
  assert.equal(need('int fd, int mode, loff_t offset, loff_t len'), 6, 'fallocate');
  assert.equal(
    need(
      'int fanotify_fd, unsigned int flags, u64 mask, int fd, const char __user *pathname',
      'int, unsigned int, __u32, __u32, int, const char __user *',
    ),
    6,
    'fanotify_mark',
  );
});

test('C parameter counts are not word counts', () => {
  assert.equal(parseParamList('int fd, loff_t offset, loff_t nbytes, unsigned int flags').length, 4);
  assert.equal(words('int fd, loff_t offset, loff_t nbytes, unsigned int flags'), 7);
});

test('the padding word sits before a 64-bit argument at an odd word', () => {
  assert.equal(shape('int fd, loff_t offset, size_t count'), 'whole pad lo hi whole');
  assert.equal(shape('int fd, int mode, loff_t offset'), 'whole whole lo hi', 'no padding when already even');
  assert.equal(shape('u64 a'), 'lo hi', 'first argument needs no padding');
  assert.equal(shape('long long a, int b, long long c'), 'lo hi whole pad lo hi');
});

test('pointers and 32-bit types are one word; 64-bit types are two', () => {
  for (const t of [
    'char __user *',
    'const struct stat64 __user *',
    'u64 *',
    'loff_t __user *',
    'unsigned long',
    'u32',
    '__u32',
    'int',
    'size_t',
  ]) {
    assert.equal(is64(t), false, t);
  }
  for (const t of ['u64', '__u64', 's64', 'loff_t', 'long long', 'unsigned long long', 'const u64', '__aligned_u64']) {
    assert.equal(is64(t), true, t);
  }
  assert.equal(words('u32 a, u32 b'), 2);
  assert.equal(words('u64 a, u32 b'), 3);
  assert.equal(words('const char __user *p, loff_t __user *res'), 2);
});

test('an ABI without alignment packs 64-bit arguments; a 64-bit ABI uses one register each', () => {
  const i386: AbiWords = {
    name: 'i386',
    bits: 32,
    align64: false,
    registers: ['ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp'],
  };
  const n64: AbiWords = {
    name: 'n64',
    bits: 64,
    align64: false,
    registers: ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'],
  };
  assert.equal(words('int fd, loff_t offset, size_t count', i386), 4);
  assert.equal(words('int fd, loff_t offset, size_t count', n64), 3);
});

test('compat macros stand for two words; SYSCALL_DEFINE args are type, name pairs', () => {
  assert.deepEqual(
    parseParamList('const char __user *pathname, compat_arg_u64(len)').map(p => p.type),
    ['const char __user *', 'u32', 'u32'],
  );
  const p = parseDefineArgs([
    'int',
    'fanotify_fd',
    'unsigned int',
    'flags',
    'SC_ARG64(mask)',
    'int',
    'dfd',
    'const char __user *',
    'pathname',
  ]);
  assert.equal(p.length, 6);
  assert.equal(p[2].name, 'mask_lo');
});

test('word places: a0-a3, then the stack from sp+16', () => {
  assert.deepEqual(
    [0, 3, 4, 7].map(i => wordPlace(O32, i)),
    ['a0', 'a3', 'sp+16', 'sp+28'],
  );
});

test('unnamed parameters, arrays and void', () => {
  assert.deepEqual(parseParamList('void'), []);
  assert.deepEqual(
    parseParamList('unsigned int').map(p => [p.type, p.name]),
    [['unsigned int', '']],
  );
  assert.deepEqual(
    parseParamList('int fds[2]').map(p => [p.type, p.name]),
    [['int *', 'fds']],
  );
  assert.deepEqual(
    parseParamList('struct stat __user *statbuf').map(p => p.name),
    ['statbuf'],
  );
});
