//! PLD102 remote-script-execution: a download run as code without verification (`curl … | sh`).

use crate::Severity;
use crate::diagnostic::Diagnostic;
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell::{self, EffectiveCommand, Word, is_shell_program};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD102",
        name: "remote-script-execution",
        summary: "A downloaded script is run without verification (`curl … | sh`)",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::None,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLD102-remote-script-execution.md"),
    },
    check: Check::Dockerfile(check),
};

const HELP: &str = "download to a file, verify its checksum or signature (`sha256sum -c`, `gpg --verify`), then run it";

/// Interpreters that run a script file or standard input: `python3`, `perl`, `node` …
fn is_interpreter(program: &str) -> bool {
    let base = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    matches!(base, "python" | "perl" | "ruby" | "node" | "nodejs" | "php")
}

/// An interpreter given code inline or a module (`python3 -c …`, `perl -ne …`, `python -m json.tool`): what it
/// reads from standard input or its operand is data, not the program.
fn has_inline_code(cmd: &EffectiveCommand<'_>) -> bool {
    cmd.args.iter().take_while(|w| w.value_or_text() != "--").any(|w| {
        let a = w.value_or_text();
        match a.strip_prefix("--") {
            Some(long) => matches!(long.split('=').next(), Some("eval" | "print" | "command" | "module")),
            None => a.strip_prefix('-').is_some_and(|b| b.chars().any(|c| "ceEmpnr".contains(c))),
        }
    })
}

/// A shell or interpreter that runs what it reads from standard input.
fn runs_stdin(cmd: &EffectiveCommand<'_>) -> bool {
    if cmd.reads_script_from_stdin() {
        return true;
    }
    let first = cmd.positional().next().map(Word::value_or_text);
    let shell_or_interpreter = is_shell_program(cmd.program) || is_interpreter(cmd.program);
    shell_or_interpreter
        && !has_inline_code(cmd)
        && (matches!(first, Some("/dev/stdin")) || (is_interpreter(cmd.program) && matches!(first, None | Some("-"))))
}

fn is_downloader(program: &str) -> bool {
    matches!(program, "curl" | "wget")
}

/// The URL a download fetches (its first operand that looks like one, else its first operand).
fn url_of<'a>(cmd: &EffectiveCommand<'a>) -> Option<&'a Word> {
    let skip: &[&str] = &["-o", "-O", "--output", "--output-document", "-H", "--header", "-u", "--user", "-A", "-P"];
    let mut positional = cmd.positional_skipping(skip);
    let all: Vec<&Word> = positional.by_ref().collect();
    all.iter().find(|w| w.value_or_text().contains("://")).or(all.first()).copied()
}

/// Whether the download writes to standard output.
fn to_stdout(cmd: &EffectiveCommand<'_>) -> bool {
    let stdout = |w: Option<Word>| w.is_none_or(|w| matches!(w.value_or_text(), "-" | "/dev/stdout"));
    match cmd.program {
        "curl" => {
            stdout(cmd.flag_value(Some('o'), "output"))
                && !cmd.has_flag(Some('O'), "remote-name")
                && !cmd.has_flag(None, "remote-name-all")
        }
        "wget" => cmd
            .flag_value(Some('O'), "output-document")
            .is_some_and(|w| matches!(w.value_or_text(), "-" | "/dev/stdout")),
        _ => false,
    }
}

/// The file a download saves to: `-o f`, `-O f`, `> f`, or the URL's last path segment (`curl -O`, `wget URL`).
fn saved_file(cmd: &EffectiveCommand<'_>) -> Option<String> {
    let named = match cmd.program {
        "curl" => cmd.flag_value(Some('o'), "output"),
        "wget" => cmd.flag_value(Some('O'), "output-document"),
        _ => None,
    };
    if let Some(w) = named.filter(|w| !matches!(w.value_or_text(), "-" | "/dev/stdout")) {
        return Some(w.value_or_text().to_owned());
    }
    if to_stdout(cmd) {
        let redirect =
            cmd.command.redirects.iter().find(|r| matches!(r.op.as_str(), ">" | ">>") && r.fd.is_none_or(|fd| fd == 1));
        return redirect.and_then(|r| r.target.as_ref()).map(|w| w.value_or_text().to_owned());
    }
    let remote_name = cmd.program == "wget" || cmd.has_flag(Some('O'), "remote-name");
    if !remote_name {
        return None;
    }
    let url = url_of(cmd)?.value.as_deref()?;
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let (_, rest) = path.split_once("://")?;
    let name = rest.split_once('/')?.1.rsplit('/').next()?;
    (!name.is_empty()).then(|| name.to_owned())
}

fn normalize(path: &str) -> &str {
    path.strip_prefix("./").unwrap_or(path)
}

