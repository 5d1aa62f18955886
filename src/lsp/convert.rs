//! Between plimsoll's byte ranges and LSP's line/character positions (in the negotiated encoding), and from
//! plimsoll's diagnostics to LSP's.

use std::path::Path;

use lsp_types as lsp;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Severity};
use crate::source::{ColumnEncoding, LineCol, LineIndex, TextRange};

/// Where each rule's page is published.
const PAGES: &str = "https://github.com/plimsoll-lint/plimsoll/blob/main/lints";

/// A text and its line index: enough to turn offsets into positions and back.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    pub text: &'a str,
    pub index: &'a LineIndex,
    pub encoding: ColumnEncoding,
}

impl Text<'_> {
    pub fn position(&self, offset: u32) -> lsp::Position {
        let at = self.index.line_col(self.text, offset, self.encoding);
        lsp::Position { line: at.line - 1, character: at.column - 1 }
    }

    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range { start: self.position(range.start), end: self.position(range.end) }
    }

    /// The byte offset of a position; positions past a line's end or past the text clamp to it.
    pub fn offset(&self, position: lsp::Position) -> u32 {
        let at = LineCol { line: position.line.saturating_add(1), column: position.character.saturating_add(1) };
        self.index.offset(self.text, at, self.encoding)
    }

    pub fn text_range(&self, range: lsp::Range) -> TextRange {
        let (start, end) = (self.offset(range.start), self.offset(range.end));
        TextRange::new(start.min(end), end.max(start))
    }

    pub fn text_edit(&self, edit: &Edit) -> lsp::TextEdit {
        lsp::TextEdit { range: self.range(edit.range), new_text: edit.replacement.clone() }
    }
}

/// What a diagnostic carries in `data`: its fix, in the document's positions.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DiagnosticData {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixData>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FixData {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<lsp::TextEdit>,
}

/// The URL of a rule's page, for codes that have one (syntax errors do not).
pub fn page_url(code: &str) -> Option<lsp::Uri> {
    let meta = crate::rules::find_meta(code)?;
    lsp::Uri::parse(&format!("{PAGES}/{}-{}.md", meta.code, meta.name)).ok()
}

/// The URI of a file path (`None` for a relative path, which has none).
pub fn uri_of(path: &Path) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(path).ok()
}

/// An LSP diagnostic for one finding in `text`. `elsewhere` places a label that points into another file.
pub fn diagnostic(
    d: &Diagnostic,
    uri: &lsp::Uri,
    text: Text<'_>,
    elsewhere: &dyn Fn(&crate::Elsewhere) -> Option<lsp::Location>,
) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::Error,
        Severity::Warning => lsp::DiagnosticSeverity::Warning,
        Severity::Info => lsp::DiagnosticSeverity::Information,
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .filter_map(|label| {
            let location = match &label.elsewhere {
                Some(place) => elsewhere(place)?,
                None => lsp::Location { uri: uri.clone(), range: text.range(label.range) },
            };
            Some(lsp::DiagnosticRelatedInformation { location, message: label.message.clone() })
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let fix = d.fix.as_ref().map(|fix| FixData {
        title: fix.message.clone(),
        safe: fix.applicability == Applicability::Safe,
        edits: fix.edits.iter().map(|e| text.text_edit(e)).collect(),
    });
    let data = DiagnosticData { fix };
    lsp::Diagnostic {
        range: text.range(d.range),
        severity: Some(severity),
        code: Some(lsp::Code::String(d.code.to_owned())),
        code_description: page_url(d.code).map(|href| lsp::CodeDescription { href }),
        source: Some(super::SOURCE.to_owned()),
        message: message.into(),
        tags: tags(d.code),
        related_information: (!related.is_empty()).then_some(related),
        data: data.fix.is_some().then(|| serde_json::to_value(&data).unwrap_or_default()),
    }
}

/// Tags where a rule's finding fits one: a key Compose no longer reads is deprecated.
fn tags(code: &str) -> Option<Vec<lsp::DiagnosticTag>> {
    let name = crate::code_name(code);
    (name.contains("obsolete") || name.contains("deprecated")).then(|| vec![lsp::DiagnosticTag::Deprecated])
}

/// A place given as 1-based lines and UTF-8 columns, in `text` when that file's text is at hand.
pub fn place_range(place: &crate::Elsewhere, text: Option<Text<'_>>) -> lsp::Range {
    match text {
        Some(t) => {
            let start = t.index.offset(t.text, place.start, ColumnEncoding::Utf8);
            let end = t.index.offset(t.text, place.end, ColumnEncoding::Utf8);
            t.range(TextRange::new(start, end.max(start)))
        }
        None => {
            let position =
                |at: LineCol| lsp::Position { line: at.line.saturating_sub(1), character: at.column.saturating_sub(1) };
            lsp::Range { start: position(place.start), end: position(place.end) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_both_ways_in_both_encodings() {
        let text = "FROM alpine\n# héllo 😀 x\n";
        let index = LineIndex::new(text);
        let x = text.find(" x").map(|i| i as u32 + 1).unwrap_or_default();
        for (encoding, character) in [(ColumnEncoding::Utf8, 14), (ColumnEncoding::Utf16, 11)] {
            let t = Text { text, index: &index, encoding };
            let position = t.position(x);
            assert_eq!(position, lsp::Position { line: 1, character });
            assert_eq!(t.offset(position), x);
        }
    }

    #[test]
    fn offsets_clamp_past_the_end() {
        let text = "FROM alpine\n";
        let index = LineIndex::new(text);
        let t = Text { text, index: &index, encoding: ColumnEncoding::Utf16 };
        assert_eq!(t.offset(lsp::Position { line: 0, character: 99 }), 11);
        assert_eq!(t.offset(lsp::Position { line: 9, character: 0 }), 12);
    }
}
