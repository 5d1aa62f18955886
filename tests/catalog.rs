//! The `lints/` catalog and the rules cannot drift apart: every rule has its page and every page its rule, each
//! page's failing examples fire the rule and its passing examples do not, and the rendered findings of each
//! failing example are snapshotted. The Compose loader codes that can be switched off like rules
//! (`compose::checks::SWITCHABLE`) and the parser and loader codes that cannot be (`pages::FIXED`) have pages too,
//! held to the same test. A `dockerfile fail latin1` example is saved as Latin-1 (for PLD004). A page may hold a ```` ```toml config ```` block: the `plimsoll.toml` its
//! examples run with.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use plimsoll::compose::project::{LoadOptions, MemoryFs};
use plimsoll::rules::{self, FixAvailability, RuleMeta, Selection, Settings, Target};
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

/// Every rule's metadata, then the switchable loader codes', then the parser and loader codes that cannot be
/// switched off.
fn metas() -> impl Iterator<Item = &'static RuleMeta> {
    rules::all().iter().map(|r| &r.meta).chain(plimsoll::compose::checks::SWITCHABLE).chain(plimsoll::pages::FIXED)
}

/// Whether an example's fence says to save it as Latin-1 (```` ```dockerfile fail latin1 ````).
fn is_latin1(page: &str, text: &str) -> bool {
    let mut rest = page;
    while let Some(start) = rest.find("```") {
        let after = &rest[start + 3..];
        let Some(line_end) = after.find('\n') else { break };
        let body = &after[line_end + 1..];
        let Some(end) = body.find("```") else { break };
        if after[..line_end].split_whitespace().any(|w| w == "latin1") && &body[..end] == text {
            return true;
        }
        rest = &body[end + 3..];
    }
    false
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

/// The files of an example: the Dockerfile alone, or a Compose project whose `compose.yaml` is the example, with
/// the page's companion files beside it.
fn example_files(rule: &RuleMeta, text: &str) -> BTreeMap<PathBuf, String> {
    if rule.target == Target::Dockerfile {
        return [(PathBuf::from(format!("{}.Dockerfile", rule.code)), text.to_owned())].into();
    }
    let mut files: BTreeMap<PathBuf, String> = [(PathBuf::from("compose.yaml"), text.to_owned())].into();
    for (name, body) in companions(rule.page) {
        files.insert(PathBuf::from(name), body.to_owned());
    }
    files
}

/// Every diagnostic on an example's files with only the rule selected (the parser's and the loader's too), with
/// the file each is in.
fn lint(rule: &RuleMeta, files: &BTreeMap<PathBuf, String>) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let selection = Selection { select: Some(vec![rule.code.to_owned()]), ..Selection::default() };
    if rule.target == Target::Dockerfile {
        return files
            .iter()
            .map(|(path, text)| {
                let source = if is_latin1(rule.page, text) {
                    let bytes: Vec<u8> = text.chars().map(|c| u8::try_from(u32::from(c)).expect("Latin-1")).collect();
                    SourceFile::from_bytes(path.clone(), &bytes)
                } else {
                    SourceFile::new(path.clone(), text.clone())
                };
                let found = plimsoll::lint_dockerfile_with(&source, &selection, &page_settings(rule));
                (source, found)
            })
            .collect();
    }
    let fs = MemoryFs(files.clone());
    let options = LoadOptions { dir: PathBuf::new(), ..LoadOptions::default() };
    let reports = plimsoll::lint_compose_project_with(&options, &fs, &selection, &page_settings(rule));
    reports.into_iter().map(|r| (r.source, r.diagnostics)).collect()
}

