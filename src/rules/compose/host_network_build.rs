//! PLC314 host-network-build: `build.entitlements: [network.host]` or `build.network: host`, the Compose side of
//! `RUN --network=host` (PLD302).

use super::insecure_build_entitlement::entitlements;
use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC314",
        name: "host-network-build",
        summary: "A service's build may use the host's network (`network.host`, `build.network: host`)",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.9"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLC314-host-network-build.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for item in entitlements(service, "network.host") {
            let message = format!(
                "the build of service `{name}` is granted `network.host`: a `RUN --network=host` step shares the \
                 build host's network"
            );
            let (file, d) = ctx.finding(&RULE.meta, &item.origin, message);
            out.push((file, d.with_help("remove the entitlement: the build's default network reaches the internet")));
        }
        let network = service.raw.as_ref().and_then(|raw| raw.get("build")).and_then(|b| b.get("network"));
        if let Some(network) = network.filter(|n| n.as_str() == Some("host")) {
            let message =
                format!("service `{name}` builds with `network: host`: every RUN step shares the build host's network");
            let (file, d) = ctx.finding(&RULE.meta, &network.origin, message);
            out.push((file, d.with_help("remove `network: host` (the default network reaches the internet)")));
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
            "services:\n  app:\n    build:\n      context: .\n      network: none\n      entitlements: [security.insecure]\n",
            "services:\n  app:\n    image: x\n    network_mode: host\n",
        ];
        let fail = [
            "services:\n  app:\n    build:\n      context: .\n      entitlements: [network.host]\n",
            "services:\n  app:\n    build:\n      context: .\n      network: host\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn spans_the_entitlement_and_the_network() {
        let text = "services:\n  app:\n    build:\n      context: .\n      network: host\n      entitlements: [network.host]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let spans: Vec<&str> = found.iter().map(|(_, d)| &text[d.range.as_usize()]).collect();
        assert_eq!(spans, ["network.host", "host"]);
    }
}
