//! The machine output formats of `plimsoll check --format`, through the binary, on a small insecure project.

mod common;

use std::path::{Path, PathBuf};

use common::plimsoll;
use serde_json::Value;

const FORMATS: [&str; 7] = ["json", "sarif", "github", "checkstyle", "gitlab", "junit", "rdjson"];

/// Non-ASCII text before a finding (columns differ between encodings) and a fixable finding (`version:`).
const DOCKERFILE: &str = "FROM alpine:latest\nRUN echo \"café <&>\" && curl -k https://example.com/install.sh | sh\n";
const COMPOSE: &str = "version: \"3.8\"\nservices:\n  web:\n    build: .\n    privileged: true\n";

/// A fresh folder with the insecure project, `blank_lines` empty lines above each file's content.
fn project(name: &str, blank_lines: usize) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("formats").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test folder");
    let top = "\n".repeat(blank_lines);
    std::fs::write(dir.join("Dockerfile"), format!("{top}{DOCKERFILE}")).expect("write Dockerfile");
    // YAML comments keep the compose file's line shift valid.
    let compose_top = "#\n".repeat(blank_lines);
    std::fs::write(dir.join("compose.yaml"), format!("{compose_top}{COMPOSE}")).expect("write compose.yaml");
    dir
}

/// The output of one format, with the folder and the tool version made stable.
fn run_format(format: &str, dir: &Path) -> String {
    let out = plimsoll(&["check", "--format", format, "."], dir);
    assert_eq!(out.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout)
        .expect("UTF-8 output")
        .replace(&dir.display().to_string(), "[DIR]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

#[test]
fn every_format_snapshot() {
    let dir = project("snapshots", 0);
    for format in FORMATS {
        let text = run_format(format, &dir);
        assert!(!text.contains(" in 2 files."), "{format}: the human summary leaked into the output");
        let text = if format == "sarif" { trim_sarif(&text) } else { text };
        insta::assert_snapshot!(format, text);
    }
}

/// A SARIF log without what changes with the catalog rather than with this format: rules no result uses, rule
/// pages (`help.markdown`) and `ruleIndex` (checked against the rules in `sarif_is_valid_against_the_2_1_0_schema`).
fn trim_sarif(text: &str) -> String {
    let mut log: Value = serde_json::from_str(text).expect("sarif is JSON");
    let run = &mut log["runs"][0];
    let used: Vec<Value> = run["results"].as_array().expect("results").iter().map(|r| r["ruleId"].clone()).collect();
    for result in run["results"].as_array_mut().expect("results") {
        result.as_object_mut().expect("result").remove("ruleIndex");
    }
    let rules = run["tool"]["driver"]["rules"].as_array_mut().expect("rules");
    rules.retain(|r| used.contains(&r["id"]));
    for rule in rules {
        rule["help"]["markdown"] = Value::from("[the rule page]");
    }
    let mut text = serde_json::to_string_pretty(&log).expect("serialize");
    text.push('\n');
    text
}

#[test]
fn json_formats_parse_and_json_counts_files() {
    let dir = project("parse", 0);
    for format in ["json", "sarif", "gitlab", "rdjson"] {
        let text = run_format(format, &dir);
        serde_json::from_str::<Value>(&text).unwrap_or_else(|e| panic!("{format} is not JSON: {e}"));
    }
    let json: Value = serde_json::from_str(&run_format("json", &dir)).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["files_checked"], 2);
    assert_eq!(json["tool"]["name"], "plimsoll");
}

#[test]
fn sarif_is_valid_against_the_2_1_0_schema() {
    let Some(shared) = common::shared_dir("SARIF output against the 2.1.0 schema") else { return };
    let schema_path = shared.join("schemas/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(&schema_path).expect("read the SARIF schema");
    // The schema's `language` pattern ends in an unescaped `]`, a literal in ECMA-262 regexes but an error for the
    // Rust regex engines that check patterns when the schema is compiled: escape it, same meaning.
    let text = text.replace(r#"[a-zA-Z]{2}]?$"#, r#"[a-zA-Z]{2}\\]?$"#);
    let schema: Value = serde_json::from_str(&text).expect("schema");
    let validator = jsonschema::validator_for(&schema).expect("compile the SARIF schema");
    let dir = project("sarif-schema", 0);
    let log: Value = serde_json::from_str(&run_format("sarif", &dir)).expect("sarif is JSON");
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "invalid SARIF:\n{}", errors.join("\n"));

    // Every result's ruleIndex points at its rule.
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    let results = run["results"].as_array().expect("results");
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
    }
}

type Fingerprints = Vec<(String, String)>;

/// `(code, fingerprint)` of every SARIF result, and the same from the GitLab report.
fn fingerprints(dir: &Path) -> (Fingerprints, Fingerprints) {
    let sarif: Value = serde_json::from_str(&run_format("sarif", dir)).expect("sarif");
    let mut from_sarif: Fingerprints = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| (r["ruleId"].to_string(), r["partialFingerprints"]["plimsoll/v1"].to_string()))
        .collect();
    let gitlab: Value = serde_json::from_str(&run_format("gitlab", dir)).expect("gitlab");
    let mut from_gitlab: Fingerprints = gitlab
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| (i["check_name"].to_string(), i["fingerprint"].to_string()))
        .collect();
    from_sarif.sort();
    from_gitlab.sort();
    (from_sarif, from_gitlab)
}

