//! The `concise` format: one line per finding, `path:line:col: CODE [name] message`, as ruff's `concise` and
//! hadolint's terminal output print them. For terminals, commit hooks and `grep`. Columns count Unicode
//! characters, as editors show them.

use super::RenderContext;
use crate::FileReport;
use crate::source::ColumnEncoding;

/// Renders one line a finding, in the order of `reports`. A message over several lines is joined with spaces so
/// each finding stays one line.
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let mut out = String::new();
    for report in reports {
        render_file(&mut out, report, ctx);
    }
    out
}

/// Appends the lines of one file's findings.
pub fn render_file(out: &mut String, report: &FileReport, ctx: &RenderContext) {
    for d in &report.diagnostics {
        let place = ctx.place(&report.source, d.range, ColumnEncoding::Utf32);
        let name = match crate::code_name(d.code) {
            "" => String::new(),
            name => format!(" [{name}]"),
        };
        let message = d.message.split_whitespace().collect::<Vec<_>>().join(" ");
        out.push_str(&format!(
            "{}:{}:{}: {}{name} {message}\n",
            place.file, place.start.line, place.start.column, d.code
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    #[test]
    fn one_line_per_finding_with_code_name_and_place() {
        let text = "FROM alpine:latest\nUSER root\n".to_owned();
        let source = crate::SourceFile::new("/p/app/Dockerfile", text);
        let first = crate::Diagnostic::new("PLD101", Severity::Warning, crate::TextRange::new(5, 18), "uses `latest`");
        let second = crate::Diagnostic::new("PLD999", Severity::Error, crate::TextRange::new(24, 28), "two\n  lines");
        let report = FileReport { source, diagnostics: vec![first, second] };
        let out = render(&[report], &RenderContext::new(1, "/p"));
        assert_eq!(
            out,
            "app/Dockerfile:1:6: PLD101 [latest-base-image] uses `latest`\napp/Dockerfile:2:6: PLD999 two lines\n"
        );
    }

    #[test]
    fn columns_count_characters() {
        let source = crate::SourceFile::new("Dockerfile", "# é\nFROM x # é y\n".to_owned());
        let at = "# é\nFROM x # é ".len() as u32;
        let d = crate::Diagnostic::new("PLD101", Severity::Info, crate::TextRange::new(at, at + 1), "m");
        let out = render(&[FileReport { source, diagnostics: vec![d] }], &RenderContext::new(1, "/"));
        assert_eq!(out, "Dockerfile:2:12: PLD101 [latest-base-image] m\n");
    }
}
