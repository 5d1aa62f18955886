//! Compose variable interpolation (`$VAR`, `${VAR:-default}` …) with the semantics of compose-go's
//! `template` package, and the pass that applies it to every scalar of a located value tree.
//!
//! What Compose does, and so what this does:
//! - `$$` is a literal `$`; a `$` not followed by `$`, `{` or a name (`[_a-zA-Z][_a-zA-Z0-9]*`) is kept as is.
//! - `${NAME}` and `$NAME`: the value, or an empty string (with a warning) when unset.
//! - `${NAME:-x}` / `${NAME-x}`: `x` when NAME is unset or empty / unset.
//! - `${NAME:+x}` / `${NAME+x}`: `x` when NAME is set and not empty / set, else NAME's value (empty).
//! - `${NAME:?msg}` / `${NAME?msg}`: an error when NAME is unset or empty / unset.
//! - The text after a modifier is itself a template, expanded before NAME is looked at: an error or an unset
//!   variable inside a default counts even when the default is not used.
//! - A braced expression with a modifier never spans lines; it ends at the `}` that balances its `{` (every
//!   `{` counts, and the character after a `{` is skipped, as compose-go counts), or at the last `}` of its
//!   line when none balances.
//! - `${NAME[key]…}` (compose-go's named mappings, not enabled by Compose) is kept as written.
//! - Any other `${` is an error.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use super::tree::{FileId, Place, Value, ValueKind, Via};
use super::{INVALID_INTERPOLATION, MISSING_REQUIRED_VARIABLE, UNSET_VARIABLE};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::TextRange;

/// How deeply `${A:-${B:-…}}` may nest before the text is refused.
pub const MAX_NESTING: usize = 64;

/// Where variable values come from.
pub trait Variables {
    /// The value of `name`, or `None` when it is unset (an empty value is set).
    fn get(&self, name: &str) -> Option<String>;
}

impl Variables for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        BTreeMap::get(self, name).cloned()
    }
}

impl Variables for HashMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        HashMap::get(self, name).cloned()
    }
}

/// The environment of this process.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Variables for ProcessEnv {
    fn get(&self, name: &str) -> Option<String> {
        // The standard library may refuse (or panic on) such names; no variable can have them anyway.
        if name.is_empty() || name.contains(['=', '\0']) {
            return None;
        }
        std::env::var_os(name).and_then(|v| v.into_string().ok())
    }
}

/// Several sources searched in order, the first that has a variable wins. Compose's order is the process
/// environment, then the `.env` file; `process_env: false` leaves the process environment out (for
/// reproducible lint results).
pub struct Layered<'a> {
    pub process_env: bool,
    pub layers: Vec<&'a dyn Variables>,
}

impl<'a> Layered<'a> {
    pub fn new(process_env: bool) -> Self {
        Layered { process_env, layers: Vec::new() }
    }

    /// Adds a source searched after the ones already there.
    pub fn with(mut self, layer: &'a dyn Variables) -> Self {
        self.layers.push(layer);
        self
    }
}

impl Variables for Layered<'_> {
    fn get(&self, name: &str) -> Option<String> {
        if self.process_env
            && let Some(v) = ProcessEnv.get(name)
        {
            return Some(v);
        }
        self.layers.iter().find_map(|l| l.get(name))
    }
}

/// The result of interpolating one text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interpolated {
    pub value: String,
    /// Every variable looked up, once, in the order first looked up, with its value (`None` when unset).
    pub used: Vec<(String, Option<String>)>,
    /// `$NAME` / `${NAME}` references to unset variables (replaced by an empty string; Compose warns), with
    /// the byte range of the reference in the input, also those in a default that was not used.
    pub unset: Vec<(String, Range<usize>)>,
    /// The unset references whose empty string is part of the value: in the order they appear in it.
    pub empty: Vec<Empty>,
}

/// An unset variable Compose replaced by an empty string in the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Empty {
    pub name: String,
    /// The reference (`${NAME}`, `$NAME`) in the input.
    pub reference: Range<usize>,
    /// Where the empty string is in the value (a byte offset).
    pub offset: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A `${…}` that cannot be read.
    Syntax,
    /// `${NAME:?…}` / `${NAME?…}` with NAME missing.
    MissingRequired,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterpolateError {
    pub message: String,
    /// Byte offset in the input where the faulty expression starts (its `$`).
    pub offset: usize,
    /// Byte offset where the faulty text ends (exclusive).
    pub end: usize,
    pub kind: ErrorKind,
}

