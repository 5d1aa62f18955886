//! The sample projects stay true: `examples/insecure` trips every Dockerfile rule with its Dockerfiles and every
//! Compose and cross-file rule with its `compose.yaml`; `examples/clean` has no findings at all. Both are linted with every opt-in rule turned on as well, and with the `plimsoll.toml` of
//! their folder, if any (the insecure one lists trusted registries, for PLD107).

use std::path::Path;

use plimsoll::SourceFile;
use plimsoll::compose::project::{LoadOptions, RealFs};
use plimsoll::rules::{self, Selection, Settings, Target};

/// Every rule, opt-in ones too, with the settings of the folder's `plimsoll.toml`, if any.
fn selection_and_settings(dir: &Path) -> (Selection, Settings) {
    let opt_in = rules::all().iter().filter(|r| r.meta.opt_in).map(|r| r.meta.code.to_owned()).collect();
    let selection = Selection { extend_select: opt_in, ..Selection::default() };
    let mut settings = Settings::default();
    let config = dir.join("plimsoll.toml");
    if config.exists() {
        let config = plimsoll::config::load_file(&config).unwrap_or_else(|e| panic!("{e}"));
        settings = config.rule_settings();
    }
    (selection, settings)
}

fn lint(path: &str) -> Vec<plimsoll::Diagnostic> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (selection, settings) = selection_and_settings(path.parent().expect("a folder"));
    plimsoll::lint_dockerfile_with(&SourceFile::from_bytes(&path, &bytes), &selection, &settings)
}

/// The findings of the Compose project in an example folder, over all its files.
fn lint_compose(dir: &str) -> Vec<plimsoll::Diagnostic> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let (selection, settings) = selection_and_settings(&dir);
    let options = LoadOptions { dir, ..LoadOptions::default() };
    let reports = plimsoll::lint_compose_project_with(&options, &RealFs, &selection, &settings);
    reports.into_iter().flat_map(|r| r.diagnostics).collect()
}

#[test]
fn the_insecure_example_trips_every_compose_and_cross_file_rule() {
    let found = lint_compose("examples/insecure");
    let missing: Vec<&str> = rules::all()
        .iter()
        .filter(|r| r.meta.target != Target::Dockerfile)
        .map(|r| r.meta.code)
        .filter(|code| !found.iter().any(|d| d.code == *code))
        .collect();
    assert!(missing.is_empty(), "examples/insecure/compose.yaml does not trip {missing:?}");
}

#[test]
fn the_clean_compose_example_has_no_findings() {
    let found = lint_compose("examples/clean");
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_insecure_example_trips_every_dockerfile_rule() {
    // One final stage cannot both set `USER root` (PLD201) and set no USER (PLD203): the second is the worker's.
    let mut found = lint("examples/insecure/Dockerfile");
    found.extend(lint("examples/insecure/Dockerfile.worker"));
    let missing: Vec<&str> = rules::all()
        .iter()
        .filter(|r| r.meta.target == Target::Dockerfile)
        .map(|r| r.meta.code)
        .filter(|code| !found.iter().any(|d| d.code == *code))
        .collect();
    assert!(missing.is_empty(), "examples/insecure/Dockerfile{{,.worker}} do not trip {missing:?}");
}

#[test]
fn the_clean_example_has_no_findings() {
    let found = lint("examples/clean/Dockerfile");
    assert!(found.is_empty(), "{found:#?}");
}
