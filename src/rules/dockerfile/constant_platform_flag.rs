//! PLD701 constant-platform-flag: `FROM --platform=linux/amd64 …`, a platform written as a constant.

use crate::Severity;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD701",
        name: "constant-platform-flag",
        summary: "`FROM --platform` names a constant platform, so the stage ignores the platform the build asks for",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::Always,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &["DL3029"],
            buildkit: &["FromPlatformFlagConstDisallowed"],
            cis: &[],
            compose_lint: &[],
            kics: &[],
        },
        page: include_str!("../../../lints/PLD701-constant-platform-flag.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for stage in &ctx.file.stages {
        let Some(flag) = ctx.file.instructions.get(stage.from).and_then(|i| i.flag("platform")) else { continue };
        let Some(value) = &flag.value else { continue };
        let platform = value.value.as_str();
        if platform.is_empty() || platform.contains('$') {
            continue;
        }
        // As BuildKit does: a stage named after its OS or architecture (`AS build-arm64`) is one of a set of
        // per-platform stages, chosen later with `FROM build-${TARGETARCH}`.
        let name = stage.name.as_ref().map_or("", |n| n.value.as_str());
        if !name.is_empty() && platform_words(platform).any(|word| name.contains(word.as_str())) {
            continue;
        }
        let removal = TextRange::new(flag.range.start, end_of_blanks(&ctx.source.text, flag.range.end));
        let mut d = RULE
            .meta
            .diagnostic(flag.range, format!("`--platform={platform}` is a constant: this stage is built for {platform} whatever platform the build targets"))
            .with_help(
                "choose the platform when building (`docker build --platform …`), or use `$BUILDPLATFORM` for a stage \
                 that only runs build tools; per-platform stages can keep it when named after it (`AS build-arm64`)",
            );
        d.fix = Some(Fix {
            applicability: Applicability::Unsafe,
            message: format!("remove `--platform={platform}`"),
            edits: vec![Edit { range: removal, replacement: String::new() }],
        });
        out.push(d);
    }
}

/// The OS and architecture of a platform (`linux/amd64/v2` gives `linux`, `amd64`), lower-cased, with the
/// architecture names BuildKit normalises (`x86_64` is `amd64`, `aarch64` is `arm64`).
fn platform_words(platform: &str) -> impl Iterator<Item = String> {
    platform.split('/').take(2).filter(|w| !w.is_empty()).map(|word| {
        let word = word.to_ascii_lowercase();
        match word.as_str() {
            "x86_64" | "x86-64" => "amd64".to_owned(),
            "aarch64" => "arm64".to_owned(),
            "i386" | "i686" => "386".to_owned(),
            "armhf" | "armel" => "arm".to_owned(),
            _ => word,
        }
    })
}

/// The offset after the spaces and tabs that start at `from`.
fn end_of_blanks(text: &str, from: u32) -> u32 {
    let rest = text.get(from as usize..).unwrap_or("");
    let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    from + blanks as u32
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::diagnostic::Applicability;
    use crate::rules::testing::{assert_cases, fixed, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\n",
            "FROM --platform=$BUILDPLATFORM golang:1.25 AS build\n",
            "FROM --platform=${TARGETPLATFORM} alpine:3.22\n",
            "ARG P=linux/amd64\nFROM --platform=$P alpine:3.22\n",
            "FROM --platform=linux/amd64 alpine:3.22 AS build-amd64\nFROM --platform=linux/arm64 alpine:3.22 AS build_arm64\n",
            "FROM --platform=linux/amd64 alpine:3.22 AS linux-tools\n",
            "FROM --platform=linux/x86_64 alpine:3.22 AS amd64\n",
            "FROM --platform=windows/amd64 mcr.microsoft.com/windows/servercore:ltsc2022 AS windows\n",
        ];
        let fail = [
            "FROM --platform=linux/amd64 alpine:3.22\n",
            "FROM --platform=linux/amd64 node:22 AS build\n",
            "from --platform=linux/arm64/v8 scratch\n",
            "FROM --platform=linux/arm64 alpine:3.22 AS build-amd64\n",
            "FROM alpine:3.22 AS a\nFROM --platform=linux/amd64 a AS b\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn span_message_and_fix() {
        let text = "FROM --platform=linux/amd64   node:22 AS build\nRUN npm ci\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        let d = &found[0];
        assert_eq!(&text[d.range.as_usize()], "--platform=linux/amd64");
        assert_eq!(
            d.message,
            "`--platform=linux/amd64` is a constant: this stage is built for linux/amd64 whatever platform the build \
             targets"
        );
        let fix = d.fix.as_ref().expect("a fix");
        assert_eq!(fix.applicability, Applicability::Unsafe);
        assert_eq!(fix.message, "remove `--platform=linux/amd64`");
        assert_eq!(fixed(text, d), "FROM node:22 AS build\nRUN npm ci\n");
    }

    #[test]
    fn fixes_keep_the_rest_of_the_line() {
        let cases = [
            ("from --platform=linux/arm64 alpine:3.22\n", "from alpine:3.22\n"),
            ("FROM\t--platform=linux/amd64\talpine:3.22\n", "FROM\talpine:3.22\n"),
            ("FROM --platform=linux/amd64 \\\n    alpine:3.22\n", "FROM \\\n    alpine:3.22\n"),
            ("FROM --pull=always --platform=linux/amd64 alpine:3.22\n", "FROM --pull=always alpine:3.22\n"),
        ];
        for (before, after) in cases {
            let found = run(&RULE, before);
            assert_eq!(found.len(), 1, "{before}");
            assert_eq!(fixed(before, &found[0]), after);
        }
    }
}
