//! PLD105 package-signatures-disabled: package managers told to install unsigned or unverified packages.

use super::run_scripts::long_flag;
use super::tls_verification_disabled::remove_flag;
use crate::Severity;
use crate::diagnostic::{Diagnostic, Fix};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell::{self, Word};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD105",
        name: "package-signatures-disabled",
        summary: "A package manager installs without checking package signatures",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLD105-package-signatures-disabled.md"),
    },
    check: Check::Dockerfile(check),
};

const HELP_APT: &str =
    "remove the option; import the repository's key (`signed-by=` in the sources entry) so apt can verify packages";
const HELP_RPM: &str =
    "remove the option; import the repository's GPG key (`rpm --import <key>`) and keep `gpgcheck=1`";

/// `APT::Get::AllowUnauthenticated=true` and the like, as an `-o` value or a line of an apt.conf file.
fn apt_option_disables(text: &str) -> bool {
    // Most words are shorter than the shortest option name; they are let go without a copy.
    if text.len() < "allowunauthenticated".len() {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    ["allowunauthenticated", "allowinsecurerepositories", "allowdowngradetoinsecurerepositories"].iter().any(|k| {
        lower.find(k).is_some_and(|p| {
            let rest = lower[p + k.len()..].trim_start_matches(['=', ' ', '"', '\'']);
            rest.starts_with("true") || rest.starts_with('1') || rest.starts_with("yes")
        })
    })
}

/// `gpgcheck=0` (not `repo_gpgcheck=0`, which is only about repository metadata), as in a `.repo` file.
fn gpgcheck_off(text: &str) -> bool {
    if text.len() < "gpgcheck=0".len() {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    lower.match_indices("gpgcheck").any(|(p, _)| {
        let prefix = &lower[..p];
        let glued = prefix.chars().next_back().is_some_and(|c| c == '_' || c.is_ascii_alphanumeric())
            && !prefix.ends_with("\\n");
        let rest = lower[p + "gpgcheck".len()..].trim_start_matches(' ');
        let Some(rest) = rest.strip_prefix('=') else { return false };
        let rest = rest.trim_start_matches(' ');
        !glued && (rest.starts_with('0') || rest.starts_with("false") || rest.starts_with("no"))
    })
}

fn push(out: &mut Vec<Diagnostic>, word: &Word, message: String, help: &str) {
    push_fix(out, word, message, help, None);
}

fn push_fix(out: &mut Vec<Diagnostic>, word: &Word, message: String, help: &str, fix: Option<Fix>) {
    out.push(RULE.meta.diagnostic(word.range, message).with_help(help).with_fix(fix));
}

/// The unsafe fix removing a flag that takes no value (`--force-yes`, not `--force-yes=…`), where it is written
/// plainly. Unsafe: the install then fails until the signing key is in place.
fn remove_plain_flag(text: &str, word: &Word, flag: &str) -> Option<Fix> {
    (word.value_or_text().strip_prefix("--") == Some(flag)).then(|| remove_flag(text, word, None)).flatten()
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    // Files whose signature or checksum an earlier step of the same stage checked, by base name.
    let mut verified: Vec<String> = Vec::new();
    let mut stage = None;
    for (instr, scripts) in ctx.run_scripts() {
        let here = ctx.file.stages.iter().rposition(|s| ctx.file.instructions[s.from].range.start <= instr.range.start);
        if here != stage {
            verified.clear();
            stage = here;
        }
        for script in scripts {
            let commands = shell::effective_commands(script);
            for cmd in &commands {
                verified.extend(verified_files(cmd, &commands));
                if cmd.program == "apk" && installs_only_verified(cmd, &verified) {
                    continue;
                }
                check_command(&ctx.source.text, cmd, out);
            }
        }
    }
}

fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The files a command verifies: the operands of `gpg --verify` / `gpgv`, and for `sha256sum -c` (or another
/// checksum tool) the words of the commands piped into it (`echo "<sum>  x.apk" | sha256sum -c -`).
fn verified_files(cmd: &shell::EffectiveCommand<'_>, commands: &[shell::EffectiveCommand<'_>]) -> Vec<String> {
    let p = cmd.program;
    let names = |words: &[Word]| -> Vec<String> {
        words
            .iter()
            .flat_map(|w| w.value_or_text().split_whitespace())
            .map(|w| w.trim_matches(['"', '\'']))
            .filter(|w| !w.starts_with('-'))
            .map(|w| base_name(w).to_owned())
            .collect()
    };
    if p == "gpgv" || (matches!(p, "gpg" | "gpg2") && long_flag(cmd.args, "verify").is_some()) {
        return names(cmd.args);
    }
    let checksum = p.ends_with("sum") && (p.starts_with("sha") || p == "md5sum" || p == "b2sum");
    if checksum && (long_flag(cmd.args, "check").is_some() || cmd.args.iter().any(|w| w.value_or_text() == "-c")) {
        let mut found = names(cmd.args);
        if let Some((pipeline, _)) = cmd.pipeline() {
            for other in
                commands.iter().filter(|c| std::ptr::eq(c.script, cmd.script) && pipeline.commands.contains(&c.index))
            {
                found.extend(names(other.args));
            }
        }
        return found;
    }
    Vec::new()
}

/// `apk add --allow-untrusted <files>` where every package is a local `.apk` file verified earlier in the stage
/// (`gpg --verify x.apk.asc x.apk`): the documented way to install a package signed with a key apk cannot use.
fn installs_only_verified(cmd: &shell::EffectiveCommand<'_>, verified: &[String]) -> bool {
    let files: Vec<&str> = cmd.positional().map(Word::value_or_text).filter(|w| *w != "add").collect();
    !files.is_empty()
        && cmd.positional().next().is_some_and(|w| w.value_or_text() == "add")
        && files.iter().all(|f| f.ends_with(".apk") && verified.iter().any(|v| v == base_name(f)))
}

/// `text` is the Dockerfile's, for fixes.
fn check_command(text: &str, cmd: &shell::EffectiveCommand<'_>, out: &mut Vec<Diagnostic>) {
    let program = cmd.program;
    match program {
        "apt-get" | "apt" | "aptitude" => {
            for flag in ["allow-unauthenticated", "allow-insecure-repositories", "force-yes"] {
                if let Some(w) = long_flag(cmd.args, flag) {
                    // Without `--allow-insecure-repositories`, `apt-get update` drops the unsigned repository.
                    let fix =
                        if flag == "allow-insecure-repositories" { None } else { remove_plain_flag(text, w, flag) };
                    let message = format!("`{program} --{flag}` installs packages whose signatures are not verified");
                    push_fix(out, w, message, HELP_APT, fix);
                }
            }
            for w in cmd.args.iter().filter(|w| apt_option_disables(w.value_or_text())) {
                push(out, w, format!("`{}` turns off apt's signature checks", w.value_or_text()), HELP_APT);
            }
        }
        "apk" => {
            if let Some(w) = long_flag(cmd.args, "allow-untrusted") {
                let help = "for a repository, put its public key in /etc/apk/keys and remove `--allow-untrusted`; for a \
                            downloaded `.apk`, check it first in the same stage (`gpg --verify x.apk.asc x.apk` or \
                            `sha256sum -c`) and install it by that file name";
                let message = "`apk --allow-untrusted` installs packages without verifying their signatures".into();
                push_fix(out, w, message, help, remove_plain_flag(text, w, "allow-untrusted"));
            }
        }
        "yum" | "dnf" | "microdnf" | "tdnf" | "yum-config-manager" | "dnf5" => {
            if let Some(w) = long_flag(cmd.args, "nogpgcheck") {
                let message = format!("`{program} --nogpgcheck` installs packages without checking their signatures");
                push_fix(out, w, message, HELP_RPM, remove_plain_flag(text, w, "nogpgcheck"));
            }
            for w in cmd.args.iter().filter(|w| gpgcheck_off(w.value_or_text())) {
                push(out, w, format!("`{}` turns off package signature checks", w.value_or_text()), HELP_RPM);
            }
        }
        "zypper" => {
            for flag in ["no-gpg-checks", "no-gpg-check"] {
                if let Some(w) = long_flag(cmd.args, flag) {
                    push(
                        out,
                        w,
                        format!("`zypper --{flag}` installs packages without checking their signatures"),
                        HELP_RPM,
                    );
                }
            }
        }
        "rpm" => {
            for flag in ["nosignature", "nodigest"] {
                if let Some(w) = long_flag(cmd.args, flag) {
                    let fix = if flag == "nosignature" { remove_plain_flag(text, w, flag) } else { None };
                    push_fix(out, w, format!("`rpm --{flag}` installs a package without verifying it"), HELP_RPM, fix);
                }
            }
        }
        "echo" | "printf" | "sed" => {
            for w in cmd.args.iter() {
                let text = w.value_or_text();
                let lower = text.to_ascii_lowercase();
                // A `file:` repository is one the build made itself from packages it built (nothing to spoof).
                if lower.replace(' ', "").contains("trusted=yes") && lower.contains("deb") && !lower.contains("file:") {
                    push(
                        out,
                        w,
                        "`[trusted=yes]` makes apt accept this repository's packages unsigned".into(),
                        HELP_APT,
                    );
                } else if gpgcheck_off(text) {
                    push(
                        out,
                        w,
                        "`gpgcheck=0` turns off package signature checks for this repository".into(),
                        HELP_RPM,
                    );
                } else if apt_option_disables(text) {
                    push(out, w, "this apt setting turns off signature checks".into(), HELP_APT);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, assert_fixes};

    #[test]
    fn cases() {
        let pass = [
            "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n",
            "FROM alpine:3.22\nRUN apk add --no-cache curl\n",
            "FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\n",
            "FROM fedora:40\nRUN echo 'repo_gpgcheck=0' >> /etc/yum.repos.d/x.repo\n",
            "FROM fedora:40\nRUN echo 'gpgcheck=1' >> /etc/yum.repos.d/x.repo\n",
            "FROM debian:12\nRUN echo \"deb [signed-by=/usr/share/keyrings/x.gpg] https://x stable main\" > /etc/apt/sources.list.d/x.list\n",
            "FROM debian:12\nRUN echo --allow-unauthenticated\n",
            "FROM debian:12\nRUN echo \"deb [ trusted=yes ] file://$tempDir ./\" > /etc/apt/sources.list.d/temp.list\n",
            "FROM opensuse/leap\nRUN zypper --gpg-auto-import-keys refresh\n",
            "FROM fedora:40\nRUN rpm --import https://x/key && rpm -i x.rpm\n",
            // A package verified with gpg (or a checksum) earlier in the stage, then installed by file name.
            "FROM alpine:3.22\nRUN wget https://x/tool.apk https://x/tool.apk.asc \\\n && gpg --batch --verify tool.apk.asc tool.apk \\\n && apk add --allow-untrusted tool.apk\n",
            "FROM alpine:3.22\nRUN gpgv --keyring /k.gpg /tmp/t.apk.sig /tmp/t.apk\nRUN apk add --no-cache --allow-untrusted /tmp/t.apk\n",
            "FROM alpine:3.22\nRUN echo \"$SHA  /tmp/t.apk\" | sha256sum -c - && apk add --allow-untrusted /tmp/t.apk\n",
            "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"powershell\", \"-Command\"]\nRUN apt-get install --allow-unauthenticated x\n",
        ];
        let fail = [
            "FROM debian:12\nRUN apt-get install -y --allow-unauthenticated curl\n",
            "FROM debian:12\nrun apt-get update \\\n && apt-get install -y --force-yes \\\n    curl\n",
            "FROM debian:12\nRUN apt-get update --allow-insecure-repositories\n",
            "FROM debian:12\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install x\n",
            "FROM debian:12\nRUN echo 'APT::Get::AllowUnauthenticated \"true\";' > /etc/apt/apt.conf.d/99x\n",
            "FROM debian:12\nRUN echo \"deb [trusted=yes] http://repo.example.com/ ./\" > /etc/apt/sources.list.d/x.list\n",
            "FROM debian:12\nRUN sudo apt-get install --allow-unauthenticated x\n",
            "FROM debian:12\nRUN sh -c 'apt-get install -y --allow-unauthenticated x'\n",
            "FROM debian:12\nRUN [\"apt-get\", \"install\", \"--allow-unauthenticated\", \"x\"]\n",
            "FROM debian:12\nRUN <<EOF\napt-get update\napt-get install -y --allow-unauthenticated x\nEOF\n",
            "FROM debian:12\nONBUILD RUN apt-get install --allow-unauthenticated x\n",
            "FROM alpine:3.22\nRUN apk add --allow-untrusted /tmp/x.apk\n",
            // Verified, but a different file; or verified in another stage; or a repository package.
            "FROM alpine:3.22\nRUN gpg --verify a.apk.asc a.apk && apk add --allow-untrusted b.apk\n",
            "FROM alpine:3.22 AS check\nRUN gpg --verify t.apk.asc t.apk\nFROM alpine:3.22\nRUN apk add --allow-untrusted t.apk\n",
            "FROM alpine:3.22\nRUN gpg --verify t.apk.asc t.apk && apk add --allow-untrusted t.apk curl\n",
            "FROM fedora:40\nRUN dnf install -y --nogpgcheck x\n",
            "FROM centos:7\nRUN yum --nogpgcheck localinstall x.rpm\n",
            "FROM fedora:40\nRUN microdnf install --nogpgcheck x\n",
            "FROM fedora:40\nRUN dnf install -y --setopt=gpgcheck=0 x\n",
            "FROM opensuse/leap\nRUN zypper --no-gpg-checks install -y x\n",
            "FROM fedora:40\nRUN rpm -ivh --nosignature x.rpm\n",
            "FROM fedora:40\nRUN rpm -i --nodigest x.rpm\n",
            "FROM fedora:40\nRUN printf '[x]\\nbaseurl=http://x\\ngpgcheck=0\\n' > /etc/yum.repos.d/x.repo\n",
            "FROM fedora:40\nRUN sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.conf\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn fixes() {
        let fix = [
            ("FROM d\nRUN apt-get install -y --allow-unauthenticated curl\n", "FROM d\nRUN apt-get install -y curl\n"),
            (
                "FROM d\nrun apt-get update \\\n && apt-get install -y --force-yes \\\n    curl\n",
                "FROM d\nrun apt-get update \\\n && apt-get install -y \\\n    curl\n",
            ),
            // Two findings in one file.
            (
                "FROM a\nRUN apk add --allow-untrusted /tmp/x.apk\nRUN dnf install -y --nogpgcheck x\n",
                "FROM a\nRUN apk add /tmp/x.apk\nRUN dnf install -y x\n",
            ),
            ("FROM f\nRUN yum --nogpgcheck localinstall x.rpm\n", "FROM f\nRUN yum localinstall x.rpm\n"),
            ("FROM f\nRUN rpm -ivh --nosignature x.rpm\n", "FROM f\nRUN rpm -ivh x.rpm\n"),
            (
                "FROM d\nRUN sudo apt-get install --allow-unauthenticated --force-yes x\n",
                "FROM d\nRUN sudo apt-get install x\n",
            ),
            // No fix: a sources entry, an option value, an exec-form word.
            (
                "FROM d\nRUN echo \"deb [trusted=yes] http://r/ ./\" > /etc/apt/sources.list.d/x.list\n",
                "FROM d\nRUN echo \"deb [trusted=yes] http://r/ ./\" > /etc/apt/sources.list.d/x.list\n",
            ),
            (
                "FROM d\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install x\n",
                "FROM d\nRUN apt-get -o APT::Get::AllowUnauthenticated=true install x\n",
            ),
            (
                "FROM d\nRUN [\"apt-get\", \"install\", \"--allow-unauthenticated\", \"x\"]\n",
                "FROM d\nRUN [\"apt-get\", \"install\", \"--allow-unauthenticated\", \"x\"]\n",
            ),
            (
                "FROM d\nRUN apt-get update --allow-insecure-repositories\n",
                "FROM d\nRUN apt-get update --allow-insecure-repositories\n",
            ),
        ];
        assert_fixes(&RULE, &fix);
    }
}
