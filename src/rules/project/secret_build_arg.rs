//! PLX401 secret-build-arg: a `build.args` entry with a secret-looking name and a literal value, which the
//! Dockerfile declares as an ARG: the value is kept in the image's history (and its environment, when an ENV
//! copies it).

use super::built::{Built, built_services, is_interpolated};
use crate::Severity;
use crate::compose::model::KeyValue;
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::{Args, Kind};
use crate::rules::secrets::{Literal, dockerfile_literal, is_secret_name};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLX401",
        name: "secret-build-arg",
        summary: "A build arg with a secret-looking name gets a literal value that the Dockerfile's ARG keeps in the image",
        severity: Severity::Error,
        target: Target::Project,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.10"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLX401-secret-build-arg.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str =
    "pass it as a build secret: `build.secrets` in Compose and `RUN --mount=type=secret,id=…` in the Dockerfile";

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    let lexer = Lexer::new('\\');
    for built in built_services(ctx) {
        let Some(build) = &built.service.build else { continue };
        for arg in &build.args {
            // `KEY` alone passes the variable through from the environment: not a literal.
            let Some(value) = &arg.value else { continue };
            if !is_secret_name(&arg.key.value) || is_interpolated(&value.origin) {
                continue;
            }
            let Some(literal) = dockerfile_literal(&lexer, &value.value) else { continue };
            if let Some(finding) = finding(ctx, &built, arg, literal) {
                out.push(finding);
            }
        }
    }
}

/// Where the Dockerfile declares the ARG (in a stage the build runs, or before the first FROM), and the ENVs
/// that copy it into the image's environment.
struct Uses {
    declared: Vec<TextRange>,
    copied: Vec<TextRange>,
}

fn uses(built: &Built<'_>, name: &str) -> Uses {
    let file = &built.build.dockerfile;
    let lexer = Lexer::new(file.escape);
    let mut uses = Uses { declared: Vec::new(), copied: Vec::new() };
    let first_from = file.stages.first().map_or(file.instructions.len(), |s| s.from);
    let global = file.instructions[..first_from].iter();
    let staged = built.reachable_stages().into_iter().flat_map(|s| &file.instructions[s.instructions.clone()]);
    for instr in global.chain(staged) {
        match (&instr.kind, &instr.args) {
            (Kind::Arg, Args::Arg { args }) => {
                uses.declared.extend(args.iter().filter(|a| a.name.value == name).map(|a| a.range));
            }
            (Kind::Env, Args::KeyValues { pairs }) => {
                let copies = |written: &str| {
                    lexer.expand_word(written, &()).is_ok_and(|e| e.unmatched.iter().any(|v| v == name))
                };
                uses.copied.extend(pairs.iter().filter(|p| copies(&p.value.value)).map(|p| p.range));
            }
            _ => {}
        }
    }
    uses
}

