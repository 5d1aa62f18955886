//! PLC313 insecure-build-entitlement: `build.entitlements: [security.insecure]`, the Compose side of
//! `RUN --security=insecure` (PLD301).

use crate::Severity;
use crate::compose::model::Service;
use crate::compose::tree::Value;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC313",
        name: "insecure-build-entitlement",
        summary: "A service's build is granted `security.insecure`: its RUN steps may run as privileged containers",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.5"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLC313-insecure-build-entitlement.md"),
    },
    check: Check::Compose(check),
};

/// The items of a service's `build.entitlements` that are exactly `entitlement`.
pub(super) fn entitlements<'a>(service: &'a Service, entitlement: &'a str) -> impl Iterator<Item = &'a Value> {
    service
        .raw
        .as_ref()
        .and_then(|raw| raw.get("build"))
        .and_then(|build| build.get("entitlements"))
        .and_then(Value::as_seq)
        .unwrap_or_default()
        .iter()
        .filter(move |item| item.as_str() == Some(entitlement))
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        for item in entitlements(service, "security.insecure") {
            let message = format!(
                "the build of service `{}` is granted `security.insecure`: a `RUN --security=insecure` step runs \
                 as a privileged container on the build host",
                service.name.value
            );
            let (file, d) = ctx.finding(&RULE.meta, &item.origin, message);
            let help = "remove the entitlement, and give the steps that need more a bind, cache or secret mount, or a \
                        single device";
            out.push((file, d.with_help(help)));
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
            "services:\n  app:\n    build: .\n",
            "services:\n  app:\n    build:\n      context: .\n      entitlements: [network.host]\n",
            "services:\n  app:\n    build:\n      context: .\n      entitlements: []\n",
            "services:\n  app:\n    image: x\n    x-entitlements: [security.insecure]\n",
        ];
        let fail = [
            "services:\n  app:\n    build:\n      context: .\n      entitlements: [security.insecure]\n",
            "services:\n  app:\n    build:\n      context: .\n      entitlements:\n        - network.host\n        - security.insecure\n",
            "x-build: &b\n  context: .\n  entitlements: [\"${ENT:-security.insecure}\"]\nservices:\n  app:\n    build: *b\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn spans_the_entitlement() {
        let text =
            "services:\n  app:\n    build:\n      context: .\n      entitlements: [network.host, security.insecure]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "security.insecure");
        assert!(d.message.starts_with("the build of service `app` is granted `security.insecure`"), "{}", d.message);
    }
}
