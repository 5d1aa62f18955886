//! The `gitlab` format: GitLab's Code Quality report (a JSON array in the Code Climate shape), for a job's
//! `artifacts: reports: codequality`. Severities: info is `minor`, warning `major`, error `critical`. The
//! `fingerprint` is the stable one SARIF uses, so GitLab matches findings across pipelines.

use serde_json::{Value, json};

use super::RenderContext;
use crate::FileReport;
use crate::diagnostic::Severity;

/// Renders the findings as a Code Quality JSON array.
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let mut issues = Vec::new();
    for report in reports {
        let fingerprints = super::fingerprints(report, ctx);
        let path = ctx.relative_path(&report.source.path);
        for (d, fingerprint) in report.diagnostics.iter().zip(fingerprints) {
            let line = report.source.line_col(d.range.start).line;
            let severity = match d.severity {
                Severity::Info => "minor",
                Severity::Warning => "major",
                Severity::Error => "critical",
            };
            issues.push(json!({
                "type": "issue",
                "description": format!("{}: {}", super::title(d.code), d.message),
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": severity,
                "location": { "path": path, "lines": { "begin": line } },
            }));
        }
    }
    let mut text = serde_json::to_string_pretty(&Value::Array(issues)).unwrap_or_default();
    text.push('\n');
    text
}
