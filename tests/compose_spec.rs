//! compose-go's and docker compose's fixtures (`shared/corpus/compose-spec`) are the oracle for loading
//! Compose projects: each fixture loads with no error, or with exactly the error it was written to provoke.
//! The real-world corpus (`shared/corpus/compose`) loads with no error at all.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plimsoll::Severity;
use plimsoll::compose::project::{LoadOptions, RealFs};

/// Fixtures written to fail, and the codes we give them. `remote/`: compose-go loads these through a custom
/// resource loader (a stand-in for git/OCI remotes); plimsoll reads only local files, so the remote references
/// are reported as files it cannot read.
const EXPECTED_ERRORS: &[(&str, &[&str])] = &[
    ("compose-go/loader/testdata/compose-depends-on-cycle.yaml", &["PLC014"]),
    ("compose-go/loader/testdata/compose-depends-on-self.yaml", &["PLC014"]),
    // compose-go's test activates a profile subset in which the circle is broken; plimsoll lints every service,
    // and starting them all would fail on the circle.
    ("compose-go/loader/testdata/compose-depends-on-profile-no-cycle.yaml", &["PLC014"]),
    ("compose-go/loader/testdata/compose-include-cycle.yaml", &["PLC009"]),
    ("compose-go/loader/testdata/empty.yaml", &["PLC013"]),
    ("compose-go/loader/testdata/remote/cycle/compose-cycle.yaml", &["PLC008"]),
    ("compose-go/loader/testdata/remote/cycle/compose.yaml", &["PLC008"]),
    ("compose-go/loader/testdata/remote/nested/compose.yaml", &["PLC008"]),
    ("docker-compose/pkg/e2e/fixtures/wrong-composefile/compose.yaml", &["PLC006"]),
];

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.is_dir() {
            // Kubernetes and Helm output of `compose bridge`, not Compose files.
            if !name.starts_with("expected-") {
                yaml_files(&path, out);
            }
        } else if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(path);
        }
    }
}

/// The error codes of a file loaded as a project on its own, as `docker compose -f FILE` would load it.
fn error_codes(path: &Path) -> Vec<&'static str> {
    let options = LoadOptions {
        files: vec![PathBuf::from(path.file_name().expect("file name"))],
        dir: path.parent().expect("folder").to_path_buf(),
        use_process_env: false,
        ..LoadOptions::default()
    };
    let mut codes: Vec<&'static str> = plimsoll::lint_compose_project(&options, &RealFs)
        .into_iter()
        .flat_map(|r| r.diagnostics)
        // Loading errors (`PLC0xx`), not rule findings, nor `PLX001`: these fixtures and the flat corpus keep no
        // Dockerfile beside the Compose files that build one.
        .filter(|d| d.severity == Severity::Error && d.code.starts_with("PLC0"))
        .map(|d| d.code)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

#[test]
fn compose_spec_fixtures_load_or_fail_as_written() {
    let Some(shared) = common::shared_dir("compose-go's loader fixtures") else { return };
    let root = shared.join("corpus/compose-spec");
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    assert!(files.len() > 200, "expected the compose-spec fixtures, found {}", files.len());
    let expected: BTreeMap<&str, &[&str]> = EXPECTED_ERRORS.iter().copied().collect();
    let mut problems = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(&root).expect("under root").to_string_lossy().replace('\\', "/");
        let want: &[&str] = expected.get(relative.as_str()).copied().unwrap_or(&[]);
        let got = error_codes(path);
        if got != want {
            problems.push(format!("{relative}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(problems.is_empty(), "{} of {} fixtures differ:\n{}", problems.len(), files.len(), problems.join("\n"));
}

#[test]
fn every_corpus_compose_file_loads_without_errors() {
    let Some(shared) = common::shared_dir("the Compose corpus loads") else { return };
    let files = common::files_in(&shared.join("corpus/compose"));
    assert!(files.len() >= 175, "expected the 175-file corpus, found {}", files.len());
    let mut problems = Vec::new();
    for path in &files {
        let codes = error_codes(path);
        // The corpus flattens paths, so an `extends: {file: ...}` naming a sibling file cannot be followed.
        let codes: Vec<_> = codes.into_iter().filter(|c| *c != "PLC008").collect();
        if !codes.is_empty() {
            problems.push(format!("{}: {codes:?}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{} files with errors:\n{}", problems.len(), problems.join("\n"));
}
