//! Diagnostics as plain data: what is wrong, where, and how to fix it. Renderers turn them into text at the edge.

use std::path::PathBuf;

use serde::Serialize;

use crate::source::{LineCol, TextRange};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary place related to a finding, with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Byte range in the finding's file, or in [`Label::elsewhere`]'s file when that is set.
    pub range: TextRange,
    pub message: String,
    /// Set when the place is in another file than the finding (an anchor in an included file, the Dockerfile a
    /// service builds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<Elsewhere>,
}

impl Label {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Label { range, message: message.into(), elsewhere: None }
    }
}

/// A place in another file: its path and the 1-based line and column (UTF-8 bytes) of the range's ends there, so
/// renderers can name it without reading that file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Elsewhere {
    pub path: PathBuf,
    pub start: LineCol,
    pub end: LineCol,
}

/// Whether a fix keeps behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// One text change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

/// A set of edits that together fix a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

/// One finding in one file. `code` is a rule code (`PLD201`) or a syntax-error code (`PLE…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic { code, severity, message: message.into(), range, labels: Vec::new(), help: None, fix: None }
    }

    pub fn with_label(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.labels.push(Label::new(range, message));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
