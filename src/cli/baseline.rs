//! `check --write-baseline` and `check --baseline`: the command line's side of [`crate::baseline`].

use std::path::Path;

use super::{EXIT_CLEAN, EXIT_ERROR};
use crate::FileReport;
use crate::baseline::{Baseline, Entry};

/// Reads `--baseline`'s file, when given.
pub(super) fn load(path: Option<&Path>) -> Result<Option<Baseline>, String> {
    path.map(Baseline::load).transpose()
}

/// Records `reports` in the baseline file at `path` and says so on standard error; the exit code.
pub(super) fn write<'a>(path: &Path, reports: impl IntoIterator<Item = &'a FileReport>) -> i32 {
    let root = path.parent().unwrap_or(Path::new(""));
    let reports: Vec<&FileReport> = reports.into_iter().collect();
    let baseline = Baseline::record(reports.iter().copied(), root);
    if let Err(e) = std::fs::write(path, baseline.to_json()) {
        eprintln!("error: cannot write {}: {}", path.display(), crate::workspace::io_message(&e));
        return EXIT_ERROR;
    }
    let files = reports.iter().filter(|r| !r.diagnostics.is_empty()).count();
    eprintln!(
        "Wrote {}: {} in {} ({} checked).",
        path.display(),
        plural(baseline.entries.len(), "finding", "findings"),
        plural(files, "file", "files"),
        reports.len(),
    );
    EXIT_CLEAN
}

/// Takes the findings `baseline` knows out of `reports`, warns on standard error about its entries that no longer
/// match, and returns how many findings it left out.
///
/// An entry no longer matches when its file was linted and has no such finding, or when its file is gone. Entries
/// for files this run did not lint (`check app/` with a baseline of the whole repository) are not judged.
pub(super) fn apply<'a>(baseline: &Baseline, reports: impl IntoIterator<Item = &'a mut FileReport>) -> usize {
    let filtered = baseline.filter(reports);
    let gone = filtered.elsewhere.into_iter().filter(|e| !baseline.root.join(&e.path).exists());
    let stale: Vec<Entry> = filtered.unmatched.into_iter().chain(gone).collect();
    if !stale.is_empty() {
        eprint!("{}", stale_message(&stale));
    }
    filtered.left_out
}

/// The warning about entries that no longer match, each on a line of its own.
fn stale_message(stale: &[Entry]) -> String {
    let (them, verb) = if stale.len() == 1 { ("it", "matches") } else { ("them", "match") };
    let mut out = format!(
        "warning: {} no longer {verb}: remove {them} with --write-baseline\n",
        plural(stale.len(), "baseline entry", "baseline entries")
    );
    for e in stale {
        let name = match crate::code_name(&e.code) {
            "" => String::new(),
            name => format!(" [{name}]"),
        };
        out.push_str(&format!("  {}:{}: {}{name} {}\n", e.path, e.line, e.code, e.message));
    }
    out
}

/// The summary's line: "3 known findings left out (baseline)."
pub(super) fn left_out_summary(left_out: usize) -> String {
    format!("{} left out (baseline).\n", plural(left_out, "known finding", "known findings"))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
