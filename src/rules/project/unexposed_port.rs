//! PLX702 unexposed-port: a `ports` entry whose container port the built image does not EXPOSE.

use std::collections::BTreeMap;

use super::built::{Built, built_services};
use crate::Severity;
use crate::compose::model::{Located, Port};
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::stages::scope_at;
use crate::dockerfile::{Args, Base, Kind};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLX702",
        name: "unexposed-port",
        summary: "A service publishes a container port that the image it builds does not EXPOSE",
        severity: Severity::Info,
        target: Target::Project,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLX702-unexposed-port.md"),
    },
    check: Check::Compose(check),
};

/// Ports `lo..=hi` of one protocol (lower case).
#[derive(Debug, PartialEq)]
struct PortRange {
    lo: u16,
    hi: u16,
    protocol: String,
}

impl PortRange {
    /// An EXPOSE word or a Compose `expose:` entry: `80`, `80/udp`, `8000-8010/tcp`.
    fn parse(word: &str) -> Option<PortRange> {
        let (ports, protocol) = word.split_once('/').unwrap_or((word, "tcp"));
        let (lo, hi) = ports.split_once('-').unwrap_or((ports, ports));
        let (lo, hi) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
        Some(PortRange { lo, hi, protocol: protocol.to_ascii_lowercase() })
    }

    fn covers(&self, port: u16, protocol: &str) -> bool {
        self.lo <= port && port <= self.hi && self.protocol == protocol
    }
}

/// What the image EXPOSEs, with the EXPOSE instructions; `None` when a word cannot be known here (a variable
/// with no value, or one that a Compose build arg may change).
fn exposed(built: &Built<'_>) -> Option<(Vec<PortRange>, Vec<TextRange>)> {
    let file = &built.build.dockerfile;
    let lexer = Lexer::new(file.escape);
    let build_args: Vec<&str> =
        built.service.build.as_ref().map(|b| b.args.iter().map(|a| a.key.value.as_str()).collect()).unwrap_or_default();
    let (mut ports, mut at) = (Vec::new(), Vec::new());
    for stage in built.lineage() {
        for index in stage.instructions.clone() {
            let instr = &file.instructions[index];
            let (Kind::Expose, Args::Words { words }) = (&instr.kind, &instr.args) else { continue };
            at.push(instr.range);
            let scope: BTreeMap<String, String> =
                scope_at(file, index)?.into_iter().filter_map(|(k, v)| Some((k, v?))).collect();
            for word in words {
                let expansion = lexer.expand_word(&word.value, &scope).ok()?;
                let from_args = expansion.matched.iter().any(|v| build_args.contains(&v.as_str()));
                if !expansion.unmatched.is_empty() || from_args {
                    return None;
                }
                ports.push(PortRange::parse(&expansion.value)?);
            }
        }
    }
    Some((ports, at))
}

/// Whether the image's first stage builds on another image, which may EXPOSE ports plimsoll cannot see.
fn has_base_image(built: &Built<'_>) -> bool {
    built.lineage().last().is_some_and(|root| !matches!(root.base, Base::Scratch { .. }))
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for built in built_services(ctx) {
        let service = built.service;
        if service.ports.is_empty() {
            continue;
        }
        let Some((mut ports, at)) = exposed(&built) else { continue };
        let base_image = has_base_image(&built);
        // With no EXPOSE at all, the ports are the base image's, which is unknown here.
        if at.is_empty() && base_image {
            continue;
        }
        ports.extend(service.expose.iter().filter_map(|e| PortRange::parse(&e.value)));
        // A range in `ports` is one entry read as several ports: one finding per entry.
        let mut entries: Vec<(&Located<Port>, Vec<String>)> = Vec::new();
        for port in &service.ports {
            let Some(target) = port.value.target else { continue };
            let protocol = port.value.protocol.as_deref().unwrap_or("tcp").to_ascii_lowercase();
            if ports.iter().any(|p| p.covers(target, &protocol)) {
                continue;
            }
            let missing = format!("{target}/{protocol}");
            match entries.last_mut() {
                Some((last, list)) if last.origin == port.origin => list.push(missing),
                _ => entries.push((port, vec![missing])),
            }
        }
        for (port, missing) in entries {
            out.push(finding(ctx, &built, port, &missing, &at, base_image));
        }
    }
}

