//! The whole corpus as `plimsoll check` lints it, every rule on (opt-in ones too): 3,501 Dockerfiles and 175
//! Compose files, in parallel on every core. Prints wall time (best of 5 runs), files/s and peak memory, then the
//! same corpus through hadolint 2.15.1 and compose-lint 0.36.2 when they are on `PATH`, and the ratios.
//!
//! `cargo bench --bench corpus` (reads `../shared/corpus`, or `$PLIMSOLL_SHARED/corpus`); `-- --no-peers` skips
//! the peers. The peers are run as their users run them: hadolint with every Dockerfile on one command line,
//! compose-lint with every Compose file. Each run starts with an empty shell parse cache, as `plimsoll check` does.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use plimsoll::compose::project::{LoadOptions, RealFs};
use plimsoll::rules::{self, Selection, Settings};
use rayon::prelude::*;

fn main() {
    let shared = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dockerfiles = files_in(&shared.join("corpus/dockerfiles"));
    let compose = files_in(&shared.join("corpus/compose"));
    let opt_in = rules::all().iter().filter(|r| r.meta.opt_in).map(|r| r.meta.code.to_owned()).collect();
    let selection = Selection { extend_select: opt_in, ..Selection::default() };
    let settings = Settings::default();

    let mut findings = 0;
    let (mut best, mut best_dockerfiles, mut best_compose) = (Duration::MAX, Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        let start = Instant::now();
        // A fresh shell parse cache each run, as `plimsoll check` starts with.
        rayon::broadcast(|_| plimsoll::shell::cache_parses_on_this_thread());
        let (in_dockerfiles, split, in_compose) = lint_all(&dockerfiles, &compose, &selection, &settings);
        let end = start.elapsed();
        findings = in_dockerfiles + in_compose;
        best = best.min(end);
        best_dockerfiles = best_dockerfiles.min(split);
        best_compose = best_compose.min(end - split);
    }
    let files = dockerfiles.len() + compose.len();
    let secs = best.as_secs_f64();
    println!(
        "plimsoll: {files} files ({} Dockerfiles, {} Compose files), {findings} findings, best {:.0} ms wall, \
         {:.0} files/s, peak memory {} MiB, {} threads",
        dockerfiles.len(),
        compose.len(),
        secs * 1e3,
        files as f64 / secs,
        peak_rss_kib().map_or_else(|| "?".into(), |k| (k / 1024).to_string()),
        rayon::current_num_threads()
    );

    let (dockerfile_secs, compose_secs) = (best_dockerfiles.as_secs_f64(), best_compose.as_secs_f64());
    println!("  of which Dockerfiles {:.0} ms, Compose files {:.0} ms", dockerfile_secs * 1e3, compose_secs * 1e3);
    // `cargo bench --bench corpus -- --no-peers` leaves hadolint and compose-lint out (they take minutes).
    if std::env::args().any(|a| a == "--no-peers") {
        return;
    }
    if let Some(hadolint) = timed("hadolint", &["--no-fail", "--no-color"], &dockerfiles) {
        println!(
            "hadolint 2.15.1 on the Dockerfiles: {hadolint:.1} s wall, {:.0}x plimsoll's",
            hadolint / dockerfile_secs
        );
    }
    let compose_lint_args = ["check", "--format", "json", "--allow-partial-coverage", "--no-merge-overrides"];
    if let Some(compose_lint) = timed("compose-lint", &compose_lint_args, &compose) {
        println!(
            "compose-lint 0.36.2 on the Compose files: {compose_lint:.2} s wall, {:.0}x plimsoll's",
            compose_lint / compose_secs
        );
    }
}

/// Lints every Dockerfile, then every Compose file as a project of its own, in parallel; returns the findings of
/// each kind and when the Dockerfiles were done.
fn lint_all(
    dockerfiles: &[PathBuf],
    compose: &[PathBuf],
    selection: &Selection,
    settings: &Settings,
) -> (usize, Duration, usize) {
    let start = Instant::now();
    let in_dockerfiles: usize = dockerfiles
        .par_iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let source = plimsoll::SourceFile::from_bytes(path, &bytes);
            plimsoll::lint_dockerfile_with(&source, selection, settings).len()
        })
        .sum();
    let split = start.elapsed();
    let in_compose: usize = compose
        .par_iter()
        .map(|path| {
            let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
            let name = path.file_name().map(PathBuf::from).unwrap_or_default();
            let options = LoadOptions { files: vec![name], dir, ..LoadOptions::default() };
            let reports = plimsoll::lint_compose_project_with(&options, &RealFs, selection, settings);
            reports.iter().map(|r| r.diagnostics.len()).sum::<usize>()
        })
        .sum();
    (in_dockerfiles, split, in_compose)
}

/// Seconds `program args files…` takes, or `None` when it is not installed.
fn timed(program: &str, args: &[&str], files: &[PathBuf]) -> Option<f64> {
    let start = Instant::now();
    let status =
        Command::new(program).args(args).args(files).stdout(Stdio::null()).stderr(Stdio::null()).status().ok()?;
    let elapsed = start.elapsed().as_secs_f64();
    // Exit 1 is "findings"; anything above is a failure to run, not a figure.
    (status.code().is_some_and(|c| c <= 1)).then_some(elapsed)
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The process's peak resident memory (Linux), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
