//! PLX201 service-runs-as-root: a service that builds its image sets no `user:`, and the stage it builds sets no
//! USER (or sets root), so its processes run as root.

use super::built::{Built, built_services};
use crate::Severity;
use crate::rules::dockerfile::root_user::{StageUser, is_root, stage_user};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLX201",
        name: "service-runs-as-root",
        summary: "A service runs as root: no `user:` in Compose, and the Dockerfile it builds sets no USER or root",
        severity: Severity::Warning,
        target: Target::Project,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.1"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLX201-service-runs-as-root.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str = "add `USER <non-root user>` to the stage the service builds (create the user there), or set `user: \"1000:1000\"` on the service";

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for built in built_services(ctx) {
        // An explicit `user:` wins over the image (PLC202 judges a root one); one holding an unset variable is
        // still an explicit choice made where the project is deployed.
        // `user: ${APP_USER}` with the variable unset is `user: ""`, which runs the image's user like no `user:`.
        let empty_user = built.service.user.as_ref().filter(|u| u.value.is_empty() && u.origin.has_unset());
        let has_user =
            built.service.user.is_some() || built.service.raw.as_ref().is_some_and(|r| r.get("user").is_some());
        if has_user && empty_user.is_none() {
            continue;
        }
        if let Some((file, mut d)) = finding(ctx, &built) {
            if let Some(user) = empty_user {
                ctx.when_unset(file, &user.origin, &mut d);
            }
            out.push((file, d));
        }
    }
}

