//! PLD104 tls-verification-disabled: downloads and package managers told not to check TLS certificates.

use super::run_scripts::{long_flag, short_flag};
use crate::Severity;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::dockerfile::{Args, Kind};
use crate::rules::{Check, DockerfileContext, Equivalents, FixAvailability, Rule, RuleMeta, Target};
use crate::shell::{self, EffectiveCommand, Word};
use crate::source::TextRange;

pub(super) const RULE: Rule = Rule {
    meta: RuleMeta {
        code: "PLD104",
        name: "tls-verification-disabled",
        summary: "A download or package manager is told not to verify TLS certificates",
        severity: Severity::Error,
        target: Target::Dockerfile,
        fix: FixAvailability::Sometimes,
        opt_in: false,
        equivalents: Equivalents::NONE,
        page: include_str!("../../../lints/PLD104-tls-verification-disabled.md"),
    },
    check: Check::Dockerfile(check),
};

const HELP: &str = "keep certificate checks on; if a proxy or private registry uses its own CA, install that CA \
                    certificate (`update-ca-certificates`) or point the tool at it";

/// curl's short options that take a value (what follows them in a bundle is the value).
const CURL_VALUE_SHORTS: &str = "bcCdDeEFHKmoPQrtTuUwxXyYz";

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(s)
}

/// A variable that turns certificate checks off, with what it does.
fn env_disables(name: &str, value: &str) -> Option<&'static str> {
    let value = unquote(value);
    match name {
        "NODE_TLS_REJECT_UNAUTHORIZED" if value == "0" => Some("Node.js stops verifying TLS certificates"),
        "PYTHONHTTPSVERIFY" if value == "0" => Some("Python's urllib stops verifying TLS certificates"),
        "GIT_SSL_NO_VERIFY" if !value.is_empty() => Some("git stops verifying TLS certificates (whatever the value)"),
        "PIP_TRUSTED_HOST" if !value.is_empty() => Some("pip accepts these hosts without a valid certificate"),
        _ if name.eq_ignore_ascii_case("NPM_CONFIG_STRICT_SSL") && value.eq_ignore_ascii_case("false") => {
            Some("npm stops verifying TLS certificates")
        }
        _ => None,
    }
}

fn push(out: &mut Vec<Diagnostic>, range: TextRange, message: String) {
    push_fix(out, range, message, None);
}

fn push_fix(out: &mut Vec<Diagnostic>, range: TextRange, message: String, fix: Option<Fix>) {
    out.push(RULE.meta.diagnostic(range, message).with_help(HELP).with_fix(fix));
}

/// The word's value, when the word is written plainly (no quotes, escapes or expansions) where its range says, so
/// that editing the file's text edits the word.
fn plain<'w>(text: &str, word: &'w Word) -> Option<&'w str> {
    word.value.as_deref().filter(|v| text.get(word.range.start as usize..word.range.end as usize) == Some(*v))
}

/// An unsafe fix removing a flag (and its value word, if given) where they are written plainly; `None` when one of
/// them is not. The fix is unsafe: the build behaves differently (it fails where the check fails).
pub(super) fn remove_flag(text: &str, flag: &Word, value: Option<&Word>) -> Option<Fix> {
    plain(text, flag)?;
    let edits = match value {
        None => vec![Edit::remove_word(text, flag.range)?],
        Some(value) => {
            plain(text, value)?;
            let between = text.get(flag.range.end as usize..value.range.start as usize)?;
            if between.bytes().all(|b| b == b' ' || b == b'\t') {
                vec![Edit::remove_word(text, flag.range.cover(value.range))?]
            } else {
                // A line continuation between them stays.
                vec![Edit::remove_word(text, flag.range)?, Edit::remove_word(text, value.range)?]
            }
        }
    };
    let shown = match value {
        Some(value) => format!("{} {}", flag.text, value.text),
        None => flag.text.clone(),
    };
    Some(Fix::new(Applicability::Unsafe, format!("remove `{shown}`"), edits))
}

/// The fix for `-k` inside a bundle (`-fsSLk` becomes `-fsSL`), or for `-k` alone (removed).
fn remove_short(text: &str, word: &Word, c: char, with_value: &str) -> Option<Fix> {
    let bundle = plain(text, word)?;
    let mut kept = String::from("-");
    let mut in_value = false;
    for ch in bundle.chars().skip(1) {
        in_value |= with_value.contains(ch) || !ch.is_ascii_alphanumeric();
        if in_value || ch != c {
            kept.push(ch);
        }
    }
    if kept == "-" {
        return remove_flag(text, word, None);
    }
    let edit = Edit::new(word.range, kept.as_str());
    Some(Fix::new(Applicability::Unsafe, format!("remove `{c}` from `{bundle}`"), vec![edit]))
}

