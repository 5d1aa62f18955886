//! PLD303 setcap-in-run: `setcap cap_net_bind_service=+ep /usr/bin/app` in a RUN step.

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD303",
        name: "setcap-in-run",
        summary: "A RUN step grants file capabilities with `setcap`",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["5.4"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD303-setcap-in-run.md"),
    },
    check: Check::Dockerfile(check),
};

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for (_, scripts) in ctx.run_scripts() {
        for script in scripts {
            for ec in shell::effective_commands(script) {
                // `-r` removes capabilities, `-v` only verifies them.
                if ec.program != "setcap" || ec.has_flag(Some('r'), "") || ec.has_flag(Some('v'), "") {
                    continue;
                }
                // Operands come in pairs: capabilities, then a file.
                let operands: Vec<_> = ec.positional_skipping(&["-n"]).collect();
                let granted: Vec<String> = operands
                    .chunks(2)
                    .filter_map(|pair| {
                        let caps = pair.first()?;
                        let grants = caps.value.as_deref().is_none_or(|v| v.contains(['+', '=']));
                        grants.then(|| format!("`{}`", caps.value_or_text()))
                    })
                    .collect();
                if granted.is_empty() {
                    continue;
                }
                let files: Vec<String> =
                    operands.chunks(2).filter_map(|p| p.get(1)).map(|w| format!("`{}`", w.value_or_text())).collect();
                let message = if files.is_empty() {
                    format!("`setcap` grants {}", granted.join(", "))
                } else {
                    format!("`setcap` grants {} to {}", granted.join(", "), files.join(", "))
                };
                out.push(RULE.meta.diagnostic(ec.range, message).with_help(
                    "run the program with the capability added at run time (`--cap-add`, `cap_add:`) only where it is \
                     needed, or use an unprivileged port or mechanism instead",
                ));
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
            "FROM debian:12\nRUN setcap -r /usr/bin/ping\n",
            "FROM debian:12\nRUN setcap -v cap_net_raw+ep /usr/bin/ping\n",
            "FROM debian:12\nRUN getcap /usr/bin/ping\n",
            "FROM debian:12\nRUN apt-get install -y libcap2-bin\n",
            "FROM debian:12\nRUN echo setcap cap_net_raw+ep /x\n",
            "FROM debian:12\nCMD setcap cap_net_raw+ep /x\n",
            "FROM debian:12\nRUN setcap\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"pwsh\", \"-c\"]\nRUN setcap cap_net_raw+ep x\n",
        ];
        let fail = [
            "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/bin/node\n",
            "FROM debian:12\nRUN setcap 'cap_net_bind_service,cap_net_raw+ep' /usr/bin/app\n",
            "FROM debian:12\nRUN setcap -q cap_net_raw+ep /a cap_sys_admin+ep /b\n",
            "FROM debian:12\nRUN setcap -n 1000 cap_net_raw+ep /a\n",
            "FROM debian:12\nRUN setcap \"$CAPS\" /a\n",
            "FROM debian:12\nrun apt-get install -y libcap2-bin && \\\n    setcap cap_net_raw+ep /bin/ping\n",
            "FROM debian:12\nRUN sudo setcap cap_net_raw+ep /bin/ping\n",
            "FROM debian:12\nRUN sh -c 'setcap cap_net_raw+ep /bin/ping'\n",
            "FROM debian:12\nRUN [\"setcap\", \"cap_net_raw+ep\", \"/bin/ping\"]\n",
            "FROM debian:12\nONBUILD RUN /sbin/setcap cap_net_raw+ep /bin/ping\n",
            "FROM debian:12\nRUN <<EOF\nset -e\nsetcap cap_net_raw+ep /bin/ping\nEOF\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn message_names_the_capabilities() {
        let text = "FROM debian:12\nRUN setcap cap_net_bind_service=+ep /usr/bin/node && echo ok\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "setcap cap_net_bind_service=+ep /usr/bin/node");
        assert!(found[0].message.contains("cap_net_bind_service=+ep"), "{}", found[0].message);
        assert!(found[0].message.contains("/usr/bin/node"), "{}", found[0].message);
    }
}
