//! PLD403 secret-file-copied: COPY or ADD of a file that by its name holds a secret (SSH keys, `.env`,
//! `.npmrc`, cloud credentials, private keys).

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD403",
        name: "secret-file-copied",
        summary: "COPY or ADD puts a secret file (SSH key, `.env`, `.npmrc`, cloud credentials) into the image",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.10"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD403-secret-file-copied.md"),
    },
    check: Check::Dockerfile(check),
};

/// File names that hold secrets, matched exactly (case-insensitively).
const NAMES: &[(&str, &str)] = &[
    ("id_rsa", "an SSH private key"),
    ("id_dsa", "an SSH private key"),
    ("id_ecdsa", "an SSH private key"),
    ("id_ed25519", "an SSH private key"),
    ("id_ecdsa_sk", "an SSH private key"),
    ("id_ed25519_sk", "an SSH private key"),
    (".env", "environment secrets"),
    (".npmrc", "npm registry credentials"),
    (".pypirc", "PyPI credentials"),
    (".netrc", "login credentials"),
    ("_netrc", "login credentials"),
    (".git-credentials", "git credentials"),
    (".dockercfg", "registry credentials"),
    ("credentials", "credentials"),
    ("credentials.json", "credentials"),
    ("kubeconfig", "Kubernetes credentials"),
];

/// Extensions of key stores and private keys.
const EXTENSIONS: &[(&str, &str)] = &[
    ("pem", "a private key or certificate"),
    ("key", "a private key"),
    ("p12", "a PKCS#12 key store"),
    ("pfx", "a PKCS#12 key store"),
    ("jks", "a Java key store"),
];

/// Word parts of a `.pem`/`.key` name that say it is public: a certificate, a CA bundle, a GPG signing key.
const PUBLIC_HINTS: &[&str] = &[
    "cert",
    "crt",
    "ca",
    "cacert",
    "chain",
    "fullchain",
    "bundle",
    "root",
    "pub",
    "public",
    "gpg",
    "pgp",
    "asc",
    "signing",
    "apt",
    "repo",
    "release",
    "archive",
    "keyring",
    "trusted",
];

/// A word that names Diffie-Hellman parameters (`dhparam`, `ssl-dhparams`, `ffdhe2048`, `dh4096`): public
/// group parameters, not a key, whatever the file's extension.
fn is_dh_parameters(word: &str) -> bool {
    let digits_after = |prefix: &str| word.strip_prefix(prefix).is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()));
    word.starts_with("dhparam") || word.starts_with("ffdhe") || digits_after("dh")
}

/// `.env` variants that are templates, committed on purpose.
const ENV_TEMPLATES: &[&str] = &["example", "sample", "template", "dist", "defaults", "default", "test", "ci"];