fn finding(
    ctx: &ComposeContext<'_>,
    built: &Built<'_>,
    port: &Located<Port>,
    missing: &[String],
    at: &[TextRange],
    base_image: bool,
) -> ComposeFinding {
    let shown = match missing {
        [one] => format!("container port {one}"),
        [first, .., last] => format!("container ports {first} to {last}"),
        [] => "a container port".to_owned(),
    };
    let none = if missing.len() == 1 { "it" } else { "them" };
    let mut message = format!(
        "service `{}` publishes {shown}, but {} of its image does not EXPOSE {none}",
        built.service.name.value,
        built.stage_name()
    );
    if base_image {
        message.push_str(" (unless its base image does)");
    }
    let (file, mut d) = ctx.finding(&RULE.meta, &port.origin, message);
    // The EXPOSE latest in the file: the built stage's own, if it has one (parent stages come earlier).
    match at.iter().max_by_key(|r| r.start) {
        Some(range) => d.labels.push(built.label(ctx, file, *range, "the image exposes its ports here")),
        None => {
            let from = built.build.dockerfile.instructions[built.stage.from].range;
            d.labels.push(built.label(ctx, file, from, "the image's stage starts here, with no EXPOSE"));
        }
    }
    (file, d.with_help("check the container port; if it is right, document it with EXPOSE in the Dockerfile"))
}

#[cfg(test)]
mod tests {
    use super::{PortRange, RULE};
    use crate::rules::testing::{assert_compose_cases, run_compose};

    const EXPOSES: &str = "FROM node:22-alpine\nARG PORT=3000\nEXPOSE $PORT 9229/udp 8000-8010\nUSER node\n";

    #[test]
    fn expose_words() {
        assert_eq!(PortRange::parse("80"), Some(PortRange { lo: 80, hi: 80, protocol: "tcp".into() }));
        assert_eq!(PortRange::parse("8000-8010/UDP"), Some(PortRange { lo: 8000, hi: 8010, protocol: "udp".into() }));
        assert_eq!(PortRange::parse("$PORT"), None);
    }

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    build: .\n",
            "services:\n  web:\n    build: .\n    ports:\n      - \"8080:3000\"\n      - 9229:9229/udp\n      - 127.0.0.1:8005:8005\n",
            "services:\n  web:\n    build: .\n    ports:\n      - 8000-8010:8000-8010\n",
            "services:\n  web:\n    build: .\n    ports:\n      - target: 3000\n        published: \"80\"\n",
            "services:\n  web:\n    build: .\n    ports:\n      - \"${WEB_PORT}:4000\"\n    expose:\n      - \"4000\"\n",
            "services:\n  web:\n    build: .\n    ports:\n      - \"8080:${APP_PORT}\"\n",
            "services:\n  web:\n    image: node:22\n    ports:\n      - \"8080:1234\"\n",
            // The base image may expose it; the Dockerfile says nothing.
            "services:\n  web:\n    build: ./plain\n    ports:\n      - \"8080:80\"\n",
            // A Compose build arg changes what EXPOSE $PORT means.
            "services:\n  web:\n    build:\n      context: .\n      args:\n        PORT: 4000\n    ports:\n      - \"4000:4000\"\n",
            "services:\n  web:\n    build: ./unset\n    ports:\n      - \"4000:4000\"\n",
        ];
        let fail = [
            "services:\n  web:\n    build: .\n    ports:\n      - \"8080:8080\"\n",
            "services:\n  web:\n    build: .\n    ports:\n      - 9229:9229\n",
            "services:\n  web:\n    build: .\n    ports:\n      - 8009-8012:8009-8012\n",
            "services:\n  web:\n    build: ./scratch\n    ports:\n      - \"8080:8080\"\n",
        ];
        let companions = [
            ("/p/Dockerfile", EXPOSES),
            ("/p/plain/Dockerfile", "FROM nginx:1.27\nCOPY site /usr/share/nginx/html\n"),
            ("/p/unset/Dockerfile", "FROM alpine:3.22\nARG PORT\nEXPOSE $PORT\n"),
            ("/p/scratch/Dockerfile", "FROM scratch\nCOPY app /app\n"),
        ];
        assert_compose_cases(&RULE, &companions, &pass, &fail);
    }

    #[test]
    fn one_finding_per_entry_with_a_label_at_the_inherited_expose() {
        let dockerfile = "FROM node:22-alpine AS base\nEXPOSE 3000\nFROM base AS app\nRUN true\n";
        let text = "services:\n  web:\n    build:\n      context: ./svc\n      target: app\n    ports:\n      - \"3000:3000\"\n      - 4000-4002:4000-4002\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/svc/Dockerfile", dockerfile)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "4000-4002:4000-4002");
        assert_eq!(
            d.message,
            "service `web` publishes container ports 4000/tcp to 4002/tcp, but the target stage `app` of its image does not EXPOSE them (unless its base image does)"
        );
        assert_eq!(&dockerfile[d.labels[0].range.as_usize()], "EXPOSE 3000");
        assert_eq!(d.labels[0].elsewhere.as_ref().map(|e| e.start.line), Some(2));
    }

    #[test]
    fn through_a_merge_key_the_finding_is_at_the_merge_key() {
        let text = "x-ports: &ports\n  ports:\n    - \"5000:5000\"\nservices:\n  web:\n    build: .\n    <<: *ports\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", EXPOSES)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "\"5000:5000\"");
    }
}
