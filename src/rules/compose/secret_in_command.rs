//! PLC403 secret-in-command: a secret written on a service's command line, in `command:`, `entrypoint:` or
//! `healthcheck.test` (`redis-server --requirepass secret`, `mysqladmin ping -psecret`, `PGPASSWORD=secret psql`).

use crate::Severity;
use crate::compose::tree::{Origin, Value, Via};
use crate::rules::secrets::{CommandLineSecret, Literal, secrets_in_args, secrets_in_script};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell::{self, NestedScript, Script, SimpleCommand, Word};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC403",
        name: "secret-in-command",
        summary: "A secret is written on a service's command line (`command:`, `entrypoint:`, `healthcheck.test`)",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["4.10"],
            compose_lint: &["CL-0020"],
            kics: &[],
        },
        page: include_str!("../../../lints/PLC403-secret-in-command.md"),
    },
    check: Check::Compose(check),
};

const HELP: &str = "read it when the container starts: declare it under top-level `secrets:`, give it to the service, \
                    and use the program's password-file option or `sh -c 'exec redis-server --requirepass \
                    \"$$(cat /run/secrets/redis_password)\"'` (`$$` keeps Compose from interpolating); then rotate it";

/// A scalar's text as written in its file and the file offset where it starts, when each byte of it is a byte of
/// the value: a plain or quoted scalar on one line, without escapes.
fn written<'a>(ctx: &'a ComposeContext<'_>, value: &Value) -> Option<(&'a str, u32)> {
    value.as_scalar()?;
    let place = value.origin.place;
    let raw = ctx.project.file(place.file)?.text.get(place.range.as_usize())?;
    if raw.contains(['\n', '\r']) {
        return None;
    }
    let inner = |quote: char, forbidden: &[char]| {
        let inner = raw.strip_prefix(quote)?.strip_suffix(quote)?;
        (!inner.contains(forbidden)).then_some((inner, place.range.start + 1))
    };
    match raw.chars().next() {
        Some('\'') => inner('\'', &['\'']),
        Some('"') => inner('"', &['"', '\\']),
        Some('|' | '>') => None,
        _ => Some((raw, place.range.start)),
    }
}

fn interpolated(value: &Value) -> bool {
    value.origin.via.iter().any(|v| matches!(v, Via::Interpolation { .. }))
}

/// A list item as a word: as written when it can be located byte for byte, else its value over the whole item.
/// A word holding `$` has no literal value (Compose interpolates it, or the shell expands `$$` at run time).
fn item_word(ctx: &ComposeContext<'_>, item: &Value) -> Option<Word> {
    let scalar = item.as_scalar()?;
    let literal = |text: &str| (!text.contains('$')).then(|| text.to_owned());
    Some(match written(ctx, item) {
        Some((text, start)) => Word {
            text: text.to_owned(),
            value: literal(text),
            range: TextRange::new(start, start + text.len() as u32),
        },
        None => Word {
            text: scalar.text.clone(),
            value: if interpolated(item) { None } else { literal(&scalar.text) },
            range: item.origin.place.range,
        },
    })
}

/// A scalar parsed as a shell line, and whether its ranges are only approximate: a scalar that cannot be
/// located byte for byte (folded, escaped) is parsed from its value, offsets counted from its start, and what is
/// found in it is located again by [`relocate`]. An interpolated one of those is not read.
fn scalar_script(ctx: &ComposeContext<'_>, value: &Value) -> Option<(Script, bool)> {
    match written(ctx, value) {
        Some((text, start)) => Some((shell::parse_script(text, &|o| start + o as u32), false)),
        None if interpolated(value) => None,
        None => {
            let start = value.origin.place.range.start;
            Some((shell::parse_script(&value.as_scalar()?.text, &|o| start + o as u32), true))
        }
    }
}

/// The range of a secret found in a scalar parsed from its value: where its value is written after the
/// scalar's start (words are kept whole by folding), else the scalar's own range.
fn relocate(ctx: &ComposeContext<'_>, scalar: &Value, secret: &CommandLineSecret) -> TextRange {
    let place = scalar.origin.place;
    let Some(text) = ctx.project.file(place.file).map(|f| f.text.as_str()) else { return place.range };
    if text.get(secret.range.as_usize()) == Some(secret.value.as_str()) {
        return secret.range;
    }
    let start = place.range.start as usize;
    let len = scalar.as_scalar().map_or(0, |s| s.text.len());
    let end = (start + 4 * len + 64).min(text.len());
    let found = text.get(start..end).and_then(|window| window.find(secret.value.as_str()));
    found.map_or(place.range, |at| TextRange::from_usize(start + at, start + at + secret.value.len()))
}

/// The index in `args` of the script of `sh -c '…'` (`-c`, or a bundle ending in `c`: `-ec`).
fn shell_script_arg(program: &str, args: &[Word]) -> Option<usize> {
    if !shell::is_shell_program(program) {
        return None;
    }
    let flag = args.iter().position(|a| {
        a.value
            .as_deref()
            .and_then(|v| v.strip_prefix('-'))
            .is_some_and(|f| !f.starts_with('-') && f.ends_with('c') && f.chars().all(|c| c.is_ascii_alphabetic()))
    })?;
    Some(flag + 1)
}

