//! PLD103 remote-add-without-checksum: `ADD <url>` without `--checksum` (a git source without a commit pin).

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD103",
        name: "remote-add-without-checksum",
        summary: "ADD fetches a URL or a git repository without `--checksum` or a commit pin",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLD103-remote-add-without-checksum.md"),
    },
    check: Check::Dockerfile(check),
};

/// A git source as BuildKit reads it: `git@host:repo`, `git://…`, `ssh://…`, or an http(s) URL whose path ends
/// in `.git` (a `#ref` fragment after it allowed).
fn is_git(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let path = lower.split('#').next().unwrap_or(&lower);
    lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
        || ((lower.starts_with("https://") || lower.starts_with("http://")) && path.ends_with(".git"))
}

fn is_http(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `#<40 or 64 hex digits>` (optionally followed by `:subdir`): the commit is fixed.
fn git_commit_pinned(url: &str) -> bool {
    let Some((_, fragment)) = url.split_once('#') else { return false };
    let reference = fragment.split(':').next().unwrap_or(fragment);
    matches!(reference.len(), 40 | 64) && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()).filter(|i| i.kind == Kind::Add) {
        if instr.flag("checksum").is_some() {
            continue;
        }
        let paths = ctx.file.arguments(instr);
        let Some((_, sources)) = paths.split_last() else { continue };
        for source in sources {
            let url = source.value.as_str();
            if is_git(url) {
                if !git_commit_pinned(url) {
                    out.push(
                        RULE.meta
                            .diagnostic(source.range, format!("`{url}` is a git source not pinned to a commit"))
                            .with_help(
                                "pin the commit: `ADD --checksum=<commit sha> <repo>#<tag>` or `<repo>#<commit sha>`",
                            ),
                    );
                }
            } else if is_http(url) {
                out.push(
                    RULE.meta
                        .diagnostic(source.range, format!("`{url}` is downloaded without a checksum"))
                        .with_help("add `--checksum=sha256:<digest>` so the build fails if the file changes"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nADD --checksum=sha256:24454f830cdd https://example.com/a.tar.gz /a.tar.gz\n",
            "FROM alpine:3.22\nADD app.tar.gz /opt/\n",
            "FROM alpine:3.22\nADD --chown=1:1 ./src /src\n",
            "FROM alpine:3.22\nCOPY https://example.com/a /a\n",
            "FROM alpine:3.22\nADD https://github.com/moby/buildkit.git#9e0fb2ba9cbd4e3f41b0bb2d3cbe1e1c6bd7e3a0 /bk\n",
            "FROM alpine:3.22\nADD --checksum=9e0fb2ba9cbd4e3f41b0bb2d3cbe1e1c6bd7e3a0 git@github.com:moby/buildkit.git#v0.14.0 /bk\n",
            "FROM alpine:3.22\nadd --checksum=sha256:abc \\\n  https://example.com/a /a\n",
            "FROM alpine:3.22\nADD [\"local file\", \"/dst/\"]\n",
            "FROM alpine:3.22\nADD $URL /a\n",
        ];
        let fail = [
            "FROM alpine:3.22\nADD https://example.com/a.tar.gz /a.tar.gz\n",
            "FROM alpine:3.22\nADD http://example.com/a /a\n",
            "FROM alpine:3.22\nadd \\\n  https://example.com/a \\\n  /a\n",
            "FROM alpine:3.22\nADD [\"https://example.com/a\", \"/a\"]\n",
            "FROM alpine:3.22\nADD --chown=1:1 https://example.com/${V}/a /a\n",
            "FROM alpine:3.22\nONBUILD ADD https://example.com/a /a\n",
            "FROM alpine:3.22\nADD git@github.com:moby/buildkit.git /bk\n",
            "FROM alpine:3.22\nADD https://github.com/moby/buildkit.git#v0.14.0 /bk\n",
            "FROM alpine:3.22\nADD --keep-git-dir=true https://github.com/moby/buildkit.git /bk\n",
            "FROM alpine:3.22\nADD local.txt https://example.com/a /dst/\n",
            "FROM alpine:3.22\nADD \"https://github.com/just-containers/s6-overlay/releases/download/v3.2.0.2/s6-overlay-noarch.tar.xz\" /tmp\n",
            "FROM alpine:3.22\nADD 'https://example.com/a' /a\n",
            "FROM alpine:3.22\nADD \"git@github.com:moby/buildkit.git\" /bk\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn a_quoted_url_is_read_as_the_build_reads_it() {
        let text = "FROM alpine:3.22\nADD \"https://example.com/s6-overlay.tar.xz\" /tmp\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "\"https://example.com/s6-overlay.tar.xz\"");
        assert_eq!(found[0].message, "`https://example.com/s6-overlay.tar.xz` is downloaded without a checksum");
    }
}
