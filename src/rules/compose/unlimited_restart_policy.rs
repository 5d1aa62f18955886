//! PLC602 unlimited-restart-policy: `restart: on-failure` with no retry limit, and its `deploy.restart_policy`
//! form.

use super::host_paths::written_plain;
use crate::Severity;
use crate::compose::tree::Value;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC602",
        name: "unlimited-restart-policy",
        summary: "`restart: on-failure` with no retry limit restarts a crashing service forever",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.15"],
            compose_lint: &[],
            kics: &["Restart Policy On Failure Not Set To 5"],
        },
        page: include_str!("../../../lints/PLC602-unlimited-restart-policy.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str = "give it a limit: `restart: on-failure:5` (`deploy.restart_policy.max_attempts: 5`)";

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        if let Some(restart) =
            service.restart.as_ref().filter(|r| matches!(r.value.as_str(), "on-failure" | "on-failure:0"))
        {
            let message = format!("service `{name}` restarts `{}` with no retry limit", restart.value);
            let (file, mut d) = ctx.finding(&RULE.meta, &restart.origin, message);
            if written_plain(ctx, &restart.origin, &restart.value) {
                d.fix = Some(Fix {
                    applicability: Applicability::Unsafe,
                    message: "retry at most 5 times".into(),
                    edits: vec![Edit { range: restart.origin.place.range, replacement: "on-failure:5".into() }],
                });
            }
            out.push((file, d.with_help(HELP)));
        }
        let policy = service.raw.as_ref().and_then(|r| r.get("deploy")).and_then(|d| d.get("restart_policy"));
        let Some(condition) = policy.and_then(|p| p.get("condition")).filter(|c| c.as_str() == Some("on-failure"))
        else {
            continue;
        };
        let attempts = policy.and_then(|p| p.get("max_attempts"));
        if attempts.is_some_and(|a| a.as_int().is_none_or(|n| n > 0) && !a.is_null()) {
            continue;
        }
        let message = format!("service `{name}` restarts on failure with no `max_attempts`: it retries forever");
        let (file, mut d) = ctx.finding(&RULE.meta, &condition.origin, message);
        if let Some(zero) = attempts.filter(|a| !Value::is_null(a)) {
            d.labels.push(ctx.label(file, zero.origin.use_place(), "0 means no limit"));
        }
        out.push((file, d.with_help(HELP)));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::compose::host_paths::apply_unsafe_fix;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx:1.27\n    restart: on-failure:5\n",
            "services:\n  web:\n    image: nginx:1.27\n    restart: unless-stopped\n",
            "services:\n  web:\n    image: nginx:1.27\n    restart: always\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 3\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n        condition: any\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    restart: on-failure\n",
            "services:\n  web:\n    image: nginx:1.27\n    restart: \"on-failure:0\"\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n        condition: on-failure\n",
            "services:\n  web:\n    image: nginx:1.27\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 0\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn the_fix_sets_five_retries() {
        let text = "services:\n  worker:\n    image: python:3.13\n    restart: on-failure\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "on-failure");
        assert_eq!(d.message, "service `worker` restarts `on-failure` with no retry limit");
        assert_eq!(
            apply_unsafe_fix(text, d),
            "services:\n  worker:\n    image: python:3.13\n    restart: on-failure:5\n"
        );
    }

    #[test]
    fn through_an_alias_no_fix() {
        let text = "x-r: &r on-failure\nservices:\n  worker:\n    image: python:3.13\n    restart: *r\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*r");
        assert_eq!(&text[d.labels[0].range.as_usize()], "on-failure");
        assert!(d.fix.is_none());
    }
}
