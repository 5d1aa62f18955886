//! For unit tests that read the shared corpus beside the repository (`../shared`, or `$PLIMSOLL_SHARED`): the
//! folder when it is there; otherwise the test says it was skipped and why, or fails when `CI` is set (there the
//! corpus is the oracle and must be present). `tests/common` does the same for the integration tests.

use std::io::Write;
use std::path::PathBuf;

/// `relative` inside the shared folder, for a test that checks `what`.
pub fn path(relative: &str, what: &str) -> Option<PathBuf> {
    let root = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let path = root.join(relative);
    if path.exists() {
        return Some(path);
    }
    let why = format!("{} is missing: put shared/ beside the repository or set PLIMSOLL_SHARED", path.display());
    assert!(std::env::var_os("CI").is_none(), "{what}: required in CI, but {why}");
    // Straight to the process's standard error: the test harness captures `eprintln!`, and a skip must be seen.
    let _ = writeln!(std::io::stderr(), "skipped: {what}: {why}");
    None
}
