//! The Dockerfile parser: a line scanner shaped like BuildKit's `Parse` loop (directives, comments,
//! continuations, heredocs), then one small parser per instruction. It never fails: every problem becomes a
//! diagnostic and the scan goes on with the next line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::{Spanned, TextRange, to_u32};

use super::ast::*;
use super::flags;
use super::json::{ExecForm, parse_exec_form};
use super::syntax::*;
use super::words::{Word, extract_flags, is_split_space, parse_words, split_whitespace, trim_bounds};

/// BuildKit reads lines with Go's `bufio.Scanner`, which refuses a line of 64 KiB or more.
const MAX_LINE_LEN: usize = 64 * 1024 - 1;
/// ONBUILD may wrap ONBUILD only to be rejected; this bounds the recursion on `ONBUILD ONBUILD ONBUILD …`.
const MAX_NESTING: usize = 8;

/// Parses a Dockerfile. Never fails and never panics; problems are in `Dockerfile::diagnostics`.
pub fn parse(text: &str) -> Dockerfile {
    let mut p = Parser::new(text);
    p.run();
    let Parser { escape, directives, instructions, comments, diagnostics, .. } = p;
    let mut file = Dockerfile { escape, directives, instructions, comments, stages: Vec::new(), diagnostics };
    super::stages::resolve(&mut file);
    file.diagnostics.sort_by_key(|d| (d.range.start, d.range.end));
    file
}

