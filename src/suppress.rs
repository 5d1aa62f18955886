//! Inline suppressions in Dockerfiles.
//!
//! - `# plimsoll ignore=PLD201,root-user reason="…"` on the comment lines right before an instruction silences
//!   those rules on that instruction (a finding whose range starts inside it).
//! - `# plimsoll global ignore=…` anywhere silences them in the whole file.
//! - hadolint's `# hadolint ignore=DL3002` and `# hadolint global ignore=…` work the same, through each rule's
//!   hadolint equivalents, so files moving off hadolint keep their pragmas.
//! - BuildKit's `# check=skip=JSONArgsRecommended,…` directive (or `skip=all`) silences the rules whose BuildKit
//!   equivalents it names.
//!
//! Parser diagnostics (`PLD0xx`) cannot be silenced; of the Compose loader's codes, those that depend on
//! context a linter may not see (`compose::checks::SWITCHABLE`: PLC011, PLC015 …) can, like rules. An unknown code in a plimsoll pragma is itself reported.
//!
//! Compose files take the same `# plimsoll ignore=…` comments ([`apply_compose`]): on its own line, a pragma
//! covers the next line and everything indented under it (a whole service when it sits above the service's
//! name); at the end of a line, that line and what is indented under it. dclint's `# dclint disable-line
//! [rules]`, `# dclint disable [rules]` and `# dclint disable-file` work through the rules' dclint equivalents.

use crate::diagnostic::{Diagnostic, Severity};
use crate::dockerfile::{Dockerfile, syntax};
use crate::rules;
use crate::source::{Spanned, TextRange};

/// Where a pragma applies.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Scope {
    File,
    /// A finding whose range starts inside this range (an instruction).
    Range(TextRange),
}

#[derive(Clone, Debug)]
struct Pragma {
    scope: Scope,
    selectors: Vec<Spanned<String>>,
    /// BuildKit check names rather than plimsoll or hadolint selectors.
    buildkit: bool,
}

/// A pragma comment as written: its tool, whether it is global, and its selectors' offsets in the comment.
struct Written<'a> {
    tool: &'a str,
    global: bool,
    selectors: Vec<(usize, usize)>,
}

/// Reads a comment (without its `#`) as a pragma.
fn parse_pragma(text: &str) -> Option<Written<'_>> {
    let body = text.trim_start();
    let lead = text.len() - body.len();
    let (tool, rest) = ["plimsoll", "hadolint"].iter().find_map(|t| body.strip_prefix(t).map(|r| (*t, r)))?;
    let after_tool = rest.trim_start();
    let (global, after) = match after_tool.strip_prefix("global") {
        Some(r) => (true, r.trim_start()),
        None => (false, after_tool),
    };
    let list = after.strip_prefix("ignore")?.trim_start().strip_prefix('=')?;
    let list_start = lead + (body.len() - list.len());
    // The list ends at white space followed by anything else (`reason="…"`, a `# note`).
    let list_trimmed = list.trim_start();
    let mut offset = list_start + (list.len() - list_trimmed.len());
    let mut selectors = Vec::new();
    let mut rest = list_trimmed;
    loop {
        let end = rest.find(|c: char| c == ',' || c.is_whitespace()).unwrap_or(rest.len());
        if end > 0 {
            selectors.push((offset, offset + end));
        }
        let after_item = &rest[end..];
        let after_ws = after_item.trim_start();
        match after_ws.strip_prefix(',') {
            Some(next) => {
                let next_trimmed = next.trim_start();
                offset += end + (after_item.len() - next_trimmed.len());
                rest = next_trimmed;
            }
            None => break,
        }
    }
    Some(Written { tool, global, selectors })
}

/// The warning for a selector in a plimsoll pragma that names no rule.
fn unknown_selector(s: &Spanned<String>) -> Diagnostic {
    Diagnostic::new(
        syntax::INVALID_SUPPRESSION,
        Severity::Warning,
        s.range,
        match rules::did_you_mean(&s.value) {
            Some(close) => {
                format!("`{}` is not a rule: this suppression has no effect (did you mean `{close}`?)", s.value)
            }
            None => format!("`{}` is not a rule: this suppression has no effect", s.value),
        },
    )
    .with_help("name a rule by code (PLD201), name (root-user), prefix or category; `plimsoll rules` lists them")
}

