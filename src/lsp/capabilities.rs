//! What the server tells the client it does, and the position encoding both use.

use lsp_types as lsp;

use crate::source::ColumnEncoding;

/// The code action kind of "apply every safe fix".
pub const FIX_ALL: &str = "source.fixAll.plimsoll";

/// UTF-8 when the client offers it (our ranges are UTF-8 bytes), else UTF-16, the LSP default.
pub fn position_encoding(params: &lsp::InitializeParams) -> ColumnEncoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|list| list.contains(&lsp::PositionEncodingKind::UTF8)) {
        ColumnEncoding::Utf8
    } else {
        ColumnEncoding::Utf16
    }
}

/// Only what is implemented: incremental sync with save notices, code actions (quick fixes and fix-all), hover.
pub fn initialize_result(encoding: ColumnEncoding) -> lsp::InitializeResult {
    let sync = lsp::TextDocumentSyncOptions {
        open_close: Some(true),
        change: Some(lsp::TextDocumentSyncKind::Incremental),
        save: Some(lsp::Save::Bool(true)),
        ..Default::default()
    };
    let actions = lsp::CodeActionOptions {
        code_action_kinds: Some(vec![lsp::CodeActionKind::QuickFix, lsp::CodeActionKind::from(FIX_ALL.to_owned())]),
        ..Default::default()
    };
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(match encoding {
            ColumnEncoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            _ => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSync::Options(sync)),
        code_action_provider: Some(lsp::CodeActionProvider::CodeActionOptions(actions)),
        hover_provider: Some(lsp::HoverProvider::Bool(true)),
        ..Default::default()
    };
    let server_info = lsp::ServerInfo { name: "plimsoll".to_owned(), version: Some(env!("CARGO_PKG_VERSION").into()) };
    lsp::InitializeResult { capabilities, server_info: Some(server_info) }
}

/// Whether the client lets the server register file watchers (`workspace/didChangeWatchedFiles`).
pub fn can_watch_files(params: &lsp::InitializeParams) -> bool {
    let watched = params.capabilities.workspace.as_ref().and_then(|w| w.did_change_watched_files.as_ref());
    watched.and_then(|w| w.dynamic_registration).unwrap_or(false)
}
