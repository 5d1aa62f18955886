//! The `json` format: plimsoll's own schema, versioned. A change that removes or renames a field, or changes a
//! field's meaning, raises `version`; new fields may appear without it.
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": { "name": "plimsoll", "version": "0.2.0" },
//!   "files_checked": 2,
//!   "diagnostics": [
//!     {
//!       "code": "PLD101",                  // rule or parser code
//!       "name": "latest-base-image",       // kebab-case name ("" when the code has none)
//!       "severity": "warning",             // "error" | "warning" | "info", after configuration
//!       "message": "…",
//!       "file": "app/Dockerfile",          // relative to the current directory when inside it, `/` separators
//!       "start": { "line": 1, "column": 6 },
//!       "end": { "line": 1, "column": 19 },
//!       "labels": [                        // related places, maybe in another file
//!         { "message": "…", "file": "compose.yaml", "start": {…}, "end": {…} }
//!       ],
//!       "help": "…" | null,
//!       "fix": null | {
//!         "applicability": "safe" | "unsafe",
//!         "message": "…",
//!         "edits": [ { "start": {…}, "end": {…}, "replacement": "…" } ]
//!       }
//!     }
//!   ]
//! }
//! ```
//!
//! Lines and columns are 1-based; columns count Unicode characters (code points), as ruff and SARIF's
//! `unicodeCodePoints` do. `end` is just past the last character of the range (exclusive). Findings are sorted by
//! file, then position.

use serde::Serialize;

use super::{Place, RenderContext};
use crate::FileReport;
use crate::diagnostic::{Applicability, Severity};
use crate::source::{ColumnEncoding, LineCol};

/// The schema version written in `version`.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    files_checked: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    name: &'static str,
    severity: Severity,
    message: &'a str,
    file: String,
    start: LineCol,
    end: LineCol,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    message: &'a str,
    file: String,
    start: LineCol,
    end: LineCol,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: Applicability,
    message: &'a str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    start: LineCol,
    end: LineCol,
    replacement: &'a str,
}

/// Renders the findings as one JSON document (pretty-printed, with a final newline).
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    const COLUMNS: ColumnEncoding = ColumnEncoding::Utf32;
    let mut diagnostics = Vec::new();
    for report in reports {
        let source = &report.source;
        for d in &report.diagnostics {
            let Place { file, start, end } = ctx.place(source, d.range, COLUMNS);
            let labels = d
                .labels
                .iter()
                .map(|l| {
                    let Place { file, start, end } = ctx.label_place(reports, source, l, COLUMNS);
                    JsonLabel { message: &l.message, file, start, end }
                })
                .collect();
            let fix = d.fix.as_ref().map(|f| JsonFix {
                applicability: f.applicability,
                message: &f.message,
                edits: f
                    .edits
                    .iter()
                    .map(|e| {
                        let at = ctx.place(source, e.range, COLUMNS);
                        JsonEdit { start: at.start, end: at.end, replacement: &e.replacement }
                    })
                    .collect(),
            });
            diagnostics.push(JsonDiagnostic {
                code: d.code,
                name: crate::code_name(d.code),
                severity: d.severity,
                message: &d.message,
                file,
                start,
                end,
                labels,
                help: d.help.as_deref(),
                fix,
            });
        }
    }
    let output = Output {
        version: SCHEMA_VERSION,
        tool: Tool { name: ctx.tool_name, version: ctx.tool_version },
        files_checked: ctx.files_checked,
        diagnostics,
    };
    let mut text = serde_json::to_string_pretty(&output).unwrap_or_default();
    text.push('\n');
    text
}
