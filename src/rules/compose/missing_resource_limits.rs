//! PLC311 missing-resource-limits: a service with no memory, CPU or pids limit.

use crate::Severity;
use crate::compose::tree::Value;
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
        let (file, mut d) =
            ctx.finding(&RULE.meta, &service.name.origin, format!("service `{name}` has no {list} limit"));
        for v in unlimited {
            d.labels.push(ctx.label(file, v.origin.use_place(), "this value means no limit"));
        }
        let help = "set `mem_limit`, `cpus` and `pids_limit` (or `deploy.resources.limits`) to what the service needs";
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
    fn a_limit_from_an_anchor_counts() {
        let text = "x-limits: &limits\n  mem_limit: 1g\n  cpus: 1\n  pids_limit: 100\nservices:\n  web:\n    <<: *limits\n    image: nginx:1.27\n";
        assert!(run_compose(&RULE, &[("/p/compose.yaml", text)]).is_empty());
    }
}
