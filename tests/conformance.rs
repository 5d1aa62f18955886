//! BuildKit's own parser test suite (`shared/corpus/conformance/buildkit-parser`) is the oracle for the
//! Dockerfile parser: every positive case must dump byte-identically, every negative case must be rejected.

mod common;

use plimsoll::dockerfile::{self, buildkit};

fn suite() -> Option<std::path::PathBuf> {
    common::shared_dir("BuildKit's parser suite").map(|d| d.join("corpus/conformance/buildkit-parser"))
}

fn read(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    plimsoll::source::decode_lossy(&bytes).0
}

#[test]
fn positive_cases_dump_exactly_as_buildkit() {
    let Some(suite) = suite() else { return };
    let cases = common::files_in(&suite.join("testfiles"));
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 positive cases");
    let mut failures = Vec::new();
    for case in &cases {
        let file = dockerfile::parse(&read(&case.join("Dockerfile")));
        let expected = read(&case.join("result")).replace("\r\n", "\n");
        let actual = buildkit::dump(&file);
        if file.has_syntax_errors() {
            failures.push(format!("{}: rejected: {:?}", case.display(), file.diagnostics));
        } else if actual != expected {
            failures.push(format!("{}:\n--- expected\n{expected}--- actual\n{actual}", case.display()));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), cases.len(), failures.join("\n"));
}

#[test]
fn negative_cases_are_rejected() {
    let Some(suite) = suite() else { return };
    let cases = common::files_in(&suite.join("testfiles-negative"));
    assert_eq!(cases.len(), 4, "expected BuildKit's 4 negative cases");
    for case in &cases {
        let file = dockerfile::parse(&read(&case.join("Dockerfile")));
        assert!(file.has_syntax_errors(), "{} was accepted", case.display());
    }
}

#[test]
fn line_ranges_match_buildkit() {
    let Some(suite) = suite() else { return };
    let file = dockerfile::parse(&read(&suite.join("testfile-line/Dockerfile")));
    let ranges: Vec<(u32, u32)> = file.instructions.iter().map(|i| (i.start_line + 1, i.end_line + 1)).collect();
    assert_eq!(ranges, [(5, 5), (11, 12), (17, 31)]);
}
