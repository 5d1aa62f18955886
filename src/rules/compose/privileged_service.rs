//! PLC201 privileged-service: `privileged: true` on a service (or on its build).

use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC201",
        name: "privileged-service",
        summary: "A service runs privileged: every capability and every host device, root on the host",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.5"],
            compose_lint: &["CL-0002"],
            kics: &["Privileged Containers Enabled"],
        },
        page: include_str!("../../../lints/PLC201-privileged-service.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        if let Some(privileged) = service.privileged.as_ref().filter(|p| p.value) {
            let message = format!("service `{name}` runs privileged");
            let (file, d) = ctx.finding(&RULE.meta, &privileged.origin, message);
            let help = "remove `privileged: true`; grant the one capability (`cap_add`) or device (`devices`) it needs";
            out.push((file, d.with_help(help)));
        }
        if let Some(privileged) = service.build.as_ref().and_then(|b| b.privileged.as_ref()).filter(|p| p.value) {
            let message = format!("service `{name}` is built privileged: every RUN step gets root on the builder");
            let (file, d) = ctx.finding(&RULE.meta, &privileged.origin, message);
            out.push((file, d.with_help("remove `privileged: true` from `build:`")));
        }
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
            "services:\n  web:\n    image: nginx:1.27\n    privileged: false\n",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: ${PRIV:-false}\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: \"true\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: ${PRIV:-true}\n",
            "services:\n  web:\n    build:\n      context: .\n      privileged: true\n",
        ];
        assert_compose_cases(&RULE, &[("/p/Dockerfile", "FROM alpine:3.22\n")], &pass, &fail);
    }

    #[test]
    fn through_an_anchor_the_finding_is_at_the_merge_key_with_a_label_at_the_definition() {
        let text = "x-base: &base\n  privileged: true\nservices:\n  web:\n    <<: *base\n    image: nginx:1.27\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "true");
        assert!(d.labels[0].elsewhere.is_none());
    }

    #[test]
    fn through_extends_from_another_file_the_label_names_that_file() {
        let base = "services:\n  base:\n    image: nginx:1.27\n    privileged: true\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let (path, d) = &found[0];
        assert_eq!(path, std::path::Path::new("/p/compose.yaml"));
        let at = d.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.path.display().to_string(), at.start.line, at.start.column), ("/p/base.yaml".into(), 4, 17));
    }

    #[test]
    fn an_interpolated_value_names_its_variable() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    privileged: ${PRIV:-true}\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found[0].1.message, "service `web` runs privileged (from `${PRIV}`)");
        assert_eq!(&text[found[0].1.range.as_usize()], "${PRIV:-true}");
    }
}
