-- plimsoll's language server for Neovim 0.11+: put this file in a `lsp/` folder on your 'runtimepath'
-- (for example ~/.config/nvim/lsp/plimsoll.lua) and call `vim.lsp.enable('plimsoll')`.
---@type vim.lsp.Config
return {
  cmd = { 'plimsoll', 'lsp' },
  filetypes = { 'dockerfile', 'yaml.docker-compose' },
  root_markers = { 'plimsoll.toml', '.plimsoll.toml', '.hadolint.yaml', '.hadolint.yml', '.git' },
  -- Settings the server reads: configPath, select, extendSelect, ignore, baseline.
  init_options = { plimsoll = {} },
  settings = { plimsoll = {} },
}
