// The README's editor snippets, which it holds verbatim from editors/. The Neovim one
// (editors/neovim/systab.lua) runs in the real Neovim, driven headless by
// test/editors/neovim-driver.lua: diagnostics from the configured kernel, hover, a quick-fix
// applied, and the client attached to every file systab reads. Helix is not in Debian 12.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DOCUMENT_SELECTOR } from '../../protocol/documents';
import { cacheFile } from '../../server/src/io/kernelCacheFile';
import { FIXTURES, KERNEL, QEMU, QEMU_DISPATCH, ROOT, SERVER } from '../helpers/paths';

const SNIPPET = path.join(ROOT, 'editors', 'neovim', 'systab.lua');
const HELIX = path.join(ROOT, 'editors', 'helix', 'languages.toml');
const DRIVER = path.join(ROOT, 'test', 'editors', 'neovim-driver.lua');

/** The first line of `nvim --version`, or undefined; even that writes a log, so into a folder removed at once. */
function nvimVersion(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-nvim-version-'));
  try {
    const env = { ...process.env, XDG_CACHE_HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir };
    const r = spawnSync('nvim', ['--version'], { encoding: 'utf8', env });
    return r.status === 0 ? r.stdout.split('\n')[0] : undefined;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const nvim = nvimVersion();
const skip = nvim ? false : 'nvim is not installed (apt-get install -y neovim): the Neovim test is skipped';

interface Opened {
  file?: string;
  filetype: string;
  attached: boolean;
}
interface Result {
  version: string;
  error?: string;
  messages?: string;
  init_options?: { kernelPath?: string };
  settings?: { systab?: { kernelPath?: string } };
  table?: Opened & { diagnostics: boolean; count: number };
  diagnostic?: { code: string; lnum: number; col: number; severity: number; source: string; message: string };
  hover?: string;
  actions?: { title: string; kind: string }[];
  fixed_line?: string;
  fixed?: boolean;
  dispatch?: Opened & { hover: string };
  files: Opened[];
  plain?: { attached: boolean };
  clients?: number;
}

test('the README includes the editor snippets verbatim; the Helix one names every file systab reads', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  for (const [file, lang] of [
    [SNIPPET, 'lua'],
    [HELIX, 'toml'],
  ]) {
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(readme.includes('```' + lang + '\n' + text + '```\n'), `README.md must hold ${file} in a ${lang} block`);
  }
  // Helix is not packaged in Debian 12, so its snippet is checked by what it says only.
  const helix = fs.readFileSync(HELIX, 'utf8');
  for (const want of [
    'language-servers = ["clangd", "systab"]',
    '{ glob = "*.c.inc" }',
    '{ glob = "*/linux-user/strace.list" }',
    '{ glob = "*/bsd-user/*/strace.list" }',
    '{ glob = "*/linux-user/*/syscall*_nr.h" }',
    'file-types = ["tbl"]',
    'file-types = [{ glob = "syscalls.master" }]',
    'systab = { kernelPath',
  ])
    assert.ok(helix.includes(want), `editors/helix/languages.toml: ${want}`);
});

const globRe = (g: string) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

test('the Neovim snippet reaches every file the families read', () => {
  const lua = fs.readFileSync(SNIPPET, 'utf8');
  const globs = [...lua.matchAll(/\{ '([^']+)', '[\w-]+' \}/g)].map(m => m[1]);
  // What the FileType autocmd attaches to: every C file and header (c or cpp) and the two line formats.
  const byType = (p: string) => /\.(c|h|c\.inc)$/.test(p) || p.endsWith('.tbl') || p.endsWith('syscalls.master');
  const missing = DOCUMENT_SELECTOR.flatMap(d => (d.pattern ? [d.pattern] : [])).filter(
    // Neovim's `*` matches across `/`: a pattern is reached when some glob matches a path it names.
    p => !byType(p) && !globs.some(g => globRe(g).test(`/src/${p.replace(/^\*\*\//, '').replace(/\*/g, 'freebsd')}`)),
  );
  assert.deepEqual(missing, [], 'editors/neovim/systab.lua must name these files');
  assert.match(lua, /pattern = \{ 'c', 'cpp',/);
});

test(
  `Neovim (${nvim ?? 'not installed'}): diagnostics, hover and a quick-fix through the README's snippet`,
  { skip },
  t => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'systab-nvim-'));
    try {
      // Files systab reads that the fixtures keep elsewhere, at the paths Neovim must recognise.
      const qemu = path.join(tmp, 'qemu');
      const put = (rel: string, text: string) => {
        const f = path.join(qemu, rel);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, text);
        return f;
      };
      const strace = fs.readFileSync(path.join(FIXTURES, 'strace', 'strace.list'), 'utf8');
      const files = [
        path.join(QEMU, 'linux-user/mips/syscall_o32.tbl'),
        path.join(KERNEL, 'arch/mips/kernel/syscalls/syscall_o32.tbl'),
        put('linux-user/strace.list', strace),
        put('bsd-user/freebsd/strace.list', strace),
        put('linux-user/hexagon/syscall_nr.h', '#define TARGET_NR_io_setup 0\n#define TARGET_NR_io_destroy 1\n'),
        put('sys/kern/syscalls.master', '0\tAUE_NULL\tSTD {\n\t\tint nosys(void);\n\t}\n'),
      ];
      const plain = put('notes.txt', 'not a table\n');

      const home = path.join(tmp, 'home');
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        XDG_CONFIG_HOME: path.join(tmp, 'config'),
        XDG_DATA_HOME: path.join(tmp, 'data'),
        XDG_STATE_HOME: path.join(tmp, 'state'),
        XDG_CACHE_HOME: path.join(tmp, 'cache'),
        SYSTAB_NVIM_INPUT: path.join(tmp, 'input.json'),
        SYSTAB_NVIM_RESULT: path.join(tmp, 'result.json'),
      };
      fs.mkdirSync(home);
      fs.writeFileSync(
        env.SYSTAB_NVIM_INPUT,
        JSON.stringify({
          table: path.join(QEMU, 'linux-user/mips/syscall-args-o32.c.inc'),
          dispatch: path.join(QEMU_DISPATCH, 'linux-user/syscall.c'),
          files,
          plain,
        }),
      );
      // The user's init.lua: the two settings the snippet reads, then the snippet itself.
      const init = path.join(tmp, 'init.lua');
      fs.writeFileSync(
        init,
        [
          `vim.g.systab_cmd = { ${JSON.stringify(process.execPath)}, ${JSON.stringify(SERVER)}, '--stdio' }`,
          `vim.g.systab_settings = { kernelPath = ${JSON.stringify(KERNEL)} }`,
          `dofile(${JSON.stringify(SNIPPET)})`,
          '',
        ].join('\n'),
      );
      const r = spawnSync('nvim', ['--headless', '-u', init, '-i', 'NONE', '-n', '-c', `luafile ${DRIVER}`], {
        cwd: tmp,
        env,
        encoding: 'utf8',
        timeout: 120000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const log = `nvim exited ${r.status ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
      assert.ok(fs.existsSync(env.SYSTAB_NVIM_RESULT), `no result from Neovim\n${log}`);
      const res = JSON.parse(fs.readFileSync(env.SYSTAB_NVIM_RESULT, 'utf8')) as Result;
      const why = `${log}\nresult: ${JSON.stringify(res, null, 1)}`;
      assert.equal(res.error, undefined, why);
      assert.ok(!/E5113|Error/.test(r.stderr + (res.messages ?? '')), `the snippet loads without an error\n${why}`);

      // The settings go both ways: initializationOptions and the systab section.
      assert.equal(res.init_options?.kernelPath, KERNEL, why);
      assert.equal(res.settings?.systab?.kernelPath, KERNEL, why);

      // The o32 table opens as C (not POV-Ray), and its findings come from the configured kernel.
      assert.deepEqual([res.table?.filetype, res.table?.attached, res.table?.diagnostics], ['c', true, true], why);
      const d = res.diagnostic!;
      assert.deepEqual(
        [d.code, d.lnum, d.col, d.severity, d.source],
        ['arg-count-mismatch', 12, 13, 1, 'systab'],
        `the sync_file_range finding at line 13\n${why}`,
      );
      assert.match(res.hover ?? '', /\*\*sync_file_range\*\* — o32 syscall 12/, why);
      assert.match(res.hover ?? '', /QEMU must fetch 7 words/, why);
      assert.ok(
        res.actions?.some(a => a.kind === 'quickfix' && a.title === "Set sync_file_range's count to 7"),
        `a systab quick-fix is offered\n${why}`,
      );
      assert.ok(
        res.actions?.some(a => a.kind === 'source.fixAll.systab'),
        why,
      );
      assert.equal(res.fixed_line, '    [  12] = 7, /* sync_file_range */', why);
      assert.equal(res.fixed, true, `the finding goes once the fix is applied\n${why}`);

      // syscall.c: attached, and hover on a syscall name in C.
      assert.deepEqual([res.dispatch?.filetype, res.dispatch?.attached], ['c', true], why);
      assert.match(res.dispatch?.hover ?? '', /\| o32 \|/, why);

      // Every other file systab reads, with the filetype the snippet gives it; never a plain file.
      assert.deepEqual(
        res.files.map(f => [path.relative(f.file!.startsWith(tmp) ? tmp : ROOT, f.file!), f.filetype, f.attached]),
        [
          ['test/fixtures/qemu/linux-user/mips/syscall_o32.tbl', 'systab-tbl', true],
          ['test/fixtures/linux/arch/mips/kernel/syscalls/syscall_o32.tbl', 'systab-tbl', true],
          ['qemu/linux-user/strace.list', 'c', true],
          ['qemu/bsd-user/freebsd/strace.list', 'c', true],
          ['qemu/linux-user/hexagon/syscall_nr.h', 'c', true],
          ['qemu/sys/kern/syscalls.master', 'systab-master', true],
        ],
        why,
      );
      assert.equal(res.plain?.attached, false, why);
      assert.equal(res.clients, 1, `one server for every buffer\n${why}`);

      // Without a storagePath the server cached the kernel index in $XDG_CACHE_HOME/systab.
      assert.ok(fs.existsSync(cacheFile(path.join(tmp, 'cache', 'systab'), KERNEL)), why);
      t.diagnostic(`ran on Neovim ${res.version}`);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
);
