//! PLD402 hardcoded-credential: a credential of a known shape written in an instruction (cloud keys, tokens,
//! private keys, passwords in URLs).

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::secrets::is_placeholder;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD402",
        name: "hardcoded-credential",
        summary: "A credential (cloud key, access token, private key, password in a URL) is written in the Dockerfile",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &[],
            buildkit: &[],
            cis: &["4.10"],
            compose_lint: &[],
            kics: &["Passwords And Secrets"],
        },
        page: include_str!("../../../lints/PLD402-hardcoded-credential.md"),
    },
    check: Check::Dockerfile(check),
};

/// A credential found in a text: its kind and byte range.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) kind: &'static str,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The length of the run of bytes from `at` that satisfy `pred`.
fn run_len(bytes: &[u8], at: usize, pred: impl Fn(u8) -> bool) -> usize {
    bytes.get(at..).map_or(0, |rest| rest.iter().take_while(|&&b| pred(b)).count())
}

/// Prefixed tokens: `(prefix, kind, body predicate, minimum body length, exact length or not)`.
type TokenShape = (&'static str, &'static str, fn(u8) -> bool, usize, bool);

fn upper_alnum(b: u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}
fn alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}
fn alnum_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}
fn alnum_dash_underscore(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}
fn alnum_dash(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

const TOKENS: &[TokenShape] = &[
    ("AKIA", "AWS access key id", upper_alnum, 16, true),
    ("ASIA", "AWS access key id", upper_alnum, 16, true),
    ("ghp_", "GitHub token", alnum, 36, false),
    ("gho_", "GitHub token", alnum, 36, false),
    ("ghu_", "GitHub token", alnum, 36, false),
    ("ghs_", "GitHub token", alnum, 36, false),
    ("ghr_", "GitHub token", alnum, 36, false),
    ("github_pat_", "GitHub token", alnum_underscore, 82, false),
    ("glpat-", "GitLab token", alnum_dash_underscore, 20, false),
    ("xoxb-", "Slack token", alnum_dash, 10, false),
    ("xoxa-", "Slack token", alnum_dash, 10, false),
    ("xoxp-", "Slack token", alnum_dash, 10, false),
    ("xoxr-", "Slack token", alnum_dash, 10, false),
    ("xoxs-", "Slack token", alnum_dash, 10, false),
    ("sk_live_", "Stripe secret key", alnum, 24, false),
    ("rk_live_", "Stripe secret key", alnum, 24, false),
    ("AIza", "Google API key", alnum_dash_underscore, 35, true),
];

/// Every credential in `text`, in order.
pub(crate) fn scan(text: &str) -> Vec<Found> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Only a byte that can start something is looked at closely: a token's first letter, the `-` of a private
    // key header, the `:` of `://`.
    let mut starts = [false; 256];
    for b in TOKENS.iter().filter_map(|t| t.0.bytes().next()).chain([b'-', b':']) {
        starts[usize::from(b)] = true;
    }
    while i < bytes.len() {
        if !starts[usize::from(bytes[i])] {
            i += 1;
            continue;
        }
        if let Some(found) = token_at(bytes, i).or_else(|| private_key_at(text, i)).or_else(|| url_password_at(text, i))
        {
            i = found.end.max(i + 1);
            out.push(found);
        } else {
            i += 1;
        }
    }
    out
}

fn token_at(bytes: &[u8], i: usize) -> Option<Found> {
    if i > 0 && bytes.get(i - 1).copied().is_some_and(is_word_byte) {
        return None;
    }
    for &(prefix, kind, pred, min, exact) in TOKENS {
        if !bytes.get(i..)?.starts_with(prefix.as_bytes()) {
            continue;
        }
        let body = i + prefix.len();
        let len = run_len(bytes, body, pred);
        let ok = if exact { len == min } else { len >= min };
        // A token is a whole word: nothing word-like right after it.
        if ok && !bytes.get(body + len).copied().is_some_and(is_word_byte) {
            let end = body + len;
            // The AWS documentation's example keys are not secrets.
            if text_slice(bytes, i, end).ends_with(b"EXAMPLE") {
                return None;
            }
            return Some(Found { kind, start: i, end });
        }
    }
    None
}

fn text_slice(bytes: &[u8], start: usize, end: usize) -> &[u8] {
    bytes.get(start..end).unwrap_or_default()
}

/// `-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----`.
fn private_key_at(text: &str, i: usize) -> Option<Found> {
    const BEGIN: &str = "-----BEGIN ";
    let rest = text.get(i..)?;
    let after = rest.strip_prefix(BEGIN)?;
    let middle = after.bytes().take_while(|b| b.is_ascii_uppercase() || *b == b' ').count();
    let label = after.get(..middle)?;
    let closed = after.get(middle..).is_some_and(|t| t.starts_with("-----"));
    if middle <= 60 && closed && (label.ends_with("PRIVATE KEY") || label.ends_with("PRIVATE KEY BLOCK")) {
        return Some(Found { kind: "private key", start: i, end: i + BEGIN.len() + middle + "-----".len() });
    }
    None
}

