//! PLC311 missing-resource-limits: a service with no memory, CPU or pids limit.

use crate::Severity;
use crate::compose::tree::{Origin, Value};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC311",
        name: "missing-resource-limits",
        summary: "A service has no memory, CPU or pids limit",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        // Fires on nearly every service (all 557 of the corpus): a hardening review to ask for, not a default.
        opt_in: true,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.11", "5.12", "5.29"],
            compose_lint: &["CL-0026"],
            kics: &["Memory Not Limited", "Cpus Not Limited", "Pids Limit Not Set"],
        },
        page: include_str!("../../../lints/PLC311-missing-resource-limits.md"),
    },
    check: Check::Compose(check),
};

/// Each limit and the keys that set it.
const LIMITS: &[(&str, &[&[&str]])] = &[
    ("memory", &[&["mem_limit"], &["deploy", "resources", "limits", "memory"]]),
    ("CPU", &[&["cpus"], &["cpu_quota"], &["deploy", "resources", "limits", "cpus"]]),
    ("pids", &[&["pids_limit"], &["deploy", "resources", "limits", "pids"]]),
];

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some(raw) = &service.raw else { continue };
        let mut missing = Vec::new();
        let mut unlimited = Vec::new();
        for (what, paths) in LIMITS {
            let set: Vec<&Value> = paths.iter().filter_map(|p| p.iter().try_fold(raw, |v, k| v.get(k))).collect();
            // `0` and `-1` mean no limit; a value not known yet (an unset variable) counts as a limit.
            let is_unlimited = |v: &&Value| v.as_float().is_some_and(|n| n <= 0.0) || v.is_null();
            if set.is_empty() {
                missing.push(*what);
            } else if set.iter().all(is_unlimited) {
                missing.push(*what);
                unlimited.extend(set);
            }
        }
        if missing.is_empty() {
            continue;
        }
        let name = &service.name.value;
        let list = match missing.as_slice() {
            [one] => (*one).to_owned(),
            [a, b] => format!("{a} or {b}"),
            _ => format!("{}, or {}", missing[..missing.len() - 1].join(", "), missing[missing.len() - 1]),
        };
        let mut message = format!("service `{name}` has no {list} limit");
        // A value that means no limit is the place to change when it is the only thing wrong; otherwise the
        // place a limit is missing from: the deepest of `deploy.resources.limits` that is written, or the service.
        let at = match unlimited.as_slice() {
            [value] if missing.len() == 1 && !value.is_null() => {
                if let Some(written) = value.as_scalar() {
                    message.push_str(&format!(": `{}` means none", written.text));
                }
                &value.origin
            }
            _ => deepest_limits_key(raw).unwrap_or(&service.name.origin),
        };
        let (file, mut d) = ctx.finding(&RULE.meta, at, message);
        for v in unlimited.iter().filter(|v| &v.origin != at) {
            d.labels.push(ctx.label(file, v.origin.use_place(), "this value means no limit"));
        }
        let help = "set `mem_limit`, `cpus` and `pids_limit` (or `deploy.resources.limits`) to what the service needs";
        out.push((file, d.with_help(help)));
    }
}

/// The key of the deepest of `deploy`, `deploy.resources` and `deploy.resources.limits` the service writes.
fn deepest_limits_key(raw: &Value) -> Option<&Origin> {
    let mut at = raw;
    let mut key = None;
    for name in ["deploy", "resources", "limits"] {
        let Some(entry) = at.get_entry(name) else { break };
        key = Some(&entry.key_origin);
        at = &entry.value;
    }
    key
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 512m\n    cpus: 0.5\n    pids_limit: 200\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        limits: {memory: 512M, cpus: '0.5', pids: 200}\n",
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: ${MEM}\n    cpu_quota: 50000\n    pids_limit: 100\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 512m\n    cpus: 0.5\n",
            "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 512m\n    cpus: 0.5\n    pids_limit: -1\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        reservations: {memory: 512M}\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn names_what_is_missing_at_the_service_name() {
        let text = "services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:17.2\n    mem_limit: 1g\n    pids_limit: -1\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let got: Vec<(&str, &str)> =
            found.iter().map(|(_, d)| (&text[d.range.as_usize()], d.message.as_str())).collect();
        assert_eq!(
            got,
            [
                ("web", "service `web` has no memory, CPU, or pids limit"),
                ("db", "service `db` has no CPU or pids limit")
            ]
        );
        assert_eq!(&text[found[1].1.labels[0].range.as_usize()], "-1");
    }

    #[test]
    fn a_missing_limit_is_at_the_deepest_key_written_and_a_bad_value_at_the_value() {
        let at = |text: &str| -> Vec<(String, String, Vec<String>)> {
            run_compose(&RULE, &[("/p/compose.yaml", text)])
                .into_iter()
                .map(|(_, d)| {
                    let labels = d.labels.iter().map(|l| text[l.range.as_usize()].to_owned()).collect();
                    (text[d.range.as_usize()].to_owned(), d.message, labels)
                })
                .collect()
        };
        let limits = "services:\n  web:\n    image: nginx:1.27\n    pids_limit: 100\n    deploy:\n      resources:\n        limits:\n          cpus: '0.5'\n";
        assert_eq!(at(limits), [("limits".into(), "service `web` has no memory limit".into(), vec![])]);
        let resources = "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      resources:\n        reservations: {memory: 512M}\n";
        assert_eq!(at(resources)[0].0, "resources");
        let deploy = "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: 2\n";
        assert_eq!(at(deploy)[0].0, "deploy");
        let value = "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 1g\n    cpus: 1\n    pids_limit: -1\n";
        assert_eq!(at(value), [("-1".into(), "service `web` has no pids limit: `-1` means none".into(), vec![])]);
        let two = "services:\n  web:\n    image: nginx:1.27\n    mem_limit: 0\n    cpus: 1\n    pids_limit: -1\n";
        assert_eq!(
            at(two),
            [("web".into(), "service `web` has no memory or pids limit".into(), vec!["0".into(), "-1".into()])]
        );
    }

    #[test]
    fn a_limit_from_an_anchor_counts() {
        let text = "x-limits: &limits\n  mem_limit: 1g\n  cpus: 1\n  pids_limit: 100\nservices:\n  web:\n    <<: *limits\n    image: nginx:1.27\n";
        assert!(run_compose(&RULE, &[("/p/compose.yaml", text)]).is_empty());
    }
}
