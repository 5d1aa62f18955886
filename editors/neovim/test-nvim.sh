#!/usr/bin/env bash
# Drives plimsoll's language server from a headless Neovim with the Neovim 0.7-0.10 setup of README.md (the lua
# block under "Neovim 0.7 to 0.10"): opens a Dockerfile, a compose.yaml and a kafka-compose.yml, waits for their
# diagnostics, and asks for a hover on one of them.
#   editors/neovim/test-nvim.sh PLIMSOLL_BINARY [NVIM]
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
nvim="${2:-nvim}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin" "$work/project"
ln -s "$binary" "$work/bin/plimsoll"
cp examples/insecure/compose.yaml "$work/project/kafka-compose.yml"
cp examples/insecure/Dockerfile "$work/project/Dockerfile"
touch "$work/project/plimsoll.toml"

awk '/^## Neovim 0.7 to 0.10/ { on = 1 } on && /^```lua$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' \
    editors/neovim/README.md >"$work/init.lua"
[ -s "$work/init.lua" ] || { echo "error: no lua block under '## Neovim 0.7 to 0.10' in editors/neovim/README.md" >&2; exit 1; }
cat >>"$work/init.lua" <<'LUA'

-- The test: each file gets the diagnostic it should, from plimsoll.
local failures, lines = 0, {}
local function codes_of(buf)
  local codes = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    codes[#codes + 1] = tostring(d.code or lsp.code)
  end
  return codes
end
local function expect(file, code)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(30000, function() return vim.tbl_contains(codes_of(buf), code) end, 50)
  local codes = codes_of(buf)
  local ok = vim.tbl_contains(codes, code)
  if not ok then failures = failures + 1 end
  lines[#lines + 1] = string.format('%s %s: %d diagnostics (%s), expected %s', ok and 'ok' or 'FAILED', file,
    #codes, table.concat(codes, ' '), code)
  return buf
end
function PlimsollTest(dir, out)
  local buf = expect('examples/insecure/Dockerfile', 'PLD102')
  expect('examples/insecure/compose.yaml', 'PLC201')
  expect(dir .. '/kafka-compose.yml', 'PLC201')
  -- Hover on the first finding of the Dockerfile shows its rule's page.
  local first = vim.diagnostic.get(buf)[1]
  local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = first.lnum, character = first.col },
  }, 10000) or {}
  local text = ''
  for _, response in pairs(hover) do
    if response.result then text = text .. vim.inspect(response.result.contents) end
  end
  local hovered = text:find('PLD') ~= nil
  if not hovered then failures = failures + 1 end
  lines[#lines + 1] = string.format('%s hover on %s:%d: %d characters', hovered and 'ok' or 'FAILED',
    'examples/insecure/Dockerfile', first.lnum + 1, #text)
  local clients = 0
  for _ in pairs(vim.lsp.get_active_clients()) do clients = clients + 1 end
  lines[#lines + 1] = string.format('plimsoll clients: %d (one per project root)', clients)
  lines[#lines + 1] = 'neovim ' .. tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) .. '.'
    .. tostring(vim.version().patch)
  vim.fn.writefile(lines, out)
  vim.cmd(failures == 0 and 'qall!' or 'cquit 1')
end
LUA
status=0
PATH="$work/bin:$PATH" timeout 120 "$nvim" --headless -n -i NONE -u "$work/init.lua" \
    -c "lua PlimsollTest('$work/project', '$work/result')" || status=$?
cat "$work/result" 2>/dev/null || echo "error: Neovim wrote no result (exit $status)" >&2
exit "$status"