/// Why a source path names a secret file, if it does.
fn secret_kind(path: &str) -> Option<&'static str> {
    if path.contains(['*', '?', '[', '$']) || path.starts_with("<<") || path.contains("://") {
        return None;
    }
    let trimmed = path.trim_end_matches('/');
    let (parent, base) = trimmed.rsplit_once('/').unwrap_or(("", trimmed));
    let lower = base.to_ascii_lowercase();
    if lower == "config.json" && (parent == ".docker" || parent.ends_with("/.docker")) {
        return Some("registry credentials");
    }
    if let Some((_, kind)) = NAMES.iter().find(|(n, _)| *n == lower) {
        return Some(kind);
    }
    if let Some(suffix) = lower.strip_prefix(".env.") {
        return (!ENV_TEMPLATES.contains(&suffix)).then_some("environment secrets");
    }
    let (stem, ext) = lower.rsplit_once('.')?;
    let (_, kind) = EXTENSIONS.iter().find(|(e, _)| *e == ext)?;
    if matches!(ext, "pem" | "key") {
        let public = stem
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| PUBLIC_HINTS.contains(&w) || w.contains("cert") || w.ends_with("ca") || is_dh_parameters(w));
        if public {
            return None;
        }
    }
    Some(kind)
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()) {
        let (Kind::Copy | Kind::Add) = instr.kind else { continue };
        // Sources of another stage or image are inside the build, not the build context.
        if instr.flag("from").is_some() {
            continue;
        }
        let paths = ctx.file.arguments(instr);
        let Some((_, sources)) = paths.split_last() else { continue };
        for source in sources {
            let Some(kind) = secret_kind(&source.value) else { continue };
            out.push(
                RULE.meta
                    .diagnostic(
                        source.range,
                        format!("`{}` copies `{}`, {kind}, into the image", instr.kind.as_str(), source.value),
                    )
                    .with_help(
                        "use it only where it is needed, with `RUN --mount=type=secret,id=…` (or `--mount=type=ssh` for \
                         SSH keys), and add it to `.dockerignore`",
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE, secret_kind};
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn names() {
        for path in [
            "id_rsa",
            "~/.ssh/id_ed25519",
            ".ssh/id_rsa",
            "server.key",
            "tls/private.pem",
            "cert.p12",
            "store.pfx",
            ".env",
            ".env.production",
            ".npmrc",
            "./.pypirc",
            ".netrc",
            ".git-credentials",
            ".aws/credentials",
            ".docker/config.json",
            "kubeconfig",
            "keystore.jks",
            "dhcp.key",
        ] {
            assert!(secret_kind(path).is_some(), "{path}");
        }
        for path in [
            "id_rsa.pub",
            "*.pem",
            "config.json",
            "ca.pem",
            "ca-cert.pem",
            "fullchain.pem",
            "nginx_signing.key",
            "apt.gpg.key",
            "public.key",
            ".env.example",
            "$KEY_FILE",
            "https://example.com/server.key",
            "keys/",
            "environment",
            ".envrc",
            "rootCA.pem",
            "dhparam.pem",
            "ssl-dhparams.pem",
            "nginx/dhparam-4096.pem",
            "ffdhe2048.pem",
            "dh4096.pem",
            "dh.key",
        ] {
            assert!(secret_kind(path).is_none(), "{path}");
        }
    }

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nCOPY . /app\n",
            "FROM alpine:3.22\nCOPY id_rsa.pub /root/.ssh/authorized_keys\n",
            "FROM alpine:3.22 AS build\nRUN ssh-keygen -f /id_rsa\nFROM alpine:3.22\nCOPY --from=build /id_rsa /x\n",
            "FROM alpine:3.22\nCOPY ca.pem /usr/local/share/ca-certificates/ca.crt\n",
            "FROM alpine:3.22\nCOPY app /.env\n",
            "FROM alpine:3.22\nRUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci\n",
            "FROM alpine:3.22\nCOPY .env.example /app/.env\n",
            "FROM alpine:3.22\nCOPY <<EOF /app/.env\nA=1\nEOF\n",
            "FROM nginx:1.29\nCOPY \"dhparam.pem\" /etc/nginx/ssl/dhparam.pem\n",
            "FROM nginx:1.29\nCOPY ffdhe4096.pem /etc/ssl/\n",
        ];
        let fail = [
            "FROM alpine:3.22\nCOPY id_rsa /root/.ssh/id_rsa\n",
            "FROM alpine:3.22\nADD .ssh/id_ed25519 /root/.ssh/\n",
            "FROM alpine:3.22\nCOPY package.json .npmrc /app/\n",
            "FROM alpine:3.22\nCOPY [\".env\", \"/app/\"]\n",
            "FROM alpine:3.22\nCOPY --chown=app certs/server.key /etc/ssl/private/\n",
            "FROM alpine:3.22\nCOPY .aws/credentials /root/.aws/credentials\n",
            "FROM alpine:3.22\nONBUILD COPY .pypirc /root/\n",
            "FROM alpine:3.22\ncopy .docker/config.json /root/.docker/\n",
            "FROM alpine:3.22\nCOPY \"id_rsa\" /root/.ssh/\n",
            "FROM alpine:3.22\nCOPY 'certs/server.key' /etc/ssl/private/\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn a_quoted_source_is_read_as_the_build_reads_it() {
        let text = "FROM alpine:3.22\nCOPY \"id_rsa\" /root/.ssh/\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "\"id_rsa\"");
        assert_eq!(found[0].message, "`COPY` copies `id_rsa`, an SSH private key, into the image");
    }

    #[test]
    fn span_is_the_source() {
        let text = "FROM alpine:3.22\nCOPY package.json .npmrc /app/\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], ".npmrc");
        assert_eq!(found[0].message, "`COPY` copies `.npmrc`, npm registry credentials, into the image");
    }
}
