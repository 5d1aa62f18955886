//! PLC603 logging-disabled: `logging: {driver: none}`.

use super::host_paths::written_plain;
use crate::Severity;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC603",
        name: "logging-disabled",
        summary: "A service's logging driver is `none`: its output is thrown away",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &[], compose_lint: &["CL-0014"], kics: &[] },
        page: include_str!("../../../lints/PLC603-logging-disabled.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some(driver) = service.logging.as_ref().and_then(|l| l.driver.as_ref()).filter(|d| d.value == "none")
        else {
            continue;
        };
        let name = &service.name.value;
        let message = format!("service `{name}` logs to driver `none`: its output is thrown away");
        let (file, mut d) = ctx.finding(&RULE.meta, &driver.origin, message);
        if written_plain(ctx, &driver.origin, "none") {
            d.fix = Some(Fix {
                applicability: Applicability::Unsafe,
                message: "log with the `local` driver".into(),
                edits: vec![Edit { range: driver.origin.place.range, replacement: "local".into() }],
            });
        }
        out.push((file, d.with_help("use a logging driver (`local`, `json-file` with `max-size`, or your collector)")));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::compose::host_paths::apply_unsafe_fix;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: local\n",
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      options: {max-size: 10m}\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: none\n",
            "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: ${LOG:-none}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_message_and_fix() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    logging:\n      driver: none\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "none");
        assert_eq!(d.message, "service `web` logs to driver `none`: its output is thrown away");
        assert!(apply_unsafe_fix(text, d).ends_with("      driver: local\n"));
    }

    #[test]
    fn through_a_merge_key_no_fix() {
        let text =
            "x-log: &log\n  logging:\n    driver: none\nservices:\n  web:\n    <<: *log\n    image: nginx:1.27\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "none");
        assert!(d.fix.is_none());
    }
}