/// The rule's findings on an example, alone, with the file each is in.
fn run_alone(rule: &RuleMeta, text: &str) -> Vec<(SourceFile, Vec<Diagnostic>)> {
    let keep = |found: Vec<Diagnostic>| found.into_iter().filter(|d| d.code == rule.code).collect::<Vec<_>>();
    let found = lint(rule, &example_files(rule, text));
    found.into_iter().map(|(source, found)| (source, keep(found))).filter(|(_, found)| !found.is_empty()).collect()
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
        "lints/ must hold exactly one page per rule (and parser or loader code), named CODE-name.md"
    );
    for meta in plimsoll::compose::checks::SWITCHABLE.iter().chain(plimsoll::pages::FIXED) {
        let title = format!("# {} {}\n", meta.code, meta.name);
        assert!(meta.page.starts_with(&title), "{}: the page must start with `{title}`", meta.code);
        assert_eq!(plimsoll::code_name(meta.code), meta.name, "{}: the name in compose::CODES", meta.code);
        for heading in [
            "## What it flags",
            "## Why it matters",
            "## Example",
            "## Use instead",
            "## Fix",
            "## Options",
            "## Equivalents",
        ] {
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

/// Every code plimsoll prints has a page: `explain` prints it and the formats link it.
#[test]
fn every_printed_code_has_a_page() {
    let printed = plimsoll::dockerfile::syntax::CODES.iter().chain(plimsoll::compose::CODES);
    for &(code, name) in printed {
        let meta = rules::find_page(code).unwrap_or_else(|| panic!("{code}: no page"));
        assert_eq!((meta.code, meta.name), (code, name), "{code}: the page's code and name");
        assert_eq!(rules::find_page(name).map(|m| m.code), Some(code), "{name}: found by name");
        let url = plimsoll::render::page_url(code).unwrap_or_else(|| panic!("{code}: no page address"));
        assert!(url.ends_with(&format!("/lints/{code}-{name}.md")), "{code}: {url}");
    }
    for info in plimsoll::render::codes() {
        assert!(info.url().is_some(), "{}: no helpUri", info.code);
    }
    let switchable = |code: &str| plimsoll::compose::checks::find_switchable(code).is_some();
    assert!(plimsoll::pages::FIXED.iter().all(|m| !switchable(m.code) && rules::find(m.code).is_none()));
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

/// A fix is offered only when it fixes: applied alone (safe or unsafe) to the file of a page's failing example, it
/// leaves the rule with fewer findings there, and the files with no parser or loader diagnostic they did not
/// have. A rule that declares a fix has a failing example whose fix is exercised; one that declares none offers
/// none; one that always has a fix has it on every finding.
#[test]
fn every_fix_makes_its_finding_go_away() {
    let of_rule = |rule: &RuleMeta, found: &[(SourceFile, Vec<Diagnostic>)]| {
        found.iter().flat_map(|(_, d)| d).filter(|d| d.code == rule.code).count()
    };
    let others = |rule: &RuleMeta, found: &[(SourceFile, Vec<Diagnostic>)]| {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for d in found.iter().flat_map(|(_, d)| d).filter(|d| d.code != rule.code) {
            *counts.entry((d.code.to_owned(), d.message.clone())).or_default() += 1;
        }
        counts
    };
    for rule in metas() {
        let code = rule.code;
        let mut exercised = 0;
        for text in examples(rule.page, "fail") {
            let files = example_files(rule, text);
            let before = lint(rule, &files);
            for (source, found) in &before {
                for d in found.iter().filter(|d| d.code == code) {
                    let Some(fix) = &d.fix else {
                        assert!(rule.fix != FixAvailability::Always, "{code}: no fix on a finding:\n{d:#?}");
                        continue;
                    };
                    assert!(rule.fix != FixAvailability::None, "{code} declares no fix but offers one:\n{d:#?}");
                    exercised += 1;
                    let applied = plimsoll::diagnostic::apply_fixes(&source.text, &[fix]);
                    assert_eq!(applied.applied, 1, "{code}: the fix does not apply:\n{d:#?}");
                    let mut fixed = files.clone();
                    let slot = fixed.get_mut(&source.path);
                    *slot
                        .unwrap_or_else(|| panic!("{code}: a fix in {}, not an example file", source.path.display())) =
                        applied.text.clone();
                    let after = lint(rule, &fixed);
                    assert!(
                        of_rule(rule, &after) < of_rule(rule, &before),
                        "{code}: the fix `{}` leaves the finding `{}`:\n{}",
                        fix.message,
                        d.message,
                        applied.text
                    );
                    let (was, now) = (others(rule, &before), others(rule, &after));
                    for (key, n) in &now {
                        assert!(
                            was.get(key).is_some_and(|w| w >= n),
                            "{code}: the fix `{}` brings {key:?}:\n{}",
                            fix.message,
                            applied.text
                        );
                    }
                }
            }
        }
        if rule.fix != FixAvailability::None {
            assert!(exercised > 0, "{code} declares a fix, but no failing example on its page offers one");
        }
    }
}
