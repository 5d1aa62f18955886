//! PLC102 unpinned-image (opt-in): a service's `image:` without a digest.

use crate::Severity;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

use super::latest_image::pulled_image;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC102",
        name: "unpinned-image",
        summary: "A service's image is not pinned by digest, so the same tag may pull different images",
        severity: Severity::Info,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: true,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["5.28", "4.2"],
            compose_lint: &["CL-0019"],
            kics: &[],
        },
        page: include_str!("../../../lints/PLC102-unpinned-image.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some((image, reference)) = pulled_image(service) else { continue };
        if reference.is_pinned_by_digest() {
            continue;
        }
        let written = image.value.trim();
        let message = format!("service `{}` uses image `{written}` without a digest", service.name.value);
        let (file, d) = ctx.finding(&RULE.meta, &image.origin, message);
        let help = format!(
            "add the digest of the image you tested (`{written}@sha256:…`, printed by `docker buildx imagetools \
             inspect {written}`) and let Renovate or Dependabot update it"
        );
        out.push((file, d.with_help(help)));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::compose::latest_image::tests::DIGEST;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pinned = format!("services:\n  web:\n    image: nginx:1.27@{DIGEST}\n");
        let digest_only = format!("services:\n  web:\n    image: nginx@{DIGEST}\n");
        let pass = [
            pinned.as_str(),
            digest_only.as_str(),
            "services:\n  web:\n    build: .\n    image: registry.example/shop/web:1.0\n",
            "services:\n  web:\n    image: nginx:${TAG}\n",
        ];
        let fail = [
            "services:\n  web:\n    image: nginx:1.27\n",
            "services:\n  web:\n    image: nginx\n",
            "services:\n  web:\n    image: ghcr.io/org/app:v2\n",
        ];
        assert_compose_cases(&RULE, &[("/p/Dockerfile", "FROM alpine:3.22\n")], &pass, &fail);
    }

    #[test]
    fn span_message_and_anchor() {
        let text = "x-img: &img ghcr.io/org/app:v2\nservices:\n  web:\n    image: *img\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(d.message, "service `web` uses image `ghcr.io/org/app:v2` without a digest");
        assert_eq!(&text[d.range.as_usize()], "*img");
        assert_eq!(&text[d.labels[0].range.as_usize()], "ghcr.io/org/app:v2");
    }
}
