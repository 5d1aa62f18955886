//! The sample projects stay true: `examples/insecure` trips every Dockerfile rule, `examples/clean` has no
//! findings at all. Both are linted with every opt-in rule turned on as well, and with the `plimsoll.toml` of
//! their folder, if any (the insecure one lists trusted registries, for PLD107).

use std::path::Path;

use plimsoll::SourceFile;
use plimsoll::rules::{self, Selection, Settings, Target};

fn lint(path: &str) -> Vec<plimsoll::Diagnostic> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let opt_in = rules::all().iter().filter(|r| r.meta.opt_in).map(|r| r.meta.code.to_owned()).collect();
    let selection = Selection { extend_select: opt_in, ..Selection::default() };
    let mut settings = Settings::default();
    let config = path.with_file_name("plimsoll.toml");
    if config.exists() {
        let config = plimsoll::config::load_file(&config).unwrap_or_else(|e| panic!("{e}"));
        settings.trusted_registries = config.trusted_registries.into_iter().map(|s| s.value).collect();
    }
    plimsoll::lint_dockerfile_with(&SourceFile::from_bytes(&path, &bytes), &selection, &settings)
}

#[test]
fn the_insecure_example_trips_every_dockerfile_rule() {
    let found = lint("examples/insecure/Dockerfile");
    let missing: Vec<&str> = rules::all()
        .iter()
        .filter(|r| r.meta.target == Target::Dockerfile)
        .map(|r| r.meta.code)
        .filter(|code| !found.iter().any(|d| d.code == *code))
        .collect();
    assert!(missing.is_empty(), "examples/insecure/Dockerfile does not trip {missing:?}");
}

#[test]
fn the_clean_example_has_no_findings() {
    let found = lint("examples/clean/Dockerfile");
    assert!(found.is_empty(), "{found:#?}");
}
