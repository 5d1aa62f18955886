//! Every real Dockerfile in `shared/corpus/dockerfiles` parses without a syntax error and without a panic.

mod common;

use plimsoll::Severity;
use plimsoll::dockerfile;

#[test]
fn every_corpus_dockerfile_parses_without_errors() {
    let Some(shared) = common::shared_dir("the Dockerfile corpus parses") else { return };
    let files = common::files_in(&shared.join("corpus/dockerfiles"));
    assert!(files.len() >= 3500, "expected the 3,501-file corpus, found {}", files.len());
    let mut failures = Vec::new();
    let mut instructions = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let source = plimsoll::SourceFile::from_bytes(path, &bytes);
        let file = dockerfile::parse(&source.text);
        instructions += file.instructions.len();
        for d in file.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
            let at = source.line_col(d.range.start);
            failures.push(format!("{}:{}:{}: {} {}", path.display(), at.line, at.column, d.code, d.message));
        }
    }
    assert!(instructions > 40_000, "suspiciously few instructions: {instructions}");
    assert!(failures.is_empty(), "{} errors:\n{}", failures.len(), failures.join("\n"));
}
