//! PLX701 unknown-build-target: `build.target` names a stage the Dockerfile does not have.

use super::built::{dockerfile_label, is_unknown};
use super::shown_path;
use crate::Severity;
use crate::compose::builds::BuildLink;
use crate::diagnostic::{Applicability, Edit, Fix};
use crate::dockerfile::parser::levenshtein;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLX701",
        name: "unknown-build-target",
        summary: "`build.target` names a stage the Dockerfile does not have: the build fails",
        severity: Severity::Error,
        target: Target::Project,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLX701-unknown-build-target.md"),
    },
    check: Check::Compose(check),
};

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for link in ctx.builds {
        let BuildLink::Linked(build) = link else { continue };
        let Some(service) = ctx.model.service(&build.service) else { continue };
        let Some(target) = service.build.as_ref().and_then(|b| b.target.as_ref()) else { continue };
        // An empty target is no target; one from an unset variable is unknown.
        if target.value.is_empty() || is_unknown(target) {
            continue;
        }
        if super::built::target_stage(&build.dockerfile, &target.value).is_some() {
            continue;
        }
        // Stage names as written in the Dockerfile, with their ranges there.
        let stages: Vec<(&str, TextRange)> = build
            .dockerfile
            .stages
            .iter()
            .filter_map(|s| s.name.as_ref())
            .map(|n| (&build.source.text[n.range.as_usize()], n.range))
            .collect();
        let wanted = target.value.to_lowercase();
        let closest = stages
            .iter()
            .map(|(name, range)| (levenshtein(&wanted, &name.to_lowercase()), *name, *range))
            .filter(|(d, name, _)| (*d <= 2 && *d < name.chars().count()) || is_short_for(&wanted, name))
            .min_by_key(|(d, _, _)| *d);

        let dockerfile = match build.inline {
            Some(_) => "the inline Dockerfile".to_owned(),
            None => format!("`{}`", shown_path(ctx.project, target.origin.use_place().file, &build.source.path)),
        };
        let has = match stages.as_slice() {
            [] => "it has no named stage".to_owned(),
            list => {
                let names: Vec<String> = list.iter().map(|(n, _)| format!("`{n}`")).collect();
                format!("its stages are {}", names.join(", "))
            }
        };
        let message = format!(
            "service `{}` builds target `{}`, which {dockerfile} does not define: {has}",
            service.name.value, target.value
        );
        let (file, mut d) = ctx.finding(&RULE.meta, &target.origin, message);
        match closest {
            Some((_, name, range)) => {
                d.help = Some(format!("did you mean `{name}`?"));
                d.labels.push(dockerfile_label(ctx, build, file, range, &format!("stage `{name}` is defined here")));
                // Only where the value is written, so the edit lands on it.
                if target.origin.via.is_empty() {
                    d.fix = rename(ctx, &target.origin.place, name);
                }
            }
            None => {
                d.help = Some(format!(
                    "name one of the Dockerfile's stages, or name a stage `{}` with `FROM … AS {}`",
                    target.value, target.value
                ));
            }
        }
        out.push((file, d));
    }
}

/// `prod` for `production`, `dev` for `development`: an abbreviation of at least three letters.
fn is_short_for(wanted: &str, name: &str) -> bool {
    wanted.chars().count() >= 3 && name.to_lowercase().starts_with(wanted)
}

/// Replaces the target value (keeping its quotes) with the stage's name.
fn rename(ctx: &ComposeContext<'_>, place: &crate::compose::tree::Place, name: &str) -> Option<Fix> {
    let written = ctx.project.file(place.file)?.text.get(place.range.as_usize())?;
    let replacement = match written.chars().next() {
        Some(q @ ('"' | '\'')) => format!("{q}{name}{q}"),
        _ => name.to_owned(),
    };
    Some(Fix {
        applicability: Applicability::Unsafe,
        message: format!("build the stage `{name}`"),
        edits: vec![Edit { range: place.range, replacement }],
    })
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    const MULTI: &str = "FROM golang:1.23 AS Builder\nRUN go build\nFROM alpine:3.22 AS production\nUSER app\n";

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    build: .\n",
            "services:\n  web:\n    build:\n      context: .\n      target: production\n",
            "services:\n  web:\n    build:\n      context: .\n      target: builder\n",
            "services:\n  web:\n    build:\n      context: .\n      target: PRODUCTION\n",
            "services:\n  web:\n    build:\n      context: .\n      target: ${TARGET}\n",
            "services:\n  web:\n    build:\n      context: .\n      target: ${TARGET:-builder}\n",
            "services:\n  web:\n    build:\n      context: ./missing\n      target: nowhere\n",
        ];
        let fail = [
            "services:\n  web:\n    build:\n      context: .\n      target: prod\n",
            "services:\n  web:\n    build:\n      context: .\n      target: ${TARGET:-dev}\n",
            "services:\n  web:\n    build:\n      dockerfile_inline: |\n        FROM alpine:3.22\n      target: base\n",
        ];
        assert_compose_cases(&RULE, &[("/p/Dockerfile", MULTI)], &pass, &fail);
    }

    #[test]
    fn a_close_name_is_suggested_labelled_and_fixed_keeping_quotes() {
        let text = "services:\n  web:\n    build:\n      context: ./app\n      target: \"prodution\"\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/app/Dockerfile", MULTI)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "\"prodution\"");
        assert_eq!(
            d.message,
            "service `web` builds target `prodution`, which `./app/Dockerfile` does not define: its stages are `Builder`, `production`"
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `production`?"));
        assert_eq!(&MULTI[d.labels[0].range.as_usize()], "production");
        assert_eq!(d.labels[0].elsewhere.as_ref().map(|e| e.start.line), Some(3));
        assert_eq!(d.fix.as_ref().map(|f| f.applicability), Some(crate::Applicability::Unsafe));
        assert_eq!(crate::rules::testing::fixed(text, d), text.replace("\"prodution\"", "\"production\""));
    }

    #[test]
    fn through_an_anchor_the_finding_is_at_the_merge_key_and_offers_no_fix() {
        let text = "x-build: &build\n  build:\n    context: .\n    target: buildr\nservices:\n  web:\n    <<: *build\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", MULTI)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "buildr");
        assert_eq!(d.help.as_deref(), Some("did you mean `Builder`?"));
        assert!(d.fix.is_none());
    }

    #[test]
    fn no_close_name_lists_the_stages_only() {
        let text = "services:\n  web:\n    build:\n      context: .\n      target: test\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", "FROM alpine:3.22\n")]);
        let d = &found[0].1;
        assert_eq!(
            d.message,
            "service `web` builds target `test`, which `./Dockerfile` does not define: it has no named stage"
        );
        assert!(d.fix.is_none() && d.labels.is_empty());
    }
}
