//! PLC401 secret-in-environment: a service's `environment:` entry with a secret-looking name and a literal
//! value, or any environment value holding a credential of a known shape (cloud key, token, private key).

use crate::Severity;
use crate::compose::model::KeyValue;
use crate::compose::tree::{Origin, Via};
use crate::rules::dockerfile::hardcoded_credential::{self, Found, URL_PASSWORD};
use crate::rules::secrets::{Literal, classify_literal, is_secret_name};
use crate::rules::{Check, ComposeContext, ComposeFinding, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLC401",
        name: "secret-in-environment",
        summary: "A secret is written in a service's `environment:`, readable by anyone who can inspect the container",
        severity: Severity::Error,
        target: Target::Compose,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["4.10"],
            compose_lint: &["CL-0020"],
            kics: &["Passwords And Secrets"],
        },
        page: include_str!("../../../lints/PLC401-secret-in-environment.md"),
    },
    check: Check::Compose(check),
};

pub(super) const HELP: &str = "keep secrets out of the Compose file: declare them under top-level `secrets:` (with \
                               `file:` or `environment:`) and give them to the service with `secrets:`, or put them \
                               in an env_file kept out of Git";

/// An environment value as written at its definition: the text there and its origin narrowed to the value (in the
/// list form `- KEY=value`, the part after `=`).
pub(super) struct WrittenValue<'a> {
    pub text: &'a str,
    pub origin: Origin,
}

impl WrittenValue<'_> {
    /// The origin of a part of the written text (byte offsets within it).
    pub fn part(&self, start: usize, end: usize) -> Origin {
        let mut origin = self.origin.clone();
        let base = origin.place.range.start as usize;
        origin.place.range = TextRange::from_usize(base + start, base + end);
        origin
    }
}

/// The value of an `environment:` entry as written in its file, when it has one.
pub(super) fn written_value<'a>(ctx: &'a ComposeContext<'_>, entry: &KeyValue) -> Option<WrittenValue<'a>> {
    let value = entry.value.as_ref()?;
    let place = value.origin.place;
    let file = ctx.project.file(place.file)?;
    let raw = file.text.get(place.range.as_usize())?;
    // In the list form the key and the value share the item `KEY=value`; keep what follows the `=`.
    if entry.key.origin.place == place {
        let eq = raw.find('=')?;
        let quoted = raw.starts_with(['"', '\'']) && raw.len() > eq + 1 && raw.ends_with(&raw[..1]);
        let end = if quoted { raw.len() - 1 } else { raw.len() };
        let whole = WrittenValue { text: raw, origin: value.origin.clone() };
        let origin = whole.part(eq + 1, end.max(eq + 1));
        return Some(WrittenValue { text: raw.get(eq + 1..end.max(eq + 1))?, origin });
    }
    Some(WrittenValue { text: raw, origin: value.origin.clone() })
}

/// Credentials of a known shape in a written value, but for passwords in URLs (PLC402 owns those).
fn credentials(written: &WrittenValue<'_>) -> Vec<Found> {
    hardcoded_credential::scan(written.text).into_iter().filter(|f| f.kind != URL_PASSWORD).collect()
}

/// How an environment value holds a secret written in the file: as written, or as the default of a variable
/// that is not set (`${DB_PASSWORD:-changeit}`). `None` when it holds none: empty, taken from a variable that is
/// set, still unknown, a toggle or a path. With it, whether the value is a secret or a placeholder.
fn literal_kind(entry: &KeyValue) -> Option<(&'static str, Literal)> {
    let value = entry.value.as_ref()?;
    let mut interpolated = value.origin.via.iter().filter_map(|v| match v {
        Via::Interpolation { value, .. } => Some(value),
        _ => None,
    });
    let kind = match interpolated.next() {
        None => "a literal value",
        Some(first) if first.is_none() && interpolated.all(Option::is_none) => "a literal default",
        Some(_) => return None,
    };
    let text = value.value.trim();
    if text.contains('$') || value.origin.has_unset() {
        return None;
    }
    // The literal part of `${USER}:${PASS}` with both unset is `:`, which joins references, not a placeholder.
    classify_literal(text, kind == "a literal default").map(|literal| (kind, literal))
}

