//! The `github` format: GitHub Actions workflow commands, one per finding, which GitHub shows as annotations on
//! the pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE name::message`. Error findings
//! are `::error`, warnings `::warning`, infos `::notice`. Columns count Unicode characters.

use super::RenderContext;
use crate::FileReport;
use crate::diagnostic::Severity;
use crate::source::ColumnEncoding;

/// Renders one workflow command a line.
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let mut out = String::new();
    for report in reports {
        for d in &report.diagnostics {
            let place = ctx.place(&report.source, d.range, ColumnEncoding::Utf32);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&place.file),
                place.start.line,
                place.start.column,
                place.end.line,
                place.end.column,
                escape_property(&super::title(d.code)),
                escape_data(&message),
            ));
        }
    }
    out
}

/// Escapes a command's message, as the Actions runner unescapes it.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command's property value: as a message, plus `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks() {
        assert_eq!(escape_data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
    }

    #[test]
    fn percent_is_escaped_first_so_escapes_are_not_doubled() {
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }

    #[test]
    fn a_finding_becomes_one_annotation_line() {
        let text = "FROM alpine:latest\n".to_owned();
        let source = crate::SourceFile::new("./Dock,er:file", text);
        let d = crate::Diagnostic::new("PLD101", Severity::Warning, crate::TextRange::new(5, 18), "50%\nlatest")
            .with_help("pin it");
        let report = FileReport { source, diagnostics: vec![d] };
        let out = render(&[report], &RenderContext::new(1, "/"));
        assert_eq!(
            out,
            "::warning file=Dock%2Cer%3Afile,line=1,col=6,endLine=1,endColumn=19,title=PLD101 latest-base-image::50%25%0Alatest%0Ahelp: pin it\n"
        );
    }
}