/// Reads the pragmas of a file; reports unknown codes in plimsoll pragmas.
fn pragmas(file: &Dockerfile, out: &mut Vec<Diagnostic>) -> Vec<Pragma> {
    let mut found = Vec::new();
    for comment in &file.comments {
        let Some(Written { tool, global, selectors: items }) = parse_pragma(&comment.text) else { continue };
        // `comment.text` is the comment without its `#`.
        let base = comment.range.start + 1;
        let selectors: Vec<Spanned<String>> = items
            .into_iter()
            .map(|(a, b)| {
                let range = TextRange::from_usize(base as usize + a, base as usize + b);
                Spanned::new(comment.text[a..b].to_owned(), range)
            })
            .collect();
        if tool == "plimsoll" {
            for s in selectors.iter().filter(|s| !rules::is_known_selector(&s.value)) {
                out.push(unknown_selector(s));
            }
        }
        let scope = if global {
            Scope::File
        } else {
            // The first instruction after the comment (and any comment lines that follow it).
            match file.instructions.iter().find(|i| i.range.start > comment.range.end) {
                Some(next) => Scope::Range(next.range),
                None => continue,
            }
        };
        found.push(Pragma { scope, selectors, buildkit: false });
    }
    if let Some(check) = file.directive("check") {
        for part in check.value.value.split(';') {
            let Some(list) = part.trim().strip_prefix("skip=") else { continue };
            let selectors = list
                .split(',')
                .map(|s| Spanned::new(s.trim().to_owned(), check.value.range))
                .filter(|s| !s.value.is_empty())
                .collect();
            found.push(Pragma { scope: Scope::File, selectors, buildkit: true });
        }
    }
    found
}

fn silences(pragma: &Pragma, d: &Diagnostic) -> bool {
    let Some(meta) = rules::find_meta(d.code) else { return false };
    let in_scope = match pragma.scope {
        Scope::File => true,
        Scope::Range(r) => r.contains(d.range.start) || r.start == d.range.start,
    };
    in_scope
        && pragma.selectors.iter().any(|s| {
            if pragma.buildkit {
                s.value.eq_ignore_ascii_case("all") || meta.equivalents.buildkit.contains(&s.value.as_str())
            } else {
                rules::selector_matches(&s.value, meta)
            }
        })
}

/// Removes the rule findings the file's pragmas silence, and adds a warning for each unknown code in a
/// plimsoll pragma.
pub fn apply(file: &Dockerfile, diagnostics: &mut Vec<Diagnostic>) {
    let mut reports = Vec::new();
    let pragmas = pragmas(file, &mut reports);
    if !pragmas.is_empty() {
        diagnostics.retain(|d| !pragmas.iter().any(|p| silences(p, d)));
    }
    diagnostics.extend(reports);
}

/// A comment in a YAML text: the byte offset of its `#`, and whether only blanks precede it on its line.
struct YamlComment {
    at: usize,
    own_line: bool,
}

/// The comments of a YAML text, found line by line: a `#` at the start of a line or after a blank, outside
/// quotes. (Block scalars are not tracked: a `# plimsoll` line inside a script is rare and harmless.)
fn yaml_comments(text: &str) -> Vec<YamlComment> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let (mut single, mut double, mut prev) = (false, false, ' ');
        for (i, c) in line.char_indices() {
            match c {
                '\'' if !double => single = !single,
                '"' if !single && prev != '\\' => double = !double,
                '#' if !single && !double && prev.is_whitespace() => {
                    found.push(YamlComment { at: line_start + i, own_line: line[..i].trim().is_empty() });
                    break;
                }
                _ => {}
            }
            prev = c;
        }
        line_start += line.len();
    }
    found
}

