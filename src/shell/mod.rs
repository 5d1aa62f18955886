//! The shell inside RUN: a facade over tree-sitter-bash that gives plain data.
//!
//! [`parse_run`] turns a RUN instruction into [`Script`]s (the shell-form line, the `-c` string of an exec-form
//! `["sh", "-c", "…"]`, and each heredoc body that a shell reads). A script is a flat list of
//! [`SimpleCommand`]s in source order (commands inside `( … )`, `{ …; }`, `$( … )`, `if`, loops and functions
//! included) plus the [`Pipeline`]s that connect them. [`effective_commands`] looks through wrappers
//! (`sudo`, `env`, `nohup`, `timeout`, `xargs`, `sh -c '…'` …) so a rule can ask "is `curl` run here?" once.
//!
//! Every range is a byte range of the Dockerfile: offsets in the joined logical line are mapped back through
//! continuations, and offsets in an `sh -c` string through its quotes and escapes.

mod args;
mod build;
mod literal;
mod map;
mod run;
mod wrappers;

#[cfg(test)]
mod tests;

use crate::source::TextRange;

pub use build::cache_parses_on_this_thread;
pub use run::{is_posix_shell, parse_command, parse_run};
pub use wrappers::{EffectiveCommand, effective_commands, is_shell_program};

/// How deep `sh -c '…'` strings are parsed as nested scripts.
pub const MAX_NESTING: usize = 4;

/// One parsed shell script.
#[derive(Clone, Debug, Default)]
pub struct Script {
    /// Every simple command, in source order (an outer command comes before the commands in its `$( … )`).
    pub commands: Vec<SimpleCommand>,
    pub pipelines: Vec<Pipeline>,
    /// Regions tree-sitter could not parse (`ERROR`) or had to invent (`MISSING`, as an empty range).
    pub errors: Vec<TextRange>,
    /// Scripts passed as literal strings to `sh -c` (directly or through wrappers such as `sudo`).
    pub nested: Vec<NestedScript>,
    /// The whole script.
    pub range: TextRange,
}

/// A script run by one of the commands of its parent script: `bash -c 'apt-get update && …'`.
#[derive(Clone, Debug)]
pub struct NestedScript {
    /// Index into the parent's `commands` of the command that runs it.
    pub command: usize,
    pub script: Script,
}

impl Script {
    /// This script and every nested script, depth first.
    pub fn all(&self) -> Vec<&Script> {
        let mut out = vec![self];
        let mut i = 0;
        while let Some(s) = out.get(i).copied() {
            out.extend(s.nested.iter().map(|n| &n.script));
            i += 1;
        }
        out
    }

    /// The pipeline that holds a command, and the command's position (stage) in it.
    pub fn pipeline_of(&self, command: usize) -> Option<(&Pipeline, usize)> {
        self.pipelines.iter().find_map(|p| p.commands.iter().position(|&c| c == command).map(|pos| (p, pos)))
    }

    /// The nested script a command runs (`sh -c '…'`).
    pub fn nested_of(&self, command: usize) -> Option<&Script> {
        self.nested.iter().find(|n| n.command == command).map(|n| &n.script)
    }
}

/// A shell word.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// As written (quotes and escapes kept; continuations joined).
    pub text: String,
    /// The unquoted value, when the word is a literal: `None` when it holds an expansion (`$x`, `$(…)`, `~`),
    /// a glob (`*`, `?`, `[`) or a brace expansion, whose value only the build knows.
    pub value: Option<String>,
    pub range: TextRange,
}

impl Word {
    /// The value, or the text as written when the value is unknown.
    pub fn value_or_text(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.text)
    }
}

/// A redirection: `> /dev/null`, `2>&1`, `<<EOF`, `<<< "$x"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The file descriptor written before the operator (`2` in `2>&1`).
    pub fd: Option<u32>,
    /// The operator: `>`, `>>`, `<`, `>&`, `&>`, `<<`, `<<-`, `<<<` …
    pub op: String,
    /// The file, descriptor, here-string or heredoc delimiter.
    pub target: Option<Word>,
    pub range: TextRange,
}

/// A simple command: assignments, a name, arguments and redirections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimpleCommand {
    /// `None` for assignments alone (`FOO=bar`) or a command tree-sitter had to invent.
    pub name: Option<Word>,
    pub args: Vec<Word>,
    /// `FOO=bar cmd`: each name and value (an empty value word for `FOO= cmd`).
    pub env: Vec<(Word, Word)>,
    pub redirects: Vec<Redirect>,
    /// From the first assignment or the name to the last argument or redirection.
    pub range: TextRange,
}

impl SimpleCommand {
    /// The base name of the command's literal name: `/usr/bin/curl` gives `curl`.
    pub fn program(&self) -> Option<&str> {
        self.name.as_ref().and_then(|w| w.value.as_deref()).and_then(args::basename)
    }

    /// Whether a flag is given: `short` also inside bundles (`-fsSL` has `s`), `long` (with or without its
    /// `--`) also as `--long=value`. Options end at `--`.
    pub fn has_flag(&self, short: Option<char>, long: &str) -> bool {
        args::has_flag(&self.args, short, long)
    }

    /// The value of the last occurrence of a flag: `--long=value`, `--long value`, `-s value`, `-svalue`.
    /// For a value inside a word, the returned word covers only the value when it can be located exactly.
    pub fn flag_value(&self, short: Option<char>, long: &str) -> Option<Word> {
        args::flag_value(&self.args, short, long)
    }

    /// The arguments that do not start with `-` (a lone `-` counts), and every argument after `--`. Values of
    /// flags given as separate words are positional here: see [`SimpleCommand::positional_skipping`].
    pub fn positional(&self) -> impl Iterator<Item = &Word> {
        args::positional(&self.args, &[])
    }

    /// Like [`SimpleCommand::positional`], also skipping the word after each flag in `with_values`
    /// (`["-o", "--output"]`).
    pub fn positional_skipping<'a>(&'a self, with_values: &'a [&'a str]) -> impl Iterator<Item = &'a Word> {
        args::positional(&self.args, with_values)
    }
}

/// Commands joined by `|` (or `|&`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pipeline {
    /// Indices into [`Script::commands`] of the stages that are simple commands, in order. A compound stage
    /// (`( … )`, `{ …; }`, a loop) has no entry here; `stages` counts every stage.
    pub commands: Vec<usize>,
    pub stages: usize,
    pub range: TextRange,
}

/// Parses one script; `map` turns a byte offset of `text` into a file offset (it must be increasing, and
/// linear inside each piece of text that is contiguous in the file).
pub fn parse_script(text: &str, map: &dyn Fn(usize) -> u32) -> Script {
    build::parse(text, &map::FnMap(map), 0)
}
