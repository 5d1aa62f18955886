//! PLD304 world-writable-permissions: `chmod 777`, `chmod o+w`, `COPY --chmod=666`.

use super::mode;
use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD304",
        name: "world-writable-permissions",
        summary: "Files or folders are made writable by every user (`chmod 777`, `o+w`, `COPY --chmod=666`)",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLD304-world-writable-permissions.md"),
    },
    check: Check::Dockerfile(check),
};

const HELP: &str = "grant write to the owner only (`chown app` then `755`/`644`); a shared scratch folder needs the \
                    sticky bit (`1777`)";

/// Whether a mode makes its files writable by others (a sticky folder such as `1777` is the safe shared form).
fn world_writable(mode: &str) -> bool {
    mode::parse(mode).is_some_and(|g| g.others_write && !g.sticky)
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()) {
        if !matches!(instr.kind, Kind::Copy | Kind::Add) {
            continue;
        }
        if let Some(value) = instr.flag("chmod").and_then(|f| f.value.as_ref())
            && world_writable(&value.value)
        {
            let message = format!("`--chmod={}` makes the copied files writable by every user", value.value);
            out.push(RULE.meta.diagnostic(value.range, message).with_help(HELP));
        }
    }
    for (_, scripts) in ctx.run_scripts() {
        for script in scripts {
            for ec in shell::effective_commands(script) {
                let Some(word) = mode::mode_word(&ec) else { continue };
                let value = word.value_or_text();
                if world_writable(value) {
                    let message = format!("`{} {value}` makes files writable by every user", ec.program);
                    out.push(RULE.meta.diagnostic(word.range, message).with_help(HELP));
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
            "FROM alpine:3.22\nRUN chmod 755 /app\n",
            "FROM alpine:3.22\nRUN chmod 0644 /etc/app.conf\n",
            "FROM alpine:3.22\nRUN chmod +w /app/data\n",
            "FROM alpine:3.22\nRUN chmod u+w,g+w /app/data\n",
            "FROM alpine:3.22\nRUN chmod -R g=u /app\n",
            "FROM alpine:3.22\nRUN chmod 1777 /tmp/shared\n",
            "FROM alpine:3.22\nRUN chmod a+rwxt /scratch\n",
            "FROM alpine:3.22\nRUN chmod o-w /app\n",
            "FROM alpine:3.22\nRUN chmod --reference=/etc/passwd /etc/app\n",
            "FROM alpine:3.22\nRUN chmod $MODE /app\n",
            "FROM alpine:3.22\nRUN echo chmod 777 /app\n",
            "FROM alpine:3.22\nRUN mkdir -m 755 /app\n",
            "FROM alpine:3.22\nCOPY --chmod=755 app /app\n",
            "FROM alpine:3.22\nADD --chmod=644 a.conf /etc/\n",
            "FROM alpine:3.22\nCMD chmod 777 /app\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN chmod 777 x\n",
        ];
        let fail = [
            "FROM alpine:3.22\nRUN chmod 777 /app\n",
            "FROM alpine:3.22\nRUN chmod -R 777 /app\n",
            "FROM alpine:3.22\nRUN chmod 666 /app/log\n",
            "FROM alpine:3.22\nRUN chmod 0772 /app\n",
            "FROM alpine:3.22\nRUN chmod 753 /app\n",
            "FROM alpine:3.22\nRUN chmod o+w /app\n",
            "FROM alpine:3.22\nRUN chmod -R a+rwX /app\n",
            "FROM alpine:3.22\nRUN chmod go+w,u+x /app\n",
            "FROM alpine:3.22\nrun mkdir -p /data && \\\n    chmod -R 777 /data\n",
            "FROM alpine:3.22\nRUN mkdir -m 777 /data\n",
            "FROM alpine:3.22\nRUN install -m 0666 a /etc/a\n",
            "FROM alpine:3.22\nRUN sudo chmod 777 /app\n",
            "FROM alpine:3.22\nRUN sh -c 'chmod 777 /app'\n",
            "FROM alpine:3.22\nRUN [\"chmod\", \"777\", \"/app\"]\n",
            "FROM alpine:3.22\nONBUILD RUN chmod 777 /app\n",
            "FROM alpine:3.22\nRUN <<EOF\nmkdir /data\nchmod 777 /data\nEOF\n",
            "FROM alpine:3.22\nCOPY --chmod=777 app /app\n",
            "FROM alpine:3.22\nadd --chmod=0666 a.conf /etc/\n",
            "FROM alpine:3.22\nONBUILD COPY --chmod=777 . /app\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn spans_the_mode() {
        let text = "FROM alpine:3.22\nRUN mkdir /d && \\\n  chmod -R 777 /d\nCOPY --chmod=666 a /a\n";
        let found = run(&RULE, text);
        let spans: Vec<&str> = found.iter().map(|d| &text[d.range.as_usize()]).collect();
        assert_eq!(spans.len(), 2);
        assert!(spans.contains(&"777") && spans.contains(&"666"), "{spans:?}");
    }
}