const PLACEHOLDER_HELP: &str = "give the real value where the service is deployed, not in this file: declare it under \
                                top-level `secrets:` and give it to the service with `secrets:`, or interpolate it \
                                (`${DB_PASSWORD:?set it}`) from an untracked `.env`";

fn check(ctx: &ComposeContext<'_>, out: &mut Vec<ComposeFinding>) {
    for service in &ctx.model.services {
        let name = &service.name.value;
        for entry in &service.environment {
            let Some(written) = written_value(ctx, entry) else { continue };
            let key = &entry.key.value;
            let found = credentials(&written);
            for f in &found {
                let secret = written.text.get(f.start..f.end).unwrap_or_default();
                let shown =
                    if f.kind == "private key" { secret.to_owned() } else { hardcoded_credential::masked(secret) };
                let message =
                    format!("service `{name}` has a literal {} `{shown}` in environment variable `{key}`", f.kind);
                let (file, d) = ctx.finding(&RULE.meta, &written.part(f.start, f.end), message);
                out.push((file, d.with_help(HELP)));
            }
            // A password in a connection string is PLC402's.
            let in_connection_string = !super::credential_in_connection_string::passwords(written.text).is_empty();
            if found.is_empty()
                && !in_connection_string
                && is_secret_name(key)
                && let Some((kind, literal)) = literal_kind(entry)
            {
                let message = match literal {
                    Literal::Secret => format!("service `{name}` sets the secret-looking `{key}` to {kind}"),
                    Literal::Placeholder => format!(
                        "service `{name}` sets the secret-looking `{key}` to {kind} that looks like a placeholder, to replace at deploy time"
                    ),
                };
                let (file, mut d) = ctx.finding(&RULE.meta, &written.origin, message);
                if literal == Literal::Placeholder {
                    d.severity = Severity::Warning;
                    d = d.with_help(PLACEHOLDER_HELP);
                } else {
                    d = d.with_help(HELP);
                }
                out.push((file, d));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_compose_cases, run_compose};

    #[test]
    fn cases() {
        let pass = [
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD_FILE: /run/secrets/db\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-}\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      PWD: /srv/app\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      - DATABASE_PASSWORD=/run/secrets/db-password\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      FLEET_TOKEN_POLICY_NAME: Agent Policy APM Server\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${DB_PASSWORD}\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD:\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ''\n",
            "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_ALLOW_EMPTY_PASSWORD: 'yes'\n",
            "services:\n  db:\n    image: mysql:8\n    environment:\n      MYSQL_RANDOM_ROOT_PASSWORD: 'true'\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n      PASSWORD_MIN_LENGTH: 12\n",
            "services:\n  vault:\n    image: app:1\n    environment:\n      SECRET_PORT: 8443\n      SECRET_LOCAL_HOSTNAME: vault.local\n      PASS_SCHEME: SHA512-CRYPT\n      DOVECOT_PASSWORD_POLICY: strict\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      - DB_PASSWORD=${DB_USER}:${DB_PASS}\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      S3_ID: AKIAIOSFODNN7EXAMPLE\n",
            // A password in a URL belongs to PLC402.
            "services:\n  app:\n    image: app:1\n    environment:\n      DB_CREDENTIALS: postgres://app:s3cret@db/app\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      DB_SECRET: Server=db;Password=x\n",
        ];
        let fail = [
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: s3cret\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=s3cret\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      - \"POSTGRES_PASSWORD=s3cret\"\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      DB_PASSWORD: 12345678\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD:-changeit}\n",
            "services:\n  temporal:\n    image: temporal:1\n    environment:\n      - POSTGRES_PWD=temporal\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      apiKey: abc\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      S3_ID: AKIA2E0A8F3B244C9986\n",
            "services:\n  redis:\n    image: redis:7\n    environment:\n      REDIS_HOST_PASSWORD: hunter2\n",
            "services:\n  sogo:\n    image: sogo:5\n    environment:\n      SOGO_URL_ENCRYPTION_KEY: 0123456789abcdef\n",
            "services:\n  ldap:\n    image: openldap:2\n    environment:\n      - LDAP_USER_PASS=hunter2\n      - LDAP_ROOTPASS=hunter2\n",
            "services:\n  pihole:\n    image: pihole/pihole:2025.03.0\n    environment:\n      WEBPASSWORD: hunter2\n",
            "services:\n  app:\n    image: app:1\n    environment:\n      APP_KEY: base64:2fl+Ktvkfl+Fuz4Qp/A75G2RTiWVA/ZoKZvp6fiiM10=\n      LICENSE_KEY: 0a1b2c3d\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ChangeMe\n",
            "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: _\n",
        ];
        assert_compose_cases(&RULE, &[], &pass, &fail);
    }

    #[test]
    fn the_value_is_the_span_in_both_forms() {
        let list = "services:\n  db:\n    image: postgres:16\n    environment:\n      - \"POSTGRES_PASSWORD=s3cret\"\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", list)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&list[d.range.as_usize()], "s3cret");
        assert_eq!(d.message, "service `db` sets the secret-looking `POSTGRES_PASSWORD` to a literal value");
        assert!(d.help.as_deref().is_some_and(|h| h.starts_with("keep secrets out of the Compose file")));
        let map = "services:\n  api:\n    image: app:1\n    environment:\n      JWT_SECRET: 'abc'\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", map)]);
        assert_eq!(&map[found[0].1.range.as_usize()], "'abc'");
    }

    #[test]
    fn a_placeholder_is_a_warning_that_says_so() {
        let text = "services:\n  mail:\n    image: mailserver:14\n    environment:\n      - DKIM_PRIVATE_KEY=<PRIVKEY>\n      - ROOTPASS=changeme\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 2, "{found:#?}");
        let spans: Vec<&str> = found.iter().map(|(_, d)| &text[d.range.as_usize()]).collect();
        assert_eq!(spans, ["<PRIVKEY>", "changeme"]);
        let d = &found[1].1;
        assert_eq!(d.severity, crate::Severity::Warning);
        assert_eq!(
            d.message,
            "service `mail` sets the secret-looking `ROOTPASS` to a literal value that looks like a placeholder, to replace at deploy time"
        );
        assert!(!d.message.contains("changeme"));
    }

    #[test]
    fn a_default_in_the_file_is_a_literal() {
        let text = "services:\n  db:\n    image: postgres:16\n    environment:\n      - POSTGRES_PASSWORD=${DB_PASSWORD:-s3cret}\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(
            d.message,
            "service `db` sets the secret-looking `POSTGRES_PASSWORD` to a literal default (from `${DB_PASSWORD}`)"
        );
        assert_eq!(&text[d.range.as_usize()], "${DB_PASSWORD:-s3cret}");
        let set = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/.env", "DB_PASSWORD=x\n")]);
        assert!(set.is_empty(), "{set:#?}");
    }

    #[test]
    fn a_token_is_found_whatever_the_name_and_masked() {
        let text = "services:\n  app:\n    image: app:1\n    environment:\n      - S3_ID=AKIA2E0A8F3B244C9986\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "AKIA2E0A8F3B244C9986");
        assert_eq!(d.message, "service `app` has a literal AWS access key id `AKIA…` in environment variable `S3_ID`");
    }

    #[test]
    fn through_an_anchor_the_label_is_at_the_value() {
        let text = "x-env: &env\n  DB_PASSWORD: hunter2\nservices:\n  api:\n    image: app:1\n    environment: *env\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let d = &found[0].1;
        assert_eq!(&text[d.range.as_usize()], "*env");
        assert_eq!(&text[d.labels[0].range.as_usize()], "hunter2");
        assert_eq!(d.labels[0].message, "the value is defined here, under an anchor");
    }

    #[test]
    fn through_extends_the_finding_is_at_extends() {
        let base = "services:\n  base:\n    image: app:1\n    environment:\n      - API_TOKEN=abc123\n";
        let text = "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n";
        let found = run_compose(&RULE, &[("/p/compose.yaml", text), ("/p/base.yaml", base)]);
        assert_eq!(found.len(), 1, "{found:#?}");
        let at = found[0].1.labels[0].elsewhere.as_ref().expect("a label in base.yaml");
        assert_eq!((at.start.line, at.start.column, at.end.column), (5, 19, 25));
    }
}
