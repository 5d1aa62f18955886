//! PLC104 end-of-life-image: a service pulls an image whose release is past its end of life.

use super::latest_image::pulled_image;
use crate::Severity;
use crate::image::eol;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC104",
        name: "end-of-life-image",
        summary: "A service pulls an image whose release (or base distribution) is past its end of life",
        severity: Severity::Warning,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.4"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLC104-end-of-life-image.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some((image, reference)) = pulled_image(service) else { continue };
        let Some(description) = eol::describe(&eol::end_of_life_all(&reference)) else { continue };
        let message = format!("service `{}` uses `{}`, which {description}", service.name.value, image.value.trim());
        let (file, d) = ctx.finding(&RULE.meta, &image.origin, message);
        out.push((file, d.with_help(eol::help())));
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  db:\n    image: postgres:17-alpine\n",
            "services:\n  db:\n    image: postgres\n",
            "services:\n  db:\n    image: bitnami/postgresql:12\n",
            "services:\n  db:\n    image: ${DB_IMAGE}\n",
            "services:\n  app:\n    build: .\n    image: node:16\n",
        ];
        let fail = [
            "services:\n  db:\n    image: postgres:12\n",
            "services:\n  web:\n    image: node:16-buster\n",
            "services:\n  db:\n    image: mysql:5.7\n",
            "services:\n  web:\n    image: python:${PY:-3.8}-slim\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn message_and_span_through_an_anchor() {
        let text = "x-db: &db\n  image: postgres:12\nservices:\n  db:\n    <<: *db\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "postgres:12");
        assert!(
            d.message
                .starts_with("service `db` uses `postgres:12`, which is PostgreSQL 12, past its end of life since"),
            "{}",
            d.message
        );
    }
}