/// Interpolates `text` as Compose does.
pub fn interpolate_str(text: &str, vars: &dyn Variables) -> Result<Interpolated, InterpolateError> {
    let mut engine = Engine { text, vars, lines: None, used: Vec::new(), unset: Vec::new(), empty: Vec::new() };
    let value = engine.expand(0, text.len(), 0)?;
    Ok(Interpolated { value, used: engine.used, unset: engine.unset, empty: engine.empty })
}

/// Per-byte tables answering "the last `}` of this line before offset x" in constant time.
struct Lines {
    /// `next_newline[i]`: the offset of the first `\n` at or after `i` (or the text length).
    next_newline: Vec<u32>,
    /// `last_close[i]`: 1 + the offset of the last `}` before `i` on `i`'s line, 0 when there is none.
    last_close: Vec<u32>,
}

impl Lines {
    fn new(bytes: &[u8]) -> Self {
        let n = bytes.len();
        let mut next_newline = vec![n as u32; n + 1];
        for i in (0..n).rev() {
            next_newline[i] = if bytes[i] == b'\n' { i as u32 } else { next_newline[i + 1] };
        }
        let mut last_close = vec![0u32; n + 1];
        for i in 0..n {
            last_close[i + 1] = match bytes[i] {
                b'}' => i as u32 + 1,
                b'\n' => 0,
                _ => last_close[i],
            };
        }
        Lines { next_newline, last_close }
    }

    /// The offset of the last `}` in `from..hi` on `from`'s line.
    fn last_close(&self, from: usize, hi: usize) -> Option<usize> {
        let end = (self.next_newline[from] as usize).min(hi);
        let v = self.last_close[end] as usize;
        (v > from).then(|| v - 1)
    }

    fn line_end(&self, from: usize, hi: usize) -> usize {
        (self.next_newline[from] as usize).min(hi)
    }
}

struct Engine<'a> {
    text: &'a str,
    vars: &'a dyn Variables,
    lines: Option<Lines>,
    used: Vec<(String, Option<String>)>,
    unset: Vec<(String, Range<usize>)>,
    /// Offsets relative to the text being built at the current nesting level until it is placed in its parent.
    empty: Vec<Empty>,
}

fn is_name_start(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphabetic()
}

