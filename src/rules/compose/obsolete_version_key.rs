//! PLC801 obsolete-version-key: the top-level `version` key, which Compose ignores.

use crate::Severity;
use crate::compose::tree::FileId;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC801",
        name: "obsolete-version-key",
        summary: "The top-level `version` key is obsolete: Compose ignores it and warns",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::Always,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLC801-obsolete-version-key.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    // Every file of the project, not the merged model: each file that says `version` gets its own finding.
    for (i, file) in ctx.project.files.iter().enumerate() {
        let Some(entry) = file.yaml.documents.first().and_then(|d| d.root.get_entry("version")) else { continue };
        let shown = &file.text[entry.value.range.as_usize()];
        let message = format!("the top-level `version: {shown}` is obsolete; Compose ignores it");
        let mut d = RULE.meta.diagnostic(entry.key.range, message).with_help("remove the line");
        let whole = TextRange::new(entry.key.range.start, entry.value.range.end);
        d.fix = Some(Fix {
            applicability: Applicability::Safe,
            message: "remove the `version` key".into(),
            edits: vec![Edit { range: whole_lines(&file.text, whole), replacement: String::new() }],
        });
        out.push((FileId(i as u32), d));
    }
}

/// The range widened to whole lines (with the line break) when nothing else is on them but blanks and a
/// comment; the range itself otherwise.
fn whole_lines(text: &str, range: TextRange) -> TextRange {
    let (start, end) = (range.start as usize, range.end as usize);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
    let before = &text[line_start..start];
    let after = text[end..line_end].trim_end();
    if before.trim().is_empty() && (after.trim().is_empty() || after.trim_start().starts_with('#')) {
        TextRange::from_usize(line_start, line_end)
    } else {
        range
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = ["services:\n  web:\n    image: nginx:1.27\n", "name: shop\nservices: {}\n"];
        let fail = ["version: '3.8'\nservices:\n  web:\n    image: nginx:1.27\n", "version: \"2\"\nservices: {}\n"];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn the_fix_removes_the_line() {
        let text = "# shop\nversion: '3.8' # old\nservices:\n  web:\n    image: nginx:1.27\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(d.message, "the top-level `version: '3.8'` is obsolete; Compose ignores it");
        assert_eq!(crate::rules::testing::fixed(text, d), "# shop\nservices:\n  web:\n    image: nginx:1.27\n");
    }

    #[test]
    fn each_file_that_has_it_is_reported() {
        let found = run_compose(
            &RULE,
            &[("/p/compose.yaml", "version: '3'\nservices: {}\n"), ("/p/compose.override.yaml", "version: '3'\n")],
        );
        assert_eq!(found.len(), 2);
    }
}
