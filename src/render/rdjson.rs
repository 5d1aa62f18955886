//! The `rdjson` format: reviewdog's diagnostic format (`reviewdog -f=rdjson`). Columns are UTF-8 bytes, as
//! reviewdog's format defines them; fixes become `suggestions` (each edit a range and its replacement), labels
//! `related_locations`.

use serde_json::{Value, json};

use super::{Place, REPOSITORY_URL, RenderContext};
use crate::FileReport;
use crate::diagnostic::Severity;
use crate::source::ColumnEncoding;

const COLUMNS: ColumnEncoding = ColumnEncoding::Utf8;

/// Renders the findings as one rdjson document.
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let codes = super::codes();
    let mut diagnostics = Vec::new();
    for report in reports {
        let source = &report.source;
        for d in &report.diagnostics {
            let mut code = json!({ "value": d.code });
            if let Some(url) = codes.iter().find(|c| c.code == d.code).and_then(|c| c.url()) {
                code["url"] = json!(url);
            }
            let severity = match d.severity {
                Severity::Error => "ERROR",
                Severity::Warning => "WARNING",
                Severity::Info => "INFO",
            };
            let mut diagnostic = json!({
                "message": d.message,
                "location": location(&ctx.place(source, d.range, COLUMNS)),
                "severity": severity,
                "code": code,
            });
            if let Some(fix) = &d.fix {
                let suggestions: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| json!({ "range": range(&ctx.place(source, e.range, COLUMNS)), "text": e.replacement }))
                    .collect();
                diagnostic["suggestions"] = Value::Array(suggestions);
            }
            if !d.labels.is_empty() {
                let related: Vec<Value> = d
                    .labels
                    .iter()
                    .map(|l| {
                        json!({
                            "message": l.message,
                            "location": location(&ctx.label_place(reports, source, l, COLUMNS)),
                        })
                    })
                    .collect();
                diagnostic["related_locations"] = Value::Array(related);
            }
            diagnostics.push(diagnostic);
        }
    }
    let document = json!({
        "source": { "name": ctx.tool_name, "url": REPOSITORY_URL },
        "diagnostics": diagnostics,
    });
    let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
    text.push('\n');
    text
}

fn location(place: &Place) -> Value {
    json!({ "path": place.file, "range": range(place) })
}

fn range(place: &Place) -> Value {
    json!({
        "start": { "line": place.start.line, "column": place.start.column },
        "end": { "line": place.end.line, "column": place.end.column },
    })
}