#[test]
fn fingerprints_are_stable_across_runs_and_line_shifts() {
    let dir = project("fingerprints", 0);
    let (first, gitlab) = fingerprints(&dir);
    assert!(first.len() >= 3, "{first:?}");
    assert_eq!(first, gitlab, "GitLab and SARIF share the fingerprint");
    let all: std::collections::BTreeSet<_> = first.iter().map(|(_, f)| f).collect();
    assert_eq!(all.len(), first.len(), "fingerprints are unique: {first:?}");
    assert_eq!(fingerprints(&dir).0, first, "a second run gives the same fingerprints");

    let shifted = project("fingerprints-shifted", 1);
    let sarif: Value = serde_json::from_str(&run_format("sarif", &shifted)).expect("sarif");
    assert!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() > Some(1)
    );
    assert_eq!(fingerprints(&shifted).0, first, "a line added above keeps the fingerprints");
}

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = project("output", 0);
    let out = plimsoll(&["check", "--format", "sarif", "--output", "report.sarif", "."], &dir);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    let written = std::fs::read_to_string(dir.join("report.sarif")).expect("report written");
    assert!(written.contains("\"version\": \"2.1.0\""));

    let human = plimsoll(&["check", "-o", "report.txt", "Dockerfile"], &dir);
    assert_eq!(human.status.code(), Some(1));
    assert!(human.stdout.is_empty());
    let text = std::fs::read_to_string(dir.join("report.txt")).expect("human report written");
    assert!(text.contains(" in 1 file ("), "{text}");
}

#[test]
fn a_clean_project_gives_empty_reports_and_exit_0() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("formats").join("clean");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create test folder");
    std::fs::write(dir.join("Dockerfile"), "FROM alpine:3.22\nUSER nobody\n").expect("write");
    let junit = plimsoll(&["check", "--format", "junit", "."], &dir);
    assert_eq!(junit.status.code(), Some(0));
    let text = String::from_utf8_lossy(&junit.stdout);
    assert!(text.contains("<testcase name=\"plimsoll\" classname=\"Dockerfile\"/>"), "{text}");
    let github = plimsoll(&["check", "--format", "github", "."], &dir);
    assert_eq!(github.status.code(), Some(0));
    assert!(github.stdout.is_empty());
}

#[test]
fn github_writes_one_command_per_finding() {
    let dir = project("github", 0);
    let text = run_format("github", &dir);
    assert!(
        text.lines().all(|l| l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")),
        "{text}"
    );
    assert!(text.contains("file=compose.yaml,line=5,"), "{text}");
}
