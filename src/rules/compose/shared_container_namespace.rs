//! PLC307 shared-container-namespace: a service joins another container's network, PID or IPC namespace
//! (`service:<name>`, `container:<name>`).

use super::capabilities::namespaces;
use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC307",
        name: "shared-container-namespace",
        summary: "A service joins another container's network, PID or IPC namespace",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.10"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLC307-shared-container-namespace.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for (key, value) in namespaces(service) {
            let Some(value) = value else { continue };
            if value.value.contains('$') || !matches!(key, "network_mode" | "pid" | "ipc") {
                continue;
            }
            let Some((kind, other)) = value.value.split_once(':') else { continue };
            if !matches!(kind, "service" | "container") || other.is_empty() {
                continue;
            }
            let what = match key {
                "network_mode" => "network stack: its ports, its localhost and its traffic",
                "pid" => "processes: it sees and signals them",
                _ => "shared memory and message queues",
            };
            let message =
                format!("service `{name}` joins {kind} `{other}`'s namespace with `{key}`: it shares its {what}");
            let (file, d) = ctx.finding(&RULE.meta, &value.origin, message);
            let help = "give the service its own namespace unless it is a sidecar that must share it (a VPN client, a \
                        debugger); then keep both services equally trusted";
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
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    ipc: shareable\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: service:${VPN}\n",
            "services:\n  web:\n    image: nginx:1.27\n    uts: container:abc\n",
        ];
        let fail = [
            "services:\n  vpn:\n    image: qmcgaw/gluetun:v3\n  web:\n    image: nginx:1.27\n    network_mode: service:vpn\n",
            "services:\n  web:\n    image: nginx:1.27\n    pid: container:abc\n",
            "services:\n  db:\n    image: postgres:17\n  web:\n    image: nginx:1.27\n    ipc: service:db\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn message_and_span_through_an_anchor() {
        let text = "x-net: &net service:vpn\nservices:\n  vpn:\n    image: qmcgaw/gluetun:v3\n  web:\n    image: nginx:1.27\n    network_mode: *net\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*net");
        assert_eq!(&text[d.labels[0].range.as_usize()], "service:vpn");
        assert_eq!(
            d.message,
            "service `web` joins service `vpn`'s namespace with `network_mode`: it shares its network stack: its \
             ports, its localhost and its traffic"
        );
    }
}
