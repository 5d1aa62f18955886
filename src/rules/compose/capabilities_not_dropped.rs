//! PLC302 capabilities-not-dropped: a service keeps Docker's default capabilities (no `cap_drop: [ALL]`).

use super::capabilities::{known, normalize};
use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC302",
        name: "capabilities-not-dropped",
        summary: "A service keeps Docker's default capabilities: no `cap_drop: [ALL]`",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: true,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.4"],
            compose_lint: &["CL-0006"],
            kics: &["Container Capabilities Unrestricted"],
        },
        page: include_str!("../../../lints/PLC302-capabilities-not-dropped.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        // A privileged service has every capability whatever it drops: PLC201 says so.
        if service.privileged.as_ref().is_some_and(|p| p.value) {
            continue;
        }
        let Some(dropped) = service.cap_drop.iter().map(|c| known(c).map(normalize)).collect::<Option<Vec<_>>>() else {
            continue;
        };
        if dropped.iter().any(|c| c == "ALL") {
            continue;
        }
        let name = &service.name.value;
        let message = if dropped.is_empty() {
            format!(
                "service `{name}` keeps Docker's default capabilities (NET_RAW, DAC_OVERRIDE, SETUID …): no `cap_drop: [ALL]`"
            )
        } else {
            let list: Vec<String> = dropped.iter().map(|c| format!("`{c}`")).collect();
            format!("service `{name}` drops only {} and keeps Docker's other default capabilities", list.join(", "))
        };
        // At `cap_drop` when it is written without `ALL`, else at the service.
        let cap_drop = service.raw.as_ref().and_then(|r| r.get_entry("cap_drop")).map(|e| &e.key_origin);
        let (file, d) = ctx.finding(&RULE.meta, cap_drop.unwrap_or(&service.name.origin), message);
        let help = "add `cap_drop: [ALL]` and add back with `cap_add` only the capabilities the program needs";
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
            "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [ALL]\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_drop:\n      - all\n    cap_add: [NET_BIND_SERVICE]\n",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: true\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [\"${DROP}\"]\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [NET_RAW]\n",
            // Docker refuses `CAP_ALL`: it is not `ALL`.
            "services:\n  web:\n    image: nginx:1.27\n    cap_drop: [CAP_ALL]\n",
            "services:\n  web:\n    image: nginx:1.27\n    privileged: false\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_is_cap_drop_or_the_service_name_and_message_names_what_is_dropped() {
        let text = "services:\n  web:\n    image: nginx:1.27\n  api:\n    image: nginx:1.27\n    cap_drop: [net_raw, CAP_MKNOD]\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let spans: Vec<&str> = found.iter().map(|(_, d)| &text[d.range.as_usize()]).collect();
        assert_eq!(spans, ["web", "cap_drop"]);
        let d = &found[1].1;
        assert_eq!(
            d.message,
            "service `api` drops only `NET_RAW`, `MKNOD` and keeps Docker's other default capabilities"
        );
    }

    #[test]
    fn cap_drop_inherited_through_extends_counts() {
        let base = "services:\n  base:\n    image: nginx:1.27\n    cap_drop: [ALL]\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        assert!(run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]).is_empty());
    }
}
