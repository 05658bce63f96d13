-- Drives a headless Neovim for test/editors/editors.test.ts, with editors/neovim/systab.lua
-- loaded by the init.lua the test writes: opens the o32 table, waits for systab's
-- diagnostics, asks for a hover and the code actions, applies the quick-fix, opens the other
-- files systab reads, then writes what it saw as JSON to $SYSTAB_NVIM_RESULT and quits.
-- Written for every Neovim from 0.7 on (no vim.fs, no vim.lsp.get_clients on 0.7).
local input = vim.fn.json_decode(table.concat(vim.fn.readfile(os.getenv('SYSTAB_NVIM_INPUT')), '\n'))
local v = vim.version()
local out = { version = v.major .. '.' .. v.minor .. '.' .. v.patch, files = {} }

local function clients(buf)
  if vim.lsp.get_clients then
    return vim.lsp.get_clients(buf and { bufnr = buf } or nil)
  end
  return buf and vim.lsp.buf_get_clients(buf) or vim.lsp.get_active_clients()
end

local function systab(buf)
  for _, c in pairs(clients(buf)) do
    if c.name == 'systab' then
      return c
    end
  end
end

local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
end

local function request(buf, method, params)
  local res = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, r in pairs(res) do
    if r.result ~= nil then
      return r.result
    end
  end
end

local function hover_text(buf, line, character)
  local h = request(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = line, character = character },
  })
  if type(h) ~= 'table' or h.contents == nil then
    return ''
  end
  return type(h.contents) == 'string' and h.contents or (h.contents.value or '')
end

local function open(file, ms)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  local attached = vim.wait(ms or 20000, function()
    return systab(buf) ~= nil
  end, 20)
  return buf, attached
end

local function run()
  -- The o32 table: diagnostics from the configured kernel (the fixture calls itself Linux 6.1.0).
  local buf, attached = open(input.table)
  out.table = { filetype = vim.bo[buf].filetype, attached = attached }
  local c = systab(buf)
  if c then
    out.init_options = c.config.init_options
    out.settings = c.config.settings
  end
  local sfr
  out.table.diagnostics = vim.wait(30000, function()
    local seen61 = false
    sfr = nil
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.message:find('Linux 6.1.0', 1, true) then
        seen61 = true
      end
      if d.message:find('sync_file_range (4012) needs 7', 1, true) then
        sfr = d
      end
    end
    return seen61 and sfr ~= nil
  end, 50)
  out.table.count = #vim.diagnostic.get(buf)
  if not sfr then
    return
  end
  out.diagnostic = {
    code = code_of(sfr),
    lnum = sfr.lnum,
    col = sfr.col,
    severity = sfr.severity,
    source = sfr.source,
    message = sfr.message,
  }

  out.hover = hover_text(buf, sfr.lnum, 20)

  local range = {
    start = { line = sfr.lnum, character = sfr.col },
    ['end'] = { line = sfr.end_lnum or sfr.lnum, character = sfr.end_col or sfr.col },
  }
  local diagnostic = {
    range = range,
    message = sfr.message,
    severity = sfr.severity,
    source = sfr.source,
    code = code_of(sfr),
  }
  local actions = request(buf, 'textDocument/codeAction', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = range,
    context = { diagnostics = { diagnostic } },
  }) or {}
  out.actions = {}
  local quick
  for _, a in ipairs(actions) do
    table.insert(out.actions, { title = a.title, kind = a.kind })
    if a.kind == 'quickfix' and a.edit and not quick then
      quick = a
    end
  end
  -- Apply the quick-fix as Neovim does; the server sees the edit and drops the finding.
  if quick then
    vim.lsp.util.apply_workspace_edit(quick.edit, 'utf-16')
    out.fixed_line = vim.api.nvim_buf_get_lines(buf, sfr.lnum, sfr.lnum + 1, true)[1]
    out.fixed = vim.wait(20000, function()
      for _, d in ipairs(vim.diagnostic.get(buf)) do
        if d.message:find('sync_file_range (4012) needs 7', 1, true) then
          return false
        end
      end
      return true
    end, 50)
  end

  -- linux-user/syscall.c: attached, and hover on a syscall name in C.
  local dbuf, dattached = open(input.dispatch)
  local line = 0
  for i, l in ipairs(vim.api.nvim_buf_get_lines(dbuf, 0, -1, true)) do
    if l:find('case TARGET_NR_pread64:', 1, true) then
      line = i - 1
      break
    end
  end
  local text = ''
  vim.wait(10000, function()
    text = hover_text(dbuf, line, 16)
    return text:find('| o32 |', 1, true) ~= nil
  end, 100)
  out.dispatch = { filetype = vim.bo[dbuf].filetype, attached = dattached, hover = text }

  -- Every other file systab reads, and one it does not.
  for _, f in ipairs(input.files) do
    local b, a = open(f)
    table.insert(out.files, { file = f, filetype = vim.bo[b].filetype, attached = a })
  end
  local _, pattached = open(input.plain, 500)
  out.plain = { attached = pattached }

  local n = 0
  for _, cl in pairs(clients()) do
    if cl.name == 'systab' then
      n = n + 1
    end
  end
  out.clients = n
end

local ok, err = xpcall(run, debug.traceback)
if not ok then
  out.error = tostring(err)
end
out.messages = vim.fn.execute('messages')
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv('SYSTAB_NVIM_RESULT'))
vim.cmd('qall!')
