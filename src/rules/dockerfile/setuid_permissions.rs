//! PLD305 setuid-permissions: `chmod u+s`, `chmod 4755`, `COPY --chmod=2755`.

use super::mode;
use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::Kind;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD305",
        name: "setuid-permissions",
        summary: "A file gets the setuid or setgid bit (`chmod u+s`, `chmod 4755`, `COPY --chmod=2755`)",
        severity: Severity::Warning,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.8"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD305-setuid-permissions.md"),
    },
    check: Check::Dockerfile(check),
};

const HELP: &str = "drop the setuid/setgid bit; run the program as the user it needs, or grant it one capability";

/// `setuid`, `setgid` or both, for a mode that sets them.
fn special_bits(mode: &str) -> Option<&'static str> {
    let g = mode::parse(mode)?;
    match (g.setuid, g.setgid) {
        (true, true) => Some("the setuid and setgid bits"),
        (true, false) => Some("the setuid bit"),
        (false, true) => Some("the setgid bit"),
        (false, false) => None,
    }
}

/// Options of `mkdir` and `install` that take a value.
const VALUE_OPTIONS: &[&str] =
    &["-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix", "-Z"];

fn trim_path(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { path } else { trimmed }
}

/// The folders a RUN step creates: `mkdir [-p] DIR…`, `install -d DIR…` (as written).
fn created_dirs<'a>(commands: &[shell::EffectiveCommand<'a>]) -> Vec<&'a str> {
    commands
        .iter()
        .filter(|ec| ec.program == "mkdir" || (ec.program == "install" && ec.has_flag(Some('d'), "directory")))
        .flat_map(|ec| ec.positional_skipping(VALUE_OPTIONS).map(|w| trim_path(w.value_or_text())))
        .collect()
}

/// Whether a mode is set on folders only: `mkdir -m`, `install -d -m`, or `chmod` of folders the same step
/// created. The bits do not raise privileges there (setgid on a folder makes new files inherit its group).
fn on_directories(ec: &shell::EffectiveCommand<'_>, mode: &shell::Word, dirs: &[&str]) -> bool {
    match ec.program {
        "mkdir" => true,
        "install" => ec.has_flag(Some('d'), "directory"),
        "chmod" => {
            let mut targets = ec.args.iter().skip_while(|w| w.range != mode.range).skip(1).peekable();
            targets.peek().is_some() && targets.all(|w| dirs.contains(&trim_path(w.value_or_text())))
        }
        _ => false,
    }
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()) {
        if !matches!(instr.kind, Kind::Copy | Kind::Add) {
            continue;
        }
        if let Some(value) = instr.flag("chmod").and_then(|f| f.value.as_ref())
            && let Some(bits) = special_bits(&value.value)
        {
            let message = format!("`--chmod={}` sets {bits} on the copied files", value.value);
            out.push(RULE.meta.diagnostic(value.range, message).with_help(HELP));
        }
    }
    for (_, scripts) in ctx.run_scripts() {
        let commands: Vec<_> = scripts.iter().flat_map(shell::effective_commands).collect();
        let dirs = created_dirs(&commands);
        for ec in &commands {
            let Some(word) = mode::mode_word(ec) else { continue };
            let value = word.value_or_text();
            if let Some(bits) = special_bits(value)
                && !on_directories(ec, &word, &dirs)
            {
                let message = format!("`{} {value}` sets {bits}", ec.program);
                out.push(RULE.meta.diagnostic(word.range, message).with_help(HELP));
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
            "FROM alpine:3.22\nRUN chmod 755 /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod 0755 /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod 1777 /tmp/x\n",
            "FROM alpine:3.22\nRUN chmod u-s,g-s /usr/bin/passwd\n",
            "FROM alpine:3.22\nRUN chmod a-s /usr/bin/*\n",
            "FROM alpine:3.22\nRUN chmod o+s /x\n",
            "FROM alpine:3.22\nRUN chmod +x /entrypoint.sh\n",
            "FROM alpine:3.22\nRUN find / -perm /6000 -type f -exec chmod a-s {} +\n",
            "FROM alpine:3.22\nRUN echo chmod u+s /bin/x\n",
            "FROM alpine:3.22\nCOPY --chmod=0755 app /app\n",
            "FROM alpine:3.22\nENTRYPOINT chmod 4755 /x\n",
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-c\"]\nRUN chmod u+s x\n",
            "FROM alpine:3.22\nRUN mkdir -p /var/run/postgresql && chmod 2777 /var/run/postgresql\n",
            "FROM alpine:3.22\nRUN mkdir -p /srv/shared/ \\\n && chmod g+s /srv/shared\n",
            "FROM alpine:3.22\nRUN install --directory --owner postgres --mode 3777 /var/run/postgresql\n",
            "FROM alpine:3.22\nRUN mkdir -m 2775 /srv/shared\n",
        ];
        let fail = [
            "FROM alpine:3.22\nRUN chmod u+s /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod g+s /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod +s /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod ug+rxs /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod 4755 /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod 2755 /usr/local/bin/app\n",
            "FROM alpine:3.22\nRUN chmod -R 6755 /opt/bin\n",
            "FROM alpine:3.22\nRUN chmod 04755 /x\n",
            "FROM alpine:3.22\nrun cp app /usr/bin/ && \\\n    chmod u+s /usr/bin/app\n",
            "FROM alpine:3.22\nRUN install -m 4755 app /usr/bin/app\n",
            "FROM alpine:3.22\nRUN sudo chmod u+s /x\n",
            "FROM alpine:3.22\nRUN bash -c 'chmod 4755 /x'\n",
            "FROM alpine:3.22\nRUN [\"chmod\", \"u+s\", \"/x\"]\n",
            "FROM alpine:3.22\nONBUILD RUN chmod 4755 /x\n",
            "FROM alpine:3.22\nRUN <<EOF\nchmod 4755 /x\nEOF\n",
            "FROM alpine:3.22\nCOPY --chmod=4755 app /usr/bin/app\n",
            "FROM alpine:3.22\nRUN mkdir -p /a && chmod 4755 /a /usr/bin/app\n",
            "FROM alpine:3.22\nRUN mkdir -p /a && chmod 2755\n",
            "FROM alpine:3.22\nONBUILD ADD --chmod=2755 app /usr/bin/app\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn spans_the_mode() {
        let text = "FROM alpine:3.22\nRUN chmod \\\n  4755 /x\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].range.as_usize()], "4755");
        assert!(found[0].message.contains("setuid"), "{}", found[0].message);
    }
}
