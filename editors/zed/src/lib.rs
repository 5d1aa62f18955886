//! Zed starts `plimsoll lsp` (found on the worktree's `PATH`, or at `lsp.plimsoll.binary.path`) for Dockerfiles
//! and YAML files; the server checks only the YAML files whose names are Compose names.

use zed_extension_api::{self as zed, settings::LspSettings, LanguageServerId, Result};

struct Plimsoll;

impl zed::Extension for Plimsoll {
    fn new() -> Self {
        Plimsoll
    }

    fn language_server_command(&mut self, id: &LanguageServerId, worktree: &zed::Worktree) -> Result<zed::Command> {
        let binary = settings(id, worktree).and_then(|s| s.binary);
        let command = binary
            .as_ref()
            .and_then(|b| b.path.clone())
            .or_else(|| worktree.which("plimsoll"))
            .ok_or_else(|| "plimsoll is not on PATH: install it or set lsp.plimsoll.binary.path".to_string())?;
        let mut args = vec!["lsp".to_string()];
        args.extend(binary.and_then(|b| b.arguments).unwrap_or_default());
        Ok(zed::Command { command, args, env: worktree.shell_env() })
    }

    fn language_server_initialization_options(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(settings(id, worktree).and_then(|s| s.initialization_options))
    }

    fn language_server_workspace_configuration(
        &mut self,
        id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<Option<zed::serde_json::Value>> {
        Ok(settings(id, worktree).and_then(|s| s.settings))
    }
}

/// The user's `lsp.plimsoll` settings.
fn settings(id: &LanguageServerId, worktree: &zed::Worktree) -> Option<LspSettings> {
    LspSettings::for_worktree(id.as_ref(), worktree).ok()
}

zed::register_extension!(Plimsoll);
