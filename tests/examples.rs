//! The sample projects stay true: `examples/insecure` trips every Dockerfile rule, `examples/clean` has no
//! findings at all.

use std::path::Path;

use plimsoll::SourceFile;
use plimsoll::rules::{self, Target};

fn lint(path: &str) -> Vec<plimsoll::Diagnostic> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    plimsoll::lint_dockerfile(&SourceFile::from_bytes(&path, &bytes))
}

#[test]
fn the_insecure_example_trips_every_dockerfile_rule() {
    let found = lint("examples/insecure/Dockerfile");
    let missing: Vec<&str> = rules::all()
        .iter()
        .filter(|r| r.meta.target == Target::Dockerfile && !r.meta.opt_in)
        .map(|r| r.meta.code)
        .filter(|code| !found.iter().any(|d| d.code == *code))
        .collect();
    assert!(missing.is_empty(), "examples/insecure/Dockerfile does not trip {missing:?}");
}

#[test]
fn the_clean_example_has_no_findings() {
    let found = lint("examples/clean/Dockerfile");
    assert!(found.is_empty(), "{found:#?}");
}
