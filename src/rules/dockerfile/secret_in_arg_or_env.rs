//! PLD401 secret-in-arg-or-env: an ARG or ENV whose name looks like a secret, with a literal value (an error; a
//! warning when the value looks like a placeholder), or taking its value from a build argument (a warning, as
//! BuildKit's SecretsUsedInArgOrEnv).

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::{Args, Kind};
use crate::rules::secrets::{Literal, dockerfile_literal, is_path, is_secret_name};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::{Spanned, TextRange};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD401",
        name: "secret-in-arg-or-env",
        summary: "An ARG or ENV with a secret-looking name holds a literal value or a build argument, which the image keeps",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &["DL3064"],
            buildkit: &["SecretsUsedInArgOrEnv"],
            cis: &["4.10"],
            compose_lint: &[],
            kics: &["Passwords And Secrets"],
        },
        page: include_str!("../../../lints/PLD401-secret-in-arg-or-env.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let lexer = Lexer::new(ctx.file.escape);
    let first_from = ctx.file.stages.first().map_or(ctx.file.instructions.len(), |s| s.from);
    // The build arguments the current stage declares: an ENV that copies one stores its value in the image.
    let mut stage_args: Vec<&str> = Vec::new();
    for (index, instr) in ctx.file.instructions.iter().enumerate() {
        let inner = instr.effective();
        match (&inner.kind, &inner.args) {
            (Kind::From, _) => stage_args.clear(),
            (Kind::Arg, Args::Arg { args }) => {
                if index > first_from {
                    stage_args.extend(args.iter().map(|a| a.name.value.as_str()));
                }
                for arg in args.iter().filter(|a| is_secret_name(&a.name.value)) {
                    let literal =
                        arg.default.as_ref().and_then(|d| dockerfile_literal(&lexer, &d.value).map(|l| (d, l)));
                    if let Some((default, literal)) = literal {
                        out.push(literal_finding("ARG", &arg.name, default.range, literal));
                    } else if index > first_from {
                        // As BuildKit's SecretsUsedInArgOrEnv: the value comes with `--build-arg`, and the image
                        // history keeps it beside each RUN that sees it. An ARG before the first FROM reaches no
                        // RUN unless a stage declares it again (that ARG is reported).
                        let message = format!(
                            "`ARG {}` takes a secret-looking build argument: a value given with `--build-arg` is kept in the image's history",
                            arg.name.value
                        );
                        let mut d = RULE.meta.diagnostic(arg.name.range, message).with_help(ARG_HELP);
                        d.severity = Severity::Warning;
                        out.push(d);
                    }
                }
            }
            (Kind::Env, Args::KeyValues { pairs }) => {
                for pair in pairs.iter().filter(|p| is_secret_name(&p.key.value)) {
                    if let Some(literal) = dockerfile_literal(&lexer, &pair.value.value) {
                        out.push(literal_finding("ENV", &pair.key, pair.value.range, literal));
                    } else if let Some(copied) = copied_build_arg(&lexer, &pair.value.value, &stage_args) {
                        let message = format!(
                            "`ENV {}` copies the build argument `{copied}` into the image's environment, where its value is stored",
                            pair.key.value
                        );
                        let mut d = RULE
                            .meta
                            .diagnostic(pair.value.range, message)
                            .with_label(pair.key.range, "this name looks like a secret")
                            .with_help(ENV_HELP);
                        d.severity = Severity::Warning;
                        out.push(d);
                    }
                }
            }
            _ => {}
        }
    }
}

const ARG_HELP: &str = "pass the secret at build time with `RUN --mount=type=secret,id=…` (`docker build --secret id=…`), not as a build argument";

const ENV_HELP: &str = "don't bake secrets into the image: give them at run time (an orchestrator secret or a mounted \
                        file), and at build time with `RUN --mount=type=secret,id=…`";

/// The build argument of the stage that a value copies (`ENV DB_PASSWORD=$DB_PASSWORD` after `ARG DB_PASSWORD`),
/// unless the value is a path. A variable the build does not define expands to nothing: no secret is stored.
fn copied_build_arg<'a>(lexer: &Lexer, written: &str, stage_args: &[&'a str]) -> Option<&'a str> {
    let expansion = lexer.expand_word(written, &()).ok()?;
    if is_path(expansion.value.trim()) {
        return None;
    }
    expansion.unmatched.iter().find_map(|v| stage_args.iter().find(|a| **a == v.as_str()).copied())
}

