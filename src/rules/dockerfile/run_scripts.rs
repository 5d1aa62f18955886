//! The shell scripts of RUN instructions, for the rules that read commands.

use crate::dockerfile::{Args, Base, Command, Dockerfile, Instruction, Kind};
use crate::shell::{self, Script, Word};

/// Every RUN (and ONBUILD RUN) with its scripts (rules read them through `DockerfileContext::run_scripts`). Shell-form RUNs of stages whose SHELL is not POSIX
/// (`["powershell", …]`, `["cmd", "/S", "/C"]`) are left out: their text is not a POSIX shell script.
pub(crate) fn run_scripts(file: &Dockerfile) -> Vec<(&Instruction, Vec<Script>)> {
    let mut out = Vec::new();
    for (i, instr) in file.instructions.iter().enumerate() {
        let inner = instr.effective();
        if inner.kind != Kind::Run {
            continue;
        }
        let shell_form = matches!(inner.args, Args::Command { command: Command::Shell { .. } });
        if shell_form && !posix_at(file, i) {
            continue;
        }
        out.push((instr, shell::parse_run(instr, file.escape)));
    }
    out
}

/// Whether the SHELL in effect at instruction `at` is POSIX (the default `/bin/sh -c` is).
fn posix_at(file: &Dockerfile, at: usize) -> bool {
    let Some(mut stage) = file.stage_of(at) else { return true };
    let mut end = at;
    for _ in 0..=file.stages.len() {
        let start = stage.instructions.start;
        let last = file.instructions.get(start..end.min(file.instructions.len())).and_then(|is| {
            is.iter().rev().find_map(|i| match (&i.kind, &i.args) {
                (Kind::Shell, Args::Command { command: Command::Exec { args, .. } }) => Some(args),
                _ => None,
            })
        });
        if let Some(args) = last {
            let words: Vec<String> = args.iter().map(|a| a.value.clone()).collect();
            return shell::is_posix_shell(&words);
        }
        match stage.base {
            Base::Stage { index, .. } if index < stage.index => match file.stages.get(index) {
                Some(s) => {
                    stage = s;
                    end = s.instructions.end;
                }
                None => return true,
            },
            _ => return true,
        }
    }
    true
}

/// The first word that gives the long flag `--name` (or `--name=value`), before `--`.
pub(super) fn long_flag<'a>(args: &'a [Word], name: &str) -> Option<&'a Word> {
    args.iter()
        .take_while(|w| w.value_or_text() != "--")
        .find(|w| w.value_or_text().strip_prefix("--").is_some_and(|n| n.split('=').next() == Some(name)))
}

/// The first word that gives the short flag `-c`, alone or in a bundle (`-fsSLk`), before `--`. A bundle is
/// read up to its first option in `with_value` (the rest is that option's value: `-okey` is `-o key`).
pub(super) fn short_flag<'a>(args: &'a [Word], c: char, with_value: &str) -> Option<&'a Word> {
    args.iter().take_while(|w| w.value_or_text() != "--").find(|w| {
        let a = w.value_or_text();
        a.strip_prefix('-').filter(|r| !r.starts_with('-')).is_some_and(|r| {
            for ch in r.chars() {
                if ch == c {
                    return true;
                }
                if with_value.contains(ch) || !ch.is_ascii_alphanumeric() {
                    return false;
                }
            }
            false
        })
    })
}