/// One physical line: `start..end` is its content without the line break.
#[derive(Clone, Copy, Debug)]
struct PhysLine {
    start: usize,
    end: usize,
    number: u32,
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line_number: u32,
    escape: char,
    directives_done: bool,
    line_too_long_reported: bool,
    directives: Vec<Directive>,
    instructions: Vec<Instruction>,
    comments: Vec<Comment>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            pos: 0,
            line_number: 0,
            escape: '\\',
            directives_done: false,
            line_too_long_reported: false,
            directives: Vec::new(),
            instructions: Vec::new(),
            comments: Vec::new(),
            diagnostics: Vec::new(),
        }
    }

    fn error(&mut self, code: &'static str, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::new(code, Severity::Error, range, message));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    fn next_line(&mut self) -> Option<PhysLine> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let next = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i + 1);
        // Go's `bytes.TrimRight(line, "\r\n")`.
        let mut end = next;
        while end > start && matches!(bytes[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        let line = PhysLine { start, end, number: self.line_number };
        self.pos = next;
        self.line_number += 1;
        if end - start > MAX_LINE_LEN && !self.line_too_long_reported {
            self.line_too_long_reported = true;
            let range = TextRange::from_usize(start, start);
            self.error(
                SYNTAX_ERROR,
                range,
                format!("line {} is longer than 65,535 bytes, which BuildKit refuses", line.number + 1),
            )
            .help = Some("split the line with the escape character at line ends".into());
        }
        Some(line)
    }

    fn rewind(&mut self, line: PhysLine) {
        self.pos = line.start;
        self.line_number = line.number;
    }

    fn push_comment(&mut self, start: usize, end: usize) {
        let hash_text = &self.text[start..end];
        let text = hash_text.strip_prefix('#').unwrap_or(hash_text).to_owned();
        self.comments.push(Comment { text, range: TextRange::from_usize(start, end) });
    }

    /// Whether the line `start..end` ends with the escape character (and optional spaces or tabs); if so, where
    /// the escape character is. BuildKit's `lineContinuationRegex`, `([^\\])\\[ \t]*$|^\\[ \t]*$`: an escape
    /// that follows another escape (`foo\\`) is an escaped escape, not a continuation.
    fn continuation(&self, start: usize, end: usize) -> Option<usize> {
        let line = &self.text[start..end];
        let body = line.trim_end_matches([' ', '\t']);
        let before = body.strip_suffix(self.escape)?;
        (!before.ends_with(self.escape)).then(|| start + before.len())
    }

    /// BuildKit's directive parser, fed the first lines until one is not a directive.
    fn directive(&mut self, start: usize, end: usize) -> bool {
        if self.directives_done {
            return false;
        }
        let line = &self.text[start..end];
        let Some((name, value)) = directive_parts(line) else {
            self.directives_done = true;
            return false;
        };
        let key = name.value.to_ascii_lowercase();
        if !matches!(key.as_str(), "syntax" | "escape" | "check") {
            self.directives_done = true;
            return false;
        }
        let value = Spanned::new(value.value.to_owned(), shift(value.range, start));
        let range = TextRange::from_usize(start, end);
        if let Some(first) = self.directives.iter().find(|d| d.name == key).map(|d| d.range) {
            self.error(SYNTAX_ERROR, range, format!("only one `{key}` parser directive can be used"))
                .labels
                .push(crate::Label::new(first, "the first one is here"));
            return true;
        }
        if key == "escape" {
            match value.value.as_str() {
                "\\" => self.escape = '\\',
                "`" => self.escape = '`',
                other => {
                    let message = format!("invalid escape character `{other}`: it must be `\\` or a backtick");
                    self.error(SYNTAX_ERROR, value.range, message);
                }
            }
        }
        self.directives.push(Directive { name: key, value, range });
        true
    }

    fn run(&mut self) {
        if self.text.starts_with('\u{feff}') {
            self.pos = '\u{feff}'.len_utf8();
        }
        while let Some(line) = self.next_line() {
            let raw = &self.text[line.start..line.end];
            let start = line.start + (raw.len() - raw.trim_start().len());
            let is_directive = self.directive(start, line.end);
            if self.text[start..line.end].starts_with('#') {
                if !is_directive {
                    self.push_comment(start, line.end);
                }
                continue;
            }
            if start == line.end {
                continue;
            }
            self.instruction(line, start);
        }
        if self.instructions.is_empty() {
            let at = TextRange::from_usize(self.text.len(), self.text.len());
            self.error(SYNTAX_ERROR, at, "the file has no instructions").help =
                Some("a Dockerfile needs at least a FROM instruction".into());
        }
    }

    /// Reads one instruction starting at the physical line `first` (content from `start`), with its
    /// continuation lines and heredoc bodies.
    fn instruction(&mut self, first: PhysLine, start: usize) {
        let mut line = LogicalLine::default();
        let mut last = first;
        let mut end = first.end;
        let mut continues = self.continuation(start, first.end);
        let piece_end = continues.unwrap_or(first.end);
        line.segments.push((0, to_u32(start)));
        line.text.push_str(&self.text[start..piece_end]);
        let mut empty_lines = Vec::new();
        while continues.is_some() {
            let Some(next) = self.next_line() else { break };
            last = next;
            let raw = &self.text[next.start..next.end];
            let trimmed = raw.trim_start();
            if trimmed.starts_with('#') {
                self.push_comment(next.end - trimmed.len(), next.end);
                continue;
            }
            if trimmed.is_empty() {
                empty_lines.push(TextRange::from_usize(next.start, next.end));
                continue;
            }
            end = next.end;
            continues = self.continuation(next.start, next.end);
            line.segments.push((to_u32(line.text.len()), to_u32(next.start)));
            line.text.push_str(&self.text[next.start..continues.unwrap_or(next.end)]);
        }
        if let Some(&first_empty) = empty_lines.first() {
            let d = Diagnostic::new(
                EMPTY_CONTINUATION_LINE,
                Severity::Warning,
                first_empty,
                "empty line inside a continuation: BuildKit skips it, and warns that this will become an error",
            )
            .with_help("remove the empty line, or end the instruction before it");
            self.diagnostics.push(d);
        }
        let range = TextRange::from_usize(start, end);
        let mut node = self.node(&line, 0, line.text.len(), 0);
        node.range = range;
        node.start_line = first.number;
        node.end_line = last.number;
        if node.effective().can_have_heredocs() && line.text.contains("<<") {
            self.heredocs(&mut node, &line);
        }
        // A wrapped instruction shares the lines of its ONBUILD, and owns the heredocs it opened.
        let (start_line, end_line) = (node.start_line, node.end_line);
        let mut heredocs = Vec::new();
        if let Args::Onbuild(Some(_)) = &node.args {
            heredocs = std::mem::take(&mut node.heredocs);
        }
        let mut inner = &mut node;
        while let Args::Onbuild(Some(wrapped)) = &mut inner.args {
            inner = wrapped;
            inner.start_line = start_line;
            inner.end_line = end_line;
        }
        if !heredocs.is_empty() {
            inner.range = heredocs.iter().fold(inner.range, |r, h| r.cover(h.terminator.unwrap_or(h.body_range)));
            inner.heredocs = heredocs;
        }
        node.line = line;
        self.instructions.push(node);
    }

    /// BuildKit's `newNodeFromLine` on `line.text[from..to]`.
    fn node(&mut self, line: &LogicalLine, from: usize, to: usize, depth: usize) -> Instruction {
        let s = &line.text[from..to];
        let (ts, te) = trim_bounds(s);
        let trimmed = &s[ts..te];
        let kw_len = trimmed.find(is_split_space).unwrap_or(trimmed.len());
        let after_kw = &trimmed[kw_len..];
        let rest_off = kw_len + (after_kw.len() - after_kw.trim_start_matches(is_split_space).len());
        let rest = &trimmed[rest_off..];
        let base = from + ts + rest_off;
        let (flag_words, args_off) = if rest.is_empty() { (Vec::new(), 0) } else { extract_flags(rest) };
        let args_raw = &rest[args_off..];
        let (a_s, a_e) = trim_bounds(args_raw);
        let args_start = base + args_off + a_s;
        let args_text = &args_raw[a_s..a_e];

        let keyword_text = &trimmed[..kw_len];
        let kind = Kind::from_keyword(keyword_text);
        let keyword = Spanned::new(keyword_text.to_owned(), line.range(from + ts, from + ts + kw_len));
        let args_range = line.range(args_start, args_start + args_text.len());
        let mut node = Instruction {
            keyword,
            kind,
            flags: Vec::new(),
            args: Args::None,
            heredocs: Vec::new(),
            range: line.range(from + ts, from + te),
            args_range,
            line: LogicalLine::default(),
            start_line: 0,
            end_line: 0,
        };
        node.flags = self.flags(kind, line, base, &flag_words);
        let before = self.diagnostics.len();
        node.args = self.args(kind, line, args_start, args_text, depth);
        // Arguments the parser already rejected get no second complaint from the instruction checks.
        if self.diagnostics.len() == before {
            self.check(&node);
        }
        node
    }

    fn flags(&mut self, kind: Kind, line: &LogicalLine, base: usize, words: &[Word]) -> Vec<Flag> {
        let mut flags: Vec<Flag> = Vec::with_capacity(words.len());
        for w in words {
            let range = line.range(base + w.start, base + w.end);
            let body = w.value.strip_prefix("--").unwrap_or(&w.value);
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            // Exact sub-ranges when the word was written without quotes or escapes.
            let raw = &line.text[base + w.start..base + w.end];
            let name_range =
                if raw == w.value { line.range(base + w.start + 2, base + w.start + 2 + name.len()) } else { range };
            let value = value.map(|v| {
                let vr = raw.find('=').map_or(range, |eq| line.range(base + w.start + eq + 1, base + w.end));
                Spanned::new(v.to_owned(), vr)
            });
            let seen = flags.iter().any(|f| f.name.value == name);
            let parsed = if kind == Kind::Unknown {
                FlagValue::Plain
            } else {
                match flags::interpret(kind, name, value.as_ref().map(|v| v.value.as_str()), seen) {
                    Ok(p) => p,
                    Err(message) => {
                        let at = if message.starts_with("unknown") || message.starts_with("duplicate") {
                            range
                        } else {
                            value.as_ref().map_or(range, |v| v.range)
                        };
                        self.error(INVALID_INSTRUCTION, at, message);
                        FlagValue::Plain
                    }
                }
            };
            flags.push(Flag {
                name: Spanned::new(name.to_owned(), name_range),
                value,
                text: w.value.clone(),
                range,
                parsed,
            });
        }
        flags
    }

    /// The instruction's arguments, per BuildKit's dispatch table.
    fn args(&mut self, kind: Kind, line: &LogicalLine, start: usize, text: &str, depth: usize) -> Args {
        let range = |a: usize, b: usize| line.range(start + a, start + b);
        let whole = range(0, text.len());
        let spanned_words = |words: Vec<Word>| {
            words.into_iter().map(|w| Spanned::new(w.value, line.range(w.start, w.end))).collect::<Vec<_>>()
        };
        match kind {
            Kind::Add | Kind::Copy | Kind::Volume => match self.exec_form(text, line, start) {
                Ok(Some(paths)) => Args::Paths { json: true, paths },
                Ok(None) if text.is_empty() => Args::None,
                Ok(None) => Args::Paths { json: false, paths: spanned_words(split_whitespace(text, start)) },
                Err(()) => Args::None,
            },
            Kind::Cmd | Kind::Entrypoint | Kind::Run | Kind::Shell => {
                if text.is_empty() {
                    return Args::None;
                }
                match self.command(text, line, start) {
                    Some(command) => Args::Command { command },
                    None => Args::None,
                }
            }
            Kind::Expose | Kind::From => {
                if text.is_empty() {
                    Args::None
                } else {
                    Args::Words { words: spanned_words(split_whitespace(text, start)) }
                }
            }
            Kind::Maintainer | Kind::Stopsignal | Kind::User | Kind::Workdir | Kind::Unknown => {
                if text.is_empty() {
                    Args::None
                } else {
                    Args::Text { text: Spanned::new(text.to_owned(), whole) }
                }
            }
            Kind::Arg => {
                let words = parse_words(text, self.escape, start);
                if words.is_empty() {
                    return Args::None;
                }
                let args = words
                    .into_iter()
                    .map(|w| {
                        let word_range = line.range(w.start, w.end);
                        match w.value.split_once('=') {
                            Some((name, default)) => ArgDecl {
                                name: Spanned::new(name.to_owned(), line.range(w.start, w.start + name.len())),
                                default: Some(Spanned::new(
                                    default.to_owned(),
                                    line.range(w.start + name.len() + 1, w.end),
                                )),
                                range: word_range,
                            },
                            None => {
                                ArgDecl { name: Spanned::new(w.value, word_range), default: None, range: word_range }
                            }
                        }
                    })
                    .collect();
                Args::Arg { args }
            }
            Kind::Env | Kind::Label => self.key_values(kind, line, start, text),
            Kind::Healthcheck => {
                let sep = text.find(char::is_whitespace).unwrap_or(text.len());
                if sep == 0 {
                    return Args::None;
                }
                let next = text[sep..].find(|c: char| !c.is_whitespace()).map_or(text.len(), |i| sep + i);
                let kind = Spanned::new(text[..sep].to_owned(), range(0, sep));
                let command = if next == text.len() { None } else { self.command(&text[next..], line, start + next) };
                Args::Healthcheck { kind, command }
            }
            Kind::Onbuild => {
                if text.is_empty() {
                    return Args::None;
                }
                if depth >= MAX_NESTING {
                    self.error(SYNTAX_ERROR, whole, "ONBUILD is nested too deeply");
                    return Args::None;
                }
                let inner = self.node(line, start, start + text.len(), depth + 1);
                Args::Onbuild(Some(Box::new(inner)))
            }
        }
    }

    /// BuildKit's `parseJSON` for list-shaped instructions: `Ok(Some)` for an array of strings, `Ok(None)` when
    /// the text is not JSON, `Err` (reported) for JSON that is not a flat array of strings.
    fn exec_form(&mut self, text: &str, line: &LogicalLine, start: usize) -> Result<Option<Vec<Spanned<String>>>, ()> {
        match parse_exec_form(text) {
            ExecForm::Strings(items) => {
                Ok(Some(items.into_iter().map(|(s, a, b)| Spanned::new(s, line.range(start + a, start + b))).collect()))
            }
            ExecForm::NotJson => Ok(None),
            ExecForm::NotStrings => {
                let range = line.range(start, start + text.len());
                self.error(SYNTAX_ERROR, range, "the JSON array must hold only strings").help =
                    Some(r#"write each argument as a string: ["executable", "arg1", "arg2"]"#.into());
                Err(())
            }
        }
    }

    /// BuildKit's `parseMaybeJSON`: exec form, or the text as one shell-form string.
    fn command(&mut self, text: &str, line: &LogicalLine, start: usize) -> Option<Command> {
        match self.exec_form(text, line, start) {
            Ok(Some(args)) => Some(Command::Exec { args, range: line.range(start, start + text.len()) }),
            Ok(None) => {
                Some(Command::Shell { script: Spanned::new(text.to_owned(), line.range(start, start + text.len())) })
            }
            Err(()) => None,
        }
    }

    /// BuildKit's `parseNameVal` for ENV and LABEL: `k=v k2=v2`, or the legacy `k v with spaces`.
    fn key_values(&mut self, kind: Kind, line: &LogicalLine, start: usize, text: &str) -> Args {
        let words = parse_words(text, self.escape, start);
        let Some(first) = words.first() else { return Args::None };
        if !first.value.contains('=') {
            let key_len = text.find(is_split_space).unwrap_or(text.len());
            let after = &text[key_len..];
            let value_off = key_len + (after.len() - after.trim_start_matches(is_split_space).len());
            if key_len == text.len() {
                let range = line.range(start, start + text.len());
                let name = kind.as_str();
                self.error(SYNTAX_ERROR, range, format!("{name} `{text}` has no value")).help =
                    Some(format!("write `{name} {text}=value`"));
                return Args::None;
            }
            let key = Spanned::new(text[..key_len].to_owned(), line.range(start, start + key_len));
            let value = Spanned::new(text[value_off..].to_owned(), line.range(start + value_off, start + text.len()));
            let range = line.range(start, start + text.len());
            return Args::KeyValues { pairs: vec![KeyValue { key, value, equals: false, range }] };
        }
        let mut pairs = Vec::with_capacity(words.len());
        for w in words {
            let Some(eq) = w.value.find('=') else {
                let range = line.range(w.start, w.end);
                self.error(SYNTAX_ERROR, range, format!("cannot find `=` in `{}`: write name=value", w.value));
                return Args::None;
            };
            let (k, v) = (&w.value[..eq], &w.value[eq + 1..]);
            pairs.push(KeyValue {
                key: Spanned::new(k.to_owned(), line.range(w.start, w.start + eq)),
                value: Spanned::new(v.to_owned(), line.range(w.start + eq + 1, w.end)),
                equals: true,
                range: line.range(w.start, w.end),
            });
        }
        Args::KeyValues { pairs }
    }

    /// BuildKit's instruction checks that run before a build (`instructions.Parse`).
    fn check(&mut self, node: &Instruction) {
        let name = node.kind.as_str();
        let at = if node.args_range.is_empty() { node.keyword.range } else { node.args_range };
        let missing = |what: &str| format!("{name} needs {what}");
        let problem: Option<(TextRange, String)> = match (&node.kind, &node.args) {
            (Kind::Unknown, _) => {
                let mut message = format!("unknown instruction `{}`", node.keyword.value);
                if let Some(s) = suggest_keyword(&node.keyword.value) {
                    message.push_str(&format!(": did you mean `{s}`?"));
                }
                Some((node.keyword.range, message))
            }
            (Kind::From, Args::None) => Some((at, missing("an image: `FROM image[:tag] [AS name]`"))),
            (Kind::From, Args::Words { words }) => match words.len() {
                1 => None,
                3 if words[1].value.eq_ignore_ascii_case("as") => {
                    let stage = &words[2];
                    (!valid_stage_name(&stage.value)).then(|| {
                        (stage.range, format!(
                            "invalid stage name `{}`: it must start with a letter and hold only letters, digits, `-`, `_` and `.`",
                            stage.value
                        ))
                    })
                }
                _ => Some((at, "FROM takes an image and optionally `AS name`: `FROM image[:tag] [AS name]`".into())),
            },
            (Kind::Copy | Kind::Add, Args::None) => Some((at, missing("a source and a destination"))),
            (Kind::Copy | Kind::Add, Args::Paths { paths, .. }) if paths.len() < 2 => {
                Some((at, format!("{name} needs at least one source and a destination; only one argument was given")))
            }
            (Kind::Arg | Kind::Env | Kind::Label | Kind::Expose, Args::None) => {
                Some((at, missing("at least one argument")))
            }
            (Kind::Env, Args::KeyValues { pairs }) => {
                pairs.iter().find(|p| p.key.value.is_empty()).map(|p| (p.range, "ENV names cannot be empty".to_owned()))
            }
            (Kind::User | Kind::Workdir | Kind::Stopsignal | Kind::Maintainer, Args::None) => {
                Some((at, missing("exactly one argument")))
            }
            (Kind::Shell, Args::Command { command: Command::Shell { script } }) => {
                Some((script.range, r#"SHELL needs the JSON form: SHELL ["executable", "parameters"]"#.into()))
            }
            (Kind::Shell, Args::None) => Some((at, missing("a shell in JSON form"))),
            (Kind::Healthcheck, Args::Healthcheck { kind, command }) => {
                match (kind.value.to_ascii_uppercase().as_str(), command) {
                    ("NONE", Some(c)) => Some((c.range(), "HEALTHCHECK NONE takes no arguments".into())),
                    ("CMD", None) => Some((kind.range, "HEALTHCHECK CMD needs a command".into())),
                    ("NONE" | "CMD", _) => None,
                    (other, _) => Some((kind.range, format!("unknown HEALTHCHECK type `{other}`: use CMD or NONE"))),
                }
            }
            (Kind::Onbuild, Args::None) => Some((at, missing("an instruction to run later"))),
            (Kind::Onbuild, Args::Onbuild(Some(inner))) => match inner.kind {
                Kind::Onbuild => Some((inner.keyword.range, "ONBUILD ONBUILD is not allowed".into())),
                Kind::From | Kind::Maintainer => {
                    Some((inner.keyword.range, format!("{} is not allowed as an ONBUILD trigger", inner.kind.as_str())))
                }
                _ => None,
            },
            _ => None,
        };
        if let Some((range, message)) = problem {
            self.error(INVALID_INSTRUCTION, range, message);
        }
    }

    /// Reads the bodies of the heredocs that `line` opens (BuildKit's `heredocsFromLine`).
    fn heredocs(&mut self, node: &mut Instruction, line: &LogicalLine) {
        for (marker_start, marker_end, mut heredoc) in heredoc_markers(&line.text) {
            heredoc.marker = line.range(marker_start, marker_end);
            let body_start = self.pos;
            let resume = self.pos;
            let resume_line = self.line_number;
            let mut terminated = false;
            while let Some(l) = self.next_line() {
                let content = &self.text[l.start..l.end];
                let candidate = if heredoc.chomp { content.trim_start_matches('\t') } else { content };
                if candidate == heredoc.name {
                    heredoc.body = self.text[body_start..l.start].to_owned();
                    heredoc.body_range = TextRange::from_usize(body_start, l.start);
                    heredoc.terminator = Some(TextRange::from_usize(l.start, l.end));
                    node.range = node.range.cover(TextRange::from_usize(l.start, l.end));
                    node.end_line = l.number;
                    terminated = true;
                    break;
                }
            }
            if !terminated {
                // Recover so the rest of the file still parses (an editor buffer is often in this state while the
                // heredoc is being typed): the body runs up to the next line that starts with an instruction.
                self.rewind(PhysLine { start: resume, end: resume, number: resume_line });
                let mut body_end = resume;
                while let Some(l) = self.next_line() {
                    let first_word = self.text[l.start..l.end].split_whitespace().next().unwrap_or("");
                    if Kind::from_keyword(first_word) != Kind::Unknown {
                        self.rewind(l);
                        break;
                    }
                    body_end = l.end;
                    node.end_line = l.number;
                }
                heredoc.body = self.text[resume..body_end].to_owned();
                heredoc.body_range = TextRange::from_usize(resume, body_end);
                node.range = node.range.cover(heredoc.body_range);
                let name = heredoc.name.clone();
                self.error(SYNTAX_ERROR, heredoc.marker, format!("heredoc `{name}` is never closed; it starts here"))
                    .help = Some(format!("end the heredoc with a line holding only `{name}`"));
                node.heredocs.push(heredoc);
                return;
            }
            node.heredocs.push(heredoc);
        }
    }
}

impl Instruction {
    /// RUN, COPY and ADD in shell form may open heredocs.
    fn can_have_heredocs(&self) -> bool {
        match (&self.kind, &self.args) {
            (Kind::Run, Args::Command { command }) => !command.is_exec(),
            (Kind::Copy | Kind::Add, Args::Paths { json, .. }) => !json,
            _ => false,
        }
    }
}

fn shift(range: TextRange, by: usize) -> TextRange {
    TextRange::new(range.start + to_u32(by), range.end + to_u32(by))
}

/// `#` `\s*` `name` `\s*=\s*` `value` with offsets relative to `line` (BuildKit's directive regexp).
fn directive_parts(line: &str) -> Option<(Spanned<&str>, Spanned<&str>)> {
    use nom::{
        IResult, Parser as _,
        bytes::complete::{take_while, take_while1},
        character::complete::{char, satisfy},
        combinator::recognize,
    };
    fn parts(i: &str) -> IResult<&str, (&str, &str)> {
        // Go's `\s` is ASCII white space; after the `#`, BuildKit trims any Unicode white space.
        let ws = || take_while(|c: char| matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r'));
        let name = recognize((satisfy(|c| c.is_ascii_alphabetic()), take_while(|c: char| c.is_ascii_alphanumeric())));
        let (rest, (_, _, name, _, _, _, value)) =
            (char('#'), take_while(char::is_whitespace), name, ws(), char('='), ws(), take_while1(|_| true))
                .parse(i)?;
        Ok((rest, (name, value)))
    }
    let (_, (name, value)) = parts(line).ok()?;
    let value = value.trim_end_matches([' ', '\t', '\n', '\x0c', '\r']);
    if value.is_empty() {
        return None;
    }
    let name_start = name.as_ptr() as usize - line.as_ptr() as usize;
    let value_start = value.as_ptr() as usize - line.as_ptr() as usize;
    Some((
        Spanned::new(name, TextRange::from_usize(name_start, name_start + name.len())),
        Spanned::new(value, TextRange::from_usize(value_start, value_start + value.len())),
    ))
}

/// Finds heredoc markers in a logical line: words (split as BuildKit's shell lexer splits them, with quotes and
/// escapes kept) that match `^(\d*)<<(-?)([^<]*)$` and name a single word.
fn heredoc_markers(text: &str) -> Vec<(usize, usize, Heredoc)> {
    let mut found = Vec::new();
    for (start, end) in raw_shell_words(text) {
        let word = &text[start..end];
        let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(after) = word[digits..].strip_prefix("<<") else { continue };
        let (chomp, rest) = match after.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, after),
        };
        if rest.is_empty() || rest.contains('<') {
            continue;
        }
        let Some((name, quoted)) = unquote_word(rest) else { continue };
        let fd = if digits > 0 { word[..digits].parse().ok() } else { None };
        let heredoc = Heredoc {
            name,
            marker: TextRange::default(),
            chomp,
            // BuildKit compares quote counts with and without quote removal; escapes do not count.
            expand: !quoted,
            fd,
            body: String::new(),
            body_range: TextRange::default(),
            terminator: None,
        };
        found.push((start, end, heredoc));
    }
    found
}

/// Splits on unquoted, unescaped whitespace; returns word offsets.
fn raw_shell_words(text: &str) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if start.is_none() {
            if c.is_whitespace() {
                continue;
            }
            start = Some(i);
        }
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push((s, i));
                }
            }
            (None, '\'' | '"') => quote = Some(c),
            (None | Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    words
}

/// The heredoc delimiter with quotes and escapes removed, and whether any quote was removed; `None` when it
/// is more than one word.
fn unquote_word(rest: &str) -> Option<(String, bool)> {
    let mut out = String::new();
    let mut quoted = false;
    let mut quote: Option<char> = None;
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => return None,
            (None, '\'' | '"') => {
                quote = Some(c);
                quoted = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, '\\') => out.extend(chars.next()),
            (Some('"'), '\\') => match chars.next() {
                Some(n @ ('"' | '\\' | '$')) => out.push(n),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => {}
            },
            (_, c) => out.push(c),
        }
    }
    (!out.is_empty()).then_some((out, quoted))
}

/// BuildKit's `reValidName` for stage names (checked after lower-casing).
pub(crate) fn valid_stage_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

const KEYWORDS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// The closest keyword to a misspelt one, if it is close.
fn suggest_keyword(word: &str) -> Option<&'static str> {
    let upper = word.to_ascii_uppercase();
    if upper.len() > 20 {
        return None;
    }
    KEYWORDS
        .iter()
        .map(|k| (levenshtein(&upper, k), *k))
        .filter(|&(d, k)| d <= 2 && d < k.len() / 2 + 1)
        .min()
        .map(|(_, k)| k)
}

pub(crate) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}
