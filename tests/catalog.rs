//! The `lints/` catalog and the rules cannot drift apart: every rule has its page and every page its rule, each
//! page's failing examples fire the rule and its passing examples do not, and the rendered findings of each
//! failing example are snapshotted. The Compose loader codes that can be switched off like rules
//! (`compose::checks::SWITCHABLE`) have pages too, held to the same test. A page may hold a ```` ```toml config ```` block: the `plimsoll.toml` its
//! examples run with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plimsoll::compose::project::{LoadOptions, MemoryFs};
use plimsoll::rules::{self, RuleMeta, Selection, Settings, Target};
use plimsoll::{Diagnostic, SourceFile};

fn lints_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("lints")
}

/// Fenced code blocks whose info string is `<lang> <kind>` (`dockerfile fail`), in order.
fn examples<'a>(page: &'a str, kind: &str) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let Some(line_end) = after.find('\n') else { break };
        let info = after[..line_end].trim();
        let body = &after[line_end + 1..];
        let Some(end) = body.find("```") else { break };
        if info.split_whitespace().nth(1) == Some(kind) {
            found.push(&body[..end]);
        }
        rest = &body[end + 3..];
    }
    found
}

/// Every rule's metadata, then the switchable loader codes'.
fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    rules::all().iter().map(|r| &r.meta).chain(plimsoll::compose::checks::SWITCHABLE)
}

/// The settings from the page's `toml config` block, or the defaults.
fn page_settings(rule: &RuleMeta) -> Settings {
    let mut settings = Settings::default();
    for text in examples(rule.page, "config") {
        let config = plimsoll::config::parse_toml(text, Path::new("plimsoll.toml"))
            .unwrap_or_else(|e| panic!("{}: the page's config block: {e}", rule.code));
        settings = config.rule_settings();
    }
    settings
}

/// Blocks whose info string names a file (`dockerfile file=Dockerfile`): files put beside the example (a Compose
/// rule's example may need the Dockerfile a service builds).
fn companions(page: &str) -> Vec<(String, &str)> {
    let mut found = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let Some(line_end) = after.find('\n') else { break };
        let info = &after[..line_end];
        let body = &after[line_end + 1..];
        let Some(end) = body.find("```") else { break };
        if let Some(name) = info.split_whitespace().find_map(|w| w.strip_prefix("file=")) {
            found.push((name.to_owned(), &body[..end]));
        }
        rest = &body[end + 3..];
    }
    found
}

/// The rule's findings on an example, alone, with the file each is in: a Dockerfile, or a Compose project whose
/// `compose.yaml` is the example (and the page's companion files beside it).
fn run_alone(rule: &RuleMeta, text: &str) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let selection = Selection { select: Some(vec![rule.code.to_owned()]), ..Selection::default() };
    let keep = |found: Vec<Diagnostic>| found.into_iter().filter(|d| d.code == rule.code).collect::<Vec<_>>();
    if rule.target == Target::Dockerfile {
        let source = SourceFile::new(format!("{}.Dockerfile", rule.code), text.to_owned());
        let found = plimsoll::lint_dockerfile_with(&source, &selection, &page_settings(rule));
        return vec![(source, keep(found))];
    }
    let mut files: BTreeMap<PathBuf, String> = [(PathBuf::from("compose.yaml"), text.to_owned())].into();
    for (name, body) in companions(rule.page) {
        files.insert(PathBuf::from(name), body.to_owned());
    }
    let fs = MemoryFs(files);
    let options = LoadOptions { dir: PathBuf::new(), ..LoadOptions::default() };
    let reports = plimsoll::lint_compose_project_with(&options, &fs, &selection, &page_settings(rule));
    reports.into_iter().map(|r| (r.source, keep(r.diagnostics))).filter(|(_, found)| !found.is_empty()).collect()
}

fn count(found: &[(SourceFile, Vec<Diagnostic>)]) -> usize {
    found.iter().map(|(_, d)| d.len()).sum()
}

#[test]
fn every_rule_has_a_page_and_every_page_a_rule() {
    let mut pages: Vec<String> = std::fs::read_dir(lints_dir())
        .expect("lints/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".md"))
        .collect();
    pages.sort();
    let mut expected: Vec<String> = metas().map(|m| format!("{}-{}.md", m.code, m.name)).collect();
    expected.sort();
    assert_eq!(
        pages, expected,
        "lints/ must hold exactly one page per rule (and switchable loader code), named CODE-name.md"
    );
    for meta in plimsoll::compose::checks::SWITCHABLE {
        let title = format!("# {} {}\n", meta.code, meta.name);
        assert!(meta.page.starts_with(&title), "{}: the page must start with `{title}`", meta.code);
        assert_eq!(plimsoll::code_name(meta.code), meta.name, "{}: the name in compose::CODES", meta.code);
        for heading in
            ["## What it flags", "## Why it matters", "## Example", "## Use instead", "## Fix", "## Equivalents"]
        {
            assert!(meta.page.contains(heading), "{}: the page has no `{heading}` section", meta.code);
        }
    }
    for rule in rules::all() {
        let title = format!("# {} {}\n", rule.meta.code, rule.meta.name);
        assert!(rule.meta.page.starts_with(&title), "{}: the page must start with `{title}`", rule.meta.code);
        assert!(plimsoll::rules::Category::of_code(rule.meta.code).is_some(), "{}: bad hundreds digit", rule.meta.code);
        for heading in
            ["## What it flags", "## Why it matters", "## Example", "## Use instead", "## Fix", "## Equivalents"]
        {
            assert!(rule.meta.page.contains(heading), "{}: the page has no `{heading}` section", rule.meta.code);
        }
    }
}

#[test]
fn codes_and_names_are_unique() {
    let all = rules::all();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            assert_ne!(a.meta.code, b.meta.code);
            assert_ne!(a.meta.name, b.meta.name);
        }
    }
}

#[test]
fn page_examples_fire_and_pass_as_written() {
    for rule in metas() {
        let (fail, pass) = (examples(rule.page, "fail"), examples(rule.page, "pass"));
        assert!(!fail.is_empty() && !pass.is_empty(), "{}: the page needs `fail` and `pass` examples", rule.code);
        for text in fail {
            assert!(count(&run_alone(rule, text)) > 0, "{}: the failing example does not fire:\n{text}", rule.code);
        }
        for text in pass {
            let found = run_alone(rule, text);
            assert!(count(&found) == 0, "{}: the passing example fires:\n{text}\n{found:#?}", rule.code);
        }
    }
}

#[test]
fn rendered_findings_of_each_failing_example() {
    for rule in metas() {
        let mut out = String::new();
        for text in examples(rule.page, "fail") {
            for (source, found) in run_alone(rule, text) {
                plimsoll::render::human::render_file(&mut out, &source, &found, false, plimsoll::code_name);
            }
        }
        insta::assert_snapshot!(format!("{}-{}", rule.code, rule.name), out);
    }
}
