//! The Dockerfile syntax tree. Every node carries the byte range of its source text.
//!
//! The tree keeps what BuildKit's parser keeps (so `dump --format buildkit` can reproduce its output) and adds
//! ranges, typed flags, heredoc bodies, comments and stages.

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::source::{Spanned, TextRange};

/// A parsed Dockerfile. Parsing never fails: problems are in `diagnostics`.
#[derive(Clone, Debug, Serialize)]
pub struct Dockerfile {
    /// The escape character (`\` by default, or the one set by `# escape=`).
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub comments: Vec<Comment>,
    pub stages: Vec<Stage>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Dockerfile {
    /// The directive of that (lower-case) name, if the file has one.
    pub fn directive(&self, name: &str) -> Option<&Directive> {
        self.directives.iter().find(|d| d.name == name)
    }

    /// The stage an instruction belongs to (`None` for instructions before the first FROM).
    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.stages.iter().find(|s| s.instructions.contains(&instruction))
    }

    /// A word as the build reads it: quotes and escape characters removed as BuildKit's lexer removes them,
    /// variables left as written (`"$HOME/x"` gives `$HOME/x`). A word BuildKit could not read (an unclosed
    /// quote) is returned as written.
    pub fn unquote(&self, word: &str) -> String {
        if !super::expand::needs_expansion(word, self.escape) {
            return word.to_owned();
        }
        let lexer = super::expand::Lexer { skip_unset_env: true, ..super::expand::Lexer::new(self.escape) };
        lexer.expand_word(word, &()).map_or_else(|_| word.to_owned(), |e| e.value)
    }

    /// The argument words of an instruction as the build reads them, each with the range of the word as
    /// written: COPY, ADD and VOLUME paths, FROM and EXPOSE words, and the text of USER, WORKDIR and the like as
    /// one word, unquoted by [`Dockerfile::unquote`] (JSON-form paths are already decoded). Rules read these
    /// instead of the raw words, so that `ADD "https://…" /tmp` and `USER "root"` mean what they mean to
    /// BuildKit. Empty for instructions whose arguments are commands or key-value pairs.
    pub fn arguments(&self, instr: &Instruction) -> Vec<Spanned<String>> {
        let unquoted = |w: &Spanned<String>| Spanned::new(self.unquote(&w.value), w.range);
        match &instr.args {
            Args::Paths { json: true, paths } => paths.clone(),
            Args::Paths { json: false, paths: words } | Args::Words { words } => words.iter().map(unquoted).collect(),
            Args::Text { text } => vec![unquoted(text)],
            _ => Vec::new(),
        }
    }

    /// Whether the parser (not the instruction checks) rejected the file, as BuildKit's parser would.
    pub fn has_syntax_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.code == super::syntax::SYNTAX_ERROR)
    }
}

/// A parser directive at the top of the file: `# syntax=…`, `# escape=…`, `# check=…`.
#[derive(Clone, Debug, Serialize)]
pub struct Directive {
    /// Lower-case name.
    pub name: String,
    pub value: Spanned<String>,
    pub range: TextRange,
}

/// A comment line (`#` after optional whitespace), also inside continuations. `text` excludes the `#`.
#[derive(Clone, Debug, Serialize)]
pub struct Comment {
    pub text: String,
    pub range: TextRange,
}

/// One instruction, from its keyword to the end of its last continuation line (and heredoc bodies).
#[derive(Clone, Debug, Serialize)]
pub struct Instruction {
    /// The keyword as written (`run`, `RUN`, `Run` …).
    pub keyword: Spanned<String>,
    pub kind: Kind,
    pub flags: Vec<Flag>,
    pub args: Args,
    pub heredocs: Vec<Heredoc>,
    /// The whole instruction, heredoc bodies included.
    pub range: TextRange,
    /// The source range of the arguments (after the flags), before any heredoc body.
    pub args_range: TextRange,
    /// The instruction's logical line: continuations joined, comments inside them dropped.
    #[serde(skip)]
    pub line: LogicalLine,
    /// 0-based first and last physical line (BuildKit's StartLine/EndLine, less one).
    pub start_line: u32,
    pub end_line: u32,
}

