//! Parse throughput over the Dockerfile corpus on one core: MB/s, files/s and peak memory.
//!
//! `cargo bench --bench parse` (reads `../shared/corpus/dockerfiles`, or `$PLIMSOLL_SHARED/corpus/dockerfiles`).
//! A plain binary rather than a statistics harness: the figure we track is whole-corpus throughput.

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let shared = std::env::var_os("PLIMSOLL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let dir = shared.join("corpus/dockerfiles");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())) {
        let path = entry.expect("directory entry").path();
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        texts.push(plimsoll::source::decode_lossy(&bytes).0);
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let rss_before = peak_rss_kib();

    // Warm up once, then take the best of several rounds.
    let mut instructions = 0;
    for text in &texts {
        instructions += plimsoll::dockerfile::parse(text).instructions.len();
    }
    let rounds = 10;
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let start = Instant::now();
        for text in &texts {
            std::hint::black_box(plimsoll::dockerfile::parse(std::hint::black_box(text)));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }

    // One large synthetic file: a long RUN with 100,000 continuation lines.
    let mut big = String::from("FROM alpine:3.22\nRUN true");
    for i in 0..100_000 {
        big.push_str(&format!(" \\\n    && echo line-{i}"));
    }
    big.push('\n');
    let start = Instant::now();
    std::hint::black_box(plimsoll::dockerfile::parse(&big));
    let big_secs = start.elapsed().as_secs_f64();

    let mb = bytes as f64 / 1e6;
    println!("corpus: {} files, {:.2} MB, {} instructions", texts.len(), mb, instructions);
    println!(
        "parse (best of {rounds}, one core): {:.1} ms, {:.0} MB/s, {:.0} files/s",
        best * 1e3,
        mb / best,
        texts.len() as f64 / best
    );
    println!(
        "100,000 continuation lines ({:.1} MB): {:.1} ms, {:.0} MB/s",
        big.len() as f64 / 1e6,
        big_secs * 1e3,
        big.len() as f64 / 1e6 / big_secs
    );
    match (rss_before, peak_rss_kib()) {
        (Some(before), Some(after)) => {
            println!(
                "peak RSS: {:.1} MiB (corpus text loaded: {:.1} MiB)",
                after as f64 / 1024.0,
                before as f64 / 1024.0
            )
        }
        _ => println!("peak RSS: not available on this platform"),
    }
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
