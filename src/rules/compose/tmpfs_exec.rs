//! PLC312 tmpfs-exec: a `tmpfs:` entry whose options turn `exec` or `suid` back on.

use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC312",
        name: "tmpfs-exec",
        summary: "A tmpfs mount re-enables `exec` or `suid`, which Docker turns off by default",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &[], compose_lint: &["CL-0022"], kics: &[] },
        page: include_str!("../../../lints/PLC312-tmpfs-exec.md"),
    },
    check: Check::Compose(check),
};

/// The options of `PATH:OPTIONS` that re-enable `exec` or `suid` (the last of `exec`/`noexec` wins).
fn reenabled(entry: &str) -> Option<Vec<&str>> {
    let (_, options) = entry.split_once(':')?;
    let options: Vec<&str> = options.split(',').map(str::trim).collect();
    let wins = |on: &str, off: &str| options.iter().rev().find(|o| **o == on || **o == off).is_some_and(|o| *o == on);
    let found: Vec<&str> = ["exec", "suid"].into_iter().filter(|on| wins(on, &format!("no{on}"))).collect();
    (!found.is_empty()).then_some(found)
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        let read_only = service.read_only.as_ref().is_some_and(|r| r.value);
        for entry in &service.tmpfs {
            let Some(found) = reenabled(&entry.value) else { continue };
            let path = entry.value.split_once(':').map_or(entry.value.as_str(), |(p, _)| p);
            let message = format!(
                "service `{name}` mounts a tmpfs at `{path}` with `{}`: it is a writable place to run programs from",
                found.join(",")
            );
            let (file, mut d) = ctx.finding(&RULE.meta, &entry.origin, message);
            if read_only {
                d.severity = Severity::Warning;
                d.message.push_str(", on a service whose root filesystem is read-only");
            }
            // No fix: nobody writes `exec` or `suid` but for a program that needs it (s6-overlay runs from
            // `/run`, GPU and JIT runtimes map code from tmpfs), so removing it would break the service.
            let help = "unless a program must run from there (s6-overlay needs `exec` on `/run`), remove `exec` and \
                        `suid`, and run programs from the image";
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
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs: /tmp\n",
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs:\n      - /tmp:size=64m,mode=1777\n",
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs:\n      - /tmp:exec,noexec\n",
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs:\n      - /tmp:noexec,nosuid\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs: /tmp:exec\n",
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs:\n      - /tmp:rw,exec,size=64m\n",
            "services:\n  web:\n    image: nginx:1.27\n    tmpfs:\n      - /run:suid\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn message_span_and_no_fix() {
        let text = "services:\n  app:\n    image: node:22.11\n    read_only: true\n    tmpfs:\n      - /tmp:rw,exec,suid,size=64m\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "/tmp:rw,exec,suid,size=64m");
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.message,
            "service `app` mounts a tmpfs at `/tmp` with `exec,suid`: it is a writable place to run programs from, on \
             a service whose root filesystem is read-only"
        );
        assert!(d.fix.is_none());
    }

    #[test]
    fn through_a_merge_key_no_fix() {
        let text = "x-t: &t\n  tmpfs: ['/tmp:exec']\nservices:\n  app:\n    <<: *t\n    image: node:22.11\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "'/tmp:exec'");
        assert_eq!(d.severity, Severity::Info);
        assert!(d.fix.is_none());
    }
}
