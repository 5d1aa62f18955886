//! PLD201 root-user: the final stage runs as root.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::{Args, Base, Dockerfile, Kind, Stage};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::Spanned;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD201",
        name: "root-user",
        summary: "The image runs as root: the final stage sets no USER, or sets root",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &["DL3002"],
            buildkit: &[],
            cis: &["4.1"],
            compose_lint: &[],
            kics: &["Missing User Instruction", "Last User Is 'root'"],
        },
        page: include_str!("../../../lints/PLD201-root-user.md"),
    },
    check: Check::Dockerfile(check),
};

/// Whether a USER value (or Compose `user:`) means root: `root`, UID 0 however the runtime's integer parser reads
/// it (`0`, `000`, `+0`), with any group, or Windows' `ContainerAdministrator`.
pub(crate) fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name.parse::<i64>() == Ok(0) || name.eq_ignore_ascii_case("ContainerAdministrator")
}

/// The last USER of a stage, following `FROM <earlier stage>`.
pub(crate) fn effective_user<'a>(file: &'a Dockerfile, stage: &'a Stage, depth: usize) -> Option<&'a Spanned<String>> {
    let own = file.instructions[stage.instructions.clone()].iter().rev().find_map(|i| match (&i.kind, &i.args) {
        (Kind::User, Args::Text { text }) => Some(text),
        _ => None,
    });
    own.or_else(|| match stage.base {
        Base::Stage { index, .. } if depth < file.stages.len() => {
            file.stages.get(index).and_then(|s| effective_user(file, s, depth + 1))
        }
        _ => None,
    })
}

/// Base images whose default user is not root, by tag convention (`distroless/static:nonroot`,
/// `…:latest-nonroot`).
pub(crate) fn base_is_nonroot(file: &Dockerfile, stage: &Stage, depth: usize) -> bool {
    match &stage.base {
        Base::Image { reference, .. } => reference.tag.as_deref().is_some_and(|t| t.contains("nonroot")),
        Base::Stage { index, .. } if depth < file.stages.len() => {
            file.stages.get(*index).is_some_and(|s| base_is_nonroot(file, s, depth + 1))
        }
        _ => false,
    }
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let file = ctx.file;
    let Some(stage) = file.final_stage() else { return };
    let from = &file.instructions[stage.from];
    match effective_user(file, stage, 0) {
        Some(user) if is_root(&user.value) => {
            let mut d = RULE.meta.diagnostic(user.range, format!("the image runs as `{}`", user.value)).with_help(
                "switch to an unprivileged user as the last USER: `USER app` (create it with `useradd`/`adduser`)",
            );
            // Earlier stages come before the final FROM, so a USER before it was inherited.
            if user.range.start < from.range.start {
                d.labels.push(crate::Label::new(from.range, "the final stage inherits it here"));
            }
            out.push(d);
        }
        Some(_) => {}
        None if base_is_nonroot(file, stage, 0) || matches!(stage.base, Base::Unresolved { .. }) => {}
        None => {
            let range = from.range;
            out.push(
                RULE.meta
                    .diagnostic(range, "the final stage sets no USER, so the image runs as root (unless its base image sets another user)")
                    .with_help("add `USER <non-root user>` to the final stage"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nUSER app\n",
            "FROM alpine:3.22\nUSER root\nRUN apk add curl\nUSER 1000:1000\n",
            "FROM alpine:3.22 AS build\nUSER root\nFROM alpine:3.22\nUSER nobody\n",
            "FROM alpine:3.22 AS base\nUSER app\nFROM base\nRUN true\n",
            "FROM gcr.io/distroless/static-debian12:nonroot\n",
            "ARG BASE\nFROM ${BASE}\n",
            "user app\nFROM alpine:3.22\nuser app\n",
        ];
        let fail = [
            "FROM alpine:3.22\n",
            "FROM alpine:3.22\nUSER root\n",
            "FROM alpine:3.22\nUSER 0:0\n",
            "FROM alpine:3.22\nUSER 000:0\n",
            "FROM alpine:3.22\nUSER app\nUSER root:root\n",
            "FROM alpine:3.22 AS build\nUSER app\nFROM alpine:3.22\n",
            "FROM alpine:3.22 AS base\nUSER root\nFROM base\nRUN true\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn an_inherited_root_user_is_labelled_at_the_final_from() {
        let text = "FROM alpine:3.22 AS base\nUSER root\nFROM base\nRUN true\n";
        let found = run(&RULE, text);
        assert_eq!(&text[found[0].range.as_usize()], "root");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "FROM base");
    }
}