impl Instruction {
    /// The flag of that name (without `--`), the last one when repeated.
    pub fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.iter().rev().find(|f| f.name.value == name)
    }

    /// The wrapped instruction for ONBUILD, else itself.
    pub fn effective(&self) -> &Instruction {
        match &self.args {
            Args::Onbuild(Some(inner)) => inner.effective(),
            _ => self,
        }
    }
}

/// Which instruction this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Kind {
    Add,
    Arg,
    Cmd,
    Copy,
    Entrypoint,
    Env,
    Expose,
    From,
    Healthcheck,
    Label,
    Maintainer,
    Onbuild,
    Run,
    Shell,
    Stopsignal,
    User,
    Volume,
    Workdir,
    /// A keyword BuildKit does not know.
    Unknown,
}

impl Kind {
    pub fn from_keyword(keyword: &str) -> Kind {
        match keyword.to_ascii_lowercase().as_str() {
            "add" => Kind::Add,
            "arg" => Kind::Arg,
            "cmd" => Kind::Cmd,
            "copy" => Kind::Copy,
            "entrypoint" => Kind::Entrypoint,
            "env" => Kind::Env,
            "expose" => Kind::Expose,
            "from" => Kind::From,
            "healthcheck" => Kind::Healthcheck,
            "label" => Kind::Label,
            "maintainer" => Kind::Maintainer,
            "onbuild" => Kind::Onbuild,
            "run" => Kind::Run,
            "shell" => Kind::Shell,
            "stopsignal" => Kind::Stopsignal,
            "user" => Kind::User,
            "volume" => Kind::Volume,
            "workdir" => Kind::Workdir,
            _ => Kind::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Add => "ADD",
            Kind::Arg => "ARG",
            Kind::Cmd => "CMD",
            Kind::Copy => "COPY",
            Kind::Entrypoint => "ENTRYPOINT",
            Kind::Env => "ENV",
            Kind::Expose => "EXPOSE",
            Kind::From => "FROM",
            Kind::Healthcheck => "HEALTHCHECK",
            Kind::Label => "LABEL",
            Kind::Maintainer => "MAINTAINER",
            Kind::Onbuild => "ONBUILD",
            Kind::Run => "RUN",
            Kind::Shell => "SHELL",
            Kind::Stopsignal => "STOPSIGNAL",
            Kind::User => "USER",
            Kind::Volume => "VOLUME",
            Kind::Workdir => "WORKDIR",
            Kind::Unknown => "UNKNOWN",
        }
    }

    /// The flags BuildKit accepts on this instruction.
    pub fn known_flags(self) -> &'static [&'static str] {
        match self {
            Kind::From => &["platform"],
            Kind::Run => &["mount", "network", "security", "device"],
            Kind::Copy => &["from", "chown", "chmod", "link", "parents", "exclude"],
            Kind::Add => &["chown", "chmod", "link", "keep-git-dir", "checksum", "unpack", "exclude"],
            Kind::Healthcheck => &["interval", "timeout", "start-period", "start-interval", "retries"],
            _ => &[],
        }
    }
}

/// The arguments, shaped by instruction kind as BuildKit's parser shapes them.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Args {
    /// No arguments at all.
    None,
    /// FROM, EXPOSE: whitespace-separated words.
    Words { words: Vec<Spanned<String>> },
    /// RUN, CMD, ENTRYPOINT, SHELL.
    Command { command: Command },
    /// COPY, ADD, VOLUME: a JSON array or whitespace-separated words.
    Paths { json: bool, paths: Vec<Spanned<String>> },
    /// ENV, LABEL.
    KeyValues { pairs: Vec<KeyValue> },
    /// ARG: one or more `name` / `name=default` words.
    Arg { args: Vec<ArgDecl> },
    /// USER, WORKDIR, STOPSIGNAL, MAINTAINER, and unknown instructions: the rest of the line as one string.
    Text { text: Spanned<String> },
    /// HEALTHCHECK: `CMD …`, `NONE`, or an unknown type with the rest as text.
    Healthcheck { kind: Spanned<String>, command: Option<Command> },
    /// ONBUILD: the wrapped instruction.
    Onbuild(Option<Box<Instruction>>),
}