fn check(ctx: &DockerfileContext<'_>, out: &mut Vec<Diagnostic>) {
    for instr in ctx.file.instructions.iter().map(|i| i.effective()) {
        match (&instr.kind, &instr.args) {
            (Kind::Env, Args::KeyValues { pairs }) => {
                for kv in pairs {
                    if let Some(what) = env_disables(&kv.key.value, &kv.value.value) {
                        push(out, kv.range, format!("`{}={}`: {what}", kv.key.value, kv.value.value));
                    }
                }
            }
            (Kind::Arg, Args::Arg { args }) => {
                for arg in args {
                    if let Some(default) = &arg.default
                        && let Some(what) = env_disables(&arg.name.value, &default.value)
                    {
                        push(out, arg.range, format!("`{}={}`: {what}", arg.name.value, default.value));
                    }
                }
            }
            _ => {}
        }
    }
    for (_, scripts) in ctx.run_scripts() {
        for script in scripts {
            for s in script.all() {
                for command in &s.commands {
                    for (name, value) in &command.env {
                        check_assignment(name, Some(value), out);
                    }
                    let exporting = command.name.as_ref().and_then(|n| n.value.as_deref());
                    if matches!(exporting, Some("export" | "env" | "declare" | "typeset" | "readonly")) {
                        for w in &command.args {
                            check_assignment(w, None, out);
                        }
                    }
                }
            }
            for cmd in shell::effective_commands(script) {
                check_command(&ctx.source.text, &cmd, out);
            }
        }
    }
}

/// `NAME=value` as an inline assignment (name and value words) or an `export NAME=value` word.
fn check_assignment(name: &Word, value: Option<&Word>, out: &mut Vec<Diagnostic>) {
    let (n, v, range) = match value {
        Some(v) => (name.value_or_text().to_owned(), v.value_or_text().to_owned(), name.range.cover(v.range)),
        None => {
            let Some((n, v)) = name.value_or_text().split_once('=') else { return };
            (n.to_owned(), v.to_owned(), name.range)
        }
    };
    if let Some(what) = env_disables(&n, &v) {
        push(out, range, format!("`{n}={v}`: {what}"));
    }
}

/// `text` is the Dockerfile's, for fixes.
fn check_command(text: &str, cmd: &EffectiveCommand<'_>, out: &mut Vec<Diagnostic>) {
    let program = cmd.program;
    let args = cmd.args;
    let values = || args.iter().map(|w| w.value_or_text());
    match program {
        "curl" => {
            let long = long_flag(args, "insecure").map(|w| (w, remove_flag(text, w, None)));
            let short =
                || short_flag(args, 'k', CURL_VALUE_SHORTS).map(|w| (w, remove_short(text, w, 'k', CURL_VALUE_SHORTS)));
            if let Some((w, fix)) = long.or_else(short) {
                push_fix(out, w.range, format!("`curl {}` accepts any certificate", w.value_or_text()), fix);
            }
        }
        "wget" => {
            if let Some(w) = long_flag(args, "no-check-certificate") {
                let message = "`wget --no-check-certificate` accepts any certificate".into();
                push_fix(out, w.range, message, remove_flag(text, w, None));
            }
        }
        _ if program.starts_with("pip")
            || program == "uv"
            || (program.starts_with("python") && values().any(|v| v == "pip")) =>
        {
            for flag in ["trusted-host", "allow-insecure-host"] {
                if let Some(w) = long_flag(args, flag) {
                    // `--trusted-host=host` is one word; `--trusted-host host` takes the next one.
                    let fix = if w.value_or_text().contains('=') {
                        remove_flag(text, w, None)
                    } else {
                        next_word(args, w).and_then(|host| remove_flag(text, w, Some(host)))
                    };
                    let message = format!("`{program} --{flag}` accepts the host without a valid certificate");
                    push_fix(out, w.range, message, fix);
                }
            }
            if let Some(w) = args.iter().find(|w| w.value_or_text().ends_with(".trusted-host")) {
                push(
                    out,
                    w.range,
                    format!("`{}` makes pip accept hosts without a valid certificate", w.value_or_text()),
                );
            }
        }
        "npm" | "yarn" | "pnpm" => {
            let words: Vec<&Word> = args.iter().collect();
            for (i, w) in words.iter().enumerate() {
                let v = w.value_or_text();
                let key = v.trim_start_matches('-');
                let next = words.get(i + 1).map(|n| n.value_or_text());
                let (off, fix) = match key.split_once('=') {
                    Some((k, val)) => {
                        let off = is_strict_ssl(k) && val.eq_ignore_ascii_case("false");
                        // `--strict-ssl=false` is a flag of its own; `config set strict-ssl false` is a command.
                        (off, if off && v.starts_with("--") { remove_flag(text, w, None) } else { None })
                    }
                    None => (is_strict_ssl(key) && next.is_some_and(|n| n.eq_ignore_ascii_case("false")), None),
                };
                if off {
                    let message = format!("`{program}` with `strict-ssl` off accepts any certificate");
                    push_fix(out, w.range, message, fix);
                }
            }
        }
        "git" => {
            let words: Vec<&Word> = args.iter().collect();
            for (i, w) in words.iter().enumerate() {
                let v = w.value_or_text();
                let next = words.get(i + 1).map(|n| n.value_or_text());
                let off = match v.split_once('=') {
                    Some((k, val)) => is_ssl_verify(k) && is_false(val),
                    None => is_ssl_verify(v) && next.is_some_and(is_false),
                };
                if off {
                    // `-c http.sslVerify=false` goes whole; `git config … http.sslVerify false` is a command.
                    let option = i.checked_sub(1).and_then(|p| words.get(p)).filter(|p| p.value_or_text() == "-c");
                    let fix = option.filter(|_| v.contains('=')).and_then(|o| remove_flag(text, o, Some(w)));
                    push_fix(out, w.range, format!("`{v}` makes git accept any certificate"), fix);
                }
            }
        }
        _ => {}
    }
}