fn is_name_char(b: u8) -> bool {
    b == b'_' || b.is_ascii_alphanumeric()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Modifier {
    DefaultIfEmpty,    // :-
    DefaultIfUnset,    // -
    ReplaceIfNonEmpty, // :+
    ReplaceIfSet,      // +
    RequireNonEmpty,   // :?
    RequireSet,        // ?
}

impl<'a> Engine<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn lines(&mut self) -> &Lines {
        let bytes = self.text.as_bytes();
        self.lines.get_or_insert_with(|| Lines::new(bytes))
    }

    /// The end of the character at `at` (for error ranges), not past `hi`.
    fn char_end(&self, at: usize, hi: usize) -> usize {
        let len = self.text.get(at..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8);
        (at + len).min(hi)
    }

    fn lookup(&mut self, name: &str) -> Option<String> {
        if let Some((_, v)) = self.used.iter().find(|(n, _)| n == name) {
            return v.clone();
        }
        let value = self.vars.get(name);
        self.used.push((name.to_owned(), value.clone()));
        value
    }

    fn syntax(&self, message: String, offset: usize, end: usize) -> InterpolateError {
        InterpolateError { message, offset, end, kind: ErrorKind::Syntax }
    }

    /// Expands `text[lo..hi]`.
    fn expand(&mut self, lo: usize, hi: usize, depth: usize) -> Result<String, InterpolateError> {
        let bytes = self.bytes();
        let mut out = String::new();
        let mut literal = lo;
        let mut i = lo;
        while let Some(rel) = memchr::memchr(b'$', &bytes[i..hi]) {
            let dollar = i + rel;
            let next = if dollar + 1 < hi { Some(bytes[dollar + 1]) } else { None };
            match next {
                Some(b'$') => {
                    out.push_str(&self.text[literal..dollar]);
                    out.push('$');
                    i = dollar + 2;
                    literal = i;
                }
                Some(b) if is_name_start(b) => {
                    out.push_str(&self.text[literal..dollar]);
                    let mut end = dollar + 2;
                    while end < hi && is_name_char(bytes[end]) {
                        end += 1;
                    }
                    let name = &self.text[dollar + 1..end];
                    self.plain_reference(name, dollar..end, &mut out);
                    i = end;
                    literal = i;
                }
                Some(b'{') => {
                    out.push_str(&self.text[literal..dollar]);
                    i = self.braced(dollar, hi, depth, &mut out)?;
                    literal = i;
                }
                _ => i = dollar + 1,
            }
        }
        out.push_str(&self.text[literal..hi]);
        Ok(out)
    }

    fn plain_reference(&mut self, name: &str, range: Range<usize>, out: &mut String) {
        match self.lookup(name) {
            Some(v) => out.push_str(&v),
            None => {
                self.empty.push(Empty { name: name.to_owned(), reference: range.clone(), offset: out.len() });
                self.unset.push((name.to_owned(), range));
            }
        }
    }

    /// Expands the `${…}` starting at `start` (its `$`) and returns the offset just past it.
    fn braced(&mut self, start: usize, hi: usize, depth: usize, out: &mut String) -> Result<usize, InterpolateError> {
        let bytes = self.bytes();
        let name_start = start + 2;
        let mut name_end = name_start;
        if name_end < hi && is_name_start(bytes[name_end]) {
            while name_end < hi && is_name_char(bytes[name_end]) {
                name_end += 1;
            }
        }
        let text = self.text;
        let name = &text[name_start..name_end];
        let after = if name_end < hi { Some(bytes[name_end]) } else { None };
        if name.is_empty() {
            let message = match after {
                Some(b'}') => "`${}` has no variable name".to_owned(),
                None => "`${` is not followed by a variable name".to_owned(),
                Some(_) => {
                    let end = self.char_end(name_end, hi);
                    let found = &text[name_end..end];
                    let message = format!("`${{` must be followed by a variable name, not `{found}`");
                    return Err(self.syntax(message, start, end));
                }
            };
            let end = if after.is_some() { name_end + 1 } else { name_end };
            return Err(self.syntax(message, start, end));
        }
        let (modifier, arg_start) = match (after, bytes.get(name_end + 1).copied().filter(|_| name_end + 1 < hi)) {
            (Some(b'}'), _) => {
                self.plain_reference(name, start..name_end + 1, out);
                return Ok(name_end + 1);
            }
            (Some(b'['), _) => return self.named_mapping(start, name_end, hi, out),
            (Some(b':'), Some(b'-')) => (Modifier::DefaultIfEmpty, name_end + 2),
            (Some(b':'), Some(b'+')) => (Modifier::ReplaceIfNonEmpty, name_end + 2),
            (Some(b':'), Some(b'?')) => (Modifier::RequireNonEmpty, name_end + 2),
            (Some(b'-'), _) => (Modifier::DefaultIfUnset, name_end + 1),
            (Some(b'+'), _) => (Modifier::ReplaceIfSet, name_end + 1),
            (Some(b'?'), _) => (Modifier::RequireSet, name_end + 1),
            (None, _) => {
                let message = format!("`${{{name}` is not closed by `}}`");
                return Err(self.syntax(message, start, name_end));
            }
            (Some(_), _) => {
                let end = self.char_end(name_end, hi);
                let found = &text[name_end..end];
                let message = format!(
                    "unexpected `{found}` after `${{{name}`: expected `}}` or one of `:-` `-` `:+` `+` `:?` `?`"
                );
                return Err(self.syntax(message, start, end));
            }
        };
        let Some(close) = self.expression_end(start, arg_start, hi) else {
            let end = self.lines().line_end(start, hi);
            let message = format!("`{}` is not closed by `}}` on its line", &text[start..end]);
            return Err(self.syntax(message, start, end));
        };
        if depth >= MAX_NESTING {
            let message = format!("`${{…}}` expressions nest more than {MAX_NESTING} deep");
            return Err(self.syntax(message, start, close + 1));
        }
        let mark = self.empty.len();
        let argument = self.expand(arg_start, close, depth + 1)?;
        let value = self.lookup(name);
        let uses_argument = match modifier {
            Modifier::DefaultIfEmpty => value.as_ref().is_none_or(|v| v.is_empty()),
            Modifier::DefaultIfUnset => value.is_none(),
            Modifier::ReplaceIfNonEmpty => value.as_ref().is_some_and(|v| !v.is_empty()),
            Modifier::ReplaceIfSet => value.is_some(),
            Modifier::RequireNonEmpty | Modifier::RequireSet => false,
        };
        // The empty strings of the argument are in the value only when the argument is.
        if uses_argument {
            let at = out.len();
            self.empty[mark..].iter_mut().for_each(|e| e.offset += at);
        } else {
            self.empty.truncate(mark);
        }
        let result = match modifier {
            _ if uses_argument => argument,
            Modifier::DefaultIfEmpty | Modifier::DefaultIfUnset => value.unwrap_or_default(),
            Modifier::ReplaceIfNonEmpty | Modifier::ReplaceIfSet => value.unwrap_or_default(),
            Modifier::RequireNonEmpty | Modifier::RequireSet => match value {
                Some(v) if modifier == Modifier::RequireSet || !v.is_empty() => v,
                _ => {
                    let message = if argument.is_empty() {
                        format!("required variable {name} is missing a value")
                    } else {
                        format!("required variable {name} is missing a value: {argument}")
                    };
                    return Err(InterpolateError {
                        message,
                        offset: start,
                        end: close + 1,
                        kind: ErrorKind::MissingRequired,
                    });
                }
            },
        };
        out.push_str(&result);
        Ok(close + 1)
    }

    /// The `}` that ends the expression at `start` whose argument starts at `arg_start`: compose-go's
    /// match runs to the last `}` of the line, then is cut at the first `}` that balances the braces.
    fn expression_end(&mut self, start: usize, arg_start: usize, hi: usize) -> Option<usize> {
        let last = self.lines().last_close(arg_start, hi)?;
        let bytes = self.bytes();
        let mut open = 0i64;
        let mut i = start;
        while i <= last {
            match bytes[i] {
                b'}' => {
                    open -= 1;
                    if open == 0 {
                        return Some(i);
                    }
                }
                b'{' => {
                    open += 1;
                    i += 1;
                }
                _ => {}
            }
            i += 1;
        }
        Some(last)
    }

    /// `${NAME[key]…}`: compose-go's named mappings, which Compose does not enable: the text is kept.
    fn named_mapping(
        &mut self,
        start: usize,
        name_end: usize,
        hi: usize,
        out: &mut String,
    ) -> Result<usize, InterpolateError> {
        let closes = self
            .lines()
            .last_close(name_end, hi)
            .filter(|&last| memchr::memchr(b']', &self.text.as_bytes()[name_end..last]).is_some());
        match closes.and_then(|_| self.expression_end(start, name_end, hi)) {
            Some(close) => {
                out.push_str(&self.text[start..=close]);
                Ok(close + 1)
            }
            None => {
                let end = self.lines().line_end(start, hi);
                let message = format!("`{}` is not closed by `]…}}` on its line", &self.text[start..end]);
                Err(self.syntax(message, start, end))
            }
        }
    }
}

