//! The `sarif` format: SARIF 2.1.0, one run, ready for GitHub code scanning.
//!
//! - `tool.driver.rules` lists every code a finding can carry (every rule, then the parser codes), so each
//!   result's `ruleIndex` is valid. Rules link to their page (`helpUri`, `help.markdown`). Rules of the security
//!   categories (supply chain, privilege, isolation, secrets, exposure) are tagged `["security", category]` and
//!   have a `properties.security-severity` from what a finding hands an attacker ([`super::security`]); hygiene, correctness and style rules are tagged `[category]` alone, which GitHub shows as
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
                        "id": i + 1,
                        "message": { "text": l.message },
                        "physicalLocation": physical_location(&ctx.label_place(reports, source, l, COLUMNS)),
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": { "text": message(&d.message, d.help.as_deref(), &d.labels) },
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
            "originalUriBaseIds": { "%SRCROOT%": { "uri": root_uri(&ctx.root) } },
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
            if let Some(score) = super::security::score(info.code) {
                properties["security-severity"] = json!(score);
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

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The result's message: the finding, a link to each related location (`[text](id)`, which GitHub shows as a link
/// to that place), then the help.
fn message(message: &str, help: Option<&str>, labels: &[crate::diagnostic::Label]) -> String {
    let mut text = message.to_owned();
    if !labels.is_empty() {
        let links: Vec<String> =
            labels.iter().enumerate().map(|(i, l)| format!("[{}]({})", link_text(&l.message), i + 1)).collect();
        text.push_str(&format!(" (see: {})", links.join("; ")));
    }
    if let Some(help) = help {
        text.push_str(&format!("\nhelp: {help}"));
    }
    text
}

/// A label's text as a link text: SARIF's message syntax ends a link at `]` and treats `\\` as an escape.
fn link_text(text: &str) -> String {
    let text = if text.is_empty() { "related location" } else { text };
    text.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]")
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

/// The root folder as a `file:` URI ending in `/`, as SARIF wants a base URI.
fn root_uri(root: &std::path::Path) -> String {
    let path = root.to_string_lossy().replace('\\', "/");
    let path = if path.starts_with('/') { path } else { format!("/{path}") };
    let path = if path.ends_with('/') { path } else { format!("{path}/") };
    format!("file://{}", uri_escape(&path))
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
    fn the_root_is_a_file_uri_ending_in_a_slash() {
        assert_eq!(root_uri(std::path::Path::new("/work/my app")), "file:///work/my%20app/");
        assert_eq!(root_uri(std::path::Path::new("/")), "file:///");
    }

    #[test]
    fn related_locations_are_linked_from_the_message() {
        let label = |m: &str| crate::diagnostic::Label {
            range: crate::TextRange::new(0, 1),
            message: m.to_owned(),
            elsewhere: None,
        };
        let text = message("service `a` runs privileged", Some("remove it"), &[label("defined [here]"), label("")]);
        assert_eq!(
            text,
            "service `a` runs privileged (see: [defined \\[here\\]](1); [related location](2))\nhelp: remove it"
        );
    }

    #[test]
    fn full_description_is_the_what_it_flags_section() {
        let page = "# X\n\n## What it flags\n\nA `thing`\nover two lines.\n\n## Why it matters\n\nno\n";
        assert_eq!(what_it_flags(page).as_deref(), Some("A `thing` over two lines."));
    }
}
