//! PLC101 latest-image: a service's `image:` with no tag, the `latest` tag or another floating channel tag
//! (`nightly`, `edge` …), and no digest.

use crate::Severity;
use crate::compose::model::{Located, Service};
use crate::image::ImageRef;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC101",
        name: "latest-image",
        summary: "A service's image has no tag, the `latest` tag or a floating channel tag, so each pull may differ",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.28", "4.7"],
            compose_lint: &["CL-0004"],
            kics: &[],
        },
        page: include_str!("../../../lints/PLC101-latest-image.md"),
    },
    check: Check::Compose(check),
};

/// Tags that name a release channel, not a release: they move to a new image like `latest` does. dclint's
/// `prohibitedTags` default, plus the branch and channel names images commonly publish.
const FLOATING_TAGS: &[&str] = &[
    "stable", "edge", "test", "nightly", "dev", "beta", "canary", "lts", "main", "master", "develop", "unstable",
    "rolling",
];

/// The image a service pulls, parsed: `None` when it has no `image:`, when its value is not known (an unset
/// variable: `nginx:${TAG}` is not `nginx:` nor untagged), when it is not a valid reference (the loader reports
/// that), or when the service also has `build:` (then `image:` names the image Compose builds, not one it pulls).
pub(super) fn pulled_image(service: &Service) -> Option<(&Located<String>, ImageRef)> {
    if service.build.is_some() {
        return None;
    }
    let image = service.image.as_ref().filter(|i| !i.origin.has_unset())?;
    let reference = ImageRef::parse(image.value.trim()).ok()?;
    Some((image, reference))
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some((image, reference)) = pulled_image(service) else { continue };
        if reference.is_pinned_by_digest() {
            continue;
        }
        let name = &service.name.value;
        let written = image.value.trim();
        let message = match reference.tag.as_deref() {
            None => format!("service `{name}` uses image `{written}` with no tag, so it pulls `{written}:latest`"),
            Some(tag) if reference.is_latest_or_untagged() => {
                format!("service `{name}` uses image `{written}` with the `{tag}` tag")
            }
            Some(tag) if FLOATING_TAGS.iter().any(|t| tag.eq_ignore_ascii_case(t)) => format!(
                "service `{name}` uses image `{written}` with the floating `{tag}` tag, which moves to each new build"
            ),
            Some(_) => continue,
        };
        let (file, d) = ctx.finding(&RULE.meta, &image.origin, message);
        let repository =
            reference.registry.as_ref().map_or_else(|| reference.path.clone(), |r| format!("{r}/{}", reference.path));
        let help = format!(
            "pin the version you test with (`{repository}:<version>`), and add its digest (`@sha256:…`) for \
             deployments that never change"
        );
        out.push((file, d.with_help(help)));
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    /// A well-formed digest for examples.
    pub(in crate::rules::compose) const DIGEST: &str =
        "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    #[test]
    fn cases() {
        let pinned = format!("services:\n  web:\n    image: nginx@{DIGEST}\n");
        let latest_pinned = format!("services:\n  web:\n    image: nginx:latest@{DIGEST}\n");
        let pass = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: ghcr.io/org/app:v2.3.1\n",
            pinned.as_str(),
            latest_pinned.as_str(),
            // The service builds the image that `image:` names.
            "services:\n  web:\n    build: .\n    image: registry.example/shop/web\n",
            "services:\n  web:\n    build: .\n    image: registry.example/shop/web:latest\n",
            // An unset variable: the image is not known.
            "services:\n  web:\n    image: nginx:${TAG}\n",
            "services:\n  web:\n    image: ${IMAGE}\n",
            "services:\n  web:\n    image: nginx:${TAG:-1.27}\n",
            "services:\n  web:\n    image: node:22-alpine\n",
            "services:\n  web:\n    build: .\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx\n",
            "services:\n  web:\n    image: nginx:latest\n",
            "services:\n  web:\n    image: \"ghcr.io/org/app:latest\"\n",
            "services:\n  web:\n    image: localhost:5000/app\n",
            "services:\n  web:\n    image: nginx:${TAG:-latest}\n",
            "services:\n  web:\n    image: ${IMAGE:-redis}\n",
            "services:\n  web:\n    image: traefik:edge\n",
            "services:\n  web:\n    image: org/app:nightly\n",
        ];
        assert_compose_cases(&RULE, &[("/p/Dockerfile", "FROM alpine:3.22\n")], &pass, &fail);
    }

    #[test]
    fn span_and_messages() {
        let text = "services:\n  web:\n    image: nginx\n  cache:\n    image: 'redis:latest'\n  proxy:\n    image: traefik:edge\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert_eq!(&text[found[0].1.range.as_usize()], "nginx");
        assert_eq!(found[0].1.message, "service `web` uses image `nginx` with no tag, so it pulls `nginx:latest`");
        assert_eq!(&text[found[1].1.range.as_usize()], "'redis:latest'");
        assert_eq!(found[1].1.message, "service `cache` uses image `redis:latest` with the `latest` tag");
        assert_eq!(
            found[2].1.message,
            "service `proxy` uses image `traefik:edge` with the floating `edge` tag, which moves to each new build"
        );
        assert_eq!(
            found[0].1.help.as_deref(),
            Some(
                "pin the version you test with (`nginx:<version>`), and add its digest (`@sha256:…`) for deployments \
                 that never change"
            )
        );
    }

    #[test]
    fn through_an_anchor_the_finding_is_at_the_merge_key() {
        let text = "x-base: &base\n  image: nginx:latest\nservices:\n  web:\n    <<: *base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "nginx:latest");
        assert_eq!(d.labels[0].message, "the value is defined here and merged in with `<<`");
    }

    #[test]
    fn an_interpolated_default_names_its_variable() {
        let text = "services:\n  web:\n    image: nginx:${TAG:-latest}\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found[0].1.message, "service `web` uses image `nginx:latest` with the `latest` tag (from `${TAG}`)");
    }
}
