//! Code actions: each finding's fix as a quick fix, "ignore this rule" pragmas, and fix-all.

use std::collections::HashMap;

use lsp_types as lsp;

use super::capabilities::FIX_ALL;
use super::convert::DiagnosticData;
use super::document::Document;
use crate::diagnostic::{Applicability, Fix, apply_fixes};
use crate::source::{ColumnEncoding, TextRange};
use crate::workspace::FileKind;

/// The actions for the diagnostics the client sends back (they carry their fix in `data`), and fix-all.
pub fn code_actions(doc: &Document, params: &lsp::CodeActionParams, encoding: ColumnEncoding) -> Vec<lsp::CodeAction> {
    let wants = |kind: &str| match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|k| {
            let k: String = k.clone().into();
            kind == k || kind.starts_with(&format!("{k}."))
        }),
    };
    let mut actions = Vec::new();
    if wants("quickfix") {
        for diagnostic in &params.context.diagnostics {
            if diagnostic.source.as_deref() != Some(super::SOURCE) {
                continue;
            }
            actions.extend(for_diagnostic(doc, diagnostic, encoding));
        }
    }
    if wants(FIX_ALL) {
        actions.extend(fix_all(doc, encoding));
    }
    actions
}

fn for_diagnostic(doc: &Document, diagnostic: &lsp::Diagnostic, encoding: ColumnEncoding) -> Vec<lsp::CodeAction> {
    let mut actions = Vec::new();
    let data: DiagnosticData = diagnostic.data.clone().and_then(|d| serde_json::from_value(d).ok()).unwrap_or_default();
    let code = match &diagnostic.code {
        Some(lsp::Code::String(code)) => code.as_str(),
        _ => "",
    };
    if let Some(fix) = data.fix {
        let unsafe_note = if fix.safe { "" } else { " (unsafe: may change what the build does)" };
        actions.push(quick_fix(doc, format!("{}: {}{unsafe_note}", code, fix.title), diagnostic, fix.edits, fix.safe));
    }
    // Parser findings cannot be silenced; rules and switchable loader codes can.
    let Some(meta) = crate::rules::find_meta(code) else { return actions };
    let text = doc.text(encoding);
    let at = text.offset(diagnostic.range.start);
    let (code, name) = (meta.code, meta.name);
    for (place, edit) in [("here", ignore_on_line(doc, at, code)), ("in this file", ignore_in_file(doc, code))] {
        let title = format!("Ignore {code} ({name}) {place}");
        actions.push(quick_fix(doc, title, diagnostic, vec![text.text_edit(&edit)], false));
    }
    actions
}

fn quick_fix(
    doc: &Document,
    title: String,
    diagnostic: &lsp::Diagnostic,
    edits: Vec<lsp::TextEdit>,
    preferred: bool,
) -> lsp::CodeAction {
    lsp::CodeAction {
        title,
        kind: Some(lsp::CodeActionKind::QuickFix),
        diagnostics: Some(vec![diagnostic.clone()]),
        is_preferred: preferred.then_some(true),
        edit: Some(workspace_edit(doc, edits)),
        ..Default::default()
    }
}

fn workspace_edit(doc: &Document, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit { changes: Some(HashMap::from([(doc.uri.clone(), edits)])), ..Default::default() }
}

/// Every safe fix of the document's current findings, as one edit over the part of the text that changes.
fn fix_all(doc: &Document, encoding: ColumnEncoding) -> Option<lsp::CodeAction> {
    let fixes: Vec<&Fix> =
        doc.findings.iter().filter_map(|d| d.fix.as_ref()).filter(|f| f.applicability == Applicability::Safe).collect();
    let fixed = apply_fixes(&doc.text, &fixes);
    if fixed.applied == 0 || fixed.text == doc.text {
        return None;
    }
    let edit = minimal_edit(&doc.text, &fixed.text);
    Some(lsp::CodeAction {
        title: "Fix all safe plimsoll findings".to_owned(),
        kind: Some(lsp::CodeActionKind::from(FIX_ALL.to_owned())),
        edit: Some(workspace_edit(doc, vec![doc.text(encoding).text_edit(&edit)])),
        ..Default::default()
    })
}

/// The edit that silences `code` where a finding starts at `at`: in a Dockerfile on the line before the
/// instruction that holds it (added to a plimsoll pragma already there), in a Compose file above the line.
fn ignore_on_line(doc: &Document, at: u32, code: &str) -> crate::Edit {
    let mut line_start = doc.index.line_start(doc.index.line_of(at));
    if doc.kind == FileKind::Dockerfile {
        let parsed = crate::dockerfile::parse(&doc.text);
        if let Some(instruction) = parsed.instructions.iter().find(|i| i.range.contains(at) || i.range.start == at) {
            line_start = doc.index.line_start(doc.index.line_of(instruction.range.start));
        }
    }
    let line = &doc.text[line_start as usize..];
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    if let Some(extend) = extend_pragma_above(doc, line_start, code) {
        return extend;
    }
    crate::Edit::new(TextRange::empty(line_start), format!("{indent}# plimsoll ignore={code}\n"))
}

/// When the line above `line_start` is a `# plimsoll ignore=…` pragma, the edit that adds `code` to its list.
fn extend_pragma_above(doc: &Document, line_start: u32, code: &str) -> Option<crate::Edit> {
    let line = doc.index.line_of(line_start);
    let above_start = doc.index.line_start(line.checked_sub(1)?);
    let above = doc.text.get(above_start as usize..line_start as usize)?;
    let body = above.trim_start().strip_prefix('#')?.trim_start().strip_prefix("plimsoll")?.trim_start();
    let list = body.strip_prefix("ignore")?.trim_start().strip_prefix('=')?.trim_start();
    let list_end = list.find(char::is_whitespace).unwrap_or(list.len());
    let list_start = above.len() - list.len();
    let end = above_start + (list_start + list_end) as u32;
    Some(crate::Edit::new(TextRange::empty(end), format!(",{code}")))
}

/// The edit that silences `code` in the whole file: a global pragma at the top (after a byte order mark and, in a
/// Dockerfile, after the parser directives, which must come first).
fn ignore_in_file(doc: &Document, code: &str) -> crate::Edit {
    let mut at = if doc.text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() as u32 } else { 0 };
    if doc.kind == FileKind::Dockerfile {
        let parsed = crate::dockerfile::parse(&doc.text);
        if let Some(last) = parsed.directives.iter().map(|d| d.range.end).max() {
            at = doc.index.line_start(doc.index.line_of(last) + 1);
        }
    }
    crate::Edit::new(TextRange::empty(at), format!("# plimsoll global ignore={code}\n"))
}

/// One edit that turns `old` into `new`: the span between their common start and common end.
fn minimal_edit(old: &str, new: &str) -> crate::Edit {
    let prefix = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map_or(old.len().min(new.len()), |((i, _), _)| i);
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let suffix = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let range = TextRange::from_usize(prefix, old.len() - suffix);
    crate::Edit::new(range, &new[prefix..new.len() - suffix])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_edit_covers_only_the_change() {
        let edit = minimal_edit("FROM a\nRUN x\nUSER b\n", "FROM a\nRUN yy\nUSER b\n");
        assert_eq!((edit.range, edit.replacement.as_str()), (TextRange::new(11, 12), "yy"));
        let edit = minimal_edit("é1é", "é2é");
        assert_eq!((edit.range, edit.replacement.as_str()), (TextRange::new(2, 3), "2"));
        let edit = minimal_edit("aa", "aaa");
        assert_eq!((edit.range, edit.replacement.as_str()), (TextRange::new(2, 2), "a"));
    }
}
