//! PLC306 host-namespace: a service shares one of the host's namespaces (`network_mode`, `pid`, `ipc`, `uts`,
//! `userns_mode` or `cgroup` set to `host`).

use super::capabilities::namespaces;
use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC306",
        name: "host-namespace",
        summary: "A service shares a host namespace: network, PID, IPC, UTS, user or cgroup",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.10", "5.16", "5.17", "5.21", "5.25", "5.31"],
            compose_lint: &["CL-0008", "CL-0010"],
            kics: &[
                "Shared Host Network Namespace",
                "Host Namespace is Shared",
                "Shared Host IPC Namespace",
                "Shared Host User Namespace",
            ],
        },
        page: include_str!("../../../lints/PLC306-host-namespace.md"),
    },
    check: Check::Compose(check),
};

/// What sharing each host namespace gives the container, and how bad it is.
fn exposure(key: &str) -> (Severity, &'static str) {
    match key {
        "pid" => (Severity::Error, "it sees, signals and (with `SYS_PTRACE`) enters every process of the host"),
        "network_mode" => {
            (Severity::Warning, "it binds any host port and reaches every service listening on localhost")
        }
        "ipc" => (Severity::Warning, "it reads and writes the host's shared memory and message queues"),
        "userns_mode" => {
            (Severity::Warning, "user-namespace remapping is off: root in the container is root on the host")
        }
        "cgroup" => (Severity::Warning, "it sees the host's whole cgroup tree"),
        _ => (Severity::Info, "it sees the host's hostname and domain name"),
    }
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for (key, value) in namespaces(service) {
            // Case-sensitive, as the daemon is: `pid: HOST` is refused, not shared.
            let Some(value) = value.filter(|v| v.value == "host") else { continue };
            let (severity, what) = exposure(key);
            let message = format!("service `{name}` shares the host's namespace with `{key}: host`: {what}");
            let (file, mut d) = ctx.finding(&RULE.meta, &value.origin, message);
            d.severity = severity;
            let help = if key == "network_mode" {
                "remove `network_mode: host`; publish the ports the service serves with `ports:` (bound to 127.0.0.1 \
                 if only the host needs them)"
                    .to_owned()
            } else {
                format!("remove `{key}: host`; the service gets a namespace of its own")
            };
            out.push((file, d.with_help(help)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: bridge\n    ipc: private\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: service:db\n    pid: container:abc\n",
            "services:\n  web:\n    image: nginx:1.27\n    pid: HOST\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: ${NET}\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n",
            "services:\n  web:\n    image: nginx:1.27\n    pid: host\n",
            "services:\n  web:\n    image: nginx:1.27\n    ipc: \"host\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    uts: host\n",
            "services:\n  web:\n    image: nginx:1.27\n    userns_mode: host\n",
            "services:\n  web:\n    image: nginx:1.27\n    cgroup: host\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: ${NET:-host}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn each_key_has_its_severity_and_its_span() {
        let text =
            "services:\n  agent:\n    image: datadog/agent:7\n    pid: host\n    network_mode: host\n    uts: host\n";
        let mut found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        found.sort_by_key(|(_, d)| d.range.start);
        let got: Vec<_> = found.iter().map(|(_, d)| (&text[d.range.as_usize()], d.severity)).collect();
        assert_eq!(got, [("host", Severity::Error), ("host", Severity::Warning), ("host", Severity::Info)]);
        assert_eq!(text[..found[0].1.range.start as usize].lines().count(), 4, "the `pid` line");
        assert_eq!(
            found[0].1.message,
            "service `agent` shares the host's namespace with `pid: host`: it sees, signals and (with `SYS_PTRACE`) \
             enters every process of the host"
        );
    }

    #[test]
    fn through_extends_the_finding_is_at_extends_with_a_label_in_the_base_file() {
        let base = "services:\n  base:\n    image: nginx:1.27\n    network_mode: host\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(d.labels[0].message, "the value is defined here and inherited through `extends`");
        let at = d.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.path.display().to_string(), at.start.line, at.start.column), ("/p/base.yaml".into(), 4, 19));
    }

    #[test]
    fn an_interpolated_value_names_its_variable() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    ipc: ${IPC:-host}\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert!(found[0].1.message.ends_with("(from `${IPC}`)"), "{}", found[0].1.message);
        assert_eq!(&text[found[0].1.range.as_usize()], "${IPC:-host}");
    }
}
