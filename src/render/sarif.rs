//! The `sarif` format: SARIF 2.1.0, one run, ready for GitHub code scanning.
//!
//! - `tool.driver.rules` lists every code a finding can carry (every rule, then the parser codes), so each
//!   result's `ruleIndex` is valid. Rules link to their page (`helpUri`, `help.markdown`). Rules of the security
//!   categories (supply chain, privilege, isolation, secrets, exposure) are tagged `["security", category]` and
//!   have a `properties.security-severity` from their default severity (error 8.0 high, warning 5.0 medium,
//!   info 2.0 low); hygiene, correctness and style rules are tagged `[category]` alone, which GitHub shows as
//!   plain quality findings. Parser codes (`PLD0xx`, `PLC0xx`) have a generic entry tagged `syntax`, with no default
//!   level or security severity: their results carry their own level.
//! - Columns count Unicode code points (`columnKind: unicodeCodePoints`); URIs are relative to `%SRCROOT%` (the
//!   current directory) when the file is inside it.
//! - `fixes` carry every fix, safe or unsafe; `properties.applicability` says which (an unsafe fix may change what
//!   the build does).
//! - `partialFingerprints["plimsoll/v1"]` is the stable fingerprint of [`super::fingerprints`].

use serde_json::{Value, json};

use super::{CodeInfo, Place, REPOSITORY_URL, RenderContext};
use crate::FileReport;
use crate::diagnostic::Severity;
use crate::rules::Category;
use crate::source::ColumnEncoding;

const COLUMNS: ColumnEncoding = ColumnEncoding::Utf32;
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders the findings as a SARIF log (pretty-printed, with a final newline).
pub fn render(reports: &[FileReport], ctx: &RenderContext) -> String {
    let codes = super::codes();
    let rules: Vec<Value> = codes.iter().map(rule).collect();
    let mut results = Vec::new();
    for report in reports {
        let fingerprints = super::fingerprints(report, ctx);
        for (d, fingerprint) in report.diagnostics.iter().zip(fingerprints) {
            let source = &report.source;
            let related: Vec<Value> = d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "message": { "text": l.message },
                        "physicalLocation": physical_location(&ctx.label_place(reports, source, l, COLUMNS)),
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message(&d.message, d.help.as_deref()) },
                "locations": [{ "physicalLocation": physical_location(&ctx.place(source, d.range, COLUMNS)) }],
                "partialFingerprints": { "plimsoll/v1": fingerprint },
            });
            if let Some(index) = codes.iter().position(|c| c.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(&ctx.place(source, e.range, COLUMNS)),
                            "insertedContent": { "text": e.replacement },
                        })
                    })
                    .collect();
                let place = ctx.place(source, d.range, COLUMNS);
                result["fixes"] = json!([{
                    "description": { "text": fix.message },
                    "properties": { "applicability": fix.applicability },
                    "artifactChanges": [{
                        "artifactLocation": artifact_location(&place.file),
                        "replacements": replacements,
                    }],
                }]);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": ctx.tool_name,
                    "version": ctx.tool_version,
                    "semanticVersion": ctx.tool_version,
                    "informationUri": REPOSITORY_URL,
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// A `reportingDescriptor` for one code.
fn rule(info: &CodeInfo) -> Value {
    let mut rule = json!({
        "id": info.code,
        "name": info.name,
        "shortDescription": { "text": info.summary },
    });
    let full = what_it_flags(info.page)
        .unwrap_or_else(|| format!("{}. Found while reading the file, not by a rule.", info.summary));
    rule["fullDescription"] = json!({ "text": full });
    match info.url() {
        Some(url) => {
            rule["helpUri"] = json!(url);
            let text = format!("{}. See {url}", info.summary.trim_end_matches('.'));
            rule["help"] = json!({ "text": text, "markdown": info.page });
        }
        None => rule["help"] = json!({ "text": info.summary }),
    }
    if let Some(severity) = info.severity {
        rule["defaultConfiguration"] = json!({ "level": level(severity) });
    }
    let mut properties = json!({});
    properties["tags"] = match info.category {
        Some(category) if is_security(category) => {
            if let Some(severity) = info.severity {
                properties["security-severity"] = json!(security_severity(severity));
            }
            json!(["security", category.name()])
        }
        Some(category) => json!([category.name()]),
        None => json!(["syntax"]),
    };
    rule["properties"] = properties;
    rule
}

/// The "What it flags" section of a rule page, as one paragraph.
fn what_it_flags(page: &str) -> Option<String> {
    let start = page.find("## What it flags")?;
    let body = &page[start..];
    let body = body.split_once('\n')?.1;
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn is_security(category: Category) -> bool {
    !matches!(category, Category::Hygiene | Category::Correctness | Category::Style)
}

/// GitHub's `security-severity`: a score out of 10 (over 7 high, 4 to 7 medium, under 4 low).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn message(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message.to_owned(),
    }
}

fn physical_location(place: &Place) -> Value {
    json!({ "artifactLocation": artifact_location(&place.file), "region": region(place) })
}

fn region(place: &Place) -> Value {
    json!({
        "startLine": place.start.line,
        "startColumn": place.start.column,
        "endLine": place.end.line,
        "endColumn": place.end.column,
    })
}

/// A relative path under `%SRCROOT%`, or an absolute `file:` URI for a file outside the root.
fn artifact_location(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", uri_escape(path)) })
    } else {
        json!({ "uri": uri_escape(path), "uriBaseId": "%SRCROOT%" })
    }
}

/// Percent-encodes what may not stand in a URI path.
fn uri_escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_escape_spaces_and_non_ascii() {
        assert_eq!(uri_escape("my app/Dockerfile.é"), "my%20app/Dockerfile.%C3%A9");
    }

    #[test]
    fn full_description_is_the_what_it_flags_section() {
        let page = "# X\n\n## What it flags\n\nA `thing`\nover two lines.\n\n## Why it matters\n\nno\n";
        assert_eq!(what_it_flags(page).as_deref(), Some("A `thing` over two lines."));
    }
}