/// The line at `offset` and the lines indented under it: from the line's first character to the end of the
/// last line of the block.
fn yaml_block(text: &str, offset: usize) -> TextRange {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let first_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let first = &text[start..first_end];
    let indent = first.len() - first.trim_start().len();
    let mut end = first_end;
    let mut at = first_end;
    while at < text.len() {
        let line_start = at + 1;
        if line_start > text.len() {
            break;
        }
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let content = line.trim_start();
        if !(content.is_empty() || content.starts_with('#')) {
            if line.len() - content.len() <= indent {
                break;
            }
            end = line_end;
        }
        at = line_end;
    }
    TextRange::from_usize(start, end)
}

/// The next line after `offset` that holds more than blanks and comments, as an offset into it.
fn next_content_line(text: &str, offset: usize) -> Option<usize> {
    let mut at = text[offset..].find('\n').map(|i| offset + i + 1)?;
    while at < text.len() {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let content = text[at..end].trim_start();
        if !content.is_empty() && !content.starts_with('#') {
            return Some(end - content.len());
        }
        at = end + 1;
    }
    None
}

/// Reads `dclint disable-line a, b` (after the `#`): whether it names a line, and the plimsoll selectors.
fn dclint_pragma(comment: &str, range: TextRange) -> Option<(Option<bool>, Vec<Spanned<String>>)> {
    let rest = comment.trim_start().strip_prefix("dclint")?.trim_start();
    let (line_only, list) = if let Some(list) = rest.strip_prefix("disable-line") {
        (Some(true), list)
    } else if let Some(list) = rest.strip_prefix("disable-file") {
        (None, list)
    } else {
        (Some(false), rest.strip_prefix("disable")?)
    };
    let names: Vec<&str> = list.split([',', ' ']).map(str::trim).filter(|n| !n.is_empty()).collect();
    let selectors = if names.is_empty() || line_only.is_none() {
        vec![Spanned::new("ALL".to_owned(), range)]
    } else {
        names
            .iter()
            .filter_map(|n| rules::compose::DCLINT_EQUIVALENTS.iter().find(|(d, _)| d == n))
            .map(|(_, code)| Spanned::new((*code).to_owned(), range))
            .collect()
    };
    Some((line_only, selectors))
}

