//! The `checkstyle` format: Checkstyle's XML report, read by reviewdog (`-f=checkstyle`) and Jenkins' warnings
//! plugin. Every checked file has a `<file>` element, with an `<error>` per finding; columns count Unicode
//! characters; `source` is `plimsoll.CODE`.

use super::{RenderContext, xml_escape};
use crate::FileReport;
use crate::source::ColumnEncoding;

/// Renders the findings as one Checkstyle XML document.
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for report in reports {
        let path = ctx.relative_path(&report.source.path);
        if report.diagnostics.is_empty() {
            out.push_str(&format!("  <file name=\"{}\"/>\n", xml_escape(&path)));
            continue;
        }
        out.push_str(&format!("  <file name=\"{}\">\n", xml_escape(&path)));
        for d in &report.diagnostics {
            let start = ctx.place(&report.source, d.range, ColumnEncoding::Utf32).start;
            let message = format!("{} ({})", d.message, super::title(d.code));
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"plimsoll.{}\"/>\n",
                start.line,
                start.column,
                d.severity.as_str(),
                xml_escape(&message),
                xml_escape(d.code),
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
