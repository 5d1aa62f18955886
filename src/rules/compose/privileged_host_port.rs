//! PLC502 privileged-host-port: a port published on a host port below 1024, other than 80 and 443.

use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

use super::ports::{Knowable, published};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC502",
        name: "privileged-host-port",
        summary: "A port is published on a privileged host port (below 1024) other than 80 and 443",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.8"],
            compose_lint: &[],
            kics: &["Privileged Ports Mapped In Container"],
        },
        page: include_str!("../../../lints/PLC502-privileged-host-port.md"),
    },
    check: Check::Compose(check),
};

/// The web's ports: a reverse proxy or web server on them is the expected case, not a finding.
const WEB_PORTS: [u16; 2] = [80, 443];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for p in published(service) {
            let Knowable::Known(Some((start, end))) = p.host_ports else { continue };
            if start >= 1024 || (start == end && WEB_PORTS.contains(&start)) {
                continue;
            }
            let message = if start == end {
                format!("service `{name}` publishes privileged host port {start}")
            } else {
                format!(
                    "service `{name}` publishes host ports {start}-{end}, which include privileged ports (below 1024)"
                )
            };
            let (file, d) = ctx.finding(&RULE.meta, &p.port.origin, message);
            let help = "publish it on a host port of 1024 or above (`\"2222:22\"` rather than `\"22:22\"`), unless clients need the well-known port";
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
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80:80\"\n      - \"443:443\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"8080:80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"80\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - target: 22\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"${PORT}:25\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    network_mode: host\n    ports:\n      - \"25:25\"\n",
        ];
        let fail = [
            "services:\n  mail:\n    image: mailserver:1\n    ports:\n      - \"25:25\"\n",
            "services:\n  mail:\n    image: mailserver:1\n    ports:\n      - \"127.0.0.1:993:993\"\n",
            "services:\n  dns:\n    image: coredns:1.11\n    ports:\n      - 53:53/udp\n",
            "services:\n  web:\n    image: nginx:1.27\n    ports:\n      - \"79-81:79-81\"\n",
            "services:\n  git:\n    image: gitea:1.22\n    ports:\n      - target: 22\n        published: \"22\"\n",
            "services:\n  git:\n    image: gitea:1.22\n    ports:\n      - \"${SSH_PORT:-22}:22\"\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_and_messages() {
        let text =
            "services:\n  mail:\n    image: mailserver:1\n    ports:\n      - \"25:25\"\n      - 100-200:100-200\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&text[found[0].1.range.as_usize()], "\"25:25\"");
        assert_eq!(found[0].1.message, "service `mail` publishes privileged host port 25");
        assert_eq!(
            found[1].1.message,
            "service `mail` publishes host ports 100-200, which include privileged ports (below 1024)"
        );
    }

    #[test]
    fn through_extends_the_finding_is_at_extends() {
        let base = "services:\n  base:\n    image: gitea:1.22\n    ports:\n      - \"22:22\"\n";
        let text = "services:\n  git:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(&text[found[0].1.range.as_usize()], "extends");
        let at = found[0].1.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.start.line, at.start.column), (5, 9));
    }
}