/// Whether a command runs the file `file`: as the program (`./f`), or as the script of a shell, an interpreter,
/// `.` or `source`.
fn runs_file(cmd: &EffectiveCommand<'_>, file: &str) -> bool {
    let file = normalize(file);
    if cmd.name.value.as_deref().is_some_and(|n| n.contains('/') && normalize(n) == file) {
        return true;
    }
    let first = cmd.positional().next().map(|w| normalize(w.value_or_text()));
    let script_runner = matches!(cmd.program, "." | "source")
        || ((is_shell_program(cmd.program) || is_interpreter(cmd.program)) && !has_inline_code(cmd));
    script_runner && first == Some(file)
}

/// A step that checks a download: a checksum tool or a signature check.
fn verifies(cmd: &EffectiveCommand<'_>) -> bool {
    let p = cmd.program;
    (p.starts_with("sha") && p.ends_with("sum"))
        || matches!(p, "md5sum" | "b2sum" | "gpgv" | "cosign" | "minisign" | "signify" | "slsa-verifier")
        || (matches!(p, "gpg" | "gpg2") && cmd.has_flag(None, "verify"))
        || (p == "openssl" && cmd.positional().next().is_some_and(|w| w.value_or_text() == "dgst"))
}

fn message(download: &EffectiveCommand<'_>, how: &str) -> String {
    let url = url_of(download).map_or("a download", |w| w.value_or_text());
    format!("`{}` fetches `{url}` and {how}, without verifying it", download.program)
}

fn report(out: &mut Vec<Diagnostic>, range: TextRange, download: &EffectiveCommand<'_>, how: String) {
    if out.iter().any(|d| d.code == RULE.meta.code && d.range == range) {
        return;
    }
    out.push(
        RULE.meta
            .diagnostic(range, message(download, &how))
            .with_label(download.range, "downloaded here")
            .with_help(HELP),
    );
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for (_, scripts) in ctx.run_scripts() {
        let commands: Vec<EffectiveCommand<'_>> = scripts.iter().flat_map(shell::effective_commands).collect();
        piped(&commands, out);
        substituted(&commands, out);
        saved_then_run(&commands, out);
    }
}