/// The word after `word` in `args`.
fn next_word<'a>(args: &'a [Word], word: &Word) -> Option<&'a Word> {
    let i = args.iter().position(|a| std::ptr::eq(a, word))?;
    args.get(i + 1)
}

fn is_strict_ssl(key: &str) -> bool {
    key == "strict-ssl" || key == "strict_ssl" || key == "enableStrictSsl"
}

/// `http.sslVerify`, `http.https://host/.sslVerify`.
fn is_ssl_verify(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower.starts_with("http.") && lower.ends_with(".sslverify")
}

fn is_false(v: &str) -> bool {
    matches!(v.to_ascii_lowercase().as_str(), "false" | "0" | "no" | "off")
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::rules::testing::{assert_cases, assert_fixes};

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.22\nRUN curl -fsSL https://x -o /tmp/x\n",
            "FROM alpine:3.22\nRUN curl -fsSLo /tmp/key.pem https://x\n",
            "FROM alpine:3.22\nRUN curl -okey https://x\n",
            "FROM alpine:3.22\nRUN wget -k https://x\n",
            "FROM alpine:3.22\nRUN wget -q https://x && echo --no-check-certificate\n",
            "FROM python:3.12\nRUN pip install --no-cache-dir requests\n",
            "FROM node:22\nRUN npm config set strict-ssl true\n",
            "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n",
            "FROM node:22\nARG NODE_TLS_REJECT_UNAUTHORIZED\n",
            "FROM alpine:3.22\nRUN git config --global http.sslVerify true\n",
            "FROM alpine:3.22\nRUN git clone -c core.autocrlf=false https://x\n",
            "FROM alpine:3.22\nENV GIT_SSL_NO_VERIFY=\n",
            "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN curl -k https://x\n",
        ];
        let fail = [
            "FROM alpine:3.22\nRUN curl -k https://x | tar xz\n",
            "FROM alpine:3.22\nRUN curl -fsSLk https://x -o /tmp/x\n",
            "FROM alpine:3.22\nrun curl --insecure \\\n  -o /tmp/x https://x\n",
            "FROM alpine:3.22\nRUN wget --no-check-certificate -qO- https://x > /tmp/x\n",
            "FROM alpine:3.22\nRUN sudo wget --no-check-certificate https://x\n",
            "FROM alpine:3.22\nRUN sh -c 'curl -k https://x -o y'\n",
            "FROM alpine:3.22\nRUN [\"curl\", \"-k\", \"https://x\"]\n",
            "FROM alpine:3.22\nRUN <<EOF\nset -e\ncurl -k https://x -o y\nEOF\n",
            "FROM alpine:3.22\nONBUILD RUN curl -k https://x -o y\n",
            "FROM python:3.12\nRUN pip install --trusted-host pypi.example.com x\n",
            "FROM python:3.12\nRUN python3 -m pip install --trusted-host=pypi.example.com x\n",
            "FROM python:3.12\nRUN pip config set global.trusted-host pypi.example.com\n",
            "FROM node:22\nRUN npm config set strict-ssl false\n",
            "FROM node:22\nRUN npm install --strict-ssl=false\n",
            "FROM node:22\nRUN yarn config set strict-ssl false\n",
            "FROM alpine:3.22\nRUN git -c http.sslVerify=false clone https://x\n",
            "FROM alpine:3.22\nRUN git config --global http.sslverify false\n",
            "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n",
            "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n",
            "FROM node:22\nARG NODE_TLS_REJECT_UNAUTHORIZED=0\n",
            "FROM python:3.12\nENV PYTHONHTTPSVERIFY=0\n",
            "FROM alpine:3.22\nENV GIT_SSL_NO_VERIFY=true\n",
            "FROM alpine:3.22\nenv GIT_SSL_NO_VERIFY=\"1\"\n",
            "FROM python:3.12\nENV PIP_TRUSTED_HOST=pypi.example.com\n",
            "FROM node:22\nENV npm_config_strict_ssl=false\n",
            "FROM node:22\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm install\n",
            "FROM alpine:3.22\nRUN export GIT_SSL_NO_VERIFY=1 && git clone https://x\n",
            "FROM alpine:3.22\nRUN GIT_SSL_NO_VERIFY=1 git clone https://x\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }

    #[test]
    fn fixes() {
        let fix = [
            ("FROM a\nRUN curl -k https://x | tar xz\n", "FROM a\nRUN curl https://x | tar xz\n"),
            ("FROM a\nRUN curl -fsSLk https://x -o /tmp/x\n", "FROM a\nRUN curl -fsSL https://x -o /tmp/x\n"),
            ("FROM a\nRUN curl -kfsSLo /tmp/x https://x\n", "FROM a\nRUN curl -fsSLo /tmp/x https://x\n"),
            ("FROM a\nRUN curl https://x -k\n", "FROM a\nRUN curl https://x\n"),
            ("FROM a\nrun curl --insecure \\\n  -o /tmp/x https://x\n", "FROM a\nrun curl \\\n  -o /tmp/x https://x\n"),
            // Two findings in one file, and both spellings in one command (the second goes on the next pass).
            (
                "FROM a\nRUN curl -k --insecure https://x\nRUN wget --no-check-certificate -qO- https://x > /tmp/x\n",
                "FROM a\nRUN curl https://x\nRUN wget -qO- https://x > /tmp/x\n",
            ),
            ("FROM a\nRUN sh -c 'curl -k https://x -o y'\n", "FROM a\nRUN sh -c 'curl https://x -o y'\n"),
            (
                "FROM a\nRUN <<EOF\nset -e\ncurl -k https://x -o y\nEOF\n",
                "FROM a\nRUN <<EOF\nset -e\ncurl https://x -o y\nEOF\n",
            ),
            ("FROM a\nRUN pip install --trusted-host p.example.com x\n", "FROM a\nRUN pip install x\n"),
            ("FROM a\nRUN pip install x --trusted-host p.example.com\n", "FROM a\nRUN pip install x\n"),
            (
                "FROM a\nRUN python3 -m pip install --trusted-host=p.example.com x\n",
                "FROM a\nRUN python3 -m pip install x\n",
            ),
            ("FROM a\nRUN pip install --trusted-host \\\n    p.example.com x\n", "FROM a\nRUN pip install \\\n    x\n"),
            ("FROM a\nRUN git -c http.sslVerify=false clone https://x\n", "FROM a\nRUN git clone https://x\n"),
            ("FROM a\nRUN npm install --strict-ssl=false\n", "FROM a\nRUN npm install\n"),
            // No fix: the word is quoted, in an exec-form array, or a setting (the right CA is not in the file).
            ("FROM a\nRUN curl \"-k\" https://x\n", "FROM a\nRUN curl \"-k\" https://x\n"),
            ("FROM a\nRUN [\"curl\", \"-k\", \"https://x\"]\n", "FROM a\nRUN [\"curl\", \"-k\", \"https://x\"]\n"),
            ("FROM a\nRUN npm config set strict-ssl false\n", "FROM a\nRUN npm config set strict-ssl false\n"),
            (
                "FROM a\nRUN git config --global http.sslverify false\n",
                "FROM a\nRUN git config --global http.sslverify false\n",
            ),
            (
                "FROM a\nRUN pip config set global.trusted-host p\n",
                "FROM a\nRUN pip config set global.trusted-host p\n",
            ),
            ("FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n", "FROM a\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n"),
            (
                "FROM a\nRUN GIT_SSL_NO_VERIFY=1 git clone https://x\n",
                "FROM a\nRUN GIT_SSL_NO_VERIFY=1 git clone https://x\n",
            ),
        ];
        assert_fixes(&RULE, &fix);
    }
}
