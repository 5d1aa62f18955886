//! The `junit` format: JUnit XML for CI test reports. One `<testsuite>` per checked file, one failing
//! `<testcase>` per finding (named `CODE name at line:column`); a clean file gets one passing test case, so it
//! shows as checked.

use super::{RenderContext, xml_escape};
use crate::FileReport;
use crate::source::ColumnEncoding;

/// Renders the findings as one JUnit XML document.
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let total: usize = reports.iter().map(|r| r.diagnostics.len().max(1)).sum();
    let failures: usize = reports.iter().map(|r| r.diagnostics.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\">\n",
        ctx.tool_name
    ));
    for report in reports {
        let path = xml_escape(&ctx.relative_path(&report.source.path));
        let count = report.diagnostics.len();
        out.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{count}\" errors=\"0\" skipped=\"0\">\n",
            count.max(1)
        ));
        if count == 0 {
            out.push_str(&format!("    <testcase name=\"{}\" classname=\"{path}\"/>\n", ctx.tool_name));
        }
        for d in &report.diagnostics {
            let at = ctx.place(&report.source, d.range, ColumnEncoding::Utf32).start;
            let title = super::title(d.code);
            let mut body = format!(
                "{}:{}:{}: {} {}",
                ctx.relative_path(&report.source.path),
                at.line,
                at.column,
                d.severity.as_str(),
                d.message
            );
            if let Some(help) = &d.help {
                body.push_str(&format!("\nhelp: {help}"));
            }
            out.push_str(&format!(
                "    <testcase name=\"{} at {}:{}\" classname=\"{path}\" file=\"{path}\" line=\"{}\">\n",
                xml_escape(&title),
                at.line,
                at.column,
                at.line
            ));
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
                xml_escape(&d.message),
                d.severity.as_str(),
                xml_escape(&body)
            ));
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