fn finding(ctx: &ComposeContext<'_>, built: &Built<'_>, arg: &KeyValue, literal: Literal) -> Option<ComposeFinding> {
    let name = &arg.key.value;
    let value = arg.value.as_ref()?;
    let uses = uses(built, name);
    // An ARG the Dockerfile does not declare is not used by the build and not recorded in the image.
    let declared = uses.declared.first()?;
    let service = &built.service.name.value;
    let what = match literal {
        Literal::Secret => "a literal value",
        Literal::Placeholder => "a value that looks like a placeholder, to replace at deploy time",
    };
    let mut message = format!(
        "service `{service}` passes the secret-looking build arg `{name}` {what}; the Dockerfile declares `ARG {name}`, so the value is kept in the image's history"
    );
    if !uses.copied.is_empty() {
        message.push_str(" and, through ENV, in its environment");
    }
    let (at, mut d) = ctx.finding(&RULE.meta, &value.origin, message);
    d.labels.push(built.label(ctx, at, *declared, &format!("`ARG {name}` receives the value here")));
    for range in &uses.copied {
        d.labels.push(built.label(ctx, at, *range, "ENV copies it into the image's environment here"));
    }
    if literal == Literal::Placeholder {
        d.severity = Severity::Warning;
    }
    Some((at, d.with_help(HELP)))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    const DOCKERFILE: &str = "FROM node:22-alpine\nARG NPM_TOKEN\nARG APP_VERSION\nRUN npm ci\nUSER node\n";

    #[test]
    fn cases() {
        let pass = [
            "services:\n  web:\n    build: .\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        APP_VERSION: 1.2.3\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: ${NPM_TOKEN}\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        - NPM_TOKEN\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        - NPM_TOKEN=${NPM_TOKEN:-}\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: \"\"\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: /run/secrets/npm\n",
            // Not declared in the Dockerfile: the build does not use it.
            "services:\n  web:\n    build:\n      context: .\n      args:\n        DB_PASSWORD: hunter2\n",
            // Declared only in a stage the target does not build.
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.multi\n      target: app\n      args:\n        GH_TOKEN: ghp_abc123\n",
            "services:\n  web:\n    image: node:22\n    environment:\n      NPM_TOKEN: abc\n",
        ];
        let fail = [
            "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: npm_abc123\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        - NPM_TOKEN=npm_abc123\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.multi\n      args:\n        GH_TOKEN: ghp_abc123\n",
            "services:\n  web:\n    build:\n      context: .\n      dockerfile: Dockerfile.global\n      args:\n        API_KEY: k-123\n",
            "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: changeme\n",
        ];
        let companions = [
            ("/p/Dockerfile", DOCKERFILE),
            (
                "/p/Dockerfile.multi",
                "FROM alpine:3.22 AS deps\nARG GH_TOKEN\nRUN fetch\nFROM alpine:3.22 AS app\nUSER app\nFROM app AS full\nCOPY --from=deps /x /x\n",
            ),
            ("/p/Dockerfile.global", "ARG API_KEY\nFROM alpine:3.22\nRUN use\n"),
        ];
        assert_compose_cases(&RULE, &companions, &pass, &fail);
    }

    #[test]
    fn labels_at_the_arg_and_the_env_that_copies_it() {
        let dockerfile = "FROM node:22-alpine\nARG NPM_TOKEN\nENV TOKEN=${NPM_TOKEN} MODE=prod\nRUN npm ci\n";
        let text = "services:\n  web:\n    build:\n      context: ./web\n      args:\n        - NPM_TOKEN=npm_abc123\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/web/Dockerfile", dockerfile)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "NPM_TOKEN=npm_abc123");
        assert_eq!(
            d.message,
            "service `web` passes the secret-looking build arg `NPM_TOKEN` a literal value; the Dockerfile declares `ARG NPM_TOKEN`, so the value is kept in the image's history and, through ENV, in its environment"
        );
        let labelled: Vec<&str> = d.labels.iter().map(|l| &dockerfile[l.range.as_usize()]).collect();
        assert_eq!(labelled, ["NPM_TOKEN", "TOKEN=${NPM_TOKEN}"]);
        assert_eq!(d.labels[1].elsewhere.as_ref().map(|e| (e.start.line, e.start.column)), Some((3, 5)));
    }

    #[test]
    fn a_placeholder_is_a_warning_that_says_so() {
        let text = "services:\n  web:\n    build:\n      context: .\n      args:\n        NPM_TOKEN: your-token-here\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", DOCKERFILE)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "your-token-here");
        assert_eq!(d.severity, crate::Severity::Warning);
        assert!(
            d.message.starts_with(
                "service `web` passes the secret-looking build arg `NPM_TOKEN` a value that looks like a placeholder, to replace at deploy time;"
            ),
            "{}",
            d.message
        );
    }

    #[test]
    fn through_an_anchor_the_finding_is_at_the_alias() {
        let text = "x-args: &args\n  NPM_TOKEN: npm_abc123\nservices:\n  web:\n    build:\n      context: .\n      args: *args\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/Dockerfile", DOCKERFILE)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*args");
        let in_compose: Vec<&str> =
            d.labels.iter().filter(|l| l.elsewhere.is_none()).map(|l| &text[l.range.as_usize()]).collect();
        assert_eq!(in_compose, ["npm_abc123"]);
    }
}