fn base_name(word: &Word) -> &str {
    let value = word.value.as_deref().unwrap_or_default();
    value.rsplit('/').next().unwrap_or(value)
}

/// The secrets on a command written as a list: the program and its words, and the script of `sh -c`.
/// Returns the scalar to locate its findings again in ([`relocate`]), if any.
fn list_secrets<'v>(
    ctx: &ComposeContext<'_>,
    items: &'v [Value],
    entrypoint: &str,
    out: &mut Vec<CommandLineSecret>,
) -> Option<&'v Value> {
    let words: Vec<Word> = items.iter().filter_map(|i| item_word(ctx, i)).collect();
    let (first, rest) = words.split_first()?;
    // `command: ["--requirepass", "x"]` gives arguments to the entrypoint.
    if first.value.as_deref().is_some_and(|v| v.starts_with('-')) {
        secrets_in_args(entrypoint, &words, out);
        return None;
    }
    let range = words.iter().fold(first.range, |r, w| r.cover(w.range));
    let command =
        SimpleCommand { name: Some(first.clone()), args: rest.to_vec(), env: Vec::new(), redirects: Vec::new(), range };
    let mut script = Script { range, ..Script::default() };
    let mut approximate = None;
    if let Some(k) = shell_script_arg(base_name(first), rest)
        && let Some(item) = items.get(k + 1)
        && let Some((nested, inexact)) = scalar_script(ctx, item)
    {
        script.nested.push(NestedScript { command: 0, script: nested });
        approximate = inexact.then_some(item);
    }
    script.commands.push(command);
    secrets_in_script(&script, out);
    approximate
}

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let Some(raw) = &service.raw else { continue };
        let entrypoint = service
            .entrypoint
            .as_ref()
            .and_then(|e| e.value.args.first())
            .map_or("", |p| p.rsplit('/').next().unwrap_or(p));
        let health = raw.get("healthcheck").filter(|h| h.get("disable").and_then(Value::as_bool) != Some(true));
        let places = [
            ("command", raw.get("command")),
            ("entrypoint", raw.get("entrypoint")),
            ("healthcheck.test", health.and_then(|h| h.get("test"))),
        ];
        for (key, value) in places {
            let Some(value) = value else { continue };
            let mut found = Vec::new();
            let approximate = match (value.as_seq(), key) {
                (Some(items), "healthcheck.test") => match items.first().and_then(Value::as_str) {
                    Some("CMD") => list_secrets(ctx, items.get(1..).unwrap_or_default(), "", &mut found),
                    Some("CMD-SHELL") => items.get(1).and_then(|i| in_script(ctx, i, &mut found)),
                    _ => None,
                },
                (Some(items), _) => list_secrets(ctx, items, entrypoint, &mut found),
                (None, _) => in_script(ctx, value, &mut found),
            };
            for mut secret in found {
                if let Some(scalar) = approximate {
                    secret.range = relocate(ctx, scalar, &secret);
                }
                out.push(finding(ctx, service.name.value.as_str(), key, value, &secret));
            }
        }
    }
}

/// The secrets of a scalar read as a shell line; the scalar when they are to be located again.
fn in_script<'v>(ctx: &ComposeContext<'_>, scalar: &'v Value, found: &mut Vec<CommandLineSecret>) -> Option<&'v Value> {
    let (script, inexact) = scalar_script(ctx, scalar)?;
    secrets_in_script(&script, found);
    inexact.then_some(scalar)
}