/// The password of `scheme://user:password@host`, when it is literal.
fn url_password_at(text: &str, i: usize) -> Option<Found> {
    let rest = text.get(i..)?;
    if !rest.starts_with("://") {
        return None;
    }
    // The scheme before: letters, digits, `+`, `-`, `.`, starting with a letter.
    let before = text.get(..i)?;
    let scheme_len =
        before.bytes().rev().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')).count();
    // A scheme starts with a letter: in `${DB_URL:-postgres://…}` the `-` of the default is not part of it.
    let scheme = before[before.len() - scheme_len..].trim_start_matches(|c: char| !c.is_ascii_alphabetic());
    if scheme.is_empty() {
        return None;
    }
    let start = i + 3;
    let authority_len = text[start..]
        .bytes()
        .take_while(|b| !b.is_ascii_whitespace() && !matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'\\'))
        .count();
    let authority = &text[start..start + authority_len];
    let at = authority.rfind('@')?;
    let (userinfo, host) = (&authority[..at], &authority[at + 1..]);
    let colon = userinfo.find(':')?;
    let password = &userinfo[colon + 1..];
    let host_ok = host.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric() || b == b'[');
    let templated = |s: &str| s.contains(['$', '%', '{', '}', '<', '>', '*']);
    if password.is_empty() || templated(password) || !host_ok {
        return None;
    }
    let pw_start = start + colon + 1;
    Some(Found { kind: URL_PASSWORD, start: pw_start, end: pw_start + password.len() })
}

/// The kind of a password written in a URL's userinfo (`scheme://user:password@host`).
pub(crate) const URL_PASSWORD: &str = "password in a URL";

