//! PLD202 sudo-in-run: `sudo`, `doas` or `su -c` used in a RUN step.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell::{self, Word};

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD202",
        name: "sudo-in-run",
        summary: "A RUN step raises its privileges with `sudo`, `doas` or `su`",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents {
            hadolint: &["DL3004"],
            buildkit: &[],
            cis: &[],
            compose_lint: &[],
            kics: &["Run Using Sudo"],
        },
        page: include_str!("../../../lints/PLD202-sudo-in-run.md"),
    },
    check: Check::Dockerfile(check),
};

fn base(word: &Word) -> Option<&str> {
    let value = word.value.as_deref()?;
    Some(value.rsplit('/').next().unwrap_or(value))
}

/// Whether `su`'s arguments switch to root: no user operand, or `root` / `0`. `su app -c …` run by root drops
/// privileges (as `gosu` does) and is not flagged.
fn su_to_root(args: &[Word]) -> bool {
    let mut i = 0;
    let mut user = None;
    while let Some(word) = args.get(i) {
        let a = word.value_or_text();
        match a {
            "-c" | "--command" | "-s" | "--shell" | "-g" | "--group" | "-G" | "--supp-group" => i += 2,
            "-" | "-l" | "--login" | "-m" | "-p" | "--preserve-environment" | "-f" => i += 1,
            _ if a.starts_with('-') => i += 1,
            _ => {
                user = Some(a);
                break;
            }
        }
    }
    user.is_none_or(|u| u == "root" || u == "0")
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for (_, scripts) in ctx.run_scripts() {
        for script in scripts {
            for ec in shell::effective_commands(script) {
                let written = ec.command;
                let Some(first) = written.name.as_ref() else { continue };
                // `command -v sudo` asks whether sudo exists.
                if base(first) == Some("command")
                    && written.args.iter().any(|a| matches!(a.value.as_deref(), Some("-v" | "-V")))
                {
                    continue;
                }
                // The wrapper words of the written command, up to (and with) the program that runs.
                let words = std::iter::once(first)
                    .chain(written.args.iter())
                    .take_while(|w| w.range.start <= ec.name.range.start);
                if let Some(word) = words.into_iter().find(|w| matches!(base(w), Some("sudo" | "doas"))) {
                    let tool = base(word).unwrap_or("sudo");
                    out.push(RULE.meta.diagnostic(word.range, format!("`{tool}` in a RUN step")).with_help(
                        "the build runs as the last USER: switch with `USER root` before the step (and back \
                                 after), and do not ship sudo in the image",
                    ));
                } else if ec.program == "su" && ec.has_flag(Some('c'), "command") && su_to_root(ec.args) {
                    out.push(
                        RULE.meta
                            .diagnostic(ec.name.range, "`su` switches to root in a RUN step")
                            .with_help("switch with `USER root` before the step (and back after) instead of `su`"),
                    );
                }
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
            "FROM alpine:3.22\nRUN apk add --no-cache sudo\n",
            "FROM debian:12\nRUN apt-get update && apt-get install -y sudo\n",
            "FROM debian:12\nRUN command -v sudo || echo none\n",
            "FROM debian:12\nRUN which sudo && type doas\n",
            "FROM debian:12\nRUN echo 'app ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/app\n",
            "FROM debian:12\nRUN gosu app true && su-exec app true\n",
            "FROM debian:12\nRUN su postgres -c 'initdb -D /data'\n",
            "FROM debian:12\nRUN su - app -c \"make install\"\n",
            "FROM debian:12\nRUN su nobody -s /bin/sh -c \"make test\"\n",
            "FROM debian:12\nRUN [\"apt-get\", \"install\", \"-y\", \"sudo\"]\n",
            "FROM debian:12\nRUN echo sudo\n",
            "FROM debian:12\nRUN pseudo make\n",
            "FROM debian:12\nCMD sudo -u app server\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN sudo x\n",
            "FROM debian:12\nRUN <<EOF python3\nimport os; os.system('sudo ls')\nEOF\n",
        ];
        let fail = [
            "FROM debian:12\nRUN sudo apt-get update\n",
            "FROM debian:12\nrun apt-get update && \\\n    sudo apt-get install -y curl\n",
            "FROM debian:12\nRUN /usr/bin/sudo -E make install\n",
            "FROM debian:12\nRUN sudo -u app make\n",
            "FROM debian:12\nRUN sudo\n",
            "FROM debian:12\nRUN env FOO=1 sudo make\n",
            "FROM debian:12\nRUN doas apk add curl\n",
            "FROM debian:12\nRUN su -c 'apt-get update'\n",
            "FROM debian:12\nRUN su root -c 'make install'\n",
            "FROM debian:12\nRUN sh -c 'sudo make install'\n",
            "FROM debian:12\nRUN [\"sudo\", \"make\", \"install\"]\n",
            "FROM debian:12\nRUN [\"/bin/sh\", \"-c\", \"sudo make install\"]\n",
            "FROM debian:12\nONBUILD RUN sudo make install\n",
            "FROM debian:12\nRUN <<EOF\nset -e\nsudo make install\nEOF\n",
            "FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\nRUN sudo make\n",
            "FROM debian:12 AS a\nSHELL [\"powershell\"]\nSHELL [\"bash\", \"-c\"]\nFROM a\nRUN sudo make\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn spans_the_sudo_word() {
        let text = "FROM debian:12\nRUN apt-get update && \\\n  sudo apt-get install -y curl\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "sudo");
        let text = "FROM debian:12\nRUN sh -c 'x && sudo make'\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "sudo");
    }
}
