//! Any bytes as a Compose project: YAML span tree, located values, interpolation, merging with an override
//! file, extends and include, then the typed model. Checks that nothing panics and that every diagnostic
//! range lies inside its file on character boundaries.

#![no_main]

use std::path::PathBuf;

use libfuzzer_sys::fuzz_target;
use plimsoll::compose::project::{LoadOptions, MemoryFs};

fuzz_target!(|data: &[u8]| {
    let text = plimsoll::source::decode_lossy(data).0;
    // The same text as the main file and (cut in half) as its override, so merging sees real structure.
    let half = text.len() / 2;
    let cut = (0..=half).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let files = MemoryFs(
        [
            (PathBuf::from("/p/compose.yaml"), text.clone()),
            (PathBuf::from("/p/compose.override.yaml"), text[cut..].to_owned()),
            (PathBuf::from("/p/base.yaml"), text[..cut].to_owned()),
            (PathBuf::from("/p/.env"), "A=1\nB=${A}x\n".to_owned()),
        ]
        .into_iter()
        .collect(),
    );
    let options = LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() };
    for report in plimsoll::lint_compose_project(&options, &files) {
        let text = &report.source.text;
        for d in &report.diagnostics {
            for r in std::iter::once(d.range).chain(d.labels.iter().map(|l| l.range)) {
                assert!(r.start <= r.end && r.end as usize <= text.len(), "{r:?} outside {} bytes", text.len());
                assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize));
            }
        }
    }
});
