//! Commands run through wrappers: `sudo apt-get …`, `env X=1 curl …`, `timeout 5 cmd`, `sh -c '…'`.

use super::args::{self, basename};
use super::{Pipeline, Script, SimpleCommand, Word};
use crate::source::TextRange;

/// A command as it runs, after looking through wrappers and into `sh -c` strings.
#[derive(Clone, Debug)]
pub struct EffectiveCommand<'a> {
    /// The script that holds the written command (a nested script for commands inside `sh -c '…'`).
    pub script: &'a Script,
    /// Index of the written command in `script.commands`.
    pub index: usize,
    /// The written command (`sudo -E apt-get install …`).
    pub command: &'a SimpleCommand,
    /// The word that names the program that runs (`apt-get`).
    pub name: &'a Word,
    /// Base name of `name`'s value.
    pub program: &'a str,
    /// The arguments after `name`.
    pub args: &'a [Word],
    /// The wrappers, outermost first: `["sudo"]`, or `["sudo", "sh"]` inside `sudo sh -c '…'`.
    pub via: Vec<&'a str>,
    /// From `name` to the end of the written command.
    pub range: TextRange,
}

impl<'a> EffectiveCommand<'a> {
    /// See [`SimpleCommand::has_flag`].
    pub fn has_flag(&self, short: Option<char>, long: &str) -> bool {
        args::has_flag(self.args, short, long)
    }

    /// See [`SimpleCommand::flag_value`].
    pub fn flag_value(&self, short: Option<char>, long: &str) -> Option<Word> {
        args::flag_value(self.args, short, long)
    }

    /// See [`SimpleCommand::positional`].
    pub fn positional(&self) -> impl Iterator<Item = &'a Word> + use<'a> {
        args::positional(self.args, &[])
    }

    /// See [`SimpleCommand::positional_skipping`].
    pub fn positional_skipping(&self, with_values: &'a [&'a str]) -> impl Iterator<Item = &'a Word> + use<'a> {
        args::positional(self.args, with_values)
    }

    /// The pipeline of the written command and its stage, if it is piped.
    pub fn pipeline(&self) -> Option<(&'a Pipeline, usize)> {
        self.script.pipeline_of(self.index)
    }

    /// A shell that reads its script from standard input: `sh`, `bash -s --`, not `sh -c …` or `sh file`.
    pub fn reads_script_from_stdin(&self) -> bool {
        is_shell_program(self.program) && shell_reads_stdin(self.args)
    }
}

/// The POSIX-like shells (`sh`, `bash`, `dash`, `ash`, `ksh`, `mksh`, `zsh`), by base name.
pub fn is_shell_program(program: &str) -> bool {
    matches!(program, "sh" | "bash" | "dash" | "ash" | "ksh" | "mksh" | "zsh")
}

/// Every command of a script (and of its nested `sh -c` scripts, right after the command that runs them) as it
/// runs. Commands without a literal name (`$CMD x`, assignments alone) are left out.
pub fn effective_commands(script: &Script) -> Vec<EffectiveCommand<'_>> {
    let mut out = Vec::new();
    collect(script, &[], &mut out);
    out
}

fn collect<'a>(script: &'a Script, prefix: &[&'a str], out: &mut Vec<EffectiveCommand<'a>>) {
    for (index, command) in script.commands.iter().enumerate() {
        let Some(u) = unwrap(command) else { continue };
        let Some(program) = u.name.value.as_deref().and_then(basename) else { continue };
        let mut via = prefix.to_vec();
        via.extend(&u.via);
        let range = TextRange::new(u.name.range.start, command.range.end.max(u.name.range.end));
        let args = command.args.get(u.rest..).unwrap_or_default();
        out.push(EffectiveCommand { script, index, command, name: u.name, program, args, via: via.clone(), range });
        if let Some(nested) = script.nested_of(index) {
            via.push(program);
            collect(nested, &via, out);
        }
    }
}

pub(crate) struct Unwrapped<'a> {
    pub name: &'a Word,
    /// Index in the command's `args` of the first argument after `name`.
    pub rest: usize,
    pub via: Vec<&'a str>,
}

/// How a wrapper's own options look: short options that take a value, long ones that take a separate value,
/// how many operands come before the command, and whether `NAME=value` words may come first (`env`).
struct Wrapper {
    short_values: &'static str,
    long_values: &'static [&'static str],
    operands: usize,
    assignments: bool,
}

