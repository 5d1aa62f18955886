//! PLX601 missing-healthcheck: a service with no `healthcheck:` whose built image has no HEALTHCHECK either.

use super::built::built_services;
use crate::Severity;
use crate::dockerfile::{Args, Instruction, Kind};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLX601",
        name: "missing-healthcheck",
        summary: "A service has no healthcheck: none in Compose, none in the image it builds",
        severity: Severity::Info,
        target: Target::Project,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["4.6", "5.27"],
            compose_lint: &[],
            kics: &["Healthcheck Not Set"],
        },
        page: include_str!("../../../lints/PLX601-missing-healthcheck.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str =
    "add `healthcheck:` (`test: [\"CMD\", …]`) to the service, or a `HEALTHCHECK CMD …` to the stage it builds";

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for built in built_services(ctx) {
        let service = built.service;
        if service.healthcheck.is_some() || service.raw.as_ref().is_some_and(|r| r.get("healthcheck").is_some()) {
            continue;
        }
        let file = &built.build.dockerfile;
        // The image's HEALTHCHECK is the last one of the stage, else of the stages it builds on.
        let last = built.lineage().into_iter().find_map(|stage| {
            file.instructions[stage.instructions.clone()].iter().rev().find(|i| i.kind == Kind::Healthcheck)
        });
        let name = &service.name.value;
        let which = built.stage_name();
        let (message, label) = match last {
            Some(instr) if !is_none(instr) => continue,
            Some(instr) => (
                format!("service `{name}` has no healthcheck: none in Compose, and {which} of its image disables it"),
                (instr.range, "`HEALTHCHECK NONE` disables it here".to_owned()),
            ),
            None => {
                let from = &file.instructions[built.stage.from];
                let starts =
                    if which == "the final stage" { "the image's final stage".to_owned() } else { which.clone() };
                (
                    format!(
                        "service `{name}` has no healthcheck: none in Compose, and {which} of its image has no HEALTHCHECK (unless its base image has one)"
                    ),
                    (from.range, format!("{starts} starts here, with no HEALTHCHECK")),
                )
            }
        };
        let (at, mut d) = ctx.finding(&RULE.meta, &service.name.origin, message);
        d.labels.push(built.label(ctx, at, label.0, &label.1));
        out.push((at, d.with_help(HELP)));
    }
}

fn is_none(instr: &Instruction) -> bool {
    matches!(&instr.args, Args::Healthcheck { kind, .. } if kind.value.eq_ignore_ascii_case("none"))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    const PLAIN: &str = "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n";

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    build: .\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost\"]\n",
            // A disabled healthcheck in Compose is the Compose rule's to judge.
            "services:\n  web:\n    build: .\n    healthcheck:\n      disable: true\n",
            "services:\n  web:\n    build: ./checked\n",
            "services:\n  web:\n    build:\n      context: ./multi\n",
            "services:\n  web:\n    build:\n      context: ./multi\n      target: base\n",
        ];
        let fail = [
            "services:\n  web:\n    build: .\n",
            "services:\n  web:\n    build: ./disabled\n",
            "services:\n  web:\n    build:\n      context: ./multi\n      target: tools\n",
        ];
        let companions = [
            ("/p/Dockerfile", PLAIN),
            ("/p/checked/Dockerfile", "FROM nginx:1.27\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n"),
            ("/p/disabled/Dockerfile", "FROM nginx:1.27\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n"),
            (
                "/p/multi/Dockerfile",
                "FROM nginx:1.27 AS base\nHEALTHCHECK CMD curl -f http://localhost/\nFROM alpine:3.22 AS tools\nRUN true\nFROM base\nCOPY site /x\n",
            ),
        ];
        assert_compose_cases(&RULE, &companions, &pass, &fail);
    }

    #[test]
    fn reported_on_the_service_with_a_label_at_the_final_from() {
        let text = "services:\n  web:\n    build: .\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", PLAIN)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "web");
        assert_eq!(d.severity, crate::Severity::Info);
        assert_eq!(
            d.message,
            "service `web` has no healthcheck: none in Compose, and the final stage of its image has no HEALTHCHECK (unless its base image has one)"
        );
        assert_eq!(&PLAIN[d.labels[0].range.as_usize()], "FROM nginx:1.27");
        assert_eq!(d.labels[0].message, "the image's final stage starts here, with no HEALTHCHECK");
    }

    #[test]
    fn an_inherited_healthcheck_none_is_labelled_in_the_parent_stage() {
        let dockerfile = "FROM nginx:1.27 AS base\nHEALTHCHECK NONE\nFROM base AS app\nRUN true\n";
        let base = "services:\n  app:\n    build:\n      context: ./src\n      target: app\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: app\n";
        let found =
            run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base), ("/p/src/Dockerfile", dockerfile)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(
            d.message,
            "service `web` has no healthcheck: none in Compose, and the target stage `app` of its image disables it"
        );
        assert_eq!(&dockerfile[d.labels[0].range.as_usize()], "HEALTHCHECK NONE");
        assert_eq!(d.labels[0].elsewhere.as_ref().map(|e| e.start.line), Some(2));
    }
}