fn finding(
    ctx: &ComposeContext<'_>,
    service: &str,
    key: &str,
    value: &Value,
    secret: &CommandLineSecret,
) -> ComposeFinding {
    let what = match secret.literal {
        Literal::Secret => "a literal secret",
        Literal::Placeholder => "a value that looks like a placeholder (to replace at deploy time)",
    };
    let program =
        if secret.program.is_empty() { "the image's entrypoint".to_owned() } else { format!("`{}`", secret.program) };
    let given = &secret.given_with;
    let message = if secret.variable {
        format!("service `{service}` runs {program} with `{given}` set to {what} in `{key}:`")
    } else {
        format!("service `{service}` gives {program} {what} with `{given}` in `{key}:`")
    };
    // The finding is on the value.
    let mut origin = Origin { place: value.origin.place, via: value.origin.via.clone() };
    origin.via.retain(|v| !matches!(v, Via::Interpolation { .. }));
    origin.place.range = secret.range;
    let (file, mut d) = ctx.finding(&RULE.meta, &origin, message);
    if secret.literal == Literal::Placeholder {
        d.severity = Severity::Warning;
    }
    (file, d.with_help(HELP))
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    fn service(body: &str) -> String {
        format!("services:\n  app:\n    image: app:1\n{body}")
    }

    #[test]
    fn cases() {
        let pass = [
            service("    command: redis-server --requirepass ${REDIS_PASSWORD}\n"),
            service("    command: [\"redis-server\", \"--requirepass\", \"$${REDIS_PASSWORD}\"]\n"),
            service(
                "    command:\n      - sh\n      - -c\n      - valkey-server --requirepass $$REDIS_PASSWORD ## $$ because of compose\n",
            ),
            service(
                "    healthcheck:\n      test: ['CMD-SHELL', 'mysqladmin ping -h 127.0.0.1 --password=\"$$(cat /run/secrets/db-password)\" --silent']\n",
            ),
            service(
                "    healthcheck:\n      test: [\"CMD\", \"mysqladmin\", \"ping\", \"-h\", \"127.0.0.1\", \"--silent\"]\n",
            ),
            service(
                "    healthcheck:\n      disable: true\n      test: [\"CMD\", \"redis-cli\", \"-a\", \"s3cret\", \"ping\"]\n",
            ),
            service("    command: [\"app\", \"--password-file\", \"/run/secrets/pw\"]\n"),
            service("    command: mysql -u root -p app\n"),
            service("    command: [\"echo\", \"--password=s3cret\"]\n"),
        ];
        let fail = [
            service("    command: redis-server --requirepass s3cret\n"),
            service("    command: [\"redis-server\", \"--requirepass\", \"s3cret\"]\n"),
            service("    command: \"redis-server --requirepass 's3cret'\"\n"),
            service("    entrypoint: [\"sh\", \"-c\", \"exec redis-server --masterauth s3cret\"]\n"),
            service("    healthcheck:\n      test: [\"CMD\", \"mysqladmin\", \"ping\", \"-uroot\", \"-ps3cret\"]\n"),
            service("    healthcheck:\n      test: [\"CMD-SHELL\", \"PGPASSWORD=s3cret pg_isready -h db\"]\n"),
            service("    healthcheck:\n      test: mongosh -u root -p s3cret --eval 'db.ping()'\n"),
            service("    entrypoint: [\"redis-server\"]\n    command: [\"--requirepass\", \"s3cret\"]\n"),
            service("    command: app --admin-password=changeme\n"),
            service("    command: >-\n      redis-server\n      --requirepass s3cret\n"),
        ];
        let pass: Vec<&str> = pass.iter().map(String::as_str).collect();
        let fail: Vec<&str> = fail.iter().map(String::as_str).collect();
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    fn one(text: &str) -> (String, String, Severity) {
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        (text[d.range.as_usize()].to_owned(), d.message.clone(), d.severity)
    }

    #[test]
    fn the_span_is_the_value_and_the_message_hides_it() {
        let (span, message, severity) =
            one(&service("    command: [\"redis-server\", \"--requirepass\", \"s3cret\"]\n"));
        assert_eq!(span, "s3cret");
        assert_eq!(message, "service `app` gives `redis-server` a literal secret with `--requirepass` in `command:`");
        assert_eq!(severity, Severity::Error);
        let (span, _, _) = one(&service("    command: redis-server --port 6380 --requirepass 's3cret'\n"));
        assert_eq!(span, "'s3cret'");
        let (span, message, _) =
            one(&service("    healthcheck:\n      test: [\"CMD-SHELL\", \"PGPASSWORD=s3cret pg_isready -h db\"]\n"));
        assert_eq!(span, "s3cret");
        assert_eq!(
            message,
            "service `app` runs `pg_isready` with `PGPASSWORD` set to a literal secret in `healthcheck.test:`"
        );
        let (span, message, _) =
            one(&service("    entrypoint: [\"redis-server\"]\n    command: [\"--requirepass\", \"s3cret\"]\n"));
        assert_eq!(span, "s3cret");
        assert!(message.contains("gives `redis-server` a literal secret"), "{message}");
    }

    #[test]
    fn a_folded_or_escaped_command_is_located_again() {
        let text = service("    command: >-\n      redis-server\n      --requirepass s3cret\n");
        let found = run_compose(&RULE, &[("/p/compose.yaml", &text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(text.find("s3cret").map(|at| at..at + 6), Some(found[0].1.range.as_usize()));
        let text = service("    command: [\"sh\", \"-c\", \"redis-server --requirepass \\\"s3cret\\\"\"]\n");
        let found = run_compose(&RULE, &[("/p/compose.yaml", &text)]);
        assert_eq!(found.len(), 1, "{text}\n{found:#?}");
        assert_eq!(&text[found[0].1.range.as_usize()], "s3cret");
    }

    #[test]
    fn a_placeholder_is_a_warning() {
        let (span, message, severity) = one(&service("    command: app --admin-password=changeme\n"));
        assert_eq!(span, "changeme");
        assert_eq!(
            message,
            "service `app` gives `app` a value that looks like a placeholder (to replace at deploy time) with `--admin-password` in `command:`"
        );
        assert_eq!(severity, Severity::Warning);
    }

    #[test]
    fn through_an_anchor_the_finding_is_at_the_alias() {
        let text = "x-cmd: &cmd [\"redis-server\", \"--requirepass\", \"s3cret\"]\nservices:\n  a:\n    image: redis:7\n    command: *cmd\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*cmd");
        assert_eq!(&text[d.labels[0].range.as_usize()], "s3cret");
    }
}