/// Exec (JSON) or shell form of a command.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum Command {
    /// `["executable", "arg"]`: each element decoded, with the range of its JSON string literal.
    Exec { args: Vec<Spanned<String>>, range: TextRange },
    /// The rest of the logical line, exactly as written (quotes kept, continuations joined).
    Shell { script: Spanned<String> },
}

impl Command {
    pub fn is_exec(&self) -> bool {
        matches!(self, Command::Exec { .. })
    }

    pub fn range(&self) -> TextRange {
        match self {
            Command::Exec { range, .. } => *range,
            Command::Shell { script } => script.range,
        }
    }
}

/// `key=value` (or the legacy `key value`) in ENV and LABEL. Key and value are as written: quotes and escapes
/// are kept, as in BuildKit's parse tree; [`super::expand`] gives their meaning.
#[derive(Clone, Debug, Serialize)]
pub struct KeyValue {
    pub key: Spanned<String>,
    pub value: Spanned<String>,
    /// `false` for the legacy space-separated form (`ENV key value`).
    pub equals: bool,
    pub range: TextRange,
}

/// One ARG word: `NAME` or `NAME=default` (default as written).
#[derive(Clone, Debug, Serialize)]
pub struct ArgDecl {
    pub name: Spanned<String>,
    pub default: Option<Spanned<String>>,
    pub range: TextRange,
}

/// A `--name[=value]` flag, as BuildKit's flag splitter reads it (quotes removed).
#[derive(Clone, Debug, Serialize)]
pub struct Flag {
    pub name: Spanned<String>,
    pub value: Option<Spanned<String>>,
    /// The flag word as BuildKit keeps it (`--from=build`), for the dump.
    pub text: String,
    pub range: TextRange,
    pub parsed: FlagValue,
}

/// What a known flag's value means.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FlagValue {
    /// An unknown flag, a boolean flag, or a flag whose value is taken as a plain string.
    Plain,
    Mount(super::flags::Mount),
    Duration {
        nanos: u64,
    },
    Integer {
        value: i64,
    },
    Bool {
        value: bool,
    },
}

/// A heredoc attached to RUN, COPY or ADD.
#[derive(Clone, Debug, Serialize)]
pub struct Heredoc {
    /// The delimiter with quotes removed (`EOF`).
    pub name: String,
    /// The `<<EOF` word in the instruction line.
    pub marker: TextRange,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub chomp: bool,
    /// No part of the delimiter was quoted or escaped, so the body is subject to expansion.
    pub expand: bool,
    /// A leading file-descriptor number (`3<<EOF`).
    pub fd: Option<u32>,
    /// The body as written, newlines included, terminator excluded.
    pub body: String,
    pub body_range: TextRange,
    /// The terminator line; `None` when the heredoc is never closed.
    pub terminator: Option<TextRange>,
}

impl Heredoc {
    /// The body as the build sees it: with `<<-`, leading tabs stripped from every line.
    pub fn content(&self) -> String {
        if !self.chomp {
            return self.body.clone();
        }
        self.body.split_inclusive('\n').map(|l| l.trim_start_matches('\t')).collect()
    }
}

/// A build stage: a FROM and the instructions up to the next FROM.
#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    pub index: usize,
    /// `AS name`, lower-cased as BuildKit does, with the range of the name as written.
    pub name: Option<Spanned<String>>,
    /// Index of the FROM instruction.
    pub from: usize,
    /// Indices of the stage's instructions, the FROM included.
    pub instructions: std::ops::Range<usize>,
    /// The FROM's `--platform` value as written.
    pub platform: Option<Spanned<String>>,
    pub base: Base,
}

/// What a stage is built on.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Base {
    /// FROM without an image (a syntax error is reported).
    Missing,
    Scratch {
        range: TextRange,
    },
    /// An earlier stage, by index.
    Stage {
        index: usize,
        range: TextRange,
    },
    /// An image reference, after ARG expansion.
    Image {
        /// The FROM word as written.
        written: Spanned<String>,
        /// The reference after expanding meta ARGs (equal to `written.value` when there was nothing to expand).
        resolved: String,
        reference: Box<crate::image::ImageRef>,
    },
    /// The FROM word could not be resolved to one image: an ARG without a default, or an invalid reference.
    Unresolved {
        written: Spanned<String>,
        reason: String,
    },
}

