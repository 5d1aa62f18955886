//! PLD106 unpinned-base-image: a base image without a digest (opt-in).

use super::base_image::base_images;
use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD106",
        name: "unpinned-base-image",
        summary: "A base image is not pinned by digest, so the image behind its tag can change between builds",
        severity: Severity::Info,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: true,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &[], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD106-unpinned-base-image.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for image in base_images(ctx) {
        let reference = image.reference;
        if reference.is_pinned_by_digest() {
            continue;
        }
        let resolved = image.resolved;
        // PLD101 reports the missing tag; this message is about the digest only.
        let message = if reference.is_latest_or_untagged() {
            format!("base image `{resolved}` has no digest, and without a version tag it follows `latest`")
        } else {
            format!("base image `{resolved}` has no digest, so its tag may be moved to a different image")
        };
        let mut d = RULE.meta.diagnostic(image.written.range, message).with_help(format!(
            "append the digest the tag points to now (`{resolved}@sha256:…`; `docker buildx imagetools inspect \
             {resolved}` prints it) and let Renovate or Dependabot propose updates"
        ));
        d.labels = image.arg_labels(ctx.file);
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, run};

    const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn cases() {
        let pinned = format!("FROM node:22-alpine@{DIGEST}\n");
        let pinned_without_tag = format!("FROM ghcr.io/org/app@{DIGEST} AS app\n");
        let pinned_by_arg = format!("ARG BASE=python:3.13@{DIGEST}\nFROM ${{BASE}}\n");
        let pass = [
            pinned.as_str(),
            pinned_without_tag.as_str(),
            pinned_by_arg.as_str(),
            "FROM scratch\n",
            &format!("FROM golang:1.25@{DIGEST} AS build\nFROM build\n"),
            "FROM --platform=$BUILDPLATFORM $TARGETOS/alpine\n",
            "ARG TAG\nFROM alpine:${TAG}\n",
        ];
        let fail = [
            "FROM ubuntu:24.04\n",
            "FROM ubuntu\n",
            "FROM ubuntu:latest\n",
            "ARG BASE=node:22\nFROM ${BASE}\n",
            &format!("FROM alpine:3.22@{DIGEST} AS build\nFROM nginx:1.27\n"),
            "from mcr.microsoft.com/windows/servercore:ltsc2022\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn messages_differ_for_a_version_tag_and_latest() {
        let text = "FROM ubuntu:24.04 AS a\nFROM ubuntu AS b\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].range.as_usize()], "ubuntu:24.04");
        assert_eq!(
            found[0].message,
            "base image `ubuntu:24.04` has no digest, so its tag may be moved to a different image"
        );
        assert_eq!(
            found[1].message,
            "base image `ubuntu` has no digest, and without a version tag it follows `latest`"
        );
        assert!(found[0].labels.is_empty());
    }

    #[test]
    fn an_arg_default_is_labelled() {
        let text = "ARG NODE=node:22\nFROM ${NODE}\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "${NODE}");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "node:22");
    }
}
