//! PLD101 latest-base-image: a base image with no tag, or the `latest` tag.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::{Base, stages};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD101",
        name: "latest-base-image",
        summary: "A base image has no tag or the `latest` tag, so each build may get a different image",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &["DL3006", "DL3007"],
            buildkit: &[],
            cis: &["4.2"],
            compose_lint: &[],
            kics: &["Image Version Using 'latest'", "Image Version Not Explicit"],
        },
        page: include_str!("../../../lints/PLD101-latest-base-image.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.file.stages {
        let Base::Image { written, resolved, reference } = &stage.base else { continue };
        if !reference.is_latest_or_untagged() || reference.is_pinned_by_digest() {
            continue;
        }
        let message = match &reference.tag {
            Some(_) => format!("base image `{resolved}` uses the `latest` tag"),
            None => format!("base image `{resolved}` has no tag, so it means `{resolved}:latest`"),
        };
        let mut d = RULE.meta.diagnostic(written.range, message).with_help(
            "pin a version tag (`ubuntu:24.04`), or a digest (`ubuntu@sha256:…`) for builds that never change",
        );
        // When an ARG default supplied the image, point at it too.
        if written.value != *resolved {
            for (name, _) in stages::meta_args(ctx.file) {
                let used = written.value.contains(&format!("${name}")) || written.value.contains(&format!("${{{name}"));
                if let Some(label) = used.then(|| stages::arg_default_label(ctx.file, &name)).flatten() {
                    d.labels.push(label);
                }
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM ubuntu:24.04\n",
            "FROM ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
            "FROM ubuntu:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
            "FROM scratch\n",
            "FROM golang:1.23 AS build\nFROM build\n",
            "ARG BASE=alpine:3.22\nFROM ${BASE}\n",
            "ARG TAG\nFROM alpine:${TAG}\n",
            "FROM --platform=$BUILDPLATFORM $TARGETOS/alpine\n",
            "from mcr.microsoft.com/windows/servercore:ltsc2022\n",
        ];
        let fail = [
            "FROM ubuntu\n",
            "FROM ubuntu:latest\n",
            "from ghcr.io/org/app:latest AS app\n",
            "ARG BASE=node\nFROM ${BASE}\n",
            "FROM alpine:3.22 AS build\nFROM nginx\n",
            "FROM mcr.microsoft.com/windows/servercore\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn an_arg_default_is_labelled() {
        let text = "ARG BASE=node\nFROM ${BASE} AS app\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "${BASE}");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "node");
        assert_eq!(found[0].message, "base image `node` has no tag, so it means `node:latest`");
    }
}