fn wrapper(program: &str) -> Option<Wrapper> {
    let w = |short_values, long_values, operands, assignments| {
        Some(Wrapper { short_values, long_values, operands, assignments })
    };
    match program {
        "sudo" => w(
            "ugpCDrtTU",
            &["user", "group", "prompt", "chdir", "close-from", "role", "type", "other-user", "host"],
            0,
            true,
        ),
        "doas" => w("uC", &[], 0, false),
        "env" => w("uCS", &["unset", "chdir", "split-string"], 0, true),
        "nohup" | "setsid" | "command" | "busybox" => w("", &[], 0, false),
        "timeout" => w("sk", &["signal", "kill-after"], 1, false),
        "xargs" => w(
            "adEILnPs",
            &["arg-file", "delimiter", "max-args", "max-lines", "max-procs", "max-chars", "replace", "eof"],
            0,
            false,
        ),
        "nice" => w("n", &["adjustment"], 0, false),
        "stdbuf" => w("ioe", &["input", "output", "error"], 0, false),
        "time" => w("fo", &["format", "output"], 0, false),
        "exec" => w("a", &[], 0, false),
        "gosu" | "su-exec" => w("", &[], 1, false),
        "chroot" => w("", &["userspec", "groups"], 1, false),
        _ => None,
    }
}

/// Index of the command word after a wrapper's options and operands, in `args`.
fn skip_wrapper(args: &[Word], w: &Wrapper) -> Option<usize> {
    let mut i = 0;
    let mut operands = w.operands;
    while let Some(word) = args.get(i) {
        let a = word.value_or_text();
        if a == "--" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            i += if !long.contains('=') && w.long_values.contains(&long) { 2 } else { 1 };
            continue;
        }
        if let Some(bundle) = a.strip_prefix('-').filter(|b| !b.is_empty()) {
            i += 1;
            let takes = bundle.char_indices().find(|&(_, c)| w.short_values.contains(c));
            if let Some((p, c)) = takes
                && p + c.len_utf8() == bundle.len()
            {
                i += 1;
            }
            continue;
        }
        if w.assignments && a.split_once('=').is_some_and(|(n, _)| is_name(n)) {
            i += 1;
            continue;
        }
        break;
    }
    while operands > 0 && i < args.len() {
        i += 1;
        operands -= 1;
    }
    (i < args.len()).then_some(i)
}

fn is_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The command that runs, through at most 8 wrappers; `None` without a literal name.
pub(crate) fn unwrap(command: &SimpleCommand) -> Option<Unwrapped<'_>> {
    let mut u = Unwrapped { name: command.name.as_ref()?, rest: 0, via: Vec::new() };
    for _ in 0..8 {
        let Some(program) = u.name.value.as_deref().and_then(basename) else { break };
        let Some(w) = wrapper(program) else { break };
        let rest = command.args.get(u.rest..).unwrap_or_default();
        let Some(k) = skip_wrapper(rest, &w) else { break };
        let Some(next) = rest.get(k) else { break };
        if next.value.is_none() {
            break;
        }
        u.via.push(program);
        u.name = next;
        u.rest += k + 1;
    }
    Some(u)
}

/// Options of a shell before its operands: the index of the first operand, and whether `-c` was given.
fn shell_options(args: &[Word]) -> (usize, bool, bool) {
    let (mut has_c, mut has_s) = (false, false);
    let mut i = 0;
    while let Some(word) = args.get(i) {
        let a = word.value_or_text();
        if a == "--" || a == "-" {
            i += 1;
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            i += if matches!(long, "rcfile" | "init-file") { 2 } else { 1 };
            continue;
        }
        if let Some(bundle) = a.strip_prefix('-').or_else(|| a.strip_prefix('+')).filter(|b| !b.is_empty()) {
            if a.starts_with('-') {
                has_c |= bundle.contains('c');
                has_s |= bundle.contains('s');
            }
            // `-o pipefail`, `-O extglob`: the option name is the next word.
            i += if bundle.contains(['o', 'O']) { 2 } else { 1 };
            continue;
        }
        break;
    }
    (i, has_c, has_s)
}

pub(crate) fn shell_reads_stdin(args: &[Word]) -> bool {
    let (operand, has_c, has_s) = shell_options(args);
    !has_c && (has_s || operand >= args.len())
}

/// The index in `command.args` of the script string of `sh -c 'script'` (through wrappers), or of
/// `su -c 'script'`.
pub(crate) fn script_arg(command: &SimpleCommand) -> Option<usize> {
    let u = unwrap(command)?;
    let program = u.name.value.as_deref().and_then(basename)?;
    let rest = command.args.get(u.rest..)?;
    if is_shell_program(program) {
        let (operand, has_c, _) = shell_options(rest);
        return (has_c && operand < rest.len()).then_some(u.rest + operand);
    }
    if matches!(program, "su" | "runuser") {
        let at = rest.iter().position(|w| matches!(w.value.as_deref(), Some("-c" | "--command")))?;
        return (at + 1 < rest.len()).then_some(u.rest + at + 1);
    }
    None
}
