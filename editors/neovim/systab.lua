-- systab for Neovim 0.7 through 0.11: put this in init.lua and set the server and the
-- settings on the next two lines (or in vim.g.systab_cmd and vim.g.systab_settings).
do
  local cmd = vim.g.systab_cmd or { 'node', vim.fn.expand('~/src/systab/dist/server.js'), '--stdio' }
  local settings = vim.g.systab_settings or { kernelPath = vim.fn.expand('~/src/linux') }

  -- Every file systab reads, with the filetype it gets. Set here, not by vim.filetype.add:
  -- Neovim 0.7 ignores that without g:do_filetype_lua (and opens *.c.inc as POV-Ray), and no
  -- version knows strace.list or syscalls.master.
  local files = {
    { '*.tbl', 'systab-tbl' }, -- syscall*.tbl: the kernel's and QEMU's copies
    { 'syscalls.master', 'systab-master' }, -- FreeBSD
    { '*.c.inc', 'c' }, -- linux-user/mips/syscall-args-o32.c.inc
    { '*/linux-user/strace.list', 'c' },
    { '*/bsd-user/*/strace.list', 'c' },
    { '*/linux-user/*/syscall*_nr.h', 'c' }, -- Neovim may say cpp
    { '*/arch/arm/kernel/calls.S', 'asm' }, -- ARM's table before 4.10
  }

  local client_id -- Neovim 0.7: the one client, attached to every buffer
  local function attach(buf)
    local config = {
      name = 'systab',
      cmd = cmd,
      init_options = settings, -- read at start-up
      settings = { systab = settings }, -- the answer to workspace/configuration
    }
    if vim.lsp.start then -- 0.8+: one server for every buffer
      vim.api.nvim_buf_call(buf, function()
        vim.lsp.start(config, {
          bufnr = buf,
          reuse_client = function(client)
            return client.name == 'systab'
          end,
        })
      end)
    else -- 0.7
      local client = client_id and vim.lsp.get_client_by_id(client_id)
      if not client or client.is_stopped() then
        client_id = vim.lsp.start_client(config)
      end
      if client_id then
        vim.lsp.buf_attach_client(buf, client_id)
      end
    end
  end

  local group = vim.api.nvim_create_augroup('systab', { clear = true })
  for _, f in ipairs(files) do
    vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
      group = group,
      pattern = f[1],
      callback = function(args)
        if vim.bo[args.buf].filetype ~= f[2] then
          vim.bo[args.buf].filetype = f[2]
        end
        attach(args.buf)
      end,
    })
  end
  -- Any C file or header (Neovim calls a .h cpp unless told otherwise): hover on TARGET_NR_x,
  -- __NR_x, sys_x, SYSCALL_DEFINEn(x, ...); the tables systab knows by path are checked too.
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'c', 'cpp', 'systab-tbl', 'systab-master' },
    callback = function(args)
      attach(args.buf)
    end,
  })
end
