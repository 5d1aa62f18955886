//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `shared/` folder that sits beside the repository (CI clones main with it beside), or `$PLIMSOLL_SHARED`,
/// for a test that reads it (`what`: what the test checks). When it is missing the test says it was skipped and
/// why, and returns `None`, so `cargo test` works on a fresh clone alone; when `CI` is set it fails instead,
/// since there the shared corpus is the oracle and must be there.
pub fn shared_dir(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("corpus").is_dir() {
        return Some(dir);
    }
    let why = format!("{} has no corpus/: put shared/ beside the repository or set PLIMSOLL_SHARED", dir.display());
    assert!(std::env::var_os("CI").is_none(), "{what}: required in CI, but {why}");
    // Straight to the process's standard error: the test harness captures `eprintln!`, and a skip must be seen.
    let _ = writeln!(std::io::stderr(), "skipped: {what}: {why}");
    None
}

/// Files directly inside a folder, sorted.
pub fn files_in(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    files
}

/// Runs the `plimsoll` binary in `dir`, without colour.
pub fn plimsoll(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plimsoll"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run plimsoll")
}
