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

/// How an interpreter reads its command line: the options that give it code inline (`python -c`, `php -r`) and
/// the options that take a value in the next word (`php -d key=value`, `perl -I dir`).
struct Interpreter {
    inline_short: &'static str,
    inline_long: &'static [&'static str],
    value_short: &'static str,
    value_long: &'static [&'static str],
    /// `php -- args`: with `--` and no script before it, the script is read from standard input.
    stdin_at_double_dash: bool,
}

/// Interpreters that run a script file or standard input: `python3`, `perl`, `ruby`, `node`, `php` …
fn interpreter(program: &str) -> Option<Interpreter> {
    let base = program.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let (inline_short, inline_long, value_short, value_long, stdin_at_double_dash): (_, &[&str], _, &[&str], _) =
        match base {
            "python" | "pypy" => ("cm", &[], "WXQ", &["check-hash-based-pycs"], false),
            "perl" => ("eE", &[], "IMmx", &[], false),
            "ruby" => ("e", &["eval"], "IrCEF", &["encoding"], false),
            "node" | "nodejs" | "bun" | "deno" => {
                ("ep", &["eval", "print"], "r", &["require", "import", "input-type"], false)
            }
            "php" => ("rRBEa", &[], "dcfz", &[], true),
            _ => return None,
        };
    Some(Interpreter { inline_short, inline_long, value_short, value_long, stdin_at_double_dash })
}

fn is_interpreter(program: &str) -> bool {
    interpreter(program).is_some()
}

/// Where an interpreter's program comes from.
#[derive(PartialEq, Eq)]
enum Script<'a> {
    /// Given inline or as a module (`python3 -c …`, `perl -e …`, `python -m json.tool`, `php -r …`): what it
    /// reads from standard input or its operand is data, not the program.
    Inline,
    /// Read from standard input: no script operand, `-`, or `php -- args`.
    Stdin,
    /// A script file (`php composer-setup.php`, `php -f x.php`).
    File(&'a Word),
}

/// What program an interpreter runs, by its arguments.
fn script_of<'a>(cmd: &EffectiveCommand<'a>) -> Option<Script<'a>> {
    let it = interpreter(cmd.program)?;
    let mut args = cmd.args.iter();
    while let Some(word) = args.next() {
        let a = word.value_or_text();
        if a == "--" {
            if it.stdin_at_double_dash {
                return Some(Script::Stdin);
            }
            return Some(args.next().filter(|w| w.value_or_text() != "-").map_or(Script::Stdin, Script::File));
        }
        if a == "-" {
            return Some(Script::Stdin);
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = long.split_once('=').map_or((long, None), |(n, v)| (n, Some(v)));
            if it.inline_long.contains(&name) {
                return Some(Script::Inline);
            }
            if it.value_long.contains(&name) && value.is_none() {
                args.next();
            }
            continue;
        }
        if let Some(cluster) = a.strip_prefix('-') {
            for (i, c) in cluster.char_indices() {
                if it.inline_short.contains(c) {
                    return Some(Script::Inline);
                }
                if it.value_short.contains(c) {
                    // The value is the rest of the word, or the next word. `php -f file` names the script.
                    let rest = &cluster[i + c.len_utf8()..];
                    let value = if rest.is_empty() { args.next() } else { None };
                    if c == 'f' && cmd.program.starts_with("php") {
                        return Some(value.map_or(Script::Stdin, Script::File));
                    }
                    break;
                }
            }
            continue;
        }
        return Some(Script::File(word));
    }
    Some(Script::Stdin)
}

/// A shell given its script inline (`sh -c …`): what it reads from standard input is not its program.
fn shell_has_inline_code(cmd: &EffectiveCommand<'_>) -> bool {
    cmd.args.iter().take_while(|w| w.value_or_text() != "--").any(|w| {
        let a = w.value_or_text();
        a.strip_prefix('-').is_some_and(|b| !b.starts_with('-') && b.contains('c'))
    })
}

/// A shell or interpreter given its program inline.
fn has_inline_code(cmd: &EffectiveCommand<'_>) -> bool {
    match script_of(cmd) {
        Some(script) => script == Script::Inline,
        None => shell_has_inline_code(cmd),
    }
}

/// A shell or interpreter that runs what it reads from standard input.
fn runs_stdin(cmd: &EffectiveCommand<'_>) -> bool {
    if cmd.reads_script_from_stdin() {
        return true;
    }
    match script_of(cmd) {
        Some(script) => match script {
            Script::Stdin => true,
            Script::File(w) => w.value_or_text() == "/dev/stdin",
            Script::Inline => false,
        },
        None => {
            is_shell_program(cmd.program)
                && !shell_has_inline_code(cmd)
                && cmd.positional().next().map(Word::value_or_text) == Some("/dev/stdin")
        }
    }
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
    if let Some(script) = script_of(cmd) {
        return matches!(script, Script::File(w) if normalize(w.value_or_text()) == file);
    }
    let first = cmd.positional().next().map(|w| normalize(w.value_or_text()));
    let script_runner =
        matches!(cmd.program, "." | "source") || (is_shell_program(cmd.program) && !has_inline_code(cmd));
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
            "FROM php:8.4\nRUN curl -s https://x/api | php -r 'echo json_decode(stream_get_contents(STDIN))->v;'\n",
            "FROM ruby:3.4\nRUN curl -s https://x/api | ruby -rjson -e 'puts JSON.parse(STDIN.read)[\"v\"]'\n",
            "FROM node:24\nRUN curl -s https://x/api | node -e 'process.stdin.pipe(process.stdout)'\n",
            "FROM php:8.4\nRUN curl -s https://x/data.csv | php convert.php\n",
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
            // Composer's installer, and the other interpreters with their options.
            "FROM php:8.4\nRUN curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/local/bin --filename=composer\n",
            "FROM php:8.4\nRUN curl -sS https://getcomposer.org/installer | php\n",
            "FROM php:8.4\nRUN curl -sS https://getcomposer.org/installer | /usr/local/bin/php -d allow_url_fopen=On -- --filename=composer\n",
            "FROM php:8.4\nRUN curl -sS https://getcomposer.org/installer -o setup.php && php -d memory_limit=-1 setup.php\n",
            "FROM php:8.4\nRUN curl -sS https://getcomposer.org/installer -o setup.php && php -f setup.php -- --quiet\n",
            "FROM perl:5.40\nRUN curl -L https://cpanmin.us | perl -Mstrict - App::cpanminus\n",
            "FROM ruby:3.4\nRUN wget -qO- https://x/install.rb | ruby -ropen-uri\n",
            "FROM node:24\nRUN curl -fsSL https://x/i.js | node -r dotenv/config -\n",
            "FROM python:3.13\nRUN curl -sSL https://install.python-poetry.org | python -\n",
            "FROM python:3.13\nRUN curl -sSL https://install.python-poetry.org | python3 -W ignore - --version 1.8\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }
}