fn finding(ctx: &ComposeContext<'_>, built: &Built<'_>) -> Option<ComposeFinding> {
    let file = &built.build.dockerfile;
    let name = &built.service.name.value;
    let stage = built.stage;
    let from = &file.instructions[stage.from];
    let which = built.stage_name();
    let unless = match stage_user(file, stage) {
        StageUser::Set(user) if is_root(&user.value) => {
            let message = format!(
                "service `{name}` runs as `{}`: it sets no `user:` and {which} of its image sets `USER {}`",
                user.value, user.value
            );
            let (at, mut d) = ctx.finding(&RULE.meta, &built.service.name.origin, message);
            d.labels.push(built.label(ctx, at, user.range, &format!("`USER {}` is set here", user.value)));
            // Earlier stages come before this stage's FROM, so a USER before it was inherited.
            if user.range.start < from.range.start {
                d.labels.push(built.label(ctx, at, from.range, "the stage inherits it here"));
            }
            return Some((at, d.with_help(HELP)));
        }
        StageUser::Set(_) | StageUser::ImageDefault(_) | StageUser::Unknown => return None,
        StageUser::Image(image) => format!(" (unless `{image}` sets a non-root user)"),
        StageUser::Scratch => " (it is built FROM scratch, where that means UID 0)".to_owned(),
    };
    let message =
        format!("service `{name}` runs as root: it sets no `user:` and {which} of its image sets no USER{unless}");
    let (at, mut d) = ctx.finding(&RULE.meta, &built.service.name.origin, message);
    let what = if which == "the final stage" {
        "the image's final stage starts here".to_owned()
    } else {
        format!("{which} starts here")
    };
    d.labels.push(built.label(ctx, at, from.range, &what));
    Some((at, d.with_help(HELP)))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    const ROOT: &str = "FROM alpine:3.22\nRUN apk add curl\n";

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    build: ./app\n",
            "services:\n  web:\n    build: .\n    user: \"1000:1000\"\n",
            // Root in compose is PLC202's to judge.
            "services:\n  web:\n    build: .\n    user: root\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.user\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.inherit\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.multi\n      target: final\n",
            "services:\n  web:\n    build:\n      context: .\n      target: nowhere\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.22\n        USER app\n",
            // Base images whose default user is not root.
            "services:\n  web:\n    build:\n      dockerfile_inline: FROM quay.io/jupyter/scipy-notebook:2024-10-07\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: FROM bitnami/redis:7.4\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: FROM mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled\n",
        ];
        let fail = [
            "services:\n  web:\n    build: .\n",
            // `user: ""`: the image's user.
            "services:\n  web:\n    build: .\n    user: ${APP_UID}\n",
            // `user: ""`: the image's user.
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.root\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.multi\n      target: builder\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.multi\n      target: BUILDER\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.22\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: FROM mcr.microsoft.com/dotnet/aspnet:8.0\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.22\n        USER \"0\"\n",
        ];
        let companions = [
            ("/p/Dockerfile", ROOT),
            ("/p/app/Dockerfile", "FROM alpine:3.22\nUSER app\n"),
            ("/p/Dockerfile.user", "FROM alpine:3.22\nUSER 1000\n"),
            ("/p/Dockerfile.root", "FROM alpine:3.22\nUSER app\nUSER 0:0\n"),
            ("/p/Dockerfile.inherit", "FROM alpine:3.22 AS base\nUSER app\nFROM base\nRUN true\n"),
            ("/p/Dockerfile.multi", "FROM golang:1.23 AS builder\nRUN go build\nFROM alpine:3.22 AS final\nUSER app\n"),
        ];
        assert_compose_cases(&RULE, &companions, &pass, &fail);
    }

    #[test]
    fn no_user_is_reported_on_the_service_with_a_label_at_the_final_from() {
        let text = "services:\n  web:\n    build: .\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", ROOT)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "web");
        assert_eq!(
            d.message,
            "service `web` runs as root: it sets no `user:` and the final stage of its image sets no USER (unless \
             `alpine:3.22` sets a non-root user)"
        );
        assert_eq!(d.labels[0].message, "the image's final stage starts here");
        let at = d.labels[0].elsewhere.as_ref().expect("a label in the Dockerfile");
        assert_eq!((at.path.display().to_string(), at.start.line, at.start.column), ("/p/Dockerfile".into(), 1, 1));
        assert_eq!(&ROOT[d.labels[0].range.as_usize()], "FROM alpine:3.22");
    }

    #[test]
    fn a_root_user_inherited_from_a_parent_stage_is_labelled_at_both() {
        let dockerfile = "FROM alpine:3.22 AS base\nUSER root\nFROM base AS app\nRUN true\n";
        let text = "services:\n  api:\n    build:\n      context: ./svc\n      target: app\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/svc/Dockerfile", dockerfile)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(
            d.message,
            "service `api` runs as `root`: it sets no `user:` and the target stage `app` of its image sets `USER root`"
        );
        assert_eq!(&dockerfile[d.labels[0].range.as_usize()], "root");
        assert_eq!(d.labels[0].elsewhere.as_ref().map(|e| e.start.line), Some(2));
        assert_eq!(&dockerfile[d.labels[1].range.as_usize()], "FROM base AS app");
    }

    #[test]
    fn through_extends_the_build_is_taken_from_the_base_file_folder() {
        let base = "services:\n  base:\n    build: ./app\n";
        let text = "services:\n  web:\n    extends:\n      file: lib/base.yaml\n      service: base\n";
        let found = run_compose(
            &RULE,
            &[("/p/compose.yaml", text), ("/p/lib/base.yaml", base), ("/p/lib/app/Dockerfile", ROOT)],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        let (path, d) = &found[0];
        assert_eq!(path, std::path::Path::new("/p/compose.yaml"));
        assert_eq!(&text[d.range.as_usize()], "web");
        let at = d.labels[0].elsewhere.as_ref().expect("a label in the Dockerfile");
        assert_eq!(at.path, std::path::Path::new("/p/lib/app/Dockerfile"));
    }

    #[test]
    fn a_service_in_a_subfolder_builds_a_sibling_folder() {
        let sub = "services:\n  api:\n    build: ../app\n";
        let found = run_compose(
            &RULE,
            &[
                ("/p/compose.yaml", "include:\n  - svc/compose.yaml\n"),
                ("/p/svc/compose.yaml", sub),
                ("/p/app/Dockerfile", ROOT),
            ],
        );
        assert_eq!(found.len(), 1, "{found:#?}");
        // Used where the file is included, defined in `svc/`, built from `app/`.
        let (path, d) = &found[0];
        assert_eq!(path, std::path::Path::new("/p/compose.yaml"));
        let paths: Vec<String> =
            d.labels.iter().filter_map(|l| l.elsewhere.as_ref()).map(|e| e.path.display().to_string()).collect();
        assert_eq!(paths, ["/p/svc/compose.yaml", "/p/app/Dockerfile"]);
    }

    #[test]
    fn an_inline_dockerfile_is_labelled_on_the_inline_value() {
        let text = "services:\n  web:\n    build:\n      dockerfile_inline: FROM alpine:3.22\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let label = &found[0].1.labels[0];
        assert!(label.elsewhere.is_none());
        assert_eq!(&text[label.range.as_usize()], "FROM alpine:3.22");
        assert_eq!(label.message, "the image's final stage starts here (in this inline Dockerfile)");
    }
}
