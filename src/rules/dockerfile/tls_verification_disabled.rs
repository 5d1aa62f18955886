//! PLD104 tls-verification-disabled: downloads and package managers told not to check TLS certificates.

use super::run_scripts::{long_flag, short_flag};
use crate::Severity;
use crate::diagnostic::Diagnostic;
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
        fix: FixAvailability::None,
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
    out.push(RULE.meta.diagnostic(range, message).with_help(HELP));
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
                check_command(&cmd, out);
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

fn check_command(cmd: &EffectiveCommand<'_>, out: &mut Vec<Diagnostic>) {
    let program = cmd.program;
    let args = cmd.args;
    let values = || args.iter().map(|w| w.value_or_text());
    match program {
        "curl" => {
            if let Some(w) = long_flag(args, "insecure").or_else(|| short_flag(args, 'k', CURL_VALUE_SHORTS)) {
                push(out, w.range, format!("`curl {}` accepts any certificate", w.value_or_text()));
            }
        }
        "wget" => {
            if let Some(w) = long_flag(args, "no-check-certificate") {
                push(out, w.range, "`wget --no-check-certificate` accepts any certificate".into());
            }
        }
        _ if program.starts_with("pip")
            || program == "uv"
            || (program.starts_with("python") && values().any(|v| v == "pip")) =>
        {
            for flag in ["trusted-host", "allow-insecure-host"] {
                if let Some(w) = long_flag(args, flag) {
                    push(out, w.range, format!("`{program} --{flag}` accepts the host without a valid certificate"));
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
                let off = match key.split_once('=') {
                    Some((k, val)) => is_strict_ssl(k) && val.eq_ignore_ascii_case("false"),
                    None => is_strict_ssl(key) && next.is_some_and(|n| n.eq_ignore_ascii_case("false")),
                };
                if off {
                    push(out, w.range, format!("`{program}` with `strict-ssl` off accepts any certificate"));
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
                    push(out, w.range, format!("`{v}` makes git accept any certificate"));
                }
            }
        }
        _ => {}
    }
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
    use crate::rules::testing::assert_cases;

    #[test]
    fn cases() {
        let pass = [
            "FROM alpine:3.20\nRUN curl -fsSL https://x -o /tmp/x\n",
            "FROM alpine:3.20\nRUN curl -fsSLo /tmp/key.pem https://x\n",
            "FROM alpine:3.20\nRUN curl -okey https://x\n",
            "FROM alpine:3.20\nRUN wget -k https://x\n",
            "FROM alpine:3.20\nRUN wget -q https://x && echo --no-check-certificate\n",
            "FROM python:3.12\nRUN pip install --no-cache-dir requests\n",
            "FROM node:22\nRUN npm config set strict-ssl true\n",
            "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n",
            "FROM node:22\nARG NODE_TLS_REJECT_UNAUTHORIZED\n",
            "FROM alpine:3.20\nRUN git config --global http.sslVerify true\n",
            "FROM alpine:3.20\nRUN git clone -c core.autocrlf=false https://x\n",
            "FROM alpine:3.20\nENV GIT_SSL_NO_VERIFY=\n",
            "FROM mcr.microsoft.com/windows/servercore\nSHELL [\"cmd\", \"/S\", \"/C\"]\nRUN curl -k https://x\n",
        ];
        let fail = [
            "FROM alpine:3.20\nRUN curl -k https://x | tar xz\n",
            "FROM alpine:3.20\nRUN curl -fsSLk https://x -o /tmp/x\n",
            "FROM alpine:3.20\nrun curl --insecure \\\n  -o /tmp/x https://x\n",
            "FROM alpine:3.20\nRUN wget --no-check-certificate -qO- https://x > /tmp/x\n",
            "FROM alpine:3.20\nRUN sudo wget --no-check-certificate https://x\n",
            "FROM alpine:3.20\nRUN sh -c 'curl -k https://x -o y'\n",
            "FROM alpine:3.20\nRUN [\"curl\", \"-k\", \"https://x\"]\n",
            "FROM alpine:3.20\nRUN <<EOF\nset -e\ncurl -k https://x -o y\nEOF\n",
            "FROM alpine:3.20\nONBUILD RUN curl -k https://x -o y\n",
            "FROM python:3.12\nRUN pip install --trusted-host pypi.example.com x\n",
            "FROM python:3.12\nRUN python3 -m pip install --trusted-host=pypi.example.com x\n",
            "FROM python:3.12\nRUN pip config set global.trusted-host pypi.example.com\n",
            "FROM node:22\nRUN npm config set strict-ssl false\n",
            "FROM node:22\nRUN npm install --strict-ssl=false\n",
            "FROM node:22\nRUN yarn config set strict-ssl false\n",
            "FROM alpine:3.20\nRUN git -c http.sslVerify=false clone https://x\n",
            "FROM alpine:3.20\nRUN git config --global http.sslverify false\n",
            "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED=0\n",
            "FROM node:22\nENV NODE_TLS_REJECT_UNAUTHORIZED 0\n",
            "FROM node:22\nARG NODE_TLS_REJECT_UNAUTHORIZED=0\n",
            "FROM python:3.12\nENV PYTHONHTTPSVERIFY=0\n",
            "FROM alpine:3.20\nENV GIT_SSL_NO_VERIFY=true\n",
            "FROM alpine:3.20\nenv GIT_SSL_NO_VERIFY=\"1\"\n",
            "FROM python:3.12\nENV PIP_TRUSTED_HOST=pypi.example.com\n",
            "FROM node:22\nENV npm_config_strict_ssl=false\n",
            "FROM node:22\nRUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm install\n",
            "FROM alpine:3.20\nRUN export GIT_SSL_NO_VERIFY=1 && git clone https://x\n",
            "FROM alpine:3.20\nRUN GIT_SSL_NO_VERIFY=1 git clone https://x\n",
        ];
        assert_cases(&RULE, &pass, &fail);
    }
}
