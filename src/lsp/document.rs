//! An open document: its text as the editor holds it, what kind of file it is, and its last findings.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use lsp_types as lsp;

use super::convert::Text;
use crate::diagnostic::Diagnostic;
use crate::source::{ColumnEncoding, LineIndex};
use crate::workspace::{self, FileKind};

pub struct Document {
    pub uri: lsp::Uri,
    /// The file's path (for an unsaved buffer, the URI's path: what the name says still counts).
    pub path: PathBuf,
    pub kind: FileKind,
    pub version: i32,
    pub text: String,
    pub index: LineIndex,
    /// The findings last published for this document, for hover and "fix all".
    pub findings: Vec<Diagnostic>,
    /// For a Compose file: every path its project read or looked for (override files, `.env`, the Dockerfiles its
    /// services build), so a change to one of them re-checks it.
    pub depends_on: BTreeSet<PathBuf>,
}

impl Document {
    pub fn new(uri: lsp::Uri, kind: FileKind, version: i32, text: String) -> Self {
        let path = path_of(&uri);
        let index = LineIndex::new(&text);
        Document { uri, path, kind, version, text, index, findings: Vec::new(), depends_on: BTreeSet::new() }
    }

    pub fn text(&self, encoding: ColumnEncoding) -> Text<'_> {
        Text { text: &self.text, index: &self.index, encoding }
    }

    /// Applies the editor's changes in order; each range is in the text as the previous change left it.
    pub fn apply_changes(&mut self, changes: Vec<lsp::TextDocumentContentChangeEvent>, encoding: ColumnEncoding) {
        for change in changes {
            match change {
                lsp::TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(whole) => {
                    self.text = whole.text;
                }
                lsp::TextDocumentContentChangeEvent::TextDocumentContentChangePartial(part) => {
                    let range = self.text(encoding).text_range(part.range);
                    self.text.replace_range(range.as_usize(), &part.text);
                }
            }
            self.index = LineIndex::new(&self.text);
        }
    }
}

/// The kind of file a document is, from the editor's language id and its name: `dockerfile` and
/// `dockercompose` are taken at their word; a `yaml` file is a Compose file only when its name says so; any
/// other language by its name.
pub fn kind_of(language_id: &str, path: &Path) -> Option<FileKind> {
    match language_id {
        "dockerfile" => Some(FileKind::Dockerfile),
        "dockercompose" => Some(FileKind::Compose),
        "yaml" => workspace::kind_of(path).filter(|k| *k == FileKind::Compose),
        _ => workspace::kind_of(path),
    }
}

/// The path a URI names: a `file:` URI's path, or else the URI's own path.
pub fn path_of(uri: &lsp::Uri) -> PathBuf {
    uri.to_file_path().unwrap_or_else(|()| PathBuf::from(uri.path()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_language_and_name() {
        assert_eq!(kind_of("dockerfile", Path::new("/p/build.txt")), Some(FileKind::Dockerfile));
        assert_eq!(kind_of("dockercompose", Path::new("/p/stack.yml")), Some(FileKind::Compose));
        assert_eq!(kind_of("yaml", Path::new("/p/compose.yaml")), Some(FileKind::Compose));
        assert_eq!(kind_of("yaml", Path::new("/p/values.yaml")), None);
        assert_eq!(kind_of("yaml", Path::new("/p/Dockerfile.yaml")), None);
        assert_eq!(kind_of("plaintext", Path::new("/p/Containerfile")), Some(FileKind::Dockerfile));
    }
}
