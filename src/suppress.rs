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
//! Parser diagnostics (`PLD0xx`) cannot be silenced. An unknown code in a plimsoll pragma is itself reported.

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
                out.push(
                    Diagnostic::new(
                        syntax::INVALID_SUPPRESSION,
                        Severity::Warning,
                        s.range,
                        format!("`{}` is not a rule: this suppression has no effect", s.value),
                    )
                    .with_help("name a rule by code (PLD201), name (root-user), prefix or category; `plimsoll rules` lists them"),
                );
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
    let Some(rule) = rules::find(d.code) else { return false };
    let in_scope = match pragma.scope {
        Scope::File => true,
        Scope::Range(r) => r.contains(d.range.start) || r.start == d.range.start,
    };
    in_scope
        && pragma.selectors.iter().any(|s| {
            if pragma.buildkit {
                s.value.eq_ignore_ascii_case("all") || rule.meta.equivalents.buildkit.contains(&s.value.as_str())
            } else {
                rules::selector_matches(&s.value, &rule.meta)
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
        let root = "FROM alpine:3.20\nUSER root\n";
        assert_eq!(codes(root), ["PLD201"]);
        assert!(codes("FROM alpine:3.20\n# plimsoll ignore=root-user reason=\"needs it\"\nUSER root\n").is_empty());
        assert!(codes("FROM alpine:3.20\n# hadolint ignore=DL3002\n# another comment\nUSER root\n").is_empty());
        assert!(codes("# hadolint global ignore=DL3002\nFROM alpine:3.20\nUSER root\n").is_empty());
        assert!(codes("FROM alpine:3.20\nUSER root\n# plimsoll global ignore=PLD2\n").is_empty());
        // A pragma before another instruction does not reach USER root.
        assert_eq!(codes("FROM alpine:3.20\n# plimsoll ignore=root-user\nRUN true\nUSER root\n"), ["PLD201"]);
        // Syntax errors cannot be silenced.
        assert_eq!(codes("FROM alpine:3.20\n# plimsoll ignore=PLD002\nFRO x\nUSER app\n"), ["PLD002"]);
    }

    #[test]
    fn unknown_codes_are_reported_where_they_are() {
        let text = "FROM alpine:3.20\n# plimsoll ignore=PLD999,root-user\nUSER root\n";
        let found = crate::lint_dockerfile(&SourceFile::new("Dockerfile", text.to_owned()));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].code, &text[found[0].range.as_usize()]), (syntax::INVALID_SUPPRESSION, "PLD999"));
    }
}
