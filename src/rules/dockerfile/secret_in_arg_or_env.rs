//! PLD401 secret-in-arg-or-env: an ARG default or ENV value, given literally, for a name that looks like a secret.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::expand::Lexer;
use crate::dockerfile::{Args, Kind};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::Spanned;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD401",
        name: "secret-in-arg-or-env",
        summary: "An ARG or ENV with a secret-looking name is given a literal value, which is stored in the image",
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

/// Words that make a name a secret on their own.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pword",
    "passphrase",
    "secret",
    "secrets",
    "token",
    "apikey",
    "credential",
    "credentials",
    "creds",
    "privatekey",
    "accesskey",
    "authtoken",
];

/// Words that make a name a secret when followed by `key` (`API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`).
const KEY_QUALIFIERS: &[&str] = &["api", "private", "access", "secret", "encryption", "signing", "master", "client"];

/// Words that say the variable holds something about a secret, not the secret itself.
const NOT_SECRET_WORDS: &[&str] = &[
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "host",
    "length",
    "len",
    "min",
    "max",
    "policy",
    "type",
    "method",
    "version",
    "name",
    "enabled",
    "enable",
    "disabled",
    "required",
    "prompt",
    "header",
    "realm",
    "expiry",
    "expires",
    "ttl",
    "timeout",
    "lifetime",
    "mount",
    "public",
    "pub",
    "user",
    "username",
    "location",
    "env",
    "strength",
    "rounds",
    "algorithm",
    "algo",
    "format",
    "mode",
];

/// The lower-case words of a variable name: split at `_`, `-`, `.` and lower-to-upper case changes.
fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Whether a variable name looks like it holds a secret.
pub(crate) fn is_secret_name(name: &str) -> bool {
    let words = words(name);
    if words.iter().any(|w| NOT_SECRET_WORDS.contains(&w.as_str())) {
        return false;
    }
    words.iter().enumerate().any(|(i, w)| {
        SECRET_WORDS.contains(&w.as_str())
            // `PWD` alone is the working directory; `MYSQL_PWD`, `POSTGRES_PWD` are passwords.
            || (w == "pwd" && words.len() > 1)
            || (w == "key" && i > 0 && words.get(i - 1).is_some_and(|q| KEY_QUALIFIERS.contains(&q.as_str())))
    })
}

/// Whether a value, as written, holds something literal: not empty, not only variable references, not a path.
pub(crate) fn is_literal_secret(lexer: &Lexer, written: &str) -> bool {
    // Unset variables expand to nothing, so what is left is the literal part of the value.
    let Ok(expansion) = lexer.expand_word(written, &()) else { return false };
    let literal = expansion.value.trim();
    if !literal.chars().any(|c| c.is_alphanumeric()) {
        return false;
    }
    // A path (`/run/secrets/db`) names where the secret is, not the secret.
    !(literal.starts_with('/') || literal.starts_with("./") || literal.starts_with("~/"))
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let lexer = Lexer::new(ctx.file.escape);
    for instr in ctx.file.instructions.iter().map(|i| i.effective()) {
        let found: Vec<(&Spanned<String>, &Spanned<String>)> = match (&instr.kind, &instr.args) {
            (Kind::Arg, Args::Arg { args }) => {
                args.iter().filter_map(|a| a.default.as_ref().map(|d| (&a.name, d))).collect()
            }
            (Kind::Env, Args::KeyValues { pairs }) => pairs.iter().map(|p| (&p.key, &p.value)).collect(),
            _ => continue,
        };
        let keyword = instr.kind.as_str();
        for (name, value) in found {
            if !is_secret_name(&name.value) || !is_literal_secret(&lexer, &value.value) {
                continue;
            }
            let (what, help) = if instr.kind == Kind::Arg {
                (
                    "default",
                    "pass the secret at build time with `RUN --mount=type=secret,id=…`, not as a build argument",
                )
            } else {
                (
                    "value",
                    "don't bake secrets into the image: give them at run time (an orchestrator secret or a mounted \
                     file), and at build time with `RUN --mount=type=secret,id=…`",
                )
            };
            out.push(
                RULE.meta
                    .diagnostic(
                        value.range,
                        format!("`{keyword} {}` has a literal {what}, stored in the image", name.value),
                    )
                    .with_label(name.range, "this name looks like a secret")
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, is_secret_name, words};
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn names() {
        assert_eq!(words("dbPassword_FILE"), ["db", "password", "file"]);
        assert_eq!(words("GITHUB-TOKEN"), ["github", "token"]);
        for name in [
            "PASSWORD",
            "DB_PASS",
            "MYSQL_ROOT_PASSWORD",
            "npmToken",
            "API_KEY",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_ACCESS_KEY_ID",
            "PRIVATE_KEY",
            "GOOGLE_CREDENTIALS",
            "NPM_AUTH_TOKEN",
            "client_secret",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "AUTHOR",
            "PASSENGER_VERSION",
            "COMPASS",
            "BYPASS",
            "GPG_KEY",
            "KEY",
            "POSTGRES_PASSWORD_FILE",
            "SECRET_PATH",
            "TOKEN_ENDPOINT",
            "PASSWORD_MIN_LENGTH",
            "SECRETS_DIR",
            "TOKEN_URL",
            "PUBLIC_KEY",
            "PWD",
            "PASSWORD_PROMPT",
            "NODE_AUTH",
            "DB_USER",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nARG DB_PASSWORD\n",
            "FROM alpine:3.22\nARG DB_PASSWORD=\n",
            "FROM alpine:3.22\nARG DB_PASSWORD=\"\"\n",
            "FROM alpine:3.22\nENV DB_PASSWORD=$PASSWORD\n",
            "FROM alpine:3.22\nENV DB_PASSWORD=${PASSWORD}\n",
            "FROM alpine:3.22\nENV DB_PASSWORD=\"${DB_USER}:${DB_PASS}\"\n",
            "FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db\n",
            "FROM alpine:3.22\nENV SECRET=/run/secrets/app\n",
            "FROM alpine:3.22\nENV TOKEN_ENDPOINT=https://auth.example.com/token\n",
            "FROM alpine:3.22\nENV PASSWORD_MIN_LENGTH=12\n",
            "FROM alpine:3.22\nENV AUTHOR=jane PASSENGER_VERSION=6.0.1\n",
            "FROM python:3.12\nENV GPG_KEY=7169605F62C751356D054A26A821E680E5FA6305\n",
            "FROM alpine:3.22\nENV PWD=/app\n",
            "FROM alpine:3.22\nLABEL password=hunter2\n",
            "FROM alpine:3.22\n# ENV PASSWORD=hunter2\n",
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
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn span_is_the_value_label_the_name() {
        let text = "FROM alpine:3.22\nENV DB_PASSWORD=hunter2\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "hunter2");
        assert_eq!(&text[found[0].labels[0].range.as_usize()], "DB_PASSWORD");
        assert_eq!(found[0].message, "`ENV DB_PASSWORD` has a literal value, stored in the image");
    }
}
