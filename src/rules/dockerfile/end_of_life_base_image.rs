//! PLD108 end-of-life-base-image: a base image whose release is past its end of life.

use super::base_image::base_images;
use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::image::eol::{self, end_of_life_all};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD108",
        name: "end-of-life-base-image",
        summary: "A base image is a release past its end of life, which gets no more security fixes",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLD108-end-of-life-base-image.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for image in base_images(ctx) {
        let Some(description) = eol::describe(&end_of_life_all(image.reference)) else { continue };
        let message = format!("base image `{}` {description}", image.resolved);
        let range = image.range_of(image.reference.tag_range.as_ref());
        let mut d = RULE.meta.diagnostic(range, message).with_help(eol::help());
        d.labels = image.arg_labels(ctx.file);
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
            "FROM node:24-alpine\n",
            "FROM python:3.13-slim-bookworm\n",
            "FROM debian:bookworm-slim\n",
            "FROM ubuntu:24.04\n",
            "FROM node:lts\n",
            "FROM python:3\n",
            "FROM ubuntu\n",
            "FROM scratch\n",
            "FROM bitnami/node:16\n",
            "FROM ghcr.io/org/python:3.8\n",
            "FROM golang:1.25 AS build\nFROM build\n",
            "ARG TAG\nFROM node:${TAG}\n",
            "FROM --platform=$BUILDPLATFORM $TARGETOS/alpine\n",
        ];
        let fail = [
            "FROM node:16-alpine\n",
            "FROM python:3.8-slim-buster\n",
            "FROM debian:buster-slim\n",
            "FROM ubuntu:bionic\n",
            "FROM golang:1.19-alpine AS build\nFROM alpine:3.22\n",
            "FROM centos:7\n",
            "ARG NODE_VERSION=14\nFROM node:${NODE_VERSION}-alpine\n",
            "FROM public.ecr.aws/docker/library/postgres:12\n",
            "FROM node:16@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn span_message_and_labels() {
        let text = "FROM python:3.8-slim-buster AS app\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "3.8-slim-buster");
        assert_eq!(
            found[0].message,
            "base image `python:3.8-slim-buster` is Python 3.8, past its end of life since 2024-10-07; move to \
             python:3.13 or later (its base Debian 10 (buster) too, since 2024-06-30)"
        );
        assert!(found[0].help.as_deref().is_some_and(|h| h.contains("last checked 2026-12-04")));

        let text = "ARG NODE_VERSION=16\nFROM node:${NODE_VERSION}-alpine\n";
        let found = run(&RULE, text);
        assert_eq!(&text[found[0].range.as_usize()], "node:${NODE_VERSION}-alpine");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "16");
        assert_eq!(
            found[0].message,
            "base image `node:16-alpine` is Node.js 16, past its end of life since 2023-09-11; move to node:24 (LTS)"
        );
    }
}