/// A logical line: physical lines joined at continuations, with a map back to source offsets.
#[derive(Clone, Debug, Default)]
pub struct LogicalLine {
    pub text: String,
    /// `(logical offset, source offset)` at the start of each joined piece, in order.
    pub segments: Vec<(u32, u32)>,
}

impl LogicalLine {
    /// Source offset of a logical offset, taken as the start of a range.
    pub fn to_source(&self, logical: usize) -> u32 {
        let logical = crate::source::to_u32(logical);
        let i = self.segments.partition_point(|&(l, _)| l <= logical);
        match i.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(l, s)) => s + (logical - l),
            None => self.segments.first().map_or(0, |&(_, s)| s),
        }
    }

    /// Source offset of a logical offset, taken as the end of a range: an offset at a join maps to the end of
    /// the earlier piece, not the start of the next one.
    pub fn to_source_end(&self, logical: usize) -> u32 {
        let logical = crate::source::to_u32(logical);
        let i = self.segments.partition_point(|&(l, _)| l < logical);
        match i.checked_sub(1).and_then(|i| self.segments.get(i)) {
            Some(&(l, s)) => s + (logical - l),
            None => self.segments.first().map_or(0, |&(_, s)| s),
        }
    }

    /// The source range of a logical range.
    pub fn range(&self, start: usize, end: usize) -> TextRange {
        let s = self.to_source(start);
        if end <= start {
            return TextRange::empty(s);
        }
        TextRange::new(s, self.to_source_end(end).max(s))
    }
}

#[cfg(test)]
mod tests {
    fn arguments(text: &str, index: usize) -> Vec<(String, String)> {
        let file = crate::dockerfile::parse(text);
        let instr = &file.instructions[index];
        file.arguments(instr).into_iter().map(|w| (w.value, text[w.range.as_usize()].to_owned())).collect()
    }

    fn pair(value: &str, written: &str) -> (String, String) {
        (value.to_owned(), written.to_owned())
    }

    #[test]
    fn words_are_unquoted_as_buildkit_does_and_keep_their_written_range() {
        let text = "FROM alpine:3.22\nADD \"https://x/a.tgz\" 'id_rsa' $HOME/x \\\"q\\\" /tmp/\n";
        assert_eq!(
            arguments(text, 1),
            [
                pair("https://x/a.tgz", "\"https://x/a.tgz\""),
                pair("id_rsa", "'id_rsa'"),
                pair("$HOME/x", "$HOME/x"),
                pair("\"q\"", "\\\"q\\\""),
                pair("/tmp/", "/tmp/"),
            ]
        );
        // Variables stay as written, also inside double quotes; single quotes keep `$` literal either way.
        assert_eq!(arguments("FROM a\nCOPY \"${SRC:-x}\" /d\n", 1)[0].0, "${SRC:-x}");
        // USER and the like are one word; EXPOSE words; JSON paths are already decoded.
        assert_eq!(arguments("FROM a\nUSER \"root\"\n", 1), [pair("root", "\"root\"")]);
        assert_eq!(arguments("FROM a\nEXPOSE \"22\" 80\n", 1)[0].0, "22");
        assert_eq!(arguments("FROM a\nCOPY [\"id_rsa\", \"/x/\"]\n", 1)[0].0, "id_rsa");
        // The escape directive is honoured, and an unclosed quote leaves the word as written.
        assert_eq!(arguments("# escape=`\nFROM a\nCOPY a`\"b /d\n", 1)[0].0, "a\"b");
        assert_eq!(arguments("FROM a\nCOPY \"open /d\n", 1)[0].0, "\"open");
        assert!(arguments("FROM a\nRUN echo \"x\"\n", 1).is_empty());
        // COPY and ADD words are split on whitespace before unquoting, as BuildKit splits them: a quoted space
        // leaves two halves that do not unquote, kept as written.
        assert_eq!(arguments("FROM a\nCOPY \"a b\" /d\n", 1)[0].0, "\"a");
    }
}