/// Interpolates every scalar value of the tree (mapping keys are not interpolated, as in compose-go), and
/// records a [`Via::Interpolation`] per variable on each value that held references, and a [`Via::Unset`] per
/// unset variable replaced by an empty string in the value. The scalar then holds the value Compose uses. Pushes,
/// with their file: `PLC004` for a `${…}` that cannot be read, `PLC005` for a required variable that is missing
/// (the scalar is left as written in both cases), and a `PLC011` info for each unset variable replaced by an
/// empty string, once per variable name per call.
///
/// A diagnostic points at the exact `$…` text when the scalar's source (from `texts`) holds the value as
/// written (plain, or quoted without escapes), else at the whole scalar.
pub fn interpolate_tree<'t>(
    value: &mut Value,
    vars: &dyn Variables,
    texts: &dyn Fn(FileId) -> Option<&'t str>,
    out: &mut Vec<(FileId, Diagnostic)>,
) {
    let mut warned: HashSet<String> = HashSet::new();
    // Aliases copy values: report each place once.
    let mut reported: HashSet<(FileId, TextRange, &'static str)> = HashSet::new();
    let mut stack: Vec<&mut Value> = vec![value];
    while let Some(v) = stack.pop() {
        let Value { kind, origin, .. } = v;
        let scalar = match kind {
            ValueKind::Scalar(s) => s,
            ValueKind::Seq(items) => {
                stack.extend(items.iter_mut().rev());
                continue;
            }
            ValueKind::Map(entries) => {
                stack.extend(entries.iter_mut().rev().map(|e| &mut e.value));
                continue;
            }
        };
        if !scalar.text.contains('$') {
            continue;
        }
        let file = origin.place.file;
        let whole = origin.place.range;
        let base = texts(file).and_then(|src| value_start(src, whole, &scalar.text));
        let locate = |r: Range<usize>| match base {
            Some(b) => TextRange::from_usize(b + r.start, b + r.end),
            None => whole,
        };
        match interpolate_str(&scalar.text, vars) {
            Ok(done) => {
                for (name, range) in &done.unset {
                    if warned.insert(name.clone()) {
                        let d = Diagnostic::new(
                            UNSET_VARIABLE,
                            Severity::Info,
                            locate(range.clone()),
                            format!("`{name}` is not set: it is replaced by an empty string"),
                        )
                        .with_help(format!(
                            "set `{name}` in the environment or the `.env` file, or give a default: `${{{name}:-default}}`"
                        ));
                        out.push((file, d));
                    }
                }
                for (variable, value) in &done.used {
                    origin.via.push(Via::Interpolation { variable: variable.clone(), value: value.clone() });
                }
                // The value Compose uses, with an empty string for each unset variable. Each value remembers
                // where those are, so that a rule can tell a finding that holds with the variable unset (and say
                // so) from one the empty string would make up (`nginx:${TAG}` is not `nginx:latest`).
                for e in done.empty {
                    let at = Place { file, range: locate(e.reference) };
                    origin.via.push(Via::Unset { variable: e.name, at, offset: e.offset });
                }
                if done.value != scalar.text {
                    scalar.text = done.value;
                }
            }
            Err(e) => {
                let range = locate(e.offset..e.end);
                // A required variable is usually meant to be set where the project is deployed, which a linter
                // cannot see: a warning, not an error.
                let (code, severity, help) = match e.kind {
                    ErrorKind::Syntax => (INVALID_INTERPOLATION, Severity::Error, "write `$$` for a literal `$`"),
                    ErrorKind::MissingRequired => (
                        MISSING_REQUIRED_VARIABLE,
                        Severity::Warning,
                        "set the variable in the environment or in the `.env` file (`--env-file` for a linting run)",
                    ),
                };
                if reported.insert((file, range, code)) {
                    let message = match e.kind {
                        ErrorKind::Syntax => format!("invalid interpolation: {}", e.message),
                        ErrorKind::MissingRequired => {
                            format!("{}: Compose refuses to start the project while it is unset", e.message)
                        }
                    };
                    out.push((file, Diagnostic::new(code, severity, range, message).with_help(help)));
                }
            }
        }
    }
}

/// Where the scalar's value starts in the source, when the source holds it exactly (plain scalars start
/// at the range start, quoted ones one byte later).
fn value_start(src: &str, range: TextRange, text: &str) -> Option<usize> {
    let start = range.start as usize;
    [start, start + 1].into_iter().find(|&b| {
        let end = b + text.len();
        end <= range.end as usize && src.get(b..end) == Some(text)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compose::yaml;

    /// compose-go's test mapping: FOO is set, BAR is set and empty.
    fn defaults() -> BTreeMap<String, String> {
        BTreeMap::from([("FOO".to_owned(), "first".to_owned()), ("BAR".to_owned(), String::new())])
    }

    fn expand(text: &str) -> Result<String, InterpolateError> {
        interpolate_str(text, &defaults()).map(|i| i.value)
    }

    #[test]
    fn expands_as_compose_go() {
        let cases: &[(&str, &str)] = &[
            ("$${foo}", "${foo}"),
            ("foo", "foo"),
            ("a $ string", "a $ string"),
            ("^REGEX$", "^REGEX$"),
            ("$}", "$}"),
            ("$", "$"),
            ("$1", "$1"),
            ("$$", "$"),
            ("$$FOO", "$FOO"),
            ("$$$FOO", "$first"),
            ("$FOO-bar", "first-bar"),
            ("This ${missing} var", "This  var"),
            ("This ${BAR} var", "This  var"),
            ("This $FOO var", "This first var"),
            ("This ${FOO} var", "This first var"),
            ("${FOO}${FOO}$FOO", "firstfirstfirst"),
            ("ok ${missing:-def}", "ok def"),
            ("ok ${missing-def}", "ok def"),
            ("ok ${BAR:-def}", "ok def"),
            ("ok ${FOO:-def}", "ok first"),
            ("ok ${BAR-def}", "ok "),
            ("ok ${UNSET_VAR:+presence_value}", "ok "),
            ("ok ${UNSET_VAR+presence_value}", "ok "),
            ("ok ${FOO:+presence_value}", "ok presence_value"),
            ("ok ${FOO+presence_value}", "ok presence_value"),
            ("ok ${BAR+presence_value}", "ok presence_value"),
            ("ok ${BAR:+presence_value}", "ok "),
            ("ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
            ("-ok ${BAR:-defaultValue}", "-ok defaultValue"),
            ("+ok ${UNSET:-${BAR-defaultValue}}", "+ok "),
            ("-ok ${FOO:-defaultValue}", "-ok first"),
            (":-ok ${UNSET-defaultValue}", ":-ok defaultValue"),
            (":-ok ${BAR-defaultValue}", ":-ok "),
            (":?ok ${BAR-defaultValue}", ":?ok "),
            (":?ok ${BAR:-defaultValue}", ":?ok defaultValue"),
            (":+ok ${BAR:-defaultValue}", ":+ok defaultValue"),
            ("+ok ${BAR-defaultValue}", "+ok "),
            ("?ok ${BAR:-defaultValue}", "?ok defaultValue"),
            ("ok ${UNSET_VAR-$FOO}", "ok first"),
            ("ok ${UNSET_VAR-${FOO}}", "ok first"),
            ("ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"),
            ("ok ${BAR:-$FOO}", "ok first"),
            ("ok ${BAR:-${FOO}}", "ok first"),
            ("ok ${BAR:-${FOO} ${FOO}}", "ok first first"),
            ("ok ${BAR+$FOO}", "ok first"),
            ("ok ${BAR+$FOO ${FOO:+second}}", "ok first second"),
            ("ok ${FOO:?err}", "ok first"),
            ("ok ${FOO?err}", "ok first"),
            ("ok ${BAR?err}", "ok "),
            ("${UNSET_VAR-myerror?msg}", "myerror?msg"),
            ("${FOO?bar-baz}", "first"),
            ("${A:-${B:-${C:-deep}}}", "deep"),
            ("${A:-x} and ${B:-y}!", "x and y!"),
            ("${A-x}}", "x}"),
            ("${A:-{x}}", "{x}"),
            ("${foo[bar]}", "${foo[bar]}"),
            ("${foo:-}", ""),
            ("multi\n${A:-x}\nline", "multi\nx\nline"),
            ("héllo ${A:-wörld}", "héllo wörld"),
        ];
        for (input, expected) in cases {
            assert_eq!(expand(input).as_deref(), Ok(*expected), "{input:?}");
        }
    }

    #[test]
    fn errors_with_kind_and_range() {
        use ErrorKind::*;
        let cases: &[(&str, ErrorKind, &str, &str)] = &[
            ("${", Syntax, "${", "not followed by a variable name"),
            ("${}", Syntax, "${}", "no variable name"),
            ("${ }", Syntax, "${ ", "followed by a variable name"),
            ("${ foo}", Syntax, "${ ", "followed by a variable name"),
            ("${foo }", Syntax, "${foo ", "unexpected ` `"),
            ("${foo!}", Syntax, "${foo!", "unexpected `!`"),
            ("${foo:}", Syntax, "${foo:", "unexpected `:`"),
            ("${foo", Syntax, "${foo", "not closed"),
            ("a ${foo:-bar\n}", Syntax, "${foo:-bar", "not closed"),
            ("ok ${A:-${B}", Syntax, "${B", "not closed"),
            ("x ${é}", Syntax, "${é", "not `é`"),
            (
                "not ok ${UNSET_VAR:?Mandatory Variable Unset}",
                MissingRequired,
                "${UNSET_VAR:?Mandatory Variable Unset}",
                "required variable UNSET_VAR is missing a value: Mandatory Variable Unset",
            ),
            (
                "not ok ${BAR:?Mandatory Variable Empty}",
                MissingRequired,
                "${BAR:?Mandatory Variable Empty}",
                "required variable BAR is missing a value: Mandatory Variable Empty",
            ),
            (
                "not ok ${UNSET_VAR:?}",
                MissingRequired,
                "${UNSET_VAR:?}",
                "required variable UNSET_VAR is missing a value",
            ),
            (
                "not ok ${UNSET_VAR?}",
                MissingRequired,
                "${UNSET_VAR?}",
                "required variable UNSET_VAR is missing a value",
            ),
            (
                "not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}",
                MissingRequired,
                "${UNSET_VAR:?Mandatory Variable ${FOO}}",
                "required variable UNSET_VAR is missing a value: Mandatory Variable first",
            ),
            ("${UNSET_VAR?bar-baz}", MissingRequired, "${UNSET_VAR?bar-baz}", "missing a value: bar-baz"),
            // The default is expanded even when the variable is set.
            ("${FOO:-${NOPE:?x}}", MissingRequired, "${NOPE:?x}", "NOPE"),
        ];
        for (input, kind, at, message) in cases {
            let e = expand(input).expect_err(input);
            assert_eq!(e.kind, *kind, "{input:?}: {e:?}");
            assert_eq!(&input[e.offset..e.end], *at, "{input:?}: {e:?}");
            assert!(e.message.contains(message), "{input:?}: {e:?}");
        }
    }

    #[test]
    fn records_used_and_unset_variables() {
        let done = interpolate_str("$FOO ${NOPE} ${BAR:-x} ${NOPE} ${OTHER:-d}", &defaults()).expect("ok");
        assert_eq!(done.value, "first  x  d");
        let used: Vec<(&str, Option<&str>)> = done.used.iter().map(|(n, v)| (n.as_str(), v.as_deref())).collect();
        assert_eq!(used, [("FOO", Some("first")), ("NOPE", None), ("BAR", Some("")), ("OTHER", None)]);
        assert_eq!(done.unset, [("NOPE".to_owned(), 5..12), ("NOPE".to_owned(), 23..30)]);
    }

    /// Where each unset variable's empty string is in the value: only those the value holds (a default that is
    /// not used holds none), at their place after the text before them is expanded.
    #[test]
    fn records_where_empty_strings_are() {
        /// (name, reference, offset in the value)
        type Empties<'a> = &'a [(&'a str, &'a str, usize)];
        let cases: &[(&str, &str, Empties<'_>)] = &[
            ("${HOST_ROOT}/:/host", "/:/host", &[("HOST_ROOT", "${HOST_ROOT}", 0)]),
            ("${BIND_IP:-0.0.0.0}:${PORT}:80", "0.0.0.0::80", &[("PORT", "${PORT}", 8)]),
            (
                "${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock:${RO}",
                "/var/run/docker.sock:/var/run/docker.sock:",
                &[("RO", "${RO}", 42)],
            ),
            ("$FOO:$NOPE", "first:", &[("NOPE", "$NOPE", 6)]),
            // The default is used: its empty strings are placed where the default went.
            ("ab${A:-x${NOPE}y}", "abxy", &[("NOPE", "${NOPE}", 3)]),
            ("${A:-${B:-${NOPE}}}z", "z", &[("NOPE", "${NOPE}", 0)]),
            ("${FOO:+[$NOPE]}", "[]", &[("NOPE", "$NOPE", 1)]),
            // Not used: the value does not depend on it (Compose still warns, so `unset` keeps it).
            ("${FOO:-$NOPE}", "first", &[]),
            ("${NOPE:+$OTHER}", "", &[]),
            // A default with no variable in it is a value like any other.
            ("${NOPE:-}", "", &[]),
            ("${NOPE-x}", "x", &[]),
        ];
        for (input, value, expected) in cases {
            let done = interpolate_str(input, &defaults()).expect(input);
            assert_eq!(done.value, *value, "{input:?}");
            let found: Vec<(&str, &str, usize)> =
                done.empty.iter().map(|e| (e.name.as_str(), &input[e.reference.clone()], e.offset)).collect();
            assert_eq!(found, *expected, "{input:?}");
        }
        let done = interpolate_str("${FOO:-$NOPE}", &defaults()).expect("ok");
        assert_eq!(done.unset, [("NOPE".to_owned(), 7..12)]);
    }

    #[test]
    fn nesting_is_bounded_and_linear() {
        let deep = format!("{}x{}", "${A:-".repeat(MAX_NESTING + 1), "}".repeat(MAX_NESTING + 1));
        let e = expand(&deep).expect_err("too deep");
        assert_eq!(e.kind, ErrorKind::Syntax);
        let ok = format!("{}x{}", "${A:-".repeat(MAX_NESTING), "}".repeat(MAX_NESTING));
        assert_eq!(expand(&ok).as_deref(), Ok("x"));
        // Many expressions on one line, and garbage, finish quickly and never panic.
        let wide = "${A:-x} ".repeat(20_000);
        assert_eq!(expand(&wide).map(|s| s.len()), Ok(40_000));
        for junk in ["${{{{", "$}{${", "${A:-}}}}", "${A[", "${A[]", "${A[x]}", "${A:-${B[}", "$é${A-é}"] {
            let _ = expand(junk);
        }
    }

    /// Every string of up to five characters from the meaningful ones: no panic, and errors point inside.
    #[test]
    fn short_strings_never_panic() {
        let alphabet = ['$', '{', '}', ':', '-', '?', '+', '[', ']', 'A', '\n', 'é'];
        let mut inputs = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> =
                inputs.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            for input in &longer {
                if let Err(e) = expand(input) {
                    assert!(e.offset < e.end && e.end <= input.len(), "{input:?}: {e:?}");
                    assert!(input.is_char_boundary(e.offset) && input.is_char_boundary(e.end), "{input:?}");
                }
            }
            inputs = longer;
        }
    }

    #[test]
    fn layered_sources_in_order() {
        let env = BTreeMap::from([("A".to_owned(), "env".to_owned())]);
        let file = HashMap::from([("A".to_owned(), "file".to_owned()), ("B".to_owned(), "file".to_owned())]);
        let vars = Layered::new(false).with(&env).with(&file);
        assert_eq!(vars.get("A").as_deref(), Some("env"));
        assert_eq!(vars.get("B").as_deref(), Some("file"));
        assert_eq!(vars.get("C"), None);
        assert_eq!(ProcessEnv.get("A=B"), None);
    }

    fn run(text: &str, vars: &[(&str, &str)]) -> (Value, Vec<(FileId, Diagnostic)>) {
        let vars: BTreeMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let file = yaml::parse(text);
        let mut root = Value::from_yaml(&file.documents[0].root, FileId(3));
        let mut out = Vec::new();
        interpolate_tree(&mut root, &vars, &|id| (id == FileId(3)).then_some(text), &mut out);
        (root, out)
    }

    #[test]
    fn tree_pass_interpolates_values_not_keys() {
        let text = "services:\n  web:\n    image: \"nginx:${TAG:-latest}\"\n    privileged: ${P:-true}\n    \
                    labels:\n      $KEY: $$literal\n";
        let (root, out) = run(text, &[]);
        assert!(out.is_empty(), "{out:?}");
        let web = root.get("services").and_then(|s| s.get("web")).expect("web");
        assert_eq!(web.get("image").and_then(Value::as_str), Some("nginx:latest"));
        let privileged = web.get("privileged").expect("privileged");
        assert_eq!(privileged.as_bool(), Some(true));
        assert_eq!(privileged.origin.via, [Via::Interpolation { variable: "P".to_owned(), value: None }]);
        assert_eq!(web.get("labels").and_then(|l| l.get("$KEY")).and_then(Value::as_str), Some("$literal"));
        // A quoted value stays a string.
        let (root, _) = run("privileged: '${P:-true}'\n", &[]);
        assert_eq!(root.get("privileged").and_then(Value::as_bool), None);
    }

    #[test]
    fn tree_pass_diagnostics_point_into_scalars() {
        let text = "a: x ${NOPE} y\nb: 'q ${NOPE} ${OTHER}'\nc: \"esc\\t ${MISSING}\"\nd: ${X:?set X}\ne: ${bad!}\n";
        let (root, out) = run(text, &[]);
        let found: Vec<(&str, &str, Severity)> =
            out.iter().map(|(_, d)| (d.code, &text[d.range.as_usize()], d.severity)).collect();
        assert_eq!(
            found,
            [
                (UNSET_VARIABLE, "${NOPE}", Severity::Info),
                (UNSET_VARIABLE, "${OTHER}", Severity::Info),
                (UNSET_VARIABLE, "\"esc\\t ${MISSING}\"", Severity::Info),
                (MISSING_REQUIRED_VARIABLE, "${X:?set X}", Severity::Warning),
                (INVALID_INTERPOLATION, "${bad!", Severity::Error),
            ]
        );
        assert!(out.iter().all(|(f, _)| *f == FileId(3)));
        assert_eq!(out[0].1.message, "`NOPE` is not set: it is replaced by an empty string");
        // Failed scalars are left as written.
        assert_eq!(root.get("d").and_then(Value::as_str), Some("${X:?set X}"));
        // A value using an unset variable holds what Compose uses (an empty string for the variable), and
        // remembers where each empty string is, in the value and in the source.
        let b = root.get("b").expect("b");
        assert_eq!(b.as_str(), Some("q  "));
        let unset: Vec<(&str, &str, usize)> =
            b.origin.unset().map(|(name, at, offset)| (name, &text[at.range.as_usize()], offset)).collect();
        assert_eq!(unset, [("NOPE", "${NOPE}", 2), ("OTHER", "${OTHER}", 3)]);
        // Not locatable in the source (an escape before it): the reference is the whole scalar.
        let c = root.get("c").expect("c");
        assert_eq!(c.as_str(), Some("esc\t "));
        let at: Vec<&str> = c.origin.unset().map(|(_, at, _)| &text[at.range.as_usize()]).collect();
        assert_eq!(at, ["\"esc\\t ${MISSING}\""]);
    }

    #[test]
    fn tree_pass_reports_aliases_once() {
        let text = "x: &a \"${Q:?need Q}\"\ny: *a\nz: *a\n";
        let (_, out) = run(text, &[]);
        assert_eq!(out.len(), 1, "{out:?}");
        let (root, out) = run(text, &[("Q", "1")]);
        assert!(out.is_empty());
        assert_eq!(root.get("z").and_then(Value::as_str), Some("1"));
    }
}
