//! PLC601 healthcheck-disabled: `healthcheck: {disable: true}` or `test: ["NONE"]`.

use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC601",
        name: "healthcheck-disabled",
        summary: "A service turns its healthcheck off (`disable: true`, `test: [\"NONE\"]`)",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.27"],
            compose_lint: &[],
            kics: &["Healthcheck Not Set"],
        },
        page: include_str!("../../../lints/PLC601-healthcheck-disabled.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some(health) = &service.healthcheck else { continue };
        let name = &service.name.value;
        let (origin, how) = if let Some(disable) = health.disable.as_ref().filter(|d| d.value) {
            (&disable.origin, "`disable: true`")
        } else if let Some(test) = health.test.as_ref().filter(|t| t.value.first().is_some_and(|w| w == "NONE")) {
            (&test.origin, "`test: [\"NONE\"]`")
        } else {
            continue;
        };
        let message = format!("service `{name}` turns its healthcheck off with {how}, the image's HEALTHCHECK too");
        let (file, d) = ctx.finding(&RULE.meta, origin, message);
        let help = "remove it, and give the service a `healthcheck: test:` that checks it answers";
        out.push((file, d.with_help(help)));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      disable: false\n      test: curl -f http://localhost\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      disable: true\n",
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      test: [\"NONE\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      disable: ${NOHC:-true}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn spans_the_value_and_follows_extends() {
        let base = "services:\n  base:\n    image: nginx:1.27\n    healthcheck:\n      test: [\"NONE\"]\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "extends");
        assert_eq!(
            d.message,
            "service `web` turns its healthcheck off with `test: [\"NONE\"]`, the image's HEALTHCHECK too"
        );
        let at = d.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.start.line, at.start.column), (5, 13));
    }
}
