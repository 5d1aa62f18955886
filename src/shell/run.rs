//! The scripts of a RUN instruction.

use super::args::basename;
use super::build;
use super::map::{OffsetMap, Piece, PieceMap, WholeMap};
use super::wrappers::{self, is_shell_program};
use super::{NestedScript, Script, SimpleCommand, Word};
use crate::dockerfile::{Args, Command, Heredoc, Instruction, Kind, LogicalLine};
use crate::source::{Spanned, to_u32};

/// Whether a SHELL instruction's shell is POSIX-like (`["/bin/bash", "-o", "pipefail", "-c"]`), so that
/// shell-form commands can be analysed; `false` for `["powershell", …]`, `["cmd", "/S", "/C"]` and the like.
pub fn is_posix_shell(shell: &[String]) -> bool {
    let Some(first) = shell.first() else { return false };
    let first = first.rsplit(['/', '\\']).next().unwrap_or(first);
    let first = first.strip_suffix(".exe").unwrap_or(first);
    is_shell_program(first) || first == "busybox"
}

/// The shell scripts of a RUN (or `ONBUILD RUN`), every range in the Dockerfile:
/// * the shell-form command line (continuations joined, heredoc bodies fed to it as the shell sees them);
/// * for exec form, one script holding the command, with the `-c` string of `["sh", "-c", "…"]` nested;
/// * each heredoc body that a shell runs: `RUN <<EOF` (unless a shebang names another interpreter),
///   `RUN bash <<EOF`, `RUN <<EOF sh` — not `RUN python3 <<EOF` or `RUN cat <<EOF > file`.
///
/// Whether the stage's SHELL is POSIX is the caller's question ([`is_posix_shell`]). `escape` is the
/// Dockerfile's escape character; continuations are already joined by the Dockerfile parser, so shell text is
/// the same for both.
pub fn parse_run(instr: &Instruction, escape: char) -> Vec<Script> {
    let _ = escape;
    let inner = instr.effective();
    if inner.kind != Kind::Run {
        return Vec::new();
    }
    // An ONBUILD's wrapped instruction has no logical line of its own: the ONBUILD has it.
    let line = if instr.line.segments.is_empty() { &inner.line } else { &instr.line };
    match &inner.args {
        Args::Command { command: Command::Shell { script } } => shell_form(line, script, &inner.heredocs),
        Args::Command { command: Command::Exec { args, .. } } => exec_form(args).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Like [`parse_run`], for any instruction that holds a command: RUN, CMD, ENTRYPOINT, `HEALTHCHECK CMD`
/// (and their ONBUILD forms). CMD and ENTRYPOINT in shell form run through the stage's SHELL too.
pub fn parse_command(instr: &Instruction, escape: char) -> Vec<Script> {
    let inner = instr.effective();
    let line = if instr.line.segments.is_empty() { &inner.line } else { &instr.line };
    let command = match (&inner.kind, &inner.args) {
        (Kind::Run, _) => return parse_run(instr, escape),
        (Kind::Cmd | Kind::Entrypoint, Args::Command { command }) => command,
        (Kind::Healthcheck, Args::Healthcheck { command: Some(command), .. }) => command,
        _ => return Vec::new(),
    };
    match command {
        Command::Shell { script } => shell_form(line, script, &[]),
        Command::Exec { args, .. } => exec_form(args).into_iter().collect(),
    }
}

/// The logical offset of a file offset in `line` (the first piece that holds it).
fn logical_of(line: &LogicalLine, file: u32) -> Option<usize> {
    line.segments.iter().enumerate().find_map(|(k, &(l, s))| {
        let next = line.segments.get(k + 1).map_or(to_u32(line.text.len()), |&(l2, _)| l2);
        (s <= file && file - s <= next.saturating_sub(l)).then_some((l + (file - s)) as usize)
    })
}

/// The logical offset where `script` starts in `line`.
fn logical_start(line: &LogicalLine, script: &Spanned<String>) -> Option<usize> {
    let at = logical_of(line, script.range.start)?;
    (line.text.get(at..at + script.value.len()) == Some(script.value.as_str())).then_some(at)
}

fn shell_form(line: &LogicalLine, script: &Spanned<String>, heredocs: &[Heredoc]) -> Vec<Script> {
    let base = logical_start(line, script);
    let piece = match base {
        Some(at) => Piece::Line(line, at),
        None => Piece::File(script.range.start, script.range.end),
    };
    let map = PieceMap { pieces: vec![(0, piece)] };
    // tree-sitter-bash cannot parse a heredoc whose body is elsewhere (nor `<<EOF cmd`): each `<<` becomes
    // ` <`, a redirection from a file of the same length, turned back into the heredoc after parsing.
    let mut text = script.value.clone().into_bytes();
    let mut markers = Vec::new();
    for (index, h) in heredocs.iter().enumerate() {
        let Some(at) = base.zip(logical_of(line, h.marker.start)).and_then(|(b, m)| m.checked_sub(b)) else {
            continue;
        };
        let Some(found) = text.get(at..).and_then(|t| t.windows(2).position(|w| w == b"<<")) else { continue };
        let p = at + found;
        if let Some(b) = text.get_mut(p) {
            *b = b' ';
            markers.push((map.start(p + 1), index));
        }
    }
    let text = String::from_utf8(text).unwrap_or_else(|_| script.value.clone());
    let mut main = build::parse(&text, &map, 0);
    let mut consumers: Vec<Option<usize>> = vec![None; heredocs.len()];
    for (c, command) in main.commands.iter_mut().enumerate() {
        let mut cover = command.range;
        for r in command.redirects.iter_mut() {
            let Some(&(_, index)) = markers.iter().find(|(at, _)| r.op == "<" && *at == r.range.start) else {
                continue;
            };
            let Some(h) = heredocs.get(index) else { continue };
            r.op = if h.chomp { "<<-" } else { "<<" }.to_owned();
            r.range = h.marker;
            cover = cover.cover(h.marker);
            if let Some(t) = &mut r.target {
                t.value = Some(h.name.clone());
            }
            if let Some(slot) = consumers.get_mut(index) {
                *slot = Some(c);
            }
        }
        command.range = cover;
    }
    // `RUN <<EOF`: the body is the whole command.
    let alone = heredocs.len() == 1 && script.value.trim().starts_with("<<") && !script.value.trim().contains(' ');
    let bodies: Vec<Script> = heredocs
        .iter()
        .zip(consumers)
        .filter(|(h, consumer)| match consumer.and_then(|c| main.commands.get(c)) {
            _ if alone => runs_alone_as_shell(h),
            Some(command) => reads_stdin_as_shell(command),
            None => false,
        })
        .map(|(h, _)| {
            let pieces = vec![(0, Piece::File(h.body_range.start, h.body_range.end))];
            build::parse(&h.body, &PieceMap { pieces }, 0)
        })
        .collect();
    let mut out = vec![main];
    out.extend(bodies);
    out
}

/// A shell reading its script from standard input (`bash`, `sudo sh -s`).
fn reads_stdin_as_shell(command: &SimpleCommand) -> bool {
    let Some(u) = wrappers::unwrap(command) else { return false };
    let Some(program) = u.name.value.as_deref().and_then(basename) else { return false };
    is_shell_program(program) && wrappers::shell_reads_stdin(command.args.get(u.rest..).unwrap_or_default())
}

/// A body run on its own is a shell script unless its shebang names another interpreter.
fn runs_alone_as_shell(heredoc: &Heredoc) -> bool {
    shebang(&heredoc.content()).is_none_or(|interpreter| is_shell_program(&interpreter))
}

/// The interpreter a `#!` line names: `#!/bin/sh -e` gives `sh`, `#!/usr/bin/env -S bash -x` gives `bash`.
fn shebang(body: &str) -> Option<String> {
    let first = body.lines().next()?.strip_prefix("#!")?;
    let mut words = first.split_whitespace();
    let program = basename(words.next()?)?;
    if program != "env" {
        return Some(program.to_owned());
    }
    let next = words.find(|w| !w.starts_with('-') && !w.contains('='))?;
    basename(next).map(str::to_owned)
}

/// Exec form: one command, and the script of `["sh", "-c", "…"]` nested in it.
fn exec_form(args: &[Spanned<String>]) -> Option<Script> {
    // The text as written is the JSON literal; re-encoded, it is the same unless it had escapes.
    let word = |s: &Spanned<String>| Word {
        text: serde_json::to_string(&s.value).unwrap_or_else(|_| s.value.clone()),
        value: Some(s.value.clone()),
        range: s.range,
    };
    let (first, rest) = args.split_first()?;
    let command = SimpleCommand {
        name: Some(word(first)),
        args: rest.iter().map(word).collect(),
        env: Vec::new(),
        redirects: Vec::new(),
        range: args.iter().fold(first.range, |r, a| r.cover(a.range)),
    };
    let mut script = Script { range: command.range, ..Script::default() };
    if let Some(k) = wrappers::script_arg(&command)
        && let Some(literal) = rest.get(k)
    {
        // The JSON literal maps byte for byte only when it has no escapes (and no continuation inside).
        let nested = if literal.range.len() as usize == literal.value.len() + 2 {
            let map = PieceMap { pieces: vec![(0, Piece::File(literal.range.start + 1, literal.range.end - 1))] };
            build::parse(&literal.value, &map, 1)
        } else {
            build::parse(&literal.value, &WholeMap(literal.range), 1)
        };
        script.nested.push(NestedScript { command: 0, script: nested });
    }
    script.commands.push(command);
    Some(script)
}
