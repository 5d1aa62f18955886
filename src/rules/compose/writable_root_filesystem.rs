//! PLC310 writable-root-filesystem: a service without `read_only: true`.

use super::first_key_line;
use super::host_paths::written_plain;
use crate::Severity;
use crate::compose::model::Service;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC310",
        name: "writable-root-filesystem",
        summary: "A service's root filesystem is writable (`read_only: true` is not set)",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        // Fires on nearly every service (all 557 of the corpus): a hardening review to ask for, not a default.
        opt_in: true,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.13"],
            compose_lint: &["CL-0007"],
            kics: &[],
        },
        page: include_str!("../../../lints/PLC310-writable-root-filesystem.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str = "set `read_only: true`, and give the paths it writes a `tmpfs` or a volume";

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        match &service.read_only {
            Some(r) if r.value => {}
            Some(r) => {
                let message = format!("service `{name}` sets `read_only: false`: its root filesystem is writable");
                let (file, mut d) = ctx.finding(&RULE.meta, &r.origin, message);
                if written_plain(ctx, &r.origin, "false") {
                    d.fix = Some(fix(r.origin.place.range, "true".into()));
                }
                out.push((file, d.with_help(HELP)));
            }
            // A value not known yet (an unset variable) is not reported.
            None if service.raw.as_ref().is_some_and(|r| r.get("read_only").is_some()) => {}
            None => {
                let message = format!("service `{name}` can write to its root filesystem: `read_only` is not set");
                let (file, mut d) = ctx.finding(&RULE.meta, &service.name.origin, message);
                d.fix = insert_read_only(ctx, service).map(|(at, line)| fix(TextRange::new(at, at), line));
                out.push((file, d.with_help(HELP)));
            }
        }
    }
}

fn fix(range: TextRange, replacement: String) -> Fix {
    Fix {
        applicability: Applicability::Unsafe,
        message: "set `read_only: true`".into(),
        edits: vec![Edit { range, replacement }],
    }
}

/// Where to insert `read_only: true` and the line to insert: as the first key of the service, when its mapping
/// is a block written in place ([`first_key_line`]).
fn insert_read_only(ctx: &ComposeContext<'_>, service: &Service) -> Option<(u32, String)> {
    let (at, indent) = first_key_line(ctx, service)?;
    Some((u32::try_from(at).ok()?, format!("{indent}read_only: true\n")))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::compose::host_paths::apply_unsafe_fix;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n    read_only: true\n",
            "services:\n  web:\n    image: nginx:1.27\n    read_only: ${RO:-true}\n",
            "services:\n  web:\n    image: nginx:1.27\n    read_only: ${RO}\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    read_only: false\n",
            "services:\n  web:\n    image: nginx:1.27\n    read_only: ${RO:-false}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn at_the_name_with_a_fix_that_inserts_the_key() {
        let text = "services:\n  web:\n    image: nginx:1.27\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "web");
        assert_eq!(d.message, "service `web` can write to its root filesystem: `read_only` is not set");
        assert_eq!(
            apply_unsafe_fix(text, &found[0].1),
            "services:\n  web:\n    read_only: true\n    image: nginx:1.27\n"
        );
    }

    #[test]
    fn read_only_false_is_turned_true() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    read_only: false\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(&text[found[0].1.range.as_usize()], "false");
        assert_eq!(
            apply_unsafe_fix(text, &found[0].1),
            "services:\n  web:\n    image: nginx:1.27\n    read_only: true\n"
        );
    }

    #[test]
    fn no_fix_for_flow_mappings_or_values_from_an_anchor() {
        let flow = "services:\n  web: {image: nginx:1.27}\n";
        assert!(run_compose(&RULE, &[("/p/compose.yaml", flow)])[0].1.fix.is_none());
        let anchored = "x-b: &b\n  read_only: false\nservices:\n  web:\n    <<: *b\n    image: nginx:1.27\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", anchored)]);
        let d = &found[0].1;
        assert_eq!(&anchored[d.range.as_usize()], "<<");
        assert_eq!(&anchored[d.labels[0].range.as_usize()], "false");
        assert!(d.fix.is_none());
    }
}
