//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `shared/` folder that sits beside the repository (CI clones main with it beside), or
/// `$PLIMSOLL_SHARED`. Tests that read it fail loudly when it is missing: they are the oracle.
pub fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    assert!(
        dir.join("corpus").is_dir(),
        "{} has no corpus/: put shared/ beside the repository or set PLIMSOLL_SHARED",
        dir.display()
    );
    dir
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
