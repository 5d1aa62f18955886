//! PLC308 security-profile-disabled: a `security_opt` entry that turns off seccomp, AppArmor, SELinux
//! confinement or the masking of `/proc` and `/sys`.

use super::capabilities::{item_line, known, security_opt};
use crate::Severity;
use crate::compose::model::{Located, Service};
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC308",
        name: "security-profile-disabled",
        summary: "A service turns off seccomp, AppArmor, SELinux or the masking of /proc and /sys",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.2", "5.3", "5.22"],
            compose_lint: &["CL-0009"],
            kics: &["Default Seccomp Profile Disabled"],
        },
        page: include_str!("../../../lints/PLC308-security-profile-disabled.md"),
    },
    check: Check::Compose(check),
};

/// What a disabling entry turns off, and how bad that is; `None` for an entry that does not disable anything.
fn disables(key: &str, value: &str) -> Option<(Severity, &'static str)> {
    match (key, value) {
        ("seccomp", "unconfined") => {
            Some((Severity::Warning, "turns seccomp off: every system call reaches the kernel"))
        }
        ("apparmor", "unconfined") => Some((Severity::Warning, "turns AppArmor off: no mandatory access control")),
        ("label", "disable") => Some((Severity::Warning, "turns SELinux labelling off: no mandatory access control")),
        ("label", "type:spc_t") => {
            Some((Severity::Warning, "runs as SELinux's super-privileged container type `spc_t`: unconfined"))
        }
        ("systempaths", "unconfined") => Some((
            Severity::Error,
            "unmasks `/proc` and `/sys`: root in the container writes `/proc/sys/kernel/core_pattern` and runs code \
             on the host",
        )),
        _ => None,
    }
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        let entries: Vec<(&Located<String>, String, &str)> = service
            .security_opt
            .iter()
            .filter_map(|item| {
                let opt = security_opt(known(item)?);
                Some((item, opt.key, opt.value?.trim()))
            })
            .collect();
        for (item, key, value) in &entries {
            let Some((severity, what)) = disables(key, value) else { continue };
            // seccomp and AppArmor are set once per entry, in order: the last entry for the key wins.
            let last = entries.iter().rev().find(|(_, k, _)| k == key).map(|(_, _, v)| *v);
            if matches!(key.as_str(), "seccomp" | "apparmor") && last != Some(*value) {
                continue;
            }
            let message = format!("service `{name}` sets `security_opt: {}`, which {what}", item.value.trim());
            let (file, mut d) = ctx.finding(&RULE.meta, &item.origin, message);
            d.severity = severity;
            d.fix = removal(ctx, service, item);
            let help = "remove the entry: Docker applies its default profile; if one system call or file is refused, \
                        write a custom profile that allows just that";
            out.push((file, d.with_help(help)));
        }
    }
}

/// Removing the entry's line, when it is one item of a block list of several written in the service itself.
fn removal(ctx: &ComposeContext<'_>, service: &Service, item: &Located<String>) -> Option<Fix> {
    let list = service.raw.as_ref()?.get("security_opt")?;
    if !item.origin.via.is_empty() || !list.origin.via.is_empty() || list.as_seq()?.len() < 2 {
        return None;
    }
    let text = &ctx.project.file(item.origin.place.file)?.text;
    let line = item_line(text, item.origin.place.range)?;
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("remove `{}` from `security_opt`", item.value.trim()),
        edits: vec![Edit { range: line, replacement: String::new() }],
    })
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
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [no-new-privileges:true, apparmor=docker-default]\n",
            // The last seccomp entry wins.
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [seccomp:unconfined, seccomp=./profile.json]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"label=type:container_t\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"seccomp=${PROFILE}\"]\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [seccomp:unconfined]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [seccomp=unconfined]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [apparmor:unconfined]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - apparmor=unconfined\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [label:disable]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [label=disable]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"label:type:spc_t\"]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [systempaths=unconfined]\n",
            "services:\n  web:\n    image: nginx:1.27\n    security_opt: [\"seccomp=${PROFILE:-unconfined}\"]\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_message_severity_and_fix() {
        let text = "services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:true\n      - seccomp=unconfined # needs io_uring\n      - systempaths=unconfined\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "seccomp=unconfined");
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.message,
            "service `web` sets `security_opt: seccomp=unconfined`, which turns seccomp off: every system call \
             reaches the kernel"
        );
        assert_eq!(found[1].1.severity, Severity::Error);
        assert_eq!(
            crate::rules::testing::fixed(text, d),
            "services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - no-new-privileges:true\n      - systempaths=unconfined\n"
        );
    }

    #[test]
    fn no_fix_for_a_lone_item_a_flow_list_or_an_anchor() {
        let lone = "services:\n  web:\n    image: nginx:1.27\n    security_opt:\n      - label:disable\n";
        let flow = "services:\n  web:\n    image: nginx:1.27\n    security_opt: [label:disable, no-new-privileges]\n";
        let anchor = "x-opts: &opts\n  security_opt:\n    - label:disable\n    - no-new-privileges\nservices:\n  web:\n    <<: *opts\n    image: nginx:1.27\n";
        for text in [lone, flow, anchor] {
            let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
            assert_eq!(found.len(), 1, "{found:#?}");
            assert!(found[0].1.fix.is_none(), "{text}");
        }
        let found = run_compose(&RULE, &[("/p/compose.yaml", anchor)]);
        assert_eq!(&anchor[found[0].1.range.as_usize()], "<<");
        assert_eq!(&anchor[found[0].1.labels[0].range.as_usize()], "label:disable");
    }
}
