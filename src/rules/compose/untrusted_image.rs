//! PLC103 untrusted-image: a service pulls an image from a registry outside `trusted-registries`.

use super::latest_image::pulled_image;
use crate::Severity;
use crate::image::matches_registry_pattern;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC103",
        name: "untrusted-image",
        summary: "A service pulls an image from a registry that `trusted-registries` does not list",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.2"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLC103-untrusted-image.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    let trusted = &ctx.settings.trusted_registries;
    if trusted.is_empty() {
        return;
    }
    for service in &ctx.model.services {
        let Some((image, reference)) = pulled_image(service) else { continue };
        if trusted.iter().any(|pattern| matches_registry_pattern(&reference, pattern)) {
            continue;
        }
        let message = format!(
            "service `{}` pulls `{}` from `{}`, which no trusted registry matches",
            service.name.value,
            image.value.trim(),
            reference.normalized_name()
        );
        let (file, d) = ctx.finding(&RULE.meta, &image.origin, message);
        let help = format!(
            "take the image from a trusted registry ({}), or add `{}` to `trusted-registries` if you trust it",
            trusted.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
            reference.normalized_registry()
        );
        out.push((file, d.with_help(help)));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::Settings;
    use crate::rules::testing::{assert_compose_cases, run_compose_with};

    fn trusting(patterns: &[&str]) -> Settings {
        Settings { trusted_registries: patterns.iter().map(|p| p.to_string()).collect() }
    }

    fn codes(text: &str, settings: &Settings) -> usize {
        run_compose_with(&RULE, &[("/p/compose.yaml", text)], settings).len()
    }

    #[test]
    fn without_trusted_registries_nothing_fires() {
        assert_compose_cases(&RULE, &[], &["services:\n  a:\n    image: evil.example/x:1\n"], &[]);
    }

    #[test]
    fn cases() {
        let settings = trusting(&["docker.io/library/*", "registry.corp.example/*"]);
        let pass = [
            "services:\n  a:\n    image: nginx:1.27\n",
            "services:\n  a:\n    image: docker.io/library/postgres:17\n",
            "services:\n  a:\n    image: registry.corp.example/team/api:2.1\n",
            // The image a service builds is its output, not a pull.
            "services:\n  a:\n    build: .\n    image: ghcr.io/org/app:1\n",
            // Unknown until deployed.
            "services:\n  a:\n    image: ${IMAGE}\n",
        ];
        for text in pass {
            assert_eq!(codes(text, &settings), 0, "{text}");
        }
        let fail = [
            "services:\n  a:\n    image: bitnami/redis:7\n",
            "services:\n  a:\n    image: ghcr.io/org/app:1\n",
            "services:\n  a:\n    image: registry.corp.example.evil.io/x:1\n",
        ];
        for text in fail {
            assert_eq!(codes(text, &settings), 1, "{text}");
        }
    }

    #[test]
    fn span_and_message() {
        let text = "services:\n  cache:\n    image: ghcr.io/org/redis:7\n";
        let found = run_compose_with(&RULE, &[("/p/compose.yaml", text)], &trusting(&["docker.io"]));
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "ghcr.io/org/redis:7");
        assert_eq!(
            d.message,
            "service `cache` pulls `ghcr.io/org/redis:7` from `ghcr.io/org/redis`, which no trusted registry matches"
        );
    }
}
