//! plimsoll: a static linter for Dockerfiles and Docker Compose files.
//!
//! The library API that the CLI and the language server both use. The pipeline is
//! `parse -> analyse -> report`; see `README.md` and the `lints/` catalog.

pub mod compose;
pub mod diagnostic;
pub mod dockerfile;
pub mod source;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Label, Severity};
pub use source::{ColumnEncoding, LineCol, LineIndex, SourceFile, Spanned, TextRange};
