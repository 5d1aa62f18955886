//! PLD203 missing-user: the final stage sets no USER, so the image runs as its base image's user, which is root
//! for most images. (A last USER that is root is PLD201's.)

use super::root_user::{StageUser, carries_files_only, sets_command, stage_user};
use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD203",
        name: "missing-user",
        summary: "The final stage sets no USER, so the image runs as root unless its base image sets another user",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["4.1"],
            compose_lint: &[],
            kics: &["Missing User Instruction"],
        },
        page: include_str!("../../../lints/PLD203-missing-user.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let file = ctx.file;
    let Some(stage) = file.final_stage() else { return };
    if carries_files_only(file, stage) {
        return;
    }
    let runs = sets_command(file, stage);
    let (message, help) = match stage_user(file, stage) {
        StageUser::Set(_) | StageUser::ImageDefault(_) | StageUser::Unknown => return,
        StageUser::Scratch => (
            "the final stage is built FROM scratch and sets no USER, so the image runs as root (UID 0)".to_owned(),
            "add `USER 65532:65532` (any non-zero UID works on scratch, no user database needed)".to_owned(),
        ),
        StageUser::Image(image) if runs => (
            format!("the final stage sets no USER, so the image runs as root unless `{image}` sets a non-root user"),
            format!(
                "add `USER <non-root user>` to the final stage (create it with `useradd`/`adduser` if `{image}` has \
                 none)"
            ),
        ),
        StageUser::Image(image) => (
            format!(
                "the final stage sets no USER and no CMD or ENTRYPOINT, so it is likely a base image: images built \
                 FROM it run as root unless they, or `{image}`, set a non-root user"
            ),
            "if this image is run as it is, add `USER <non-root user>` to its final stage; if it is a base image, \
             set USER in the images built on it"
                .to_owned(),
        ),
    };
    let mut d = RULE.meta.diagnostic(file.instructions[stage.from].range, message).with_help(help);
    if !runs {
        d.severity = Severity::Info;
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::image::users::CHECKED as USERS_CHECKED;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nUSER app\nCMD [\"app\"]\n",
            // An explicit root USER is PLD201's.
            "FROM alpine:3.22\nUSER root\nCMD [\"sh\"]\n",
            "FROM alpine:3.22 AS base\nUSER app\nFROM base\nCMD [\"app\"]\n",
            "ARG BASE\nFROM ${BASE}\nCMD [\"app\"]\n",
            // Base images whose default user is not root.
            "FROM gcr.io/distroless/static-debian12:nonroot\nCOPY app /\nENTRYPOINT [\"/app\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled\nCOPY out /app\nENTRYPOINT [\"dotnet\", \"app.dll\"]\n",
            "FROM mcr.microsoft.com/dotnet/runtime:9.0-azurelinux3.0-distroless\nENTRYPOINT [\"./app\"]\n",
            "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app.exe /\nCMD [\"app.exe\"]\n",
            "FROM quay.io/jupyter/scipy-notebook:2024-10-07\nRUN pip install x\nCMD [\"start-notebook.py\"]\n",
            "FROM jupyter/base-notebook\nCMD [\"start-notebook.sh\"]\n",
            "FROM bitnami/node:22\nCOPY . /app\nCMD [\"node\", \"app.js\"]\n",
            "FROM nginxinc/nginx-unprivileged:1.27-alpine\nCOPY site /usr/share/nginx/html\nCMD [\"nginx\"]\n",
            "FROM cgr.dev/chainguard/python:latest\nENTRYPOINT [\"python\", \"app.py\"]\n",
            "FROM cgr.dev/chainguard/node AS base\nFROM base\nCMD [\"app.js\"]\n",
            // Files to export with `--output`, not a runnable image.
            "FROM golang:1.25 AS build\nRUN go build -o /out/app\nFROM scratch\nCOPY --from=build /out/app /\n",
            "FROM scratch AS sbom\nCOPY sbom.json /\nFROM sbom\nCOPY licence /\n",
        ];
        let fail = [
            "FROM alpine:3.22\nCMD [\"sh\"]\n",
            "FROM alpine:3.22\n",
            "FROM alpine:3.22 AS build\nUSER app\nFROM alpine:3.22\nCMD [\"sh\"]\n",
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nENTRYPOINT [\"dotnet\", \"app.dll\"]\n",
            "FROM mcr.microsoft.com/windows/nanoserver:sac2016\nCMD [\"app.exe\"]\n",
            "FROM cgr.dev/chainguard/python:latest-dev\nENTRYPOINT [\"python\"]\n",
            "FROM gcr.io/distroless/static-debian12\nCOPY app /\nENTRYPOINT [\"/app\"]\n",
            "FROM scratch\nCOPY app /\nENTRYPOINT [\"/app\"]\n",
            "FROM scratch AS base\nCOPY app /\nCMD [\"/app\"]\nFROM base\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn the_message_names_the_base_image() {
        let text = "ARG V=3.22\nFROM alpine:${V} AS base\nFROM base\nCMD [\"sh\"]\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "FROM base");
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(
            found[0].message,
            "the final stage sets no USER, so the image runs as root unless `alpine:3.22` sets a non-root user"
        );
    }

    #[test]
    fn a_final_stage_without_a_command_is_reported_at_info_as_a_base_image() {
        let text = "FROM debian:13\nRUN apt-get update && apt-get install -y git\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Info);
        assert_eq!(
            found[0].message,
            "the final stage sets no USER and no CMD or ENTRYPOINT, so it is likely a base image: images built FROM \
             it run as root unless they, or `debian:13`, set a non-root user"
        );
        assert_eq!(&text[found[0].range.as_usize()], "FROM debian:13");
    }

    #[test]
    fn the_page_gives_the_date_the_table_was_checked() {
        assert!(
            RULE.meta.page.contains(&format!("checked {USERS_CHECKED}")),
            "PLD203's page must say `checked {USERS_CHECKED}`"
        );
    }
}