/// The secret with all but its first characters hidden: `AKIA…`.
pub(crate) fn masked(secret: &str) -> String {
    let shown = (secret.chars().count() / 4).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…")
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let text = ctx.source.text.as_str();
    for instr in &ctx.file.instructions {
        let Some(slice) = text.get(instr.range.as_usize()) else { continue };
        let base = instr.range.as_usize().start;
        for found in scan(slice) {
            let range = TextRange::from_usize(base + found.start, base + found.end);
            // Comment lines inside a continued instruction are not part of it.
            if ctx.file.comments.iter().any(|c| c.range.contains_range(range)) {
                continue;
            }
            let secret = slice.get(found.start..found.end).unwrap_or_default();
            let shown = if found.kind == "private key" { secret.to_owned() } else { masked(secret) };
            let help = "remove it and rotate it (it is in the image and its history); pass secrets at build time \
                        with `RUN --mount=type=secret,id=…` and at run time through the environment or a mounted file";
            if found.kind == URL_PASSWORD && is_placeholder(secret) {
                let message = format!(
                    "{} `{shown}` written in the Dockerfile looks like a placeholder, to replace at deploy time",
                    found.kind
                );
                let mut d = RULE.meta.diagnostic(range, message).with_help(
                    "take the password out of the URL and give the real one at run time (the environment or a mounted file)",
                );
                d.severity = Severity::Warning;
                out.push(d);
                continue;
            }
            out.push(
                RULE.meta
                    .diagnostic(range, format!("{} `{shown}` written in the Dockerfile", found.kind))
                    .with_help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, masked, scan};
    use crate::Severity;
    use crate::rules::testing::{assert_cases, run};

    fn kinds(text: &str) -> Vec<(&'static str, &str)> {
        scan(text).into_iter().map(|f| (f.kind, &text[f.start..f.end])).collect()
    }

    #[test]
    fn matchers() {
        assert_eq!(kinds("x AKIA2E0A8F3B244C9986 y"), [("AWS access key id", "AKIA2E0A8F3B244C9986")]);
        assert_eq!(kinds("AKIAIOSFODNN7EXAMPLE"), []);
        assert_eq!(kinds("XAKIA2E0A8F3B244C9986"), []);
        assert_eq!(kinds("AKIA2E0A8F3B244C99861"), []);
        let ghp = format!("ghp_{}", "a1B2".repeat(9));
        assert_eq!(kinds(&format!("TOKEN={ghp}")), [("GitHub token", ghp.as_str())]);
        assert_eq!(kinds("ghp_short"), []);
        assert_eq!(kinds("glpat-abcdefghij0123456789"), [("GitLab token", "glpat-abcdefghij0123456789")]);
        assert_eq!(kinds("-----BEGIN RSA PRIVATE KEY-----"), [("private key", "-----BEGIN RSA PRIVATE KEY-----")]);
        assert_eq!(kinds("-----BEGIN PRIVATE KEY-----"), [("private key", "-----BEGIN PRIVATE KEY-----")]);
        assert_eq!(
            kinds("-----BEGIN OPENSSH PRIVATE KEY-----"),
            [("private key", "-----BEGIN OPENSSH PRIVATE KEY-----")]
        );
        assert_eq!(kinds("-----BEGIN PUBLIC KEY-----"), []);
        assert_eq!(kinds("-----BEGIN CERTIFICATE-----"), []);
        assert_eq!(kinds("postgres://app:s3cret@db:5432/app"), [("password in a URL", "s3cret")]);
        assert_eq!(kinds("https://user:${PASS}@host/"), []);
        assert_eq!(kinds("https://user:$PASS@host/"), []);
        assert_eq!(kinds("https://user:@host/"), []);
        assert_eq!(kinds("ssh://git@github.com:22/org/repo"), []);
        assert_eq!(kinds("http://host:8080/a@b"), []);
        assert_eq!(kinds("https://%USER%:%PASS%@host"), []);
        // In a variable's default.
        assert_eq!(kinds("${DB_URL:-postgres://u:pw@db/app}"), [("password in a URL", "pw")]);
        assert_eq!(kinds("${DB_URL:=mysql://root:s3cret@db}"), [("password in a URL", "s3cret")]);
        assert_eq!(kinds("-://u:pw@db"), []);
        assert_eq!(
            kinds("AIzaSyA1234567890abcdefghijklmnopqrstuv"),
            [("Google API key", "AIzaSyA1234567890abcdefghijklmnopqrstuv")]
        );
        assert_eq!(kinds("xoxb-1234567890-abcdef"), [("Slack token", "xoxb-1234567890-abcdef")]);
        assert_eq!(
            kinds("sk_live_abcdefghijklmnopqrstuvwx"),
            [("Stripe secret key", "sk_live_abcdefghijklmnopqrstuvwx")]
        );
        assert_eq!(kinds("sk_test_abcdefghijklmnopqrstuvwx"), []);
    }

    #[test]
    fn masking() {
        assert_eq!(masked("AKIA2E0A8F3B244C9986"), "AKIA…");
        assert_eq!(masked("s3cret"), "s…");
        assert_eq!(masked("pw"), "…");
    }

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nRUN git clone https://github.com/org/repo.git\n",
            "FROM alpine:3.22\nRUN curl -u \"$USER:$PASS\" https://$USER:${PASS}@example.com/x\n",
            "FROM alpine:3.22\n# RUN echo AKIA2E0A8F3B244C9986\n",
            "FROM alpine:3.22\nRUN echo a \\\n# AKIA2E0A8F3B244C9986\n  && echo b\n",
            "FROM alpine:3.22\nENV AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n",
            "FROM alpine:3.22\nRUN ssh-keygen -t ed25519 -f /etc/ssh/key -N ''\n",
            "FROM alpine:3.22\nRUN grep -q 'BEGIN CERTIFICATE' /etc/ssl/cert.pem\n",
        ];
        let fail = [
            "FROM alpine:3.22\nENV AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n",
            "FROM alpine:3.22\nRUN git clone https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/org/repo\n",
            "FROM alpine:3.22\nRUN pip install --index-url https://build:hunter2@pypi.example.com/simple app\n",
            "FROM alpine:3.22\nLABEL token=\"glpat-abcdefghij0123456789\"\n",
            "FROM alpine:3.22\nCMD [\"app\", \"--db\", \"mysql://root:root@db/app\"]\n",
            "FROM alpine:3.22\nRUN <<EOF\nmkdir -p /root/.ssh\ncat > /root/.ssh/id_rsa <<KEY\n-----BEGIN OPENSSH PRIVATE KEY-----\nabc\nKEY\nEOF\n",
            "ARG KEY=AKIA2E0A8F3B244C9986\nFROM alpine:3.22\n",
            "FROM alpine:3.22\nONBUILD RUN curl -H 'Authorization: token ghp_0123456789abcdefghijABCDEFGHIJ012345' x\n",
            "FROM alpine:3.22\nENV DATABASE_URL=${DATABASE_URL:-postgres://app:s3cret@db/app}\n",
            "FROM alpine:3.22\nENV DATABASE_URL=postgres://app:password@db/app\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn span_and_message() {
        let text = "FROM alpine:3.22\nENV AWS_ACCESS_KEY_ID=AKIA2E0A8F3B244C9986\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "AKIA2E0A8F3B244C9986");
        assert_eq!(found[0].message, "AWS access key id `AKIA…` written in the Dockerfile");
    }

    #[test]
    fn a_password_in_a_default_and_a_placeholder() {
        let text = "FROM alpine:3.22\nENV DATABASE_URL=${DATABASE_URL:-postgres://app:s3cret@db/app}\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(&text[found[0].range.as_usize()], "s3cret");
        assert_eq!(found[0].message, "password in a URL `s…` written in the Dockerfile");
        let text = "FROM alpine:3.22\nENV DATABASE_URL=postgres://app:changeme@db/app\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(&text[found[0].range.as_usize()], "changeme");
        assert_eq!(found[0].severity, Severity::Warning);
        assert_eq!(
            found[0].message,
            "password in a URL `ch…` written in the Dockerfile looks like a placeholder, to replace at deploy time"
        );
    }
}