/// `curl … | sh`, `wget -qO- … | sudo bash -s --`, `curl … | python3`.
fn piped(commands: &[EffectiveCommand<'_>], out: &mut Vec<Diagnostic>) {
    for download in commands.iter().filter(|c| is_downloader(c.program) && to_stdout(c)) {
        let Some((pipeline, position)) = download.pipeline() else { continue };
        let later = pipeline.commands.iter().skip(position + 1);
        let mut runners = later.filter_map(|&i| {
            commands.iter().find(|c| std::ptr::eq(c.script, download.script) && c.index == i && runs_stdin(c))
        });
        if let Some(runner) = runners.next() {
            report(out, pipeline.range, download, format!("pipes it into `{}`", runner.program));
        }
    }
}

/// `sh -c "$(curl …)"`, `bash <(curl …)`, `eval "$(wget -qO- …)"`.
fn substituted(commands: &[EffectiveCommand<'_>], out: &mut Vec<Diagnostic>) {
    for runner in commands {
        let words: Vec<&Word> = match runner.program {
            "eval" => runner.args.iter().collect(),
            "." | "source" => runner.positional().take(1).collect(),
            p if (is_shell_program(p) || is_interpreter(p)) => {
                let inline = has_inline_code(runner) && !is_shell_program(p);
                if inline { Vec::new() } else { runner.positional().take(1).collect() }
            }
            _ => Vec::new(),
        };
        for word in words {
            let text = word.text.trim_start_matches(['"', '\'']);
            if !(text.starts_with("$(") || text.starts_with('`') || text.starts_with("<(")) {
                continue;
            }
            let download = commands
                .iter()
                .find(|c| is_downloader(c.program) && to_stdout(c) && word.range.contains_range(c.command.range));
            if let Some(download) = download {
                report(out, runner.range, download, format!("runs it with `{}`", runner.program));
            }
        }
    }
}

/// `curl -o x.sh URL && sh x.sh`, `wget URL -O- > f && bash f`, `chmod +x f && ./f`.
fn saved_then_run(commands: &[EffectiveCommand<'_>], out: &mut Vec<Diagnostic>) {
    if commands.iter().any(verifies) {
        return;
    }
    for download in commands.iter().filter(|c| is_downloader(c.program)) {
        let Some(file) = saved_file(download) else { continue };
        let runner = commands.iter().find(|c| c.range.start >= download.command.range.end && runs_file(c, &file));
        if let Some(runner) = runner {
            report(out, runner.range, download, format!("saves it to `{file}`, then runs it"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::assert_cases;

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nRUN curl -fsSL https://x/a.tar.gz | tar xz -C /opt\n",
            "FROM alpine:3.22\nRUN curl -fsSL https://x/key.asc | gpg --dearmor -o /usr/share/keyrings/x.gpg\n",
            "FROM alpine:3.22\nRUN curl -s https://x/api | python3 -c 'import sys, json; print(json.load(sys.stdin))'\n",
            "FROM alpine:3.22\nRUN curl -s https://x/api | python3 -m json.tool\n",
            "FROM alpine:3.22\nRUN curl -s https://x/a | perl -ne 'print if /x/'\n",
            "FROM alpine:3.22\nRUN curl -fsSLo /tmp/i.sh https://x/i.sh | sh\n",
            "FROM alpine:3.22\nRUN wget -q https://x/i.sh | sh\n",
            "FROM alpine:3.22\nRUN curl -fsSLo /tmp/i.sh https://x/i.sh \\\n && echo \"abc  /tmp/i.sh\" | sha256sum -c - \\\n && sh /tmp/i.sh\n",
            "FROM alpine:3.22\nRUN curl -fsSLo /tmp/i.sh https://x/i.sh && cat /tmp/i.sh\n",
            "FROM alpine:3.22\nRUN sh ./local.sh && curl -o local.sh https://x/local.sh\n",
            "FROM alpine:3.22\nRUN echo \"$(curl -s https://x/v)\"\n",
            "FROM alpine:3.22\nRUN sh -c \"echo $(curl -s https://x/v)\"\n",
            "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"powershell\", \"-Command\"]\nRUN curl https://x | sh\n",
        ];
        let fail = [
            "FROM alpine:3.22\nRUN curl -fsSL https://x/install.sh | sh\n",
            "FROM alpine:3.22\nRUN curl -fsSL https://x/install.sh | sh -s -- --yes\n",
            "FROM alpine:3.22\nRUN wget -qO- https://x/install.sh | bash -s --\n",
            "FROM alpine:3.22\nRUN wget -O - https://x/install.sh | bash\n",
            "FROM alpine:3.22\nRUN curl -fsSL https://x/install.sh | sudo sh\n",
            "FROM alpine:3.22\nRUN curl -fsSL https://x/install.sh | sudo -E bash -\n",
            "FROM alpine:3.22\nRUN curl -sSL https://x/get-pip.py | python3\n",
            "FROM alpine:3.22\nRUN curl -sSL https://x/get-pip.py | python3 - --user\n",
            "FROM alpine:3.22\nRUN curl -L https://x/cpanm | perl - App::cpanminus\n",
            "FROM alpine:3.22\nRUN curl -fsSL https://x/setup | node\n",
            "FROM alpine:3.22\nRUN curl -fsSL https://x/i.sh | tee /tmp/i.sh | sh\n",
            "FROM alpine:3.22\nrun apk add curl \\\n && curl -fsSL https://x/install.sh \\\n    | sh\n",
            "FROM alpine:3.22\nRUN sh -c 'curl -fsSL https://x/install.sh | sh'\n",
            "FROM alpine:3.22\nRUN [\"sh\", \"-c\", \"curl -fsSL https://x/install.sh | sh\"]\n",
            "FROM alpine:3.22\nRUN <<EOF\nset -e\ncurl -fsSL https://x/install.sh | sh\nEOF\n",
            "FROM alpine:3.22\nONBUILD RUN curl -fsSL https://x/install.sh | sh\n",
            "FROM alpine:3.22\nRUN sh -c \"$(curl -fsSL https://x/install.sh)\"\n",
            "FROM alpine:3.22\nRUN bash -c \"$(wget -qO- https://x/install.sh)\" -- --unattended\n",
            "FROM alpine:3.22\nRUN bash <(curl -fsSL https://x/i.sh)\n",
            "FROM alpine:3.22\nRUN eval \"$(curl -fsSL https://x/env.sh)\"\n",
            "FROM alpine:3.22\nRUN curl -fsSL -o /tmp/i.sh https://x/i.sh && sh /tmp/i.sh\n",
            "FROM alpine:3.22\nRUN curl -fsSLO https://x/install.sh && bash install.sh --yes\n",
            "FROM alpine:3.22\nRUN wget https://x/install.sh && chmod +x install.sh && ./install.sh\n",
            "FROM alpine:3.22\nRUN wget https://x/i.sh -O- > /tmp/i.sh && bash /tmp/i.sh\n",
            "FROM alpine:3.22\nRUN curl -o /usr/local/bin/tool https://x/tool \\\n && chmod +x /usr/local/bin/tool \\\n && /usr/local/bin/tool install\n",
            "FROM alpine:3.22\nRUN wget -O /tmp/get.py https://x/get.py && python3 /tmp/get.py\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }
}
