//! PLD404 secret-on-command-line: a secret written on the command line of a RUN, CMD, ENTRYPOINT or HEALTHCHECK
//! (`mysql -psecret`, `redis-server --requirepass secret`, `PGPASSWORD=secret psql …`).

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::dockerfile::{Args, Command, Kind};
use crate::rules::secrets::{CommandLineSecret, Literal, secrets_in_script};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD404",
        name: "secret-on-command-line",
        summary: "A secret is written on a command line (`--password=…`, `-p…`, `PGPASSWORD=… psql`) in a RUN, CMD, ENTRYPOINT or HEALTHCHECK",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents { hadolint: &[], buildkit: &[], cis: &["4.10"], compose_lint: &[], kics: &[] },
        page: include_str!("../../../lints/PLD404-secret-on-command-line.md"),
    },
    check: Check::Dockerfile(check),
};

const RUN_HELP: &str = "read it from a secret mount instead: `RUN --mount=type=secret,id=db_password …` and \
                        `--password=\"$(cat /run/secrets/db_password)\"` (or the program's password-file option); \
                        then rotate it, it is in the history of every image built so far";

const CONFIG_HELP: &str = "read it when the container starts, from a file the orchestrator mounts (the program's \
                           password-file option, or `\"$(cat /run/secrets/…)\"` in a shell), not from the image";

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    for (_, scripts) in ctx.run_scripts() {
        for script in scripts {
            secrets_in_script(script, &mut found);
        }
    }
    for secret in found.drain(..) {
        out.push(finding(&secret, "kept in the image's history", RUN_HELP));
    }
    // Shell-form commands run through the stage's SHELL, which may not be a POSIX shell: read them only when no
    // SHELL instruction changes it.
    let other_shell = ctx.file.instructions.iter().any(|i| i.effective().kind == Kind::Shell);
    for instr in &ctx.file.instructions {
        let inner = instr.effective();
        let command = match (&inner.kind, &inner.args) {
            (Kind::Cmd | Kind::Entrypoint, Args::Command { command }) => command,
            (Kind::Healthcheck, Args::Healthcheck { command: Some(command), .. }) => command,
            _ => continue,
        };
        if other_shell && matches!(command, Command::Shell { .. }) {
            continue;
        }
        for script in shell::parse_command(instr, ctx.file.escape) {
            secrets_in_script(&script, &mut found);
        }
    }
    for secret in &found {
        out.push(finding(secret, "stored in the image's configuration", CONFIG_HELP));
    }
}

fn finding(secret: &CommandLineSecret, kept: &str, help: &str) -> Diagnostic {
    let what = match secret.literal {
        Literal::Secret => "a literal secret",
        Literal::Placeholder => "a value that looks like a placeholder (to replace at deploy time)",
    };
    let (program, given) = (&secret.program, &secret.given_with);
    let message = if secret.variable {
        format!("`{program}` is run with `{given}` set to {what} on its command line, {kept}")
    } else {
        format!("`{program}` is given {what} with `{given}` on its command line, {kept}")
    };
    let mut d = RULE.meta.diagnostic(secret.range, message).with_help(help);
    if secret.literal == Literal::Placeholder {
        d.severity = Severity::Warning;
    }
    d
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::Severity;
    use crate::rules::testing::{assert_cases, run};

    #[test]
    fn cases() {
        let pass = [
            "FROM redis:7.4\nCMD [\"redis-server\", \"--requirepass\", \"$REDIS_PASSWORD\"]\n",
            "FROM redis:7.4\nCMD redis-server --requirepass \"$(cat /run/secrets/redis)\"\n",
            "FROM mysql:8.4\nHEALTHCHECK CMD mysqladmin ping -h 127.0.0.1 --password=\"$(cat /run/secrets/db)\" --silent\n",
            "FROM alpine:3.22\nRUN --mount=type=secret,id=pw mysql -uroot -p\"$(cat /run/secrets/pw)\" < /init.sql\n",
            "FROM alpine:3.22\nRUN adduser -D --disabled-password app\n",
            "FROM debian:12\nRUN adduser --disabled-password --gecos '' app\n",
            "FROM alpine:3.22\nRUN mysql -u root -p app < /init.sql\n",
            "FROM alpine:3.22\nRUN psql -h db -p 5432 -U app -c 'select 1'\n",
            "FROM alpine:3.22\nRUN echo \"--password=hunter2\"\n",
            "FROM alpine:3.22\n# RUN mysql -phunter2\n",
            "FROM alpine:3.22\nRUN app --password-file /run/secrets/pw\n",
            // Under another shell the command line is not read.
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nCMD app --password=x\n",
        ];
        let fail = [
            "FROM alpine:3.22\nRUN mysql -uroot -phunter2 < /init.sql\n",
            "FROM alpine:3.22\nRUN PGPASSWORD=hunter2 psql -h db -U app -f /init.sql\n",
            "FROM alpine:3.22\nRUN env MYSQL_PWD=hunter2 mysql -uroot < /init.sql\n",
            "FROM redis:7.4\nCMD [\"redis-server\", \"--requirepass\", \"hunter2\"]\n",
            "FROM redis:7.4\nCMD redis-server --requirepass hunter2\n",
            "FROM redis:7.4\nENTRYPOINT [\"sh\", \"-c\", \"exec redis-server --requirepass hunter2\"]\n",
            "FROM mysql:8.4\nHEALTHCHECK CMD mysqladmin ping -uroot -proot || exit 1\n",
            "FROM alpine:3.22\nRUN <<EOF\nmongosh -u root -p hunter2 --eval 'db.x.insert({})'\nEOF\n",
            "FROM alpine:3.22\nRUN sudo -u app app --api-token=abc123\n",
            "FROM alpine:3.22\nONBUILD RUN app --password changeme\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn span_is_the_value_and_the_message_hides_it() {
        let text = "FROM alpine:3.22\nRUN mysql -uroot -phunter2 < /init.sql \\\n && redis-cli -a 's3cret' ping\n";
        let found = run(&RULE, text);
        let spans: Vec<&str> = found.iter().map(|d| &text[d.range.as_usize()]).collect();
        assert_eq!(spans, ["hunter2", "'s3cret'"]);
        assert_eq!(
            found[0].message,
            "`mysql` is given a literal secret with `-p` on its command line, kept in the image's history"
        );
        assert_eq!(found[0].severity, Severity::Error);
        assert!(found.iter().all(|d| !d.message.contains("hunter2") && !d.message.contains("s3cret")));
    }

    #[test]
    fn a_variable_in_a_cmd_and_a_placeholder() {
        let text = "FROM postgres:17\nCMD [\"sh\", \"-c\", \"PGPASSWORD=changeme psql -h db\"]\n";
        let found = run(&RULE, text);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!(&text[found[0].range.as_usize()], "changeme");
        assert_eq!(
            found[0].message,
            "`psql` is run with `PGPASSWORD` set to a value that looks like a placeholder (to replace at deploy time) on its command line, stored in the image's configuration"
        );
        assert_eq!(found[0].severity, Severity::Warning);
    }
}
