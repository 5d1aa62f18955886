//! PLC402 credential-in-connection-string: a password written inside a connection string in a service's
//! `environment:` (`postgres://app:pw@db/app`, `Server=db;Password=pw`), whatever the variable's name.

use std::ops::Range;

use crate::Severity;
use crate::rules::dockerfile::hardcoded_credential::{self, URL_PASSWORD};
use crate::rules::secrets::is_placeholder;
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};

use super::secret_in_environment::written_value;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC402",
        name: "credential-in-connection-string",
        summary: "A password is written inside a connection string in a service's `environment:`",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["4.10"],
            compose_lint: &["CL-0021"],
            kics: &["Passwords And Secrets"],
        },
        page: include_str!("../../../lints/PLC402-credential-in-connection-string.md"),
    },
    check: Check::Compose(check),
};

/// Parameter names of key-value connection strings that hold the password (ADO.NET, ODBC, libpq, JDBC query).
const PASSWORD_PARAMETERS: &[&str] = &["password", "pwd"];

/// The byte ranges of the literal passwords in a text: the password of each `scheme://user:password@host`, and
/// the value of each `Password=…` / `Pwd=…` parameter of a connection string (after the start, `;`, `&`, `?` or a
/// blank). Passwords that hold `$`, `%`, braces, `<…>` or `*` are placeholders or interpolated, not literals.
pub(super) fn passwords(text: &str) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = hardcoded_credential::scan(text)
        .into_iter()
        .filter(|f| f.kind == URL_PASSWORD)
        .map(|f| f.start..f.end)
        .collect();
    let lower = text.to_ascii_lowercase();
    for parameter in PASSWORD_PARAMETERS {
        let pattern = format!("{parameter}=");
        for (at, _) in lower.match_indices(&pattern) {
            let starts_parameter = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| matches!(c, ';' | '&' | '?' | '"' | '\'') || c.is_whitespace());
            if !starts_parameter {
                continue;
            }
            let start = at + pattern.len();
            let len = text[start..]
                .find(|c: char| matches!(c, ';' | '&' | '"' | '\'') || c.is_whitespace())
                .unwrap_or(text.len() - start);
            let value = &text[start..start + len];
            if value.is_empty() || value.contains(['$', '%', '{', '}', '<', '>', '*']) {
                continue;
            }
            found.push(start..start + len);
        }
    }
    found.sort_by_key(|r| r.start);
    found
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for entry in &service.environment {
            let Some(written) = written_value(ctx, entry) else { continue };
            for range in passwords(written.text) {
                let secret = written.text.get(range.clone()).unwrap_or_default();
                let placeholder = is_placeholder(secret);
                let message = format!(
                    "service `{name}` has a literal password `{}` in the connection string of `{}`{}",
                    hardcoded_credential::masked(secret),
                    entry.key.value,
                    if placeholder { " that looks like a placeholder, to replace at deploy time" } else { "" }
                );
                let (file, mut d) = ctx.finding(&RULE.meta, &written.part(range.start, range.end), message);
                if placeholder {
                    d.severity = Severity::Warning;
                }
                let help = "take the password out of the string: interpolate it (`postgres://app:${DB_PASSWORD}@db/app`) \
                            from an untracked `.env`, or give it as a Compose secret if the client reads a password \
                            file; then rotate it";
                out.push((file, d.with_help(help)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, passwords};
    use crate::rules::testing::{assert_compose_cases, run_compose};

    fn found(text: &str) -> Vec<&str> {
        passwords(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn matchers() {
        assert_eq!(found("postgres://app:s3cret@db:5432/app"), ["s3cret"]);
        assert_eq!(found("redis://:s3cret@cache:6379/0"), ["s3cret"]);
        assert_eq!(found("mongodb+srv://root:pw@cluster0.example.net/db"), ["pw"]);
        assert_eq!(found("amqp://guest:guest@rabbit:5672/"), ["guest"]);
        assert_eq!(found("postgres://app:${DB_PASSWORD}@db/app"), [] as [&str; 0]);
        assert_eq!(found("postgres://app:*@db/app"), [] as [&str; 0]);
        assert_eq!(found("postgres://app@db/app"), [] as [&str; 0]);
        assert_eq!(found("https://example.com/a@b"), [] as [&str; 0]);
        assert_eq!(found("Server=db;Database=shop;User Id=sa;Password=Pass@word1;"), ["Pass@word1"]);
        assert_eq!(found("host=db user=app password=s3cret dbname=app"), ["s3cret"]);
        assert_eq!(found("jdbc:postgresql://db/app?user=app&password=s3cret"), ["s3cret"]);
        assert_eq!(found("Server=db;Pwd=x;"), ["x"]);
        assert_eq!(found("Server=db;Password=${SA_PASSWORD}"), [] as [&str; 0]);
        assert_eq!(found("--db-password=x"), [] as [&str; 0]);
        assert_eq!(found("PASSWORD_POLICY=strict"), [] as [&str; 0]);
    }

    #[test]
    fn cases() {
        let pass = [
            "services:\n  api:\n    image: app:1\n    environment:\n      DATABASE_URL: postgres://app:${DB_PASSWORD}@db/app\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      DATABASE_URL: postgres://app@db/app\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      - DATABASE_URL\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      DB_PASSWORD: s3cret\n",
        ];
        let fail = [
            "services:\n  api:\n    image: app:1\n    environment:\n      DATABASE_URL: postgres://app:s3cret@db/app\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      - REDIS_URL=redis://:s3cret@cache:6379\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      - DATABASE_URL=postgres://${DB_USER}:s3cret@db/app\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      ConnectionStrings__Default: \"Server=db;User Id=sa;Password=Pass@word1\"\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      DATABASE_URL: ${DATABASE_URL:-postgres://app:s3cret@db/app}\n",
            "services:\n  api:\n    image: app:1\n    environment:\n      DATABASE_URL: postgres://app:password@db/app\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn span_and_message() {
        let text = "services:\n  api:\n    image: app:1\n    environment:\n      - \"DATABASE_URL=postgres://app:s3cret@db/app\"\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "s3cret");
        assert_eq!(d.message, "service `api` has a literal password `s…` in the connection string of `DATABASE_URL`");
    }

    #[test]
    fn in_a_default_and_as_a_placeholder() {
        let text = "services:\n  api:\n    image: app:1\n    environment:\n      - DB_URL=${DB_URL:-postgres://u:pw@db/app}\n      - CACHE_URL=redis://:changeme@cache:6379\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert_eq!(&text[found[0].1.range.as_usize()], "pw");
        assert_eq!(found[0].1.severity, crate::Severity::Error);
        let d = &found[1].1;
        assert_eq!(&text[d.range.as_usize()], "changeme");
        assert_eq!(d.severity, crate::Severity::Warning);
        assert_eq!(
            d.message,
            "service `api` has a literal password `ch…` in the connection string of `CACHE_URL` that looks like a placeholder, to replace at deploy time"
        );
    }

    #[test]
    fn through_a_merge_key_the_label_is_at_the_password() {
        let text = "x-env: &env\n  environment:\n    BROKER: amqp://shop:rabbit42@mq/\nservices:\n  worker:\n    <<: *env\n    image: app:1\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "<<");
        assert_eq!(&text[d.labels[0].range.as_usize()], "rabbit42");
    }
}