/// The finding on a literal ARG default or ENV value: an error for a secret, a warning for a placeholder.
fn literal_finding(keyword: &str, name: &Spanned<String>, value: TextRange, literal: Literal) -> Diagnostic {
    let what = if keyword == "ARG" { "default" } else { "value" };
    let (message, help, severity) = match literal {
        Literal::Secret => (
            format!("`{keyword} {}` has a literal {what}, stored in the image", name.value),
            if keyword == "ARG" { ARG_HELP } else { ENV_HELP },
            RULE.meta.severity,
        ),
        Literal::Placeholder => (
            format!(
                "`{keyword} {}` has a {what} that looks like a placeholder, to replace at deploy time; as written it is stored in the image",
                name.value
            ),
            "leave the secret out of the Dockerfile and give the real one at run time (a `*_FILE` variable and a \
             mounted secret, or the orchestrator's environment): a placeholder left in place is the secret of every \
             container not given another",
            Severity::Warning,
        ),
    };
    let mut d =
        RULE.meta.diagnostic(value, message).with_label(name.range, "this name looks like a secret").with_help(help);
    d.severity = severity;
    d
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nENV DB_PASSWORD=\"\"\n",
            "FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n",
            "FROM alpine:3.22\nENV SECRET=/run/secrets/app\n",
            "FROM alpine:3.22\nENV TOKEN_ENDPOINT=https://auth.example.com/token\n",
            "FROM alpine:3.22\nENV PASSWORD_MIN_LENGTH=12\n",
            "FROM alpine:3.22\nENV AUTHOR=jane PASSENGER_VERSION=6.0.1\n",
            "FROM python:3.12\nENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\n",
            "FROM rabbitmq:4\nENV RABBITMQ_PGP_KEY_ID=0x0A9AF2115F4687BD29803A206B73A36E6026DFCA\n",
            "FROM alpine:3.22\nENV PWD=/app\n",
            "FROM alpine:3.22\nLABEL password=hunter2\n",
            "FROM alpine:3.22\n# ENV PASSWORD=hunter2\n",
            "FROM alpine:3.22\nENV SECRET_PORT=8443 SECRET_LOCAL_HOSTNAME=vault.local PASS_SCHEME=SHA512-CRYPT\n",
            "FROM alpine:3.22\nENV DOVECOT_PASSWORD_POLICY=strict\n",
            "FROM mysql:8.4\nENV MYSQL_ALLOW_EMPTY_PASSWORD=yes\n",
            // A global ARG reaches no RUN unless a stage declares it again.
            "ARG GITHUB_TOKEN\nFROM alpine:3.22\n",
            // References to variables the build does not define store nothing.
            "FROM alpine:3.22\nENV DB_PASSWORD=$PASSWORD\n",
            "FROM alpine:3.22\nENV DB_PASSWORD=${PASSWORD}\n",
            "FROM alpine:3.22\nENV DB_PASSWORD=\"${DB_USER}:${DB_PASS}\"\n",
            "FROM alpine:3.22 AS a\nARG DB_AUTH\nFROM alpine:3.22\nENV DB_PASSWORD=$DB_AUTH\n",
            "FROM alpine:3.22\nARG SECRETS_DIR=/run/secrets\nENV DB_PASSWORD=${SECRETS_DIR}/db\n",
        ];
        let fail = [
            "FROM alpine:3.22\nENV DB_PASSWORD=hunter2\n",
            "FROM alpine:3.22\nENV DB_PASSWORD hunter2\n",
            "FROM alpine:3.22\nENV DB_PASSWORD=\"hunter 2\"\n",
            "FROM alpine:3.22\nARG NPM_TOKEN=npm_abcdef\n",
            "ARG GITHUB_TOKEN=abc123\nFROM alpine:3.22\n",
            "FROM alpine:3.22\nENV A=1 apiKey=abc\n",
            "FROM alpine:3.22\nENV AWS_SECRET_ACCESS_KEY='wJalrXUtnFEMI'\n",
            "FROM alpine:3.22\nENV MYSQL_ROOT_PASSWORD=root\n",
            "FROM alpine:3.22\nENV DB_PASS=pre${SUFFIX}\n",
            "FROM alpine:3.22\nONBUILD ENV SECRET_KEY=abc\n",
            "FROM alpine:3.22\narg client_secret=xyz\n",
            "FROM alpine:3.22\nENV REDIS_HOST_PASSWORD=hunter2\n",
            "FROM alpine:3.22\nENV SOGO_URL_ENCRYPTION_KEY=0123456789abcdef\n",
            "FROM alpine:3.22\nENV LDAP_USER_PASS=hunter2\n",
            "FROM pihole/pihole:2025.03.0\nENV WEBPASSWORD=hunter2\n",
            "FROM alpine:3.22\nENV LDAP_ROOTPASS=hunter2\n",
            "FROM php:8.3\nENV APP_KEY=base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=\n",
            "FROM alpine:3.22\nENV LICENSE_KEY=0a1b2c3d\n",
            // Placeholders, at a lower severity.
            "FROM alpine:3.22\nENV DB_PASSWORD=changeme\n",
            "FROM alpine:3.22\nENV SSH_PRIVATE_KEY=<PRIVKEY>\n",
            "FROM alpine:3.22\nENV API_TOKEN=_\n",
            // Build arguments and the variables ENV copies, as BuildKit.
            "FROM alpine:3.22\nARG DB_PASSWORD\n",
            "FROM alpine:3.22\nARG DB_PASSWORD=\n",
            "FROM alpine:3.22\nARG DB_PASSWORD=\"\"\n",
            "ARG GITHUB_TOKEN\nFROM alpine:3.22\nARG GITHUB_TOKEN\n",
            "FROM alpine:3.22\nARG DB_AUTH\nENV DB_PASSWORD=$DB_AUTH\n",
            "FROM alpine:3.22\nARG DB_USER DB_AUTH\nENV DB_PASSWORD=\"${DB_USER}:${DB_AUTH}\"\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    /// The finding's span text, message and severity.
    fn one(text: &str) -> (&str, String, Severity) {
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        (&text[found[0].range.as_usize()], found[0].message.clone(), found[0].severity)
    }

    #[test]
    fn span_is_the_value_label_the_name() {
        let text = "FROM alpine:3.22\nENV DB_PASSWORD=hunter2\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "hunter2");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "DB_PASSWORD");
        assert_eq!(found[0].message, "`ENV DB_PASSWORD` has a literal value, stored in the image");
        assert_eq!(found[0].severity, Severity::Error);
    }

    #[test]
    fn a_placeholder_is_a_warning_that_says_so() {
        let (span, message, severity) = one("FROM alpine:3.22\nENV DB_PASSWORD=ChangeMe\n");
        assert_eq!(span, "ChangeMe");
        assert_eq!(
            message,
            "`ENV DB_PASSWORD` has a value that looks like a placeholder, to replace at deploy time; as written it is stored in the image"
        );
        assert_eq!(severity, Severity::Warning);
        let (span, message, _) = one("FROM alpine:3.22\nARG ADMIN_PASSWORD=xxx\n");
        assert_eq!(span, "xxx");
        assert!(message.starts_with("`ARG ADMIN_PASSWORD` has a default that looks like a placeholder"), "{message}");
    }

    #[test]
    fn buildkits_skip_pragma_skips_the_build_argument() {
        let lint = |text: &str| {
            let source = crate::SourceFile::new("Dockerfile", text.to_owned());
            let selection = crate::rules::Selection { select: Some(vec!["PLD401".to_owned()]), ..Default::default() };
            crate::lint_dockerfile_with(&source, &selection, &crate::rules::Settings::default())
        };
        let text = "FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n";
        assert_eq!(lint(text).iter().filter(|d| d.code == "PLD401").count(), 1);
        let skipped = lint(&format!("# check=skip=SecretsUsedInArgOrEnv\n{text}"));
        assert!(skipped.iter().all(|d| d.code != "PLD401"), "{skipped:#?}");
    }

    #[test]
    fn a_build_argument_is_a_warning_at_its_name() {
        let (span, message, severity) = one("FROM node:22\nARG NPM_TOKEN\nRUN npm ci\n");
        assert_eq!(span, "NPM_TOKEN");
        assert_eq!(
            message,
            "`ARG NPM_TOKEN` takes a secret-looking build argument: a value given with `--build-arg` is kept in the image's history"
        );
        assert_eq!(severity, Severity::Warning);
        let (span, message, severity) = one("FROM node:22\nARG NPM_AUTH\nENV NPM_TOKEN=${NPM_AUTH:-}\n");
        assert_eq!(span, "${NPM_AUTH:-}");
        assert_eq!(
            message,
            "`ENV NPM_TOKEN` copies the build argument `NPM_AUTH` into the image's environment, where its value is stored"
        );
        assert_eq!(severity, Severity::Warning);
    }
}
