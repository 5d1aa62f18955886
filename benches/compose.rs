//! Load and resolve every Compose file of the corpus (YAML, interpolation, merging, model): files/s and
//! peak memory. `cargo bench --bench compose` (reads `../shared/corpus/compose`).

use std::path::PathBuf;
use std::time::Instant;

use plimsoll::compose::project::{LoadOptions, MemoryFs};

fn main() {
    let shared = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpus/compose");
    let mut projects = Vec::new();
    let mut bytes = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        bytes += data.len();
        let text = plimsoll::source::decode_lossy(&data).0;
        // Each file as the `compose.yaml` of its own in-memory project, so I/O is not measured.
        projects.push(MemoryFs([(PathBuf::from("/p/compose.yaml"), text)].into_iter().collect()));
    }
    let options = LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() };
    let run = || {
        let mut diagnostics = 0;
        for fs in &projects {
            for report in plimsoll::lint_compose_project(&options, fs) {
                diagnostics += report.diagnostics.len();
            }
        }
        diagnostics
    };
    let diagnostics = run();
    let rounds = 20;
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        std::hint::black_box(run());
        best = best.min(start.elapsed().as_secs_f64());
    }
    let mb = bytes as f64 / 1e6;
    println!("corpus: {} files, {:.2} MB, {} diagnostics", projects.len(), mb, diagnostics);
    println!(
        "load + resolve (best of {rounds}, one core): {:.1} ms, {:.0} files/s, {:.1} MB/s",
        best * 1e3,
        projects.len() as f64 / best,
        mb / best
    );
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    match status.lines().find(|l| l.starts_with("VmHWM:")) {
        Some(line) => println!("peak RSS: {}", line.trim_start_matches("VmHWM:").trim()),
        None => println!("peak RSS: not available on this platform"),
    }
}
