//! PLC301 dangerous-capability: a `cap_add` item that gives a service host root, a way out, or a hold on the
//! host's network, clock or resources.

use super::capabilities::{danger_of, known, normalize};
use crate::Severity;
use crate::compose::model::Service;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC301",
        name: "dangerous-capability",
        summary: "A service adds a Linux capability that reaches the host: root, escape, network, clock or resources",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.4"],
            compose_lint: &["CL-0011", "CL-0024", "CL-0027", "CL-0028", "CL-0029", "CL-0030"],
            kics: &["Container Capabilities Unrestricted"],
        },
        page: include_str!("../../../lints/PLC301-dangerous-capability.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for item in &service.cap_add {
            let Some(written) = known(item) else { continue };
            let cap = normalize(written);
            let Some(danger) = danger_of(&cap) else { continue };
            let (severity, allows) = match escalation(service, &cap) {
                Some(why) => (Severity::Error, format!("{}, {why}", danger.allows)),
                None => (danger.severity, danger.allows.to_owned()),
            };
            let message = format!("service `{name}` adds capability `{cap}`, which {allows}");
            let (file, mut d) = ctx.finding(&RULE.meta, &item.origin, message);
            d.severity = severity;
            let help = format!(
                "remove `{}` from `cap_add`; give the program the narrower mount, device or setting it needs instead",
                written.trim()
            );
            out.push((file, d.with_help(help)));
        }
    }
}

/// Why a capability is worse on this service: it reaches the host through the host's namespace.
fn escalation(service: &Service, cap: &str) -> Option<&'static str> {
    let host = |v: &Option<crate::compose::model::Located<String>>| v.as_ref().is_some_and(|v| v.value == "host");
    match cap {
        "SYS_PTRACE" if host(&service.pid) => Some("and with `pid: host` those are the host's processes"),
        "SYS_BOOT" if host(&service.pid) => Some("and with `pid: host` that reboots the host"),
        "NET_ADMIN" if host(&service.network_mode) => Some("and with `network_mode: host` those are the host's"),
        _ => None,
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
            // Docker's default set: adding these changes nothing.
            "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n    cap_add: [NET_BIND_SERVICE, CHOWN, DAC_OVERRIDE, NET_RAW]\n",
            // Docker refuses `CAP_ALL`; unknown names are not guessed at.
            "services:\n  web:\n    image: nginx:1.27\n    cap_add: [CAP_ALL, FOO]\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_add: [\"${CAP}\"]\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    cap_add: [ALL]\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_add:\n      - sys_admin\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_add:\n      - CAP_SYS_MODULE\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_add: [\" NET_ADMIN \"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_add: [\"${CAP:-SYS_TIME}\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_add: [LINUX_IMMUTABLE]\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn each_item_is_reported_at_its_place_with_its_tier() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    cap_add:\n      - CHOWN\n      - cap_sys_admin\n      - SYS_NICE\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let (admin, nice) = (&found[0].1, &found[1].1);
        assert_eq!(&text[admin.range.as_usize()], "cap_sys_admin");
        assert_eq!(admin.severity, Severity::Error);
        assert_eq!(
            admin.message,
            "service `web` adds capability `SYS_ADMIN`, which allows mount, namespace and cgroup administration: root \
             on the host in all but name"
        );
        assert_eq!(&text[nice.range.as_usize()], "SYS_NICE");
        assert_eq!(nice.severity, Severity::Warning);
    }

    #[test]
    fn a_host_namespace_makes_a_capability_worse() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    pid: host\n    cap_add: [SYS_PTRACE]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found[0].1.severity, Severity::Error);
        assert!(found[0].1.message.ends_with("and with `pid: host` those are the host's processes"));
        let text = "services:\n  web:\n    image: nginx:1.27\n    cap_add: [SYS_PTRACE]\n";
        assert_eq!(run_compose(&RULE, &[("/p/compose.yaml", text)])[0].1.severity, Severity::Warning);
    }

    #[test]
    fn through_a_merge_key_the_finding_is_at_the_merge_key_with_a_label_at_the_item() {
        let text = "x-caps: &caps\n  cap_add: [BPF]\nservices:\n  web:\n    <<: *caps\n    image: nginx:1.27\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "BPF");
        assert_eq!(d.labels[0].message, "the value is defined here and merged in with `<<`");
    }

    #[test]
    fn through_extends_the_label_names_the_base_file() {
        let base = "services:\n  base:\n    image: nginx:1.27\n    cap_add:\n      - SYS_RAWIO\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let at = found[0].1.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.path.display().to_string(), at.start.line, at.start.column), ("/p/base.yaml".into(), 5, 9));
    }
}
