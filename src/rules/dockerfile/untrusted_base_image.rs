//! PLD107 untrusted-base-image: a base image from a registry outside `trusted-registries`.

use super::base_image::{base_images, flag_images};
use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::image::matches_registry_pattern;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD107",
        name: "untrusted-base-image",
        summary: "A base image comes from a registry that `trusted-registries` does not list",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &["DL3026"], buildkit: &[], cis: &["4.2"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD107-untrusted-base-image.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let trusted = &ctx.settings.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    for image in base_images(ctx) {
        let reference = image.reference;
        if trusted.iter().any(|pattern| matches_registry_pattern(reference, pattern)) {
            continue;
        }
        let message = format!(
            "base image `{}` comes from `{}`, which no trusted registry matches",
            image.resolved,
            reference.normalized_name()
        );
        let mut d = RULE
            .meta
            .diagnostic(image.range_of(reference.registry_range.as_ref()), message)
            .with_help(help(trusted, reference));
        d.labels = image.arg_labels(ctx.file);
        out.push(d);
    }
    for image in flag_images(ctx) {
        let reference = &image.reference;
        if trusted.iter().any(|pattern| matches_registry_pattern(reference, pattern)) {
            continue;
        }
        let message = format!(
            "`{}` pulls image `{}` from `{}`, which no trusted registry matches",
            image.how,
            image.resolved,
            reference.normalized_name()
        );
        out.push(RULE.meta.diagnostic(image.range, message).with_help(help(trusted, reference)));
    }
}

fn help(trusted: &[String], reference: &crate::image::ImageRef) -> String {
    format!(
        "take the image from a trusted registry ({}), or add `{}` to `trusted-registries` if you trust it",
        trusted.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
        reference.normalized_registry()
    )
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::Settings;
    use crate::rules::testing::{assert_cases, assert_cases_with, run_with};

    fn trusting(patterns: &[&str]) -> Settings {
        Settings { trusted_registries: patterns.iter().map(|p| p.to_string()).collect() }
    }

    #[test]
    fn without_trusted_registries_nothing_fires() {
        assert_cases(&RULE, &["FROM ghcr.io/org/app:1\n", "FROM evil.example/x:1\n", "FROM ubuntu:24.04\n"], &[]);
    }

    #[test]
    fn cases() {
        let settings = trusting(&["docker.io", "registry.corp.example/*", "*.gcr.io"]);
        let pass = [
            "FROM ubuntu:24.04\n",
            "FROM bitnami/redis:7\n",
            "FROM docker.io/library/node:22\n",
            "FROM index.docker.io/library/node:22\n",
            "FROM registry.corp.example/base/python:3.13\n",
            "FROM eu.gcr.io/project/app:1\n",
            "FROM scratch\n",
            "FROM registry.corp.example/go:1 AS build\nFROM build\n",
            "FROM --platform=$BUILDPLATFORM $TARGETOS/alpine\n",
            "ARG TAG\nFROM ghcr.io/org/app:${TAG}\n",
            // Stages by name or index, scratch, and images through ARGs without a value are not pulled images.
            "FROM ubuntu:24.04 AS build\nRUN make\nFROM ubuntu:24.04\nCOPY --from=build /out /out\n",
            "FROM ubuntu:24.04 AS Build\nFROM ubuntu:24.04\nCOPY --from=build /out /out\nCOPY --from=0 /a /a\n",
            "FROM ubuntu:24.04 AS build\nFROM ubuntu:24.04\nRUN --mount=type=bind,from=build,target=/b ls /b\n",
            "FROM ubuntu:24.04\nRUN --mount=type=cache,target=/root/.cache pip install x\n",
            "FROM ubuntu:24.04\nARG IMG\nCOPY --from=${IMG} /a /a\n",
            "FROM ubuntu:24.04\nCOPY --from=registry.corp.example/tools/uv:1 /uv /bin/uv\n",
            "FROM ubuntu:24.04\nCOPY --from=nginx:1.29 /etc/nginx /etc/nginx\n",
        ];
        let fail = [
            "FROM ghcr.io/org/app:1\n",
            "FROM registry.corp.example.evil.com/app:1\n",
            "FROM gcr.io/distroless/static-debian12\n",
            "ARG BASE=quay.io/org/app:1\nFROM ${BASE}\n",
            "FROM ubuntu:24.04 AS a\nFROM localhost:5000/app:1\n",
            // Every image the build pulls, as hadolint's DL3026 reads them.
            "FROM ubuntu:24.04\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\n",
            "FROM ubuntu:24.04\nRUN --mount=type=bind,from=quay.io/org/tools:1,source=/t,target=/t /t/run\n",
            "ARG UV=ghcr.io/astral-sh/uv:0.5\nFROM ubuntu:24.04\nARG UV\nCOPY --from=${UV} /uv /bin/uv\n",
            "FROM ubuntu:24.04\nONBUILD COPY --from=ghcr.io/org/x:1 /x /x\n",
        ];
        assert_cases_with(&RULE, &pass, &fail, &settings);
    }

    #[test]
    fn docker_hub_is_trusted_only_when_listed() {
        let settings = trusting(&["registry.corp.example/*"]);
        assert_cases_with(&RULE, &["FROM registry.corp.example/ubuntu:24.04\n"], &["FROM ubuntu:24.04\n"], &settings);
        let official_only = trusting(&["docker.io/library/*"]);
        assert_cases_with(&RULE, &["FROM node:22\n"], &["FROM bitnami/node:22\n"], &official_only);
    }

    #[test]
    fn images_pulled_by_flags_are_reported_at_the_flag_value() {
        let settings = trusting(&["docker.io"]);
        let text = "FROM ubuntu:24.04\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/uv\n\
                    RUN --mount=type=bind,from=quay.io/org/tools:1,target=/t /t/run\n";
        let found = run_with(&RULE, text, &settings);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&text[found[0].range.as_usize()], "ghcr.io/astral-sh/uv:0.5");
        assert_eq!(
            found[0].message,
            "`COPY --from` pulls image `ghcr.io/astral-sh/uv:0.5` from `ghcr.io/astral-sh/uv`, which no trusted \
             registry matches"
        );
        assert_eq!(&text[found[1].range.as_usize()], "type=bind,from=quay.io/org/tools:1,target=/t");
        assert!(
            found[1].message.starts_with("`RUN --mount` pulls image `quay.io/org/tools:1`"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn span_message_and_labels() {
        let settings = trusting(&["docker.io", "registry.corp.example/*"]);
        let text = "FROM ghcr.io/org/app:1 AS app\n";
        let found = run_with(&RULE, text, &settings);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "ghcr.io");
        assert_eq!(
            found[0].message,
            "base image `ghcr.io/org/app:1` comes from `ghcr.io/org/app`, which no trusted registry matches"
        );
        assert_eq!(
            found[0].help.as_deref(),
            Some(
                "take the image from a trusted registry (`docker.io`, `registry.corp.example/*`), or add `ghcr.io` to \
                 `trusted-registries` if you trust it"
            )
        );

        // Without a registry written, or through an ARG, the whole image is underlined.
        let text = "ARG BASE=quay.io/org/app:1\nFROM ${BASE}\nFROM node:22\n";
        let found = run_with(&RULE, text, &trusting(&["registry.corp.example"]));
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.as_usize()], "${BASE}");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "quay.io/org/app:1");
        assert_eq!(&text[found[1].range.as_usize()], "node:22");
        assert!(found[1].message.contains("`docker.io/library/node`"), "{}", found[1].message);
    }
}