/// Removes the Compose rule findings a file's pragma comments silence, and adds a warning for each unknown code
/// in a plimsoll pragma.
pub fn apply_compose(text: &str, diagnostics: &mut Vec<Diagnostic>) {
    let mut reports = Vec::new();
    let mut pragmas = Vec::new();
    for comment in yaml_comments(text) {
        let body_start = comment.at + 1;
        let body_end = text[body_start..].find('\n').map_or(text.len(), |i| body_start + i);
        let body = &text[body_start..body_end];
        let target = if comment.own_line { next_content_line(text, comment.at) } else { Some(comment.at) };
        if let Some((line_only, selectors)) = dclint_pragma(body, TextRange::from_usize(comment.at, body_end)) {
            let scope = match (line_only, target) {
                (Some(true), Some(at)) => {
                    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
                    Scope::Range(TextRange::from_usize(start, text[at..].find('\n').map_or(text.len(), |i| at + i)))
                }
                (Some(true), None) => continue,
                // `# dclint disable` applies to the file when it is the first thing in it, as dclint reads it.
                (Some(false), _) if !text[..comment.at].trim().is_empty() => continue,
                _ => Scope::File,
            };
            pragmas.push(Pragma { scope, selectors, buildkit: false });
            continue;
        }
        let Some(Written { tool: "plimsoll", global, selectors: items }) = parse_pragma(body) else { continue };
        let selectors: Vec<Spanned<String>> = items
            .into_iter()
            .map(|(a, b)| Spanned::new(body[a..b].to_owned(), TextRange::from_usize(body_start + a, body_start + b)))
            .collect();
        for s in selectors.iter().filter(|s| !rules::is_known_selector(&s.value)) {
            reports.push(unknown_selector(s));
        }
        let scope = match (global, target) {
            (true, _) => Scope::File,
            (false, Some(at)) => Scope::Range(yaml_block(text, at)),
            (false, None) => continue,
        };
        pragmas.push(Pragma { scope, selectors, buildkit: false });
    }
    if !pragmas.is_empty() {
        diagnostics.retain(|d| !pragmas.iter().any(|p| silences(p, d)));
    }
    diagnostics.extend(reports);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SourceFile;

    fn codes(text: &str) -> Vec<&'static str> {
        crate::lint_dockerfile(&SourceFile::new("Dockerfile", text.to_owned())).iter().map(|d| d.code).collect()
    }

    #[test]
    fn pragmas_are_read_with_their_ranges() {
        let text = " plimsoll ignore=PLD201, root-user reason=\"legacy\"";
        let p = parse_pragma(text).expect("a pragma");
        assert_eq!((p.tool, p.global), ("plimsoll", false));
        let words: Vec<&str> = p.selectors.iter().map(|&(a, b)| &text[a..b]).collect();
        assert_eq!(words, ["PLD201", "root-user"]);
        let p = parse_pragma(" hadolint global ignore = DL3002,DL3008 # why").expect("a pragma");
        assert!(p.global);
        assert_eq!(p.selectors.len(), 2);
        assert!(parse_pragma(" just a comment").is_none());
    }

    #[test]
    fn suppression_scopes() {
        let root = "FROM alpine:3.22\nUSER root\n";
        assert_eq!(codes(root), ["PLD201"]);
        assert!(codes("FROM alpine:3.22\n# plimsoll ignore=root-user reason=\"needs it\"\nUSER root\n").is_empty());
        assert!(codes("FROM alpine:3.22\n# hadolint ignore=DL3002\n# another comment\nUSER root\n").is_empty());
        assert!(codes("# hadolint global ignore=DL3002\nFROM alpine:3.22\nUSER root\n").is_empty());
        assert!(codes("FROM alpine:3.22\nUSER root\n# plimsoll global ignore=PLD2\n").is_empty());
        // A pragma before another instruction does not reach USER root.
        assert_eq!(codes("FROM alpine:3.22\n# plimsoll ignore=root-user\nRUN true\nUSER root\n"), ["PLD201"]);
        // Syntax errors cannot be silenced.
        assert_eq!(codes("FROM alpine:3.22\n# plimsoll ignore=PLD002\nFRO x\nUSER app\n"), ["PLD002"]);
    }

    #[test]
    fn unknown_codes_are_reported_where_they_are() {
        let text = "FROM alpine:3.22\n# plimsoll ignore=PLD999,root-user\nUSER root\n";
        let found = crate::lint_dockerfile(&SourceFile::new("Dockerfile", text.to_owned()));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].code, &text[found[0].range.as_usize()]), (syntax::INVALID_SUPPRESSION, "PLD999"));
    }

    fn compose_codes(text: &str) -> Vec<&'static str> {
        let fs = crate::compose::project::MemoryFs([("/p/compose.yaml".into(), text.to_owned())].into());
        let options = crate::compose::project::LoadOptions { dir: "/p".into(), ..Default::default() };
        let selection = rules::Selection { select: Some(vec!["PLC201".into(), "PLC801".into()]), ..Default::default() };
        let reports = crate::lint_compose_project_with(&options, &fs, &selection, &rules::Settings::default());
        reports.iter().flat_map(|r| r.diagnostics.iter().map(|d| d.code)).collect()
    }

    #[test]
    fn compose_pragmas() {
        let service = "services:\n  web:\n    image: nginx:1.29\n    privileged: true\n";
        assert_eq!(compose_codes(service), ["PLC201"]);
        // Above the service: the whole service.
        let above = "services:\n  # plimsoll ignore=privileged-service reason=\"needs it\"\n  web:\n    image: nginx:1.29\n    privileged: true\n";
        assert!(compose_codes(above).is_empty());
        // At the end of the line.
        let trailing = "services:\n  web:\n    image: nginx:1.29\n    privileged: true # plimsoll ignore=PLC201\n";
        assert!(compose_codes(trailing).is_empty());
        // Above another key of the service: not this one.
        let other = "services:\n  web:\n    # plimsoll ignore=PLC201\n    image: nginx:1.29\n    privileged: true\n";
        assert_eq!(compose_codes(other), ["PLC201"]);
        // Global, anywhere.
        let global = "services:\n  web:\n    image: nginx:1.29\n    privileged: true\n# plimsoll global ignore=PLC2\n";
        assert!(compose_codes(global).is_empty());
        // A `#` inside quotes is not a comment.
        let quoted = "services:\n  web:\n    image: nginx:1.29\n    command: \"echo # plimsoll ignore=PLC201\"\n    privileged: true\n";
        assert_eq!(compose_codes(quoted), ["PLC201"]);
    }

    #[test]
    fn dclint_comments_and_unknown_codes() {
        let text = "# dclint disable no-version-field\nversion: '3'\nservices: {}\n";
        assert!(compose_codes(text).is_empty());
        let text = "version: '3' # dclint disable-line no-version-field\nservices: {}\n";
        assert!(compose_codes(text).is_empty());
        let text = "version: '3' # dclint disable-line require-quotes-in-ports\nservices: {}\n";
        assert_eq!(compose_codes(text), ["PLC801"]);
        let text = "# plimsoll ignore=PLC999\nversion: '3'\nservices: {}\n";
        assert_eq!(compose_codes(text), [syntax::INVALID_SUPPRESSION, "PLC801"]);
    }

    /// The codes and spans on a project, with this selection.
    fn selected(text: &str, selection: &rules::Selection) -> Vec<(&'static str, String)> {
        let fs = crate::compose::project::MemoryFs([("/p/compose.yaml".into(), text.to_owned())].into());
        let options = crate::compose::project::LoadOptions { dir: "/p".into(), ..Default::default() };
        let reports = crate::lint_compose_project_with(&options, &fs, selection, &rules::Settings::default());
        reports
            .iter()
            .flat_map(|r| r.diagnostics.iter().map(|d| (d.code, text[d.range.as_usize()].to_owned())))
            .collect()
    }

    #[test]
    fn switchable_loader_codes_follow_the_selection_and_the_pragmas() {
        let ignore = |list: &[&str]| rules::Selection {
            ignore: list.iter().map(|s| (*s).to_owned()).collect(),
            ..Default::default()
        };
        let text = "services:\n  web:\n    image: nginx:${TAG}\n    networks: [front]\n    depends_on: [db]\n";
        let all = [("PLC011", "${TAG}".to_owned()), ("PLC016", "front".to_owned()), ("PLC015", "db".to_owned())];
        assert_eq!(selected(text, &ignore(&[])), all);
        assert_eq!(selected(text, &ignore(&["PLC016", "unset-variable"])), [all[2].clone()]);
        assert_eq!(selected(text, &ignore(&["PLC01"])), []);
        // `--select` of a rule leaves them out, as it does the other rules; naming them brings them back.
        let only = rules::Selection { select: Some(vec!["PLC201".into(), "PLC015".into()]), ..Default::default() };
        assert_eq!(selected(text, &only), [all[2].clone()]);
        // Pragmas: above the key, at the end of a line, for the file.
        let pragmas = "services:\n  web:\n    image: nginx:1.29\n    # plimsoll ignore=undefined-resource\n    networks: [front]\n    depends_on: [db] # plimsoll ignore=PLC015\n";
        assert_eq!(selected(pragmas, &ignore(&[])), []);
        let global =
            "# plimsoll global ignore=PLC016\nservices:\n  web:\n    image: nginx:1.29\n    networks: [front]\n";
        assert_eq!(selected(global, &ignore(&[])), []);
        // A syntax error stays, whatever the selection says.
        let broken = "services:\n  web: [\n";
        assert!(selected(broken, &ignore(&["ALL"])).iter().any(|(code, _)| *code == "PLC001"));
    }
}
