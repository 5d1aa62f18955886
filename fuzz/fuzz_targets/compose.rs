//! Any bytes as a Compose project: YAML span tree, located values, interpolation, merging with an override
//! file, extends and include, the typed model, then every rule (with a Dockerfile to build) and their fixes. Checks that nothing panics and that every diagnostic
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
            // A Dockerfile for services that build `.`, so the cross-file rules run.
            (PathBuf::from("/p/Dockerfile"), text[..cut].to_owned()),
        ]
        .into_iter()
        .collect(),
    );
    let options = LoadOptions { dir: PathBuf::from("/p"), ..LoadOptions::default() };
    // Every rule, opt-in ones too.
    let selection = plimsoll::rules::Selection {
        extend_select: plimsoll::rules::all().iter().map(|r| r.meta.code.to_owned()).collect(),
        ..Default::default()
    };
    let settings = plimsoll::rules::Settings { trusted_registries: vec!["docker.io/library/*".into()] };
    for report in plimsoll::lint_compose_project_with(&options, &files, &selection, &settings) {
        let text = &report.source.text;
        let fixes: Vec<&plimsoll::Fix> = report.diagnostics.iter().filter_map(|d| d.fix.as_ref()).collect();
        let _ = plimsoll::diagnostic::apply_fixes(text, &fixes);
        for d in &report.diagnostics {
            let here = d.labels.iter().filter(|l| l.elsewhere.is_none()).map(|l| l.range);
            let edits = d.fix.iter().flat_map(|f| f.edits.iter().map(|e| e.range));
            for r in std::iter::once(d.range).chain(here).chain(edits) {
                assert!(r.start <= r.end && r.end as usize <= text.len(), "{r:?} outside {} bytes", text.len());
                assert!(text.is_char_boundary(r.start as usize) && text.is_char_boundary(r.end as usize));
            }
        }
    }
});
