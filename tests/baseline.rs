//! `check --write-baseline` and `check --baseline`, end to end: known findings stay known through edits elsewhere
//! in the file, from another working directory and another checkout; new ones are reported and fail; entries that
//! no longer match are named.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::plimsoll;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("baseline").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("app")).expect("create test folder");
    dir
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write fixture");
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const DOCKERFILE: &str = "FROM alpine:3.22\nRUN curl -k https://example.com/x -o /x\n";
const COMPOSE: &str = "services:\n  app:\n    image: alpine:3.22\n    privileged: true\n";

/// A repository with a Dockerfile and a Compose file, and its baseline written.
fn repository(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(&dir, "app/Dockerfile", DOCKERFILE);
    write(&dir, "compose.yaml", COMPOSE);
    let out = plimsoll(&["check", "--write-baseline", "plimsoll-baseline.json"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "writing a baseline reports nothing");
    assert!(text(&out.stderr).starts_with("Wrote plimsoll-baseline.json: "), "{}", text(&out.stderr));
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["check", "--format", "concise", "--baseline", "plimsoll-baseline.json"];
    args.extend(extra);
    plimsoll(&args, dir)
}

/// The findings of a concise report, without the summary.
fn findings(out: &Output) -> Vec<String> {
    text(&out.stdout).lines().filter(|l| l.contains(": PL")).map(str::to_owned).collect()
}

#[test]
fn the_baseline_is_sorted_relative_and_stable() {
    let dir = repository("stable");
    let first = std::fs::read_to_string(dir.join("plimsoll-baseline.json")).expect("baseline");
    let doc: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!((doc["version"].as_u64(), doc["tool"].as_str()), (Some(1), Some("plimsoll")));
    let entries = doc["findings"].as_array().expect("findings");
    let keys: Vec<(String, u64, String)> = entries
        .iter()
        .map(|e| (e["path"].as_str().unwrap_or("").to_owned(), e["line"].as_u64().unwrap_or(0), e["code"].to_string()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert!(keys.iter().any(|k| k.0 == "app/Dockerfile" && k.1 == 2), "{keys:?}");
    assert!(keys.iter().any(|k| k.0 == "compose.yaml"), "{keys:?}");
    // The fingerprints are SARIF's partial fingerprints when the baseline sits in the working directory.
    let sarif = plimsoll(&["check", "--format", "sarif"], &dir);
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).expect("SARIF");
    for e in entries {
        let found = sarif["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .any(|r| r["partialFingerprints"]["plimsoll/v1"] == e["fingerprint"] && r["ruleId"] == e["code"]);
        assert!(found, "{e}");
    }

    let again = plimsoll(&["check", "--write-baseline", "plimsoll-baseline.json"], &dir);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(dir.join("plimsoll-baseline.json")).expect("baseline"), first);
}

#[test]
fn known_findings_are_left_out_through_edits_elsewhere() {
    let dir = repository("edits");
    let out = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(findings(&out), Vec::<String>::new());
    let count =
        std::fs::read_to_string(dir.join("plimsoll-baseline.json")).expect("baseline").matches("\"code\"").count();
    assert!(
        text(&out.stdout).contains(&format!("{count} known findings left out (baseline).")),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(text(&out.stderr), "", "no entry is stale");

    // Lines added above a finding keep it known; a new finding is the only one reported, and fails.
    write(
        &dir,
        "app/Dockerfile",
        &format!("# syntax=docker/dockerfile:1\n\n{DOCKERFILE}RUN wget --no-check-certificate https://example.com/y\n"),
    );
    let out = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert_eq!(
        findings(&out),
        [
            "app/Dockerfile:5:10: PLD104 [tls-verification-disabled] `wget --no-check-certificate` accepts any certificate"
        ]
    );
    assert_eq!(text(&out.stderr), "");

    // Machine formats get the remaining findings only; the note goes to standard error.
    let json = plimsoll(&["check", "--format", "json", "--baseline", "plimsoll-baseline.json"], &dir);
    assert_eq!(json.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(report.to_string().matches("\"PLD104\"").count(), 1, "{report}");
    assert!(
        text(&json.stderr).contains(&format!("{count} known findings left out (baseline).")),
        "{}",
        text(&json.stderr)
    );

    // Removing a recorded finding leaves its entry unmatched: it is named, and the run passes.
    write(&dir, "app/Dockerfile", "# syntax=docker/dockerfile:1\n\nFROM alpine:3.22\n");
    let out = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(
        text(&out.stderr),
        "warning: 1 baseline entry no longer matches: remove it with --write-baseline\n  \
         app/Dockerfile:2: PLD104 [tls-verification-disabled] `curl -k` accepts any certificate\n"
    );
    assert!(text(&out.stdout).contains(&format!("{} known findings left out", count - 1)), "{}", text(&out.stdout));
}

#[test]
fn the_baseline_works_from_another_folder_and_another_checkout() {
    let dir = repository("moved");
    let out = plimsoll(&["check", "--baseline", "../plimsoll-baseline.json", ".."], &dir.join("app"));
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));
    assert_eq!(text(&out.stderr), "");

    let copy = scratch("moved-copy");
    for name in ["app/Dockerfile", "compose.yaml", "plimsoll-baseline.json"] {
        std::fs::copy(dir.join(name), copy.join(name)).expect("copy");
    }
    let out = check(&copy, &[]);
    assert_eq!(out.status.code(), Some(0), "{}{}", text(&out.stdout), text(&out.stderr));

    // Linting part of the repository judges only the entries of the files it linted.
    let out = check(&copy, &["app"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "", "compose.yaml was not linted: its entries are not stale");
    // A file that is gone has stale entries.
    std::fs::remove_file(copy.join("compose.yaml")).expect("remove");
    let out = check(&copy, &["app"]);
    assert!(text(&out.stderr).contains("compose.yaml:4: PLC"), "{}", text(&out.stderr));
}

#[test]
fn a_malformed_or_missing_baseline_is_an_error_with_its_place() {
    let dir = repository("malformed");
    write(&dir, "plimsoll-baseline.json", "{\n  \"version\": 1,\n  \"tool\": \"plimsoll\",\n  \"findings\": [1]\n}\n");
    let out = check(&dir, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: plimsoll-baseline.json:4:16: invalid baseline: invalid type: integer `1`, expected struct Entry\n"
    );
    assert_eq!(text(&out.stdout), "");

    let out = plimsoll(&["check", "--baseline", "nothing.json"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("error: cannot read the baseline nothing.json: "), "{}", text(&out.stderr));

    // A folder with nothing to lint has an empty baseline.
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).expect("create folder");
    let out = plimsoll(&["check", "--write-baseline", "b.json"], &empty);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(empty.join("b.json")).expect("an empty baseline");
    assert!(written.contains("\"findings\": []"), "{written}");

    // Writing a baseline is a write of its own: it does not mix with --fix.
    let out = plimsoll(&["check", "--fix", "--write-baseline", "b.json"], &dir);
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.join("b.json").exists());
}
