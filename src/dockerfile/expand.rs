//! BuildKit's word expansion: quotes, escapes and `$VAR` / `${VAR…}` substitution, exactly as BuildKit's
//! Dockerfile frontend does it (`frontend/dockerfile/shell/lex.go`: `ProcessWord`, `ProcessWords`,
//! `ProcessWordWithMatches`).
//!
//! What a word can hold:
//!
//! - `$VAR` and `${VAR}`; a name is letters, digits and `_` (Unicode letters and digits, as Go's `unicode` reads
//!   them), or a run of digits (`$1`, `$001`), or one special parameter (`$@ $* $# $? $- $$ $! $0`). Positional
//!   and special parameters are looked up like any name, so they are normally unset and expand to nothing.
//! - `${VAR:-word}` / `${VAR-word}` (default), `${VAR:+word}` / `${VAR+word}` (alternative), `${VAR:?msg}` /
//!   `${VAR?msg}` (required); with `:` an empty value counts as unset. `word` is expanded in turn.
//! - `${VAR#pat}` / `${VAR##pat}` / `${VAR%pat}` / `${VAR%%pat}`: remove the shortest / longest matching prefix or
//!   suffix. `${VAR/pat/repl}` / `${VAR//pat/repl}`: replace the first / every match. Patterns know `*`, `?` and
//!   `\` escapes only: BuildKit has no `[...]` classes, its brackets are literal (see the `glob` submodule).
//! - `'…'` keeps everything literally; `"…"` expands `$` and lets the escape character escape only `"`, `$` and
//!   itself; outside quotes the escape character (`\`, or a backtick under the `# escape=` directive) takes the
//!   next character literally, and at the very end of the word is dropped.
//!
//! Everything else BuildKit rejects with the errors it prints (`syntax error: missing '}'`, `syntax error: bad
//! substitution`, `unsupported modifier (:=) in substitution`, `VAR: is not allowed to be unset`, …), each here
//! with the byte offset of the construct at fault. BuildKit wraps them as `failed to process "<word>": <message>`;
//! [`ExpandError::message`] is the part after the colon.
//!
//! One deliberate difference: BuildKit recurses once per nested `${…:-…}` with Go's growable stack, so any depth
//! works there; here more than [`MAX_NESTING`] levels is an error instead of a stack overflow.

mod glob;
mod unicode;

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;

/// How many `${…}` may nest inside one another's modifiers before expansion gives up (BuildKit has no limit).
pub const MAX_NESTING: usize = 64;

/// BuildKit's `shell.Lex`: how words are read. Build one with [`Lexer::new`] and set the options you need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lexer {
    /// The escape character: `\`, or a backtick under the `# escape=` directive.
    pub escape: char,
    /// `RawQuotes`: keep the quote characters in the output.
    pub raw_quotes: bool,
    /// `RawEscapes`: keep escape characters in the output (the escaped character is still taken literally).
    pub raw_escapes: bool,
    /// `SkipUnsetEnv`: leave `$VAR` and `${VAR…}` as written (after expanding inside them) when `VAR` is unset,
    /// instead of substituting; `${VAR?msg}` then does not fail either.
    pub skip_unset_env: bool,
    /// `SkipProcessQuotes`: treat `'` and `"` as ordinary characters.
    pub skip_process_quotes: bool,
}

impl Lexer {
    pub fn new(escape: char) -> Self {
        Lexer { escape, raw_quotes: false, raw_escapes: false, skip_unset_env: false, skip_process_quotes: false }
    }

    /// BuildKit's `ProcessWordWithMatches`: expands `word` and reports which variables it referenced.
    pub fn expand_word(&self, word: &str, env: &dyn Env) -> Result<Expansion, ExpandError> {
        let mut expander = Expander::new(self, word, env);
        let mut words = Words::default();
        let value = expander.until(None, self.raw_escapes, 0, Some(&mut words))?;
        Ok(Expansion { value, words: words.finish(), matched: expander.matched, unmatched: expander.unmatched })
    }

    /// BuildKit's `ProcessWords`: expands `line`, then splits it on whitespace that was neither quoted, escaped
    /// nor part of a quoted expansion. Empty words (`""`) are dropped, as BuildKit drops them.
    pub fn expand_words(&self, line: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        self.expand_word(line, env).map(|expansion| expansion.words)
    }
}

impl Default for Lexer {
    fn default() -> Self {
        Lexer::new('\\')
    }
}

/// Cheap check used by callers: does this word contain anything expansion would change (a `$`, a quote, or the
/// escape char)? A leading byte order mark counts too: BuildKit's scanner drops it.
pub fn needs_expansion(word: &str, escape: char) -> bool {
    word.starts_with('\u{feff}') || word.contains(['$', '\'', '"', escape])
}

/// Where expansion looks variables up. Names are compared exactly (BuildKit on Linux).
pub trait Env {
    fn get(&self, name: &str) -> Option<&str>;
}

/// No variables at all.
impl Env for () {
    fn get(&self, _name: &str) -> Option<&str> {
        None
    }
}

impl<T: Env + ?Sized> Env for &T {
    fn get(&self, name: &str) -> Option<&str> {
        (**self).get(name)
    }
}

impl<K, V, S> Env for HashMap<K, V, S>
where
    K: Borrow<str> + Hash + Eq,
    V: AsRef<str>,
    S: BuildHasher,
{
    fn get(&self, name: &str) -> Option<&str> {
        HashMap::get(self, name).map(AsRef::as_ref)
    }
}

impl<K: Borrow<str> + Ord, V: AsRef<str>> Env for BTreeMap<K, V> {
    fn get(&self, name: &str) -> Option<&str> {
        BTreeMap::get(self, name).map(AsRef::as_ref)
    }
}

/// A list of `(name, value)` pairs; a later pair wins, as in BuildKit's `EnvsFromSlice`.
impl<K: AsRef<str>, V: AsRef<str>> Env for [(K, V)] {
    fn get(&self, name: &str) -> Option<&str> {
        self.iter().rev().find(|(key, _)| key.as_ref() == name).map(|(_, value)| value.as_ref())
    }
}

impl<K: AsRef<str>, V: AsRef<str>> Env for Vec<(K, V)> {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

impl<K: AsRef<str>, V: AsRef<str>, const N: usize> Env for [(K, V); N] {
    fn get(&self, name: &str) -> Option<&str> {
        Env::get(self.as_slice(), name)
    }
}

/// A closure as an [`Env`]: `EnvFn::new(|name| scope.value_of(name))`.
pub struct EnvFn<'v, F> {
    lookup: F,
    values: PhantomData<&'v str>,
}

impl<'v, F: Fn(&str) -> Option<&'v str>> EnvFn<'v, F> {
    pub fn new(lookup: F) -> Self {
        EnvFn { lookup, values: PhantomData }
    }
}

impl<'v, F: Fn(&str) -> Option<&'v str>> Env for EnvFn<'v, F> {
    fn get(&self, name: &str) -> Option<&str> {
        (self.lookup)(name)
    }
}

/// The result of expanding one word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded word (`ProcessWord`'s result).
    pub value: String,
    /// The word split into fields after expansion (`ProcessWords`' result).
    pub words: Vec<String>,
    /// Variables that were referenced and set (BuildKit's matches), in order of first reference.
    pub matched: Vec<String>,
    /// Variables that were referenced but not set, in order of first reference, so that a caller can say
    /// "BASE has no value". Includes positional and special parameters (`1`, `@`, …) when referenced.
    pub unmatched: Vec<String>,
}

/// Why a word could not be expanded. `message` is what BuildKit prints after `failed to process "<word>": `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpandError {
    pub message: String,
    /// Byte offset in the word of the construct at fault: the `$` of a bad `${…}`, the opening quote of an
    /// unterminated quote, the modifier of an unsupported `${VAR<modifier>…}`.
    pub offset: usize,
    pub kind: ExpandErrorKind,
}

/// The kinds of [`ExpandError`], for callers that react differently to each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExpandErrorKind {
    /// A `${` is never closed. BuildKit says `syntax error: missing '}'`, or, when the word ends right after the
    /// name, `unsupported modifier (\u{fffd}) in substitution` (its way of printing the end of input).
    MissingBrace,
    /// `${}`, `${{…`, `${:…`.
    BadSubstitution,
    /// A modifier BuildKit does not know, such as `:=`, `=` or `:#`.
    UnsupportedModifier,
    /// `${VAR/pattern` with no `/` after the pattern.
    MissingSlash,
    /// A `'` or `"` is never closed.
    UnterminatedQuote,
    /// `${VAR?msg}` or `${VAR:?msg}` with `VAR` unset.
    RequiredUnset,
    /// `${VAR:?msg}` with `VAR` empty.
    RequiredEmpty,
    /// A `#`, `%` or `/` pattern with a bad escape (`\x`, or `\` at its end).
    InvalidPattern,
    /// More than [`MAX_NESTING`] nested `${…}` (a limit of ours; BuildKit has none).
    TooDeep,
}

impl ExpandError {
    fn new(kind: ExpandErrorKind, message: impl Into<String>, offset: usize) -> Self {
        ExpandError { message: message.into(), offset, kind }
    }
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExpandError {}

/// Reads a word a character at a time, like Go's `text/scanner` (which skips a leading byte order mark).
struct Scanner<'w> {
    text: &'w str,
    pos: usize,
}

impl<'w> Scanner<'w> {
    fn new(text: &'w str) -> Self {
        let pos = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
        Scanner { text, pos }
    }

    fn peek(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }
}

/// BuildKit's `wordsStruct`: splits the expansion into fields as it is built. Whitespace ends a field only where
/// it came from plain text or an unquoted `$` expansion.
#[derive(Default)]
struct Words {
    current: String,
    done: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, ch: char) {
        if !is_go_space(ch) {
            self.add_raw_char(ch);
        } else if self.in_word && !self.current.is_empty() {
            self.done.push(std::mem::take(&mut self.current));
            self.in_word = false;
        }
    }

    fn add_raw_char(&mut self, ch: char) {
        self.current.push(ch);
        self.in_word = true;
    }

    fn add_str(&mut self, text: &str) {
        text.chars().for_each(|ch| self.add_char(ch));
    }

    fn add_raw_str(&mut self, text: &str) {
        self.current.push_str(text);
        self.in_word = true;
    }

    fn finish(mut self) -> Vec<String> {
        if !self.current.is_empty() {
            self.done.push(self.current);
        }
        self.done
    }
}

/// BuildKit's `shellWord`: the state of one expansion.
struct Expander<'l, 'w, 'e> {
    lexer: &'l Lexer,
    env: &'e dyn Env,
    scanner: Scanner<'w>,
    /// Whether escape characters are kept right now (`${VAR#pat}` and `${VAR/pat/repl}` keep them).
    raw_escapes: bool,
    matched: Vec<String>,
    unmatched: Vec<String>,
    seen: HashSet<String>,
}

impl<'l, 'w, 'e> Expander<'l, 'w, 'e> {
    fn new(lexer: &'l Lexer, word: &'w str, env: &'e dyn Env) -> Self {
        Expander {
            lexer,
            env,
            scanner: Scanner::new(word),
            raw_escapes: lexer.raw_escapes,
            matched: Vec::new(),
            unmatched: Vec::new(),
            seen: HashSet::new(),
        }
    }

    /// BuildKit's `processStopOn`: reads up to `stop` (consumed) or the end of the word. `depth` counts the
    /// `${…}` this text is nested in.
    fn until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        depth: usize,
        words: Option<&mut Words>,
    ) -> Result<String, ExpandError> {
        let outer = std::mem::replace(&mut self.raw_escapes, raw_escapes);
        let result = self.until_inner(stop, depth, words);
        self.raw_escapes = outer;
        result
    }

    fn until_inner(
        &mut self,
        stop: Option<char>,
        depth: usize,
        mut words: Option<&mut Words>,
    ) -> Result<String, ExpandError> {
        let mut out = String::new();
        while let Some(ch) = self.scanner.peek() {
            if stop == Some(ch) {
                self.scanner.next();
                return Ok(out);
            }
            let quote = !self.lexer.skip_process_quotes && matches!(ch, '\'' | '"');
            if ch == '$' || quote {
                let piece = match ch {
                    '$' => self.dollar(depth)?,
                    '\'' => self.single_quoted()?,
                    _ => self.double_quoted(depth)?,
                };
                out.push_str(&piece);
                if let Some(words) = words.as_deref_mut() {
                    if ch == '$' { words.add_str(&piece) } else { words.add_raw_str(&piece) }
                }
                continue;
            }
            self.scanner.next();
            let mut ch = ch;
            if ch == self.lexer.escape {
                if self.raw_escapes {
                    if let Some(words) = words.as_deref_mut() {
                        words.add_raw_char(ch);
                    }
                    out.push(ch);
                }
                // An escape character at the very end of the word is dropped.
                let Some(escaped) = self.scanner.next() else {
                    break;
                };
                ch = escaped;
                if let Some(words) = words.as_deref_mut() {
                    words.add_raw_char(ch);
                }
            } else if let Some(words) = words.as_deref_mut() {
                words.add_char(ch);
            }
            out.push(ch);
        }
        match stop {
            // Callers turn this into "missing '}'" or "missing '/'", since it only happens at the end of the word.
            Some(stop) => Err(ExpandError::new(
                ExpandErrorKind::MissingBrace,
                format!("unexpected end of statement while looking for matching {stop}"),
                self.scanner.pos,
            )),
            None => Ok(out),
        }
    }

    /// BuildKit's `processSingleQuote`.
    fn single_quoted(&mut self) -> Result<String, ExpandError> {
        let open_at = self.scanner.pos;
        let mut out = String::new();
        self.scanner.next();
        if self.lexer.raw_quotes {
            out.push('\'');
        }
        loop {
            match self.scanner.next() {
                None => {
                    return Err(ExpandError::new(
                        ExpandErrorKind::UnterminatedQuote,
                        "unexpected end of statement while looking for matching single-quote",
                        open_at,
                    ));
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(ch) => out.push(ch),
            }
        }
    }

    /// BuildKit's `processDoubleQuote`.
    fn double_quoted(&mut self, depth: usize) -> Result<String, ExpandError> {
        let open_at = self.scanner.pos;
        let mut out = String::new();
        self.scanner.next();
        if self.lexer.raw_quotes {
            out.push('"');
        }
        loop {
            match self.scanner.peek() {
                None => {
                    return Err(ExpandError::new(
                        ExpandErrorKind::UnterminatedQuote,
                        "unexpected end of statement while looking for matching double-quote",
                        open_at,
                    ));
                }
                Some('"') => {
                    self.scanner.next();
                    if self.lexer.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let value = self.dollar(depth)?;
                    out.push_str(&value);
                }
                Some(mut ch) => {
                    self.scanner.next();
                    if ch == self.lexer.escape {
                        if self.raw_escapes {
                            out.push(ch);
                        }
                        match self.scanner.peek() {
                            // Dropped; the missing closing quote is reported next.
                            None => continue,
                            Some(next) if next == '"' || next == '$' || next == self.lexer.escape => {
                                self.scanner.next();
                                ch = next;
                            }
                            // Any other character keeps the escape character before it.
                            Some(_) => {}
                        }
                    }
                    out.push(ch);
                }
            }
        }
    }

    /// BuildKit's `processDollar`, entered at a `$`.
    fn dollar(&mut self, depth: usize) -> Result<String, ExpandError> {
        let dollar_at = self.scanner.pos;
        self.scanner.next();
        if self.scanner.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            return Ok(match self.lookup(&name) {
                Some(value) => value.to_owned(),
                None if self.lexer.skip_unset_env => format!("${name}"),
                None => String::new(),
            });
        }
        self.scanner.next();
        match self.scanner.peek() {
            None => return Err(missing_brace(dollar_at)),
            Some('{' | '}' | ':') => {
                return Err(ExpandError::new(
                    ExpandErrorKind::BadSubstitution,
                    "syntax error: bad substitution",
                    dollar_at,
                ));
            }
            Some(_) => {}
        }
        let name = self.name();
        let modifier_at = self.scanner.pos;
        let first = self.scanner.next();
        match first {
            Some('}') => Ok(match self.lookup(&name) {
                Some(value) => value.to_owned(),
                None if self.lexer.skip_unset_env => format!("${{{name}}}"),
                None => String::new(),
            }),
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                let mut modifier = go_char(first);
                let null_is_unset = first == Some(':');
                let op = if null_is_unset {
                    let op = self.scanner.next();
                    modifier.push_str(&go_char(op));
                    op
                } else {
                    first
                };
                let site = Site { name: &name, dollar_at, modifier_at, depth };
                self.modified(site, op, &modifier, null_is_unset)
            }
            Some('/') => self.replaced(Site { name: &name, dollar_at, modifier_at, depth }),
            // The end of the word right after the name: BuildKit names the missing character U+FFFD.
            None => {
                Err(ExpandError::new(ExpandErrorKind::MissingBrace, unsupported_modifier(&go_char(None)), modifier_at))
            }
            Some(_) => Err(ExpandError::new(
                ExpandErrorKind::UnsupportedModifier,
                unsupported_modifier(&go_char(first)),
                modifier_at,
            )),
        }
    }

    /// `${VAR-…}`, `${VAR:-…}`, `${VAR+…}`, `${VAR?…}`, `${VAR#…}`, `${VAR%…}` and the `:` forms, after the
    /// modifier has been read. `op` is the character after the name, or after the `:`.
    fn modified(
        &mut self,
        site: Site<'_>,
        op: Option<char>,
        modifier: &str,
        null_is_unset: bool,
    ) -> Result<String, ExpandError> {
        let pattern_op = matches!(op, Some('#' | '%'));
        if null_is_unset && pattern_op {
            return Err(ExpandError::new(
                ExpandErrorKind::UnsupportedModifier,
                unsupported_modifier(modifier),
                site.modifier_at,
            ));
        }
        // Patterns keep their escapes: `\*` must reach the pattern compiler.
        let word = self.nested('}', pattern_op, &site, MISSING_BRACE)?;
        let name = site.name;
        let value = self.lookup(name);
        if self.lexer.skip_unset_env && value.is_none() {
            return Ok(format!("${{{name}{modifier}{word}}}"));
        }
        let empty_is_unset = |value: Option<&str>| value.is_none_or(|value| null_is_unset && value.is_empty());
        match op {
            Some('-') => Ok(if empty_is_unset(value) { word } else { value.unwrap_or_default().to_owned() }),
            Some('+') => Ok(if empty_is_unset(value) { String::new() } else { word }),
            Some('?') => match value {
                None => Err(required(ExpandErrorKind::RequiredUnset, name, &word, "unset", site.dollar_at)),
                Some("") if null_is_unset => {
                    Err(required(ExpandErrorKind::RequiredEmpty, name, &word, "empty", site.dollar_at))
                }
                Some(value) => Ok(value.to_owned()),
            },
            Some(op @ ('#' | '%')) => {
                let value = value.unwrap_or_default();
                // `##` / `%%`: BuildKit tests the expanded word, so `${V#$P}` with `P=#x` is greedy too.
                let (pattern, greedy) = match word.strip_prefix(op) {
                    Some(pattern) => (pattern, true),
                    None => (word.as_str(), false),
                };
                let trimmed = if op == '%' {
                    glob::trim_suffix(pattern, value, greedy)
                } else {
                    glob::trim_prefix(pattern, value, greedy)
                };
                trimmed.map_err(|message| ExpandError::new(ExpandErrorKind::InvalidPattern, message, site.dollar_at))
            }
            _ => Err(ExpandError::new(
                ExpandErrorKind::UnsupportedModifier,
                unsupported_modifier(modifier),
                site.modifier_at,
            )),
        }
    }

    /// `${VAR/pattern/replacement}` and `${VAR//pattern/replacement}`, after the first `/`.
    fn replaced(&mut self, site: Site<'_>) -> Result<String, ExpandError> {
        let all = self.scanner.peek() == Some('/');
        if all {
            self.scanner.next();
        }
        let pattern = self.nested('/', true, &site, MISSING_SLASH)?;
        let replacement = self.nested('}', true, &site, MISSING_BRACE)?;
        let name = site.name;
        let value = self.lookup(name);
        if self.lexer.skip_unset_env && value.is_none() {
            // BuildKit writes a single `/` back, even for `//`.
            return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
        }
        let glob = glob::Glob::compile(&pattern).map_err(|err| {
            ExpandError::new(
                ExpandErrorKind::InvalidPattern,
                format!("invalid pattern ({pattern}) in substitution: {err}"),
                site.dollar_at,
            )
        })?;
        let value = value.unwrap_or_default();
        Ok(if all { glob.replace_all(value, &replacement) } else { glob.replace_first(value, &replacement) })
    }

    /// Reads the text inside a `${…}` up to `stop`. Any failure that leaves the word consumed (an unterminated
    /// quote or `${` inside, or no `stop` at all) becomes `at_end`, reported at the `$`: BuildKit's rule.
    fn nested(
        &mut self,
        stop: char,
        raw_escapes: bool,
        site: &Site<'_>,
        at_end: (ExpandErrorKind, &str),
    ) -> Result<String, ExpandError> {
        if site.depth >= MAX_NESTING {
            return Err(ExpandError::new(
                ExpandErrorKind::TooDeep,
                format!("more than {MAX_NESTING} levels of nested ${{...}}"),
                site.dollar_at,
            ));
        }
        match self.until(Some(stop), raw_escapes, site.depth + 1, None) {
            Err(_) if self.scanner.peek().is_none() => Err(ExpandError::new(at_end.0, at_end.1, site.dollar_at)),
            result => result,
        }
    }

    /// BuildKit's `processName`.
    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.scanner.peek() {
            if name.is_empty() && is_go_digit(ch) {
                while let Some(digit) = self.scanner.peek().filter(|&ch| is_go_digit(ch)) {
                    self.scanner.next();
                    name.push(digit);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.scanner.next();
                name.push(ch);
                return name;
            }
            if !is_go_letter(ch) && !is_go_digit(ch) && ch != '_' {
                break;
            }
            self.scanner.next();
            name.push(ch);
        }
        name
    }

    /// BuildKit's `getEnv`, which also records the name as matched or unmatched.
    fn lookup(&mut self, name: &str) -> Option<&'e str> {
        let value = self.env.get(name);
        if !self.seen.contains(name) {
            self.seen.insert(name.to_owned());
            let list = if value.is_some() { &mut self.matched } else { &mut self.unmatched };
            list.push(name.to_owned());
        }
        value
    }
}

/// Where a `${…}` with a modifier sits, for the errors it may raise.
struct Site<'n> {
    name: &'n str,
    dollar_at: usize,
    modifier_at: usize,
    depth: usize,
}

const MISSING_BRACE: (ExpandErrorKind, &str) = (ExpandErrorKind::MissingBrace, "syntax error: missing '}'");
const MISSING_SLASH: (ExpandErrorKind, &str) = (ExpandErrorKind::MissingSlash, "syntax error: missing '/' in ${}");

fn missing_brace(dollar_at: usize) -> ExpandError {
    ExpandError::new(MISSING_BRACE.0, MISSING_BRACE.1, dollar_at)
}

fn unsupported_modifier(modifier: &str) -> String {
    format!("unsupported modifier ({modifier}) in substitution")
}

/// The error of `${VAR?word}`: `word` if given, else BuildKit's default sentence.
fn required(kind: ExpandErrorKind, name: &str, word: &str, what: &str, dollar_at: usize) -> ExpandError {
    let message =
        if word.is_empty() { format!("{name}: is not allowed to be {what}") } else { format!("{name}: {word}") };
    ExpandError::new(kind, message, dollar_at)
}

/// Go's `string(ch)` for a scanner result: the end of input (-1) becomes U+FFFD.
fn go_char(ch: Option<char>) -> String {
    ch.unwrap_or('\u{fffd}').to_string()
}

/// BuildKit's `isSpecialParam`.
fn is_special_param(ch: char) -> bool {
    matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

/// Go's `unicode.IsLetter`.
fn is_go_letter(ch: char) -> bool {
    if ch.is_ascii() { ch.is_ascii_alphabetic() } else { in_ranges(unicode::LETTERS, ch) }
}

/// Go's `unicode.IsDigit`.
fn is_go_digit(ch: char) -> bool {
    if ch.is_ascii() { ch.is_ascii_digit() } else { in_ranges(unicode::DIGITS, ch) }
}

/// Go's `unicode.IsSpace`: the Unicode White_Space property, which is what Rust's `char::is_whitespace` tests.
fn is_go_space(ch: char) -> bool {
    ch.is_whitespace()
}

fn in_ranges(ranges: &[(u32, u32)], ch: char) -> bool {
    let code = u32::from(ch);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < code {
                std::cmp::Ordering::Less
            } else if lo > code {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    type Pairs = Vec<(String, String)>;

    fn pairs(list: &[(&str, &str)]) -> Pairs {
        list.iter().map(|&(k, v)| (k.to_owned(), v.to_owned())).collect()
    }

    fn expand(lexer: &Lexer, word: &str, env: &dyn Env) -> Result<String, ExpandError> {
        lexer.expand_word(word, env).map(|expansion| expansion.value)
    }

    fn ok(lexer: &Lexer, word: &str, env: &dyn Env) -> String {
        expand(lexer, word, env).unwrap_or_else(|err| panic!("{word:?} failed: {err:?}"))
    }

    fn err(lexer: &Lexer, word: &str, env: &dyn Env) -> ExpandError {
        match lexer.expand_word(word, env) {
            Ok(expansion) => panic!("{word:?} expanded to {:?}", expansion.value),
            Err(err) => err,
        }
    }

    /// BuildKit's `frontend/dockerfile/shell/envVarTest`: every line for all platforms (`A`) and for Unix (`U`),
    /// as (word, expected value); `None` where BuildKit expects an error. Run with the escape `\` and
    /// `PWD=/home SHELL=bash KOREAN=한국어 NULL=`.
    const ENV_VAR_TEST: &[(&str, Option<&str>)] = &[
        (r"hello", Some(r"hello")),
        (r"he'll'o", Some(r"hello")),
        (r"he'llo", None),
        (r"he\'llo", Some(r"he'llo")),
        (r"he\\'llo", None),
        (r"abc\tdef", Some(r"abctdef")),
        (r#""abc\tdef""#, Some(r"abc\tdef")),
        (r#""abc\\tdef""#, Some(r"abc\tdef")),
        (r"'abc\tdef'", Some(r"abc\tdef")),
        (r"hello\", Some(r"hello")),
        (r"hello\\", Some(r"hello\")),
        (r#""hello"#, None),
        (r#""hello\""#, None),
        (r#""hel'lo""#, Some(r"hel'lo")),
        (r"'hello", None),
        (r"'hello\'", Some(r"hello\")),
        (r"'hello\there'", Some(r"hello\there")),
        (r"'hello\\there'", Some(r"hello\\there")),
        (r#""''""#, Some(r"''")),
        (r"$.", Some(r"$.")),
        (r"he$1x", Some(r"hex")),
        (r"he$.x", Some(r"he$.x")),
        (r"he$pwd.", Some(r"he.")),
        (r"he$PWD", Some(r"he/home")),
        (r"he\$PWD", Some(r"he$PWD")),
        (r"he\\$PWD", Some(r"he\/home")),
        (r#""he\$PWD""#, Some(r"he$PWD")),
        (r#""he\\$PWD""#, Some(r"he\/home")),
        (r"\${}", Some(r"${}")),
        (r"\${}aaa", Some(r"${}aaa")),
        (r"he\${}", Some(r"he${}")),
        (r"he\${}xx", Some(r"he${}xx")),
        (r"${}", None),
        (r"${}aaa", None),
        (r"he${}", None),
        (r"he${}xx", None),
        (r"he${hi}", Some(r"he")),
        (r"he${hi}xx", Some(r"hexx")),
        (r"he${PWD}", Some(r"he/home")),
        (r"he${.}", None),
        (r"he${XXX:-000}xx", Some(r"he000xx")),
        (r"he${PWD:-000}xx", Some(r"he/homexx")),
        (r"he${XXX:-$PWD}xx", Some(r"he/homexx")),
        (r"he${XXX:-${PWD:-yyy}}xx", Some(r"he/homexx")),
        (r"he${XXX:-${YYY:-yyy}}xx", Some(r"heyyyxx")),
        (r"he${XXX:YYY}", None),
        (r"he${XXX:+${PWD}}xx", Some(r"hexx")),
        (r"he${PWD:+${XXX}}xx", Some(r"hexx")),
        (r"he${PWD:+${SHELL}}xx", Some(r"hebashxx")),
        (r"he${XXX:+000}xx", Some(r"hexx")),
        (r"he${PWD:+000}xx", Some(r"he000xx")),
        (r"'he${XX}'", Some(r"he${XX}")),
        (r#""he${PWD}""#, Some(r"he/home")),
        (r#""he'$PWD'""#, Some(r"he'/home'")),
        (r#""$PWD""#, Some(r"/home")),
        (r"'$PWD'", Some(r"$PWD")),
        (r"'\$PWD'", Some(r"\$PWD")),
        (r#"'"hello"'"#, Some(r#""hello""#)),
        (r"he\$PWD", Some(r"he$PWD")),
        (r#""he\$PWD""#, Some(r"he$PWD")),
        (r"'he\$PWD'", Some(r"he\$PWD")),
        (r"he${PWD", None),
        (r"he${PWD:=000}xx", None),
        (r"he${PWD:+${PWD}:}xx", Some(r"he/home:xx")),
        (r"he${XXX:-\$PWD:}xx", Some(r"he$PWD:xx")),
        (r"he${XXX:-\${PWD}z}xx", Some(r"he${PWDz}xx")),
        (r"안녕하세요", Some(r"안녕하세요")),
        (r"안'녕'하세요", Some(r"안녕하세요")),
        (r"안'녕하세요", None),
        (r"안녕\'하세요", Some(r"안녕'하세요")),
        (r"안\\'녕하세요", None),
        (r"안녕\t하세요", Some(r"안녕t하세요")),
        (r#""안녕\t하세요""#, Some(r"안녕\t하세요")),
        (r"'안녕\t하세요", None),
        (r"안녕하세요\", Some(r"안녕하세요")),
        (r"안녕하세요\\", Some(r"안녕하세요\")),
        (r#""안녕하세요"#, None),
        (r#""안녕하세요\""#, None),
        (r#""안녕'하세요""#, Some(r"안녕'하세요")),
        (r"'안녕하세요", None),
        (r"'안녕하세요\'", Some(r"안녕하세요\")),
        (r"안녕$1x", Some(r"안녕x")),
        (r"안녕$.x", Some(r"안녕$.x")),
        (r"안녕$pwd.", Some(r"안녕.")),
        (r"안녕$PWD", Some(r"안녕/home")),
        (r"안녕\$PWD", Some(r"안녕$PWD")),
        (r"안녕\\$PWD", Some(r"안녕\/home")),
        (r"안녕\${}", Some(r"안녕${}")),
        (r"안녕\${}xx", Some(r"안녕${}xx")),
        (r"안녕${}", None),
        (r"안녕${}xx", None),
        (r"안녕${hi}", Some(r"안녕")),
        (r"안녕${hi}xx", Some(r"안녕xx")),
        (r"안녕${PWD}", Some(r"안녕/home")),
        (r"안녕${.}", None),
        (r"안녕${XXX:-000}xx", Some(r"안녕000xx")),
        (r"안녕${PWD:-000}xx", Some(r"안녕/homexx")),
        (r"안녕${XXX:-$PWD}xx", Some(r"안녕/homexx")),
        (r"안녕${XXX:-${PWD:-yyy}}xx", Some(r"안녕/homexx")),
        (r"안녕${XXX:-${YYY:-yyy}}xx", Some(r"안녕yyyxx")),
        (r"안녕${XXX:YYY}", None),
        (r"안녕${XXX:+${PWD}}xx", Some(r"안녕xx")),
        (r"안녕${PWD:+${XXX}}xx", Some(r"안녕xx")),
        (r"안녕${PWD:+${SHELL}}xx", Some(r"안녕bashxx")),
        (r"안녕${XXX:+000}xx", Some(r"안녕xx")),
        (r"안녕${PWD:+000}xx", Some(r"안녕000xx")),
        (r"'안녕${XX}'", Some(r"안녕${XX}")),
        (r#""안녕${PWD}""#, Some(r"안녕/home")),
        (r#""안녕'$PWD'""#, Some(r"안녕'/home'")),
        (r#"'"안녕"'"#, Some(r#""안녕""#)),
        (r"안녕\$PWD", Some(r"안녕$PWD")),
        (r#""안녕\$PWD""#, Some(r"안녕$PWD")),
        (r"'안녕\$PWD'", Some(r"안녕\$PWD")),
        (r"안녕${PWD", None),
        (r"안녕${PWD:=000}xx", None),
        (r"안녕${PWD:+${PWD}:}xx", Some(r"안녕/home:xx")),
        (r"안녕${XXX:-\$PWD:}xx", Some(r"안녕$PWD:xx")),
        (r"안녕${XXX:-\${PWD}z}xx", Some(r"안녕${PWDz}xx")),
        (r"$KOREAN", Some(r"한국어")),
        (r"안녕$KOREAN", Some(r"안녕한국어")),
        (r"${{aaa}", None),
        (r"${aaa}}", Some(r"}")),
        (r"${aaa", None),
        (r"${{aaa:-bbb}", None),
        (r"${aaa:-bbb}}", Some(r"bbb}")),
        (r"${aaa:-bbb", None),
        (r"${aaa:-bbb}", Some(r"bbb")),
        (r"${aaa:-${bbb:-ccc}}", Some(r"ccc")),
        (r"${aaa:-bbb ${foo}", None),
        (r"${aaa:-bbb {foo}", Some(r"bbb {foo")),
        (r"${:}", None),
        (r"${:-bbb}", None),
        (r"${:+bbb}", None),
        // Positional parameters are never set.
        (r"$1", Some("")),
        (r"${1}", Some("")),
        (r"${1:+bbb}", Some("")),
        (r"${1:-bbb}", Some(r"bbb")),
        (r"$2", Some("")),
        (r"${2}", Some("")),
        (r"${2:+bbb}", Some("")),
        (r"${2:-bbb}", Some(r"bbb")),
        (r"$3", Some("")),
        (r"${3}", Some("")),
        (r"${3:+bbb}", Some("")),
        (r"${3:-bbb}", Some(r"bbb")),
        (r"$4", Some("")),
        (r"${4}", Some("")),
        (r"${4:+bbb}", Some("")),
        (r"${4:-bbb}", Some(r"bbb")),
        (r"$5", Some("")),
        (r"${5}", Some("")),
        (r"${5:+bbb}", Some("")),
        (r"${5:-bbb}", Some(r"bbb")),
        (r"$6", Some("")),
        (r"${6}", Some("")),
        (r"${6:+bbb}", Some("")),
        (r"${6:-bbb}", Some(r"bbb")),
        (r"$7", Some("")),
        (r"${7}", Some("")),
        (r"${7:+bbb}", Some("")),
        (r"${7:-bbb}", Some(r"bbb")),
        (r"$8", Some("")),
        (r"${8}", Some("")),
        (r"${8:+bbb}", Some("")),
        (r"${8:-bbb}", Some(r"bbb")),
        (r"$9", Some("")),
        (r"${9}", Some("")),
        (r"${9:+bbb}", Some("")),
        (r"${9:-bbb}", Some(r"bbb")),
        (r"$999", Some("")),
        (r"${999}", Some("")),
        (r"${999:+bbb}", Some("")),
        (r"${999:-bbb}", Some(r"bbb")),
        (r"$999aaa", Some(r"aaa")),
        (r"${999}aaa", Some(r"aaa")),
        (r"${999:+bbb}aaa", Some(r"aaa")),
        (r"${999:-bbb}aaa", Some(r"bbbaaa")),
        (r"$001", Some("")),
        (r"${001}", Some("")),
        (r"${001:+bbb}", Some("")),
        (r"${001:-bbb}", Some(r"bbb")),
        (r"$001aaa", Some(r"aaa")),
        (r"${001}aaa", Some(r"aaa")),
        (r"${001:+bbb}aaa", Some(r"aaa")),
        (r"${001:-bbb}aaa", Some(r"bbbaaa")),
        // Special parameters are never set either.
        (r"$@", Some("")),
        (r"${@}", Some("")),
        (r"${@:+bbb}", Some("")),
        (r"${@:-bbb}", Some(r"bbb")),
        (r"$@@@", Some(r"@@")),
        (r"$@aaa", Some(r"aaa")),
        (r"${@}aaa", Some(r"aaa")),
        (r"${@:+bbb}aaa", Some(r"aaa")),
        (r"${@:-bbb}aaa", Some(r"bbbaaa")),
        (r"$*", Some("")),
        (r"${*}", Some("")),
        (r"${*:+bbb}", Some("")),
        (r"${*:-bbb}", Some(r"bbb")),
        (r"$#", Some("")),
        (r"${#}", Some("")),
        (r"${#:+bbb}", Some("")),
        (r"${#:-bbb}", Some(r"bbb")),
        (r"$?", Some("")),
        (r"${?}", Some("")),
        (r"${?:+bbb}", Some("")),
        (r"${?:-bbb}", Some(r"bbb")),
        (r"$-", Some("")),
        (r"${-}", Some("")),
        (r"${-:+bbb}", Some("")),
        (r"${-:-bbb}", Some(r"bbb")),
        (r"$$", Some("")),
        (r"${$}", Some("")),
        (r"${$:+bbb}", Some("")),
        (r"${$:-bbb}", Some(r"bbb")),
        (r"$!", Some("")),
        (r"${!}", Some("")),
        (r"${!:+bbb}", Some("")),
        (r"${!:-bbb}", Some(r"bbb")),
        (r"$0", Some("")),
        (r"${0}", Some("")),
        (r"${0:+bbb}", Some("")),
        (r"${0:-bbb}", Some(r"bbb")),
    ];

    #[test]
    fn buildkit_env_var_test() {
        let env = pairs(&[("PWD", "/home"), ("SHELL", "bash"), ("KOREAN", "한국어"), ("NULL", "")]);
        let lexer = Lexer::new('\\');
        for &(word, expected) in ENV_VAR_TEST {
            match expected {
                Some(expected) => assert_eq!(ok(&lexer, word, &env), expected, "{word:?}"),
                None => {
                    err(&lexer, word, &env);
                }
            }
        }
    }

    /// A line of BuildKit's `frontend/dockerfile/shell/wordsTest`.
    enum WordsLine {
        /// `ENV name=value`: set for the lines after it.
        Env(&'static str, &'static str),
        /// A line for `ProcessWords`, and the fields it gives (`None`: an error).
        Case(&'static str, Option<&'static [&'static str]>),
    }

    /// BuildKit's `wordsTest`, run with the escape `\`.
    const WORDS_TEST: &[WordsLine] = {
        use WordsLine::{Case, Env};
        &[
            Case("hello", Some(&["hello"])),
            Case("hello${hi}bye", Some(&["hellobye"])),
            Env("hi", "hi"),
            Case("hello${hi}bye", Some(&["hellohibye"])),
            Env("space", "abc  def"),
            Case("hello${space}bye", Some(&["helloabc", "defbye"])),
            Case(r#"hello"${space}"bye"#, Some(&["helloabc  defbye"])),
            Case(r#"hello "${space}"bye"#, Some(&["hello", "abc  defbye"])),
            Env("leading", "  ab c"),
            Case("hello${leading}def", Some(&["hello", "ab", "cdef"])),
            Case(r#"hello"${leading}" def"#, Some(&["hello  ab c", "def"])),
            Case(r#"hello"${leading}""#, Some(&["hello  ab c"])),
            Case("hello${leading}", Some(&["hello", "ab", "c"])),
            Env("trailing", "ab c   "),
            Case("hello${trailing}", Some(&["helloab", "c"])),
            Case("hello${trailing}d", Some(&["helloab", "c", "d"])),
            Case(r#"hello"${trailing}"d"#, Some(&["helloab c   d"])),
            Case(r#"hel"lo${trailing}""#, Some(&["helloab c   "])),
            Case(r#"hello" there  ""#, Some(&["hello there  "])),
            Case("hello there", Some(&["hello", "there"])),
            Case(r"hello\ there", Some(&["hello there"])),
            // The stored copy of this file predates BuildKit rejecting an unterminated quote (it expected
            // `hello there`); envVarTest's `"hello` line shows the rule that holds now.
            Case(r#"hello" there"#, None),
            Case(r#"hello\" there"#, Some(&["hello\"", "there"])),
        ]
    };

    #[test]
    fn buildkit_words_test() {
        let lexer = Lexer::new('\\');
        let mut env = Pairs::new();
        for line in WORDS_TEST {
            match *line {
                WordsLine::Env(name, value) => env.push((name.to_owned(), value.to_owned())),
                WordsLine::Case(input, expected) => {
                    let got = lexer.expand_words(input, &env);
                    match expected {
                        Some(expected) => {
                            assert_eq!(got, Ok(expected.iter().map(|w| (*w).to_owned()).collect()), "{input:?}")
                        }
                        None => assert!(got.is_err(), "{input:?} gave {got:?}"),
                    }
                }
            }
        }
    }

    /// A case of BuildKit's `TestProcessWithMatches`: word, variables, expected value (`None`: an error),
    /// matched names, unmatched names.
    type MatchCase = (
        &'static str,
        &'static [(&'static str, &'static str)],
        Option<&'static str>,
        &'static [&'static str],
        &'static [&'static str],
    );

    const FOO_BAR: &[(&str, &str)] = &[("FOO", "xxx"), ("BAR", "")];

    const PROCESS_WITH_MATCHES: &[MatchCase] = &[
        ("x", &[("DUMMY", "dummy")], Some("x"), &[], &[]),
        ("x ${UNUSED}", &[("DUMMY", "dummy")], Some("x "), &[], &["UNUSED"]),
        ("x ${FOO}", &[("FOO", "y")], Some("x y"), &["FOO"], &[]),
        ("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", FOO_BAR, Some("xxx  ccc"), &["FOO", "BAR"], &["BAZ"]),
        ("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", FOO_BAR, Some("xxx bbb ccc"), &["FOO", "BAR"], &["BAZ"]),
        ("${FOO:-}", FOO_BAR, Some("xxx"), &["FOO"], &[]),
        ("${FOO:-}", &[], Some(""), &[], &["FOO"]),
        ("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", FOO_BAR, Some("aaa bbb "), &["FOO", "BAR"], &["BAZ"]),
        ("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", FOO_BAR, Some("aaa  "), &["FOO", "BAR"], &["BAZ"]),
        ("${FOO?aaa}", FOO_BAR, Some("xxx"), &["FOO"], &[]),
        ("${BAR?bbb}", FOO_BAR, Some(""), &["BAR"], &[]),
        ("${BAZ?ccc}", FOO_BAR, None, &[], &["BAZ"]),
        ("${FOO:?aaa}", FOO_BAR, Some("xxx"), &["FOO"], &[]),
        ("${BAR:?bbb}", FOO_BAR, None, &[], &[]),
        ("${BAZ:?ccc}", FOO_BAR, None, &[], &["BAZ"]),
        ("${BAZ:?}", FOO_BAR, None, &[], &["BAZ"]),
        ("${FOO=aaa}", FOO_BAR, None, &[], &[]),
        ("${FOO=:aaa}", FOO_BAR, None, &[], &[]),
        ("${FOO=}", &[], None, &[], &[]),
        (r"${FOO#()[]{\}^$.\*\?|\\}", &[("FOO", r"()[]{}^$.*?|\x")], Some("x"), &["FOO"], &[]),
        (r"${FOO%%\**}", &[("FOO", "xx**")], Some("xx"), &["FOO"], &[]),
        ("${FOO#*x*y}", &[("FOO", "xxyy")], Some("y"), &["FOO"], &[]),
        ("${FOO#*}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "x")], Some("xyy"), &["FOO", "BAR"], &[]),
        ("${FOO#$BAR}", &[("FOO", "xxyy"), ("BAR", "")], Some("xxyy"), &["FOO", "BAR"], &[]),
        ("${FOO#}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
        ("${FOO##*x}", &[("FOO", "xxyy")], Some("yy"), &["FOO"], &[]),
        ("${FOO##}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
        (r"${FOO#?\?}", &[("FOO", "???y")], Some("?y"), &["FOO"], &[]),
        ("${ABC:-.}${FOO%x}${ABC:-.}", &[("FOO", "xxyy")], Some(".xxyy."), &["FOO"], &["ABC"]),
        (r"${FOO%%\**\*}", &[("FOO", "a***yy*")], Some("a"), &["FOO"], &[]),
        ("${FOO%}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
        ("${FOO%%$BAR}", &[("FOO", "xxyy"), ("BAR", "")], Some("xxyy"), &["FOO", "BAR"], &[]),
        ("${FOO:#}", &[], None, &[], &[]),
        ("${FOO:##}", &[], None, &[], &[]),
        ("${FOO:%}", &[], None, &[], &[]),
        ("${FOO:%%}", &[], None, &[], &[]),
        (
            "${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}",
            &[("FOO", "/foo*/*/*.txt"), ("NEEDLE", r"\*/")],
            Some("/foo.*/*.txt - /foo..*.txt"),
            &["FOO", "NEEDLE"],
            &[],
        ),
        (
            "${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}",
            &[("FOO", "/tmp/tmp/bar.txt"), ("NEEDLE", "/tmp")],
            Some("/tmp/bar.txt - /bar.txt"),
            &["FOO", "NEEDLE"],
            &[],
        ),
        (
            "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
            &[("FOO", "/a/foo/b/c.txt"), ("NEEDLE", "/?/"), ("REPLACEMENT", "/")],
            Some("/foo/b/c.txt - /foo/c.txt"),
            &["FOO", "NEEDLE", "REPLACEMENT"],
            &[],
        ),
        (
            "${FOO/$NEEDLE/$REPLACEMENT}",
            &[("FOO", "http://google.de"), ("NEEDLE", "http://"), ("REPLACEMENT", "https://")],
            Some("https://google.de"),
            &["FOO", "NEEDLE", "REPLACEMENT"],
            &[],
        ),
        (r"${FOO//\//\/}", &[("FOO", "/tmp/foo.txt")], Some(r"\/tmp\/foo.txt"), &["FOO"], &[]),
        ("${FOO/$BAR/ww}", &[("FOO", "xxyy"), ("BAR", "")], Some("wwxxyy"), &["FOO", "BAR"], &[]),
        ("${FOO//ww}", &[("FOO", "xxyy")], None, &[], &[]),
        ("${FOO//}", &[("FOO", "xxyy")], None, &[], &[]),
        ("${FOO///}", &[("FOO", "xxyy")], Some("xxyy"), &["FOO"], &[]),
        ("${FOO///}", &[], Some(""), &[], &["FOO"]),
    ];

    #[test]
    fn buildkit_process_with_matches() {
        let lexer = Lexer::new('\\');
        for &(word, env, expected, matched, unmatched) in PROCESS_WITH_MATCHES {
            let env = pairs(env);
            let result = lexer.expand_word(word, &env);
            let Some(expected) = expected else {
                assert!(result.is_err(), "{word:?} gave {result:?}");
                continue;
            };
            let expansion = result.unwrap_or_else(|err| panic!("{word:?} failed: {err:?}"));
            assert_eq!(expansion.value, expected, "{word:?}");
            let sorted = |names: &[&str]| {
                let mut names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
                names.sort();
                names
            };
            let mut got_matched = expansion.matched.clone();
            got_matched.sort();
            let mut got_unmatched = expansion.unmatched.clone();
            got_unmatched.sort();
            assert_eq!(got_matched, sorted(matched), "matched of {word:?}");
            assert_eq!(got_unmatched, sorted(unmatched), "unmatched of {word:?}");
        }
    }

    #[test]
    fn buildkit_mandatory_env_vars() {
        let lexer = Lexer::new('\\');
        let set = pairs(&[("VAR", "plain"), ("ARG", "x")]);
        let empty = pairs(&[("VAR", ""), ("ARG", "x")]);
        let unset = pairs(&[("ARG", "x")]);
        let no_empty = "${VAR:?message here$ARG}";
        let no_unset = "${VAR?message here$ARG}";
        assert_eq!(ok(&lexer, no_empty, &set), "plain");
        assert_eq!(err(&lexer, no_empty, &empty).message, "VAR: message herex");
        assert_eq!(err(&lexer, no_empty, &unset).message, "VAR: message herex");
        assert_eq!(ok(&lexer, no_unset, &set), "plain");
        assert_eq!(ok(&lexer, no_unset, &empty), "");
        assert_eq!(err(&lexer, no_unset, &unset).message, "VAR: message herex");
    }

    #[test]
    fn buildkit_process_with_matches_platform() {
        let lexer = Lexer::new('\\');
        let release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        let base = [("VERSION", "v1.2.3"), ("TARGETOS", "linux")];
        let with = |extra: &[(&str, &str)]| pairs(&[&base[..], extra].concat());
        let arm_v7 = with(&[("TARGETARCH", "arm"), ("TARGETVARIANT", "v7")]);
        assert_eq!(ok(&lexer, release, &arm_v7), "something-v1.2.3.linux-arm-v7.tar.gz");
        let empty_variant = with(&[("TARGETARCH", "arm64"), ("TARGETVARIANT", "")]);
        assert_eq!(ok(&lexer, release, &empty_variant), "something-v1.2.3.linux-arm64.tar.gz");
        let no_variant = with(&[("TARGETARCH", "arm64")]);
        assert_eq!(ok(&lexer, release, &no_variant), "something-v1.2.3.linux-arm64.tar.gz");
    }
    fn vars() -> Pairs {
        pairs(&[
            ("FOO", "bar"),
            ("EMPTY", ""),
            ("P", "/usr/local/lib/file.tar.gz"),
            ("SPACE", "a  b"),
            ("PWD", "/home"),
        ])
    }

    #[test]
    fn plain_forms() {
        let lexer = Lexer::default();
        let env = vars();
        for (word, expected) in [
            ("$FOO", "bar"),
            ("${FOO}", "bar"),
            ("x$FOO.y", "xbar.y"),
            ("$FOOx", ""),
            ("${FOO}x", "barx"),
            ("$UNSET", ""),
            ("a$", "a$"),
            ("$", "$"),
            ("$ x", "$ x"),
            ("$/", "$/"),
            ("$$", ""),
            ("a\\", "a"),
            ("\\\\", "\\"),
            ("", ""),
        ] {
            assert_eq!(ok(&lexer, word, &env), expected, "{word:?}");
        }
    }

    #[test]
    fn default_alternative_and_required_forms() {
        let lexer = Lexer::default();
        let env = vars();
        for (word, expected) in [
            ("${FOO:-x}", "bar"),
            ("${FOO-x}", "bar"),
            ("${EMPTY:-x}", "x"),
            ("${EMPTY-x}", ""),
            ("${UNSET:-x}", "x"),
            ("${UNSET-x}", "x"),
            ("${FOO:+x}", "x"),
            ("${FOO+x}", "x"),
            ("${EMPTY:+x}", ""),
            ("${EMPTY+x}", "x"),
            ("${UNSET:+x}", ""),
            ("${UNSET+x}", ""),
            ("${FOO:?msg}", "bar"),
            ("${FOO?msg}", "bar"),
            ("${EMPTY?msg}", ""),
            ("${A:-${B:-${C:-deep}}}", "deep"),
            ("${A:-$FOO$FOO}", "barbar"),
            (r#"${A:-"$FOO baz"}"#, "bar baz"),
            ("${A:-'$FOO'}", "$FOO"),
            ("${A:-a}b}", "ab}"),
            (r"${A:-a\}b}", "a}b"),
            ("${UNSET:-}", ""),
        ] {
            assert_eq!(ok(&lexer, word, &env), expected, "{word:?}");
        }
    }

    #[test]
    fn prefix_suffix_and_replace_forms() {
        let lexer = Lexer::default();
        let env = vars();
        for (word, expected) in [
            ("${P#*/}", "usr/local/lib/file.tar.gz"),
            ("${P##*/}", "file.tar.gz"),
            ("${P%.*}", "/usr/local/lib/file.tar"),
            ("${P%%.*}", "/usr/local/lib/file"),
            ("${P%/*}", "/usr/local/lib"),
            ("${P#/usr}", "/local/lib/file.tar.gz"),
            ("${P#nope}", "/usr/local/lib/file.tar.gz"),
            ("${P/l/L}", "/usr/Local/lib/file.tar.gz"),
            ("${P//l/L}", "/usr/LocaL/Lib/fiLe.tar.gz"),
            ("${P//[a]/x}", "/usr/local/lib/file.tar.gz"),
            ("${P/\\/usr/}", "/local/lib/file.tar.gz"),
            ("${P//?/.}", ".........................."),
            ("${P/*/x}", "x"),
            ("${FOO/a/}", "br"),
            ("${FOO///}", "bar"),
            ("${UNSET#x}", ""),
            ("${UNSET/x/y}", ""),
            // Quoting a pattern does not make `*` literal: the quotes are gone before the pattern is read.
            (r#"${P#"*/"}"#, "usr/local/lib/file.tar.gz"),
            // `##` is read after expansion, so a value starting with `#` makes the trim greedy.
            ("${P#${HASH:-#}*/}", "file.tar.gz"),
        ] {
            assert_eq!(ok(&lexer, word, &env), expected, "{word:?}");
        }
    }

    #[test]
    fn backtick_escape() {
        let lexer = Lexer::new('`');
        let env = vars();
        for (word, expected) in [
            ("he`$PWD", "he$PWD"),
            (r"C:\Windows\$FOO", r"C:\Windows\bar"),
            (r"C:\Windows\`$FOO", r"C:\Windows\$FOO"),
            ("\"a``b\"", "a`b"),
            ("\"a`\"b\"", "a\"b"),
            ("\"a`xb\"", "a`xb"),
            (r#""a\"b"#, r"a\b"),
            ("ab`", "ab"),
            ("a` b", "a b"),
            // In patterns `\` is the pattern's escape whatever the escape character is.
            (r"${P##*\/}", "file.tar.gz"),
            ("${FOO/`b/x}", "bar"),
        ] {
            assert_eq!(ok(&lexer, word, &env), expected, "{word:?}");
        }
        assert_eq!(err(&lexer, "\"a\\\"\"", &env).kind, ExpandErrorKind::UnterminatedQuote);
    }

    #[test]
    fn raw_quotes_and_raw_escapes() {
        let env = vars();
        let raw_quotes = Lexer { raw_quotes: true, ..Lexer::default() };
        assert_eq!(ok(&raw_quotes, r#"'a'"b""#, &env), r#"'a'"b""#);
        assert_eq!(ok(&raw_quotes, r#""$FOO""#, &env), r#""bar""#);
        assert_eq!(ok(&raw_quotes, "${X:-'a b'}", &env), "'a b'");
        assert_eq!(raw_quotes.expand_words(r#"x "a b""#, &env), Ok(vec!["x".to_owned(), r#""a b""#.to_owned()]));
        let raw_escapes = Lexer { raw_escapes: true, ..Lexer::default() };
        assert_eq!(ok(&raw_escapes, r"a\ b", &env), r"a\ b");
        assert_eq!(ok(&raw_escapes, r"\$FOO", &env), r"\$FOO");
        assert_eq!(ok(&raw_escapes, r#""\$FOO""#, &env), r"\$FOO");
        assert_eq!(ok(&raw_escapes, r#""\x""#, &env), r"\\x");
        assert_eq!(raw_escapes.expand_words(r"a\ b c", &env), Ok(vec![r"a\ b".to_owned(), "c".to_owned()]));
        let both = Lexer { raw_quotes: true, raw_escapes: true, ..Lexer::new('`') };
        assert_eq!(ok(&both, "'a`b' \"`$FOO\" `$FOO", &env), "'a`b' \"`$FOO\" `$FOO");
    }

    #[test]
    fn skip_unset_env_leaves_unset_variables_as_written() {
        let lexer = Lexer { skip_unset_env: true, ..Lexer::default() };
        let env = vars();
        for (word, expected) in [
            ("$UNSET", "$UNSET"),
            ("${UNSET}", "${UNSET}"),
            ("$FOO", "bar"),
            ("${UNSET:-$FOO}", "${UNSET:-bar}"),
            ("${UNSET-x}", "${UNSET-x}"),
            ("${UNSET:+x}", "${UNSET:+x}"),
            ("${UNSET?msg}", "${UNSET?msg}"),
            ("${UNSET:?}", "${UNSET:?}"),
            ("${UNSET#*/}", "${UNSET#*/}"),
            ("${UNSET%%.*}", "${UNSET%%.*}"),
            ("${UNSET/a/b}", "${UNSET/a/b}"),
            // BuildKit writes `//` back as `/`.
            ("${UNSET//a/b}", "${UNSET/a/b}"),
            // Unknown modifiers on an unset variable are not even an error.
            ("${UNSET:=x}", "${UNSET:=x}"),
            ("${EMPTY:-x}", "x"),
            ("$1 $@", "$1 $@"),
        ] {
            assert_eq!(ok(&lexer, word, &env), expected, "{word:?}");
        }
        assert_eq!(err(&lexer, "${FOO:=x}", &env).kind, ExpandErrorKind::UnsupportedModifier);
        assert_eq!(err(&lexer, "${UNSET:#x}", &env).kind, ExpandErrorKind::UnsupportedModifier);
        let expansion = lexer.expand_word("$UNSET ${FOO}", &env).unwrap();
        assert_eq!((expansion.matched, expansion.unmatched), (vec!["FOO".to_owned()], vec!["UNSET".to_owned()]));
    }

    #[test]
    fn skip_process_quotes_treats_quotes_as_text() {
        let lexer = Lexer { skip_process_quotes: true, ..Lexer::default() };
        let env = vars();
        assert_eq!(ok(&lexer, "'$FOO'", &env), "'bar'");
        assert_eq!(ok(&lexer, "\"'", &env), "\"'");
        assert_eq!(lexer.expand_words("\"a b\"", &env), Ok(vec!["\"a".to_owned(), "b\"".to_owned()]));
    }

    #[test]
    fn errors_carry_buildkits_message_and_an_offset() {
        use ExpandErrorKind::*;
        let lexer = Lexer::default();
        let env = vars();
        for (word, kind, message, offset) in [
            ("ab${", MissingBrace, "syntax error: missing '}'", 2),
            ("ab${}", BadSubstitution, "syntax error: bad substitution", 2),
            ("${{a}", BadSubstitution, "syntax error: bad substitution", 0),
            ("${:-a}", BadSubstitution, "syntax error: bad substitution", 0),
            ("x${a:=b}", UnsupportedModifier, "unsupported modifier (:=) in substitution", 4),
            ("${a=b}", UnsupportedModifier, "unsupported modifier (=) in substitution", 3),
            ("${a:x}", UnsupportedModifier, "unsupported modifier (:x) in substitution", 3),
            ("${.}", UnsupportedModifier, "unsupported modifier (.) in substitution", 2),
            ("${FOO:#x}", UnsupportedModifier, "unsupported modifier (:#) in substitution", 5),
            ("${a:-${b:#x}}", UnsupportedModifier, "unsupported modifier (:#) in substitution", 8),
            ("${aaa", MissingBrace, "unsupported modifier (\u{fffd}) in substitution", 5),
            ("${a:", MissingBrace, "syntax error: missing '}'", 0),
            ("${a:-b", MissingBrace, "syntax error: missing '}'", 0),
            ("x${a:-'b", MissingBrace, "syntax error: missing '}'", 1),
            ("${a:-${b?}", MissingBrace, "syntax error: missing '}'", 0),
            ("${a:-${b?}}", RequiredUnset, "b: is not allowed to be unset", 5),
            ("${a/b", MissingSlash, "syntax error: missing '/' in ${}", 0),
            ("${a//b", MissingSlash, "syntax error: missing '/' in ${}", 0),
            ("${a/b/c", MissingBrace, "syntax error: missing '}'", 0),
            ("'abc", UnterminatedQuote, "unexpected end of statement while looking for matching single-quote", 0),
            ("ab\"cd", UnterminatedQuote, "unexpected end of statement while looking for matching double-quote", 2),
            ("x ${a:?boom $FOO}", RequiredUnset, "a: boom bar", 2),
            ("${EMPTY:?}", RequiredEmpty, "EMPTY: is not allowed to be empty", 0),
            ("${EMPTY:?no}", RequiredEmpty, "EMPTY: no", 0),
            (r"${a#\x}", InvalidPattern, r"invalid pattern (\x) in substitution: invalid escape '\x'", 0),
            // Suffix patterns are reported reversed, as BuildKit reverses them before compiling.
            (r"${a%ab\x}", InvalidPattern, r"invalid pattern (\xba) in substitution: invalid escape '\x'", 0),
            (r"${FOO/x\y/z}", InvalidPattern, r"invalid pattern (x\y) in substitution: invalid escape '\y'", 0),
            (r"${FOO#'x\'}", InvalidPattern, "invalid pattern (x\\) in substitution: invalid escape '\\\u{fffd}'", 0),
            (r"${FOO#x\}", MissingBrace, "syntax error: missing '}'", 0),
        ] {
            let error = err(&lexer, word, &env);
            assert_eq!((error.kind, error.message.as_str(), error.offset), (kind, message, offset), "{word:?}");
        }
        assert_eq!(err(&lexer, "ab${", &env).to_string(), "syntax error: missing '}'");
    }

    #[test]
    fn words_split_on_unquoted_whitespace() {
        let lexer = Lexer::default();
        let env = vars();
        let words = |line: &str| lexer.expand_words(line, &env).unwrap();
        assert_eq!(words(r#"a "b c" d"#), ["a", "b c", "d"]);
        assert_eq!(words(r#"'' "" x"#), ["x"]);
        assert_eq!(words("$SPACE"), ["a", "b"]);
        assert_eq!(words(r#""$SPACE""#), ["a  b"]);
        assert_eq!(words(r"x\ y"), ["x y"]);
        assert_eq!(words("  a\t\nb  "), ["a", "b"]);
        assert_eq!(words(""), Vec::<String>::new());
        assert_eq!(words("   "), Vec::<String>::new());
        assert_eq!(words("a\u{a0}b\u{3000}c"), ["a", "b", "c"]);
        // A `${…}` result is split even where it came from quotes inside the braces (BuildKit splits the whole
        // result of a `$` expansion).
        assert_eq!(words(r#"${X:-"a b"}"#), ["a", "b"]);
        assert_eq!(words(r#""${X:-a b}""#), ["a b"]);
        let expansion = lexer.expand_word(r#"a "b c""#, &env).unwrap();
        assert_eq!(expansion.value, "a b c");
        assert_eq!(expansion.words, ["a", "b c"]);
    }

    #[test]
    fn matched_and_unmatched_in_order_of_first_reference() {
        let lexer = Lexer::default();
        let env = pairs(&[("A", "1"), ("C", "")]);
        let expansion = lexer.expand_word("$B $A ${B} $C $A $D", &env).unwrap();
        assert_eq!(expansion.matched, ["A", "C"]);
        assert_eq!(expansion.unmatched, ["B", "D"]);
        // The word inside `${X:-…}` is expanded before X is looked up.
        let expansion = lexer.expand_word("${X:-$Y}", &env).unwrap();
        assert_eq!(expansion.unmatched, ["Y", "X"]);
        let expansion = lexer.expand_word("$1 $@ $$", &env).unwrap();
        assert_eq!(expansion.unmatched, ["1", "@", "$"]);
    }

    #[test]
    fn names_use_gos_letters_and_digits() {
        let lexer = Lexer::default();
        let env = pairs(&[("é", "1"), ("e", "E"), ("١٢", "twelve"), ("名前", "name"), ("a", "A")]);
        for (word, expected) in [
            ("$é", "1"),
            ("$名前!", "name!"),
            // U+0301 (a combining mark) is not a letter: the name is `e`.
            ("$e\u{301}", "E\u{301}"),
            // Arabic-Indic digits are digits: a positional parameter.
            ("$١٢", "twelve"),
            // Roman numeral eight (Nl) and superscript two (No) are neither.
            ("$Ⅷ", "$Ⅷ"),
            ("$²", "$²"),
            ("$a²", "A²"),
            ("$_a1", ""),
            ("$1a", "a"),
        ] {
            assert_eq!(ok(&lexer, word, &env), expected, "{word:?}");
        }
    }

    #[test]
    fn unicode_tables_are_sorted_ranges() {
        for table in [unicode::LETTERS, unicode::DIGITS] {
            assert!(table.iter().all(|&(lo, hi)| lo <= hi));
            assert!(table.windows(2).all(|pair| pair[0].1 + 1 < pair[1].0), "ranges overlap or touch");
        }
        assert!(is_go_letter('ß') && is_go_letter('ǅ') && is_go_letter('ʰ') && is_go_letter('中'));
        assert!(!is_go_letter('\u{301}') && !is_go_letter('Ⅷ') && !is_go_letter('1') && !is_go_letter('_'));
        assert!(is_go_digit('٣') && is_go_digit('𝟘') && !is_go_digit('²') && !is_go_digit('½'));
        assert!(is_go_space('\u{85}') && is_go_space('\u{a0}') && is_go_space('\u{2028}') && !is_go_space('\u{1c}'));
    }

    #[test]
    fn nul_bom_and_control_characters() {
        let lexer = Lexer::default();
        let env = vars();
        assert_eq!(ok(&lexer, "a\0$FOO\0", &env), "a\0bar\0");
        assert_eq!(ok(&lexer, "\u{feff}$FOO", &env), "bar");
        assert_eq!(ok(&lexer, "a\u{feff}", &env), "a\u{feff}");
        assert_eq!(ok(&lexer, "\u{feff}\u{feff}", &env), "\u{feff}");
        assert_eq!(ok(&lexer, "${FOO:-\r\n}\r", &env), "bar\r");
    }

    #[test]
    fn needs_expansion_spots_what_expansion_changes() {
        assert!(!needs_expansion("plain/word:1.0", '\\'));
        assert!(needs_expansion("a$b", '\\'));
        assert!(needs_expansion("it's", '\\'));
        assert!(needs_expansion("\"x\"", '\\'));
        assert!(needs_expansion(r"C:\x", '\\'));
        assert!(!needs_expansion(r"C:\x", '`'));
        assert!(needs_expansion("a`b", '`'));
        assert!(needs_expansion("\u{feff}x", '\\'));
        let lexer = Lexer::default();
        for word in ["plain", "a b\tc", "ünïcödé", "{}[]*?", ""] {
            assert!(!needs_expansion(word, '\\'));
            assert_eq!(ok(&lexer, word, &()), word);
        }
    }

    #[test]
    fn every_env_kind() {
        let lexer = Lexer::default();
        let word = "$A-$B";
        let hash: HashMap<String, String> = [("A".to_owned(), "1".to_owned())].into();
        assert_eq!(ok(&lexer, word, &hash), "1-");
        let hash_str: HashMap<&str, &str> = [("A", "1"), ("B", "2")].into();
        assert_eq!(ok(&lexer, word, &hash_str), "1-2");
        let tree: BTreeMap<String, String> = [("B".to_owned(), "2".to_owned())].into();
        assert_eq!(ok(&lexer, word, &tree), "-2");
        let list = vec![("A".to_owned(), "1".to_owned()), ("A".to_owned(), "3".to_owned())];
        assert_eq!(ok(&lexer, word, &list), "3-");
        let slice: &[(String, String)] = &list;
        assert_eq!(ok(&lexer, word, &slice), "3-");
        assert_eq!(ok(&lexer, word, &[("B", "2")]), "-2");
        assert_eq!(ok(&lexer, word, &()), "-");
        let scope = tree.clone();
        let closure = EnvFn::new(|name| if name == "A" { Some("9") } else { Env::get(&scope, name) });
        assert_eq!(ok(&lexer, word, &closure), "9-2");
    }

    /// Tiny deterministic generator for the fuzz tests (no dependency).
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self) -> usize {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) as usize
        }
    }

    fn lexers() -> Vec<Lexer> {
        let mut all = Vec::new();
        for escape in ['\\', '`'] {
            for bits in 0..16u8 {
                all.push(Lexer {
                    escape,
                    raw_quotes: bits & 1 != 0,
                    raw_escapes: bits & 2 != 0,
                    skip_unset_env: bits & 4 != 0,
                    skip_process_quotes: bits & 8 != 0,
                });
            }
        }
        all
    }

    #[test]
    fn never_panics_on_awkward_words() {
        let env = pairs(&[("a", "x*y/z"), ("E", ""), ("N", "a\nb")]);
        let nasty = [
            "",
            "$",
            "${",
            "${}",
            "}",
            "{",
            "\\",
            "`",
            "'",
            "\"",
            "$'",
            "${a",
            "${a:",
            "${a:-",
            "${a/",
            "${a//",
            "${a/b",
            "${a#",
            "${a%%",
            "${a:?",
            "\0",
            "$\0",
            "${\0}",
            "é$",
            "${é}",
            "$$$$",
            "${$$}",
            "${a/\\",
            "${a#\\",
            "${a%\\",
            "${a//*/\\",
            "\"\\",
            "'\\'",
            "${a:-\"",
            "${a:-'",
            "${N//?/-}",
            "${N%%*}",
            "${a#**}",
            "${N/\n/}",
            "\u{feff}",
            "${a:-\u{feff}}",
            "$\u{10ffff}",
            "${a/$/$}",
        ];
        for lexer in lexers() {
            for word in nasty {
                let _ = lexer.expand_word(word, &env);
            }
        }
        const ALPHABET: &[&str] = &[
            "$", "{", "}", ":", "-", "+", "?", "#", "%", "/", "'", "\"", "\\", "`", "*", "a", "E", "N", " ", "\n", "é",
            "\0", "@", "1", "=", "!",
        ];
        let mut rng = Lcg(0x5eed);
        let all = lexers();
        for _ in 0..20_000 {
            let len = rng.next() % 24;
            let word: String = (0..len).map(|_| ALPHABET[rng.next() % ALPHABET.len()]).collect();
            let lexer = &all[rng.next() % all.len()];
            let _ = lexer.expand_word(&word, &env);
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let lexer = Lexer::default();
        let deepest = format!("{}x{}", "${a:-\"".repeat(MAX_NESTING), "\"}".repeat(MAX_NESTING));
        // The deepest accepted nesting fits a default 2 MiB thread stack, even in a debug build.
        let value = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || Lexer::default().expand_word(&deepest, &()).map(|expansion| expansion.value))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(value, Ok("x".to_owned()));
        let too_deep = format!("{}x{}", "${a:-".repeat(MAX_NESTING + 1), "}".repeat(MAX_NESTING + 1));
        let error = err(&lexer, &too_deep, &());
        assert_eq!((error.kind, error.offset), (ExpandErrorKind::TooDeep, 5 * MAX_NESTING));
        let huge = "${a:-".repeat(200_000);
        assert_eq!(err(&lexer, &huge, &()).kind, ExpandErrorKind::TooDeep);
    }

    #[test]
    fn megabyte_words_take_linear_time() {
        const MB: usize = 1 << 20;
        let start = std::time::Instant::now();
        let lexer = Lexer::default();
        let big = pairs(&[("A", &"a".repeat(MB)), ("S", &" x".repeat(MB / 2))]);
        assert_eq!(ok(&lexer, &"$".repeat(MB), &big), "");
        assert_eq!(ok(&lexer, &"\\".repeat(MB), &big), "\\".repeat(MB / 2));
        assert_eq!(ok(&lexer, &"'".repeat(MB), &big), "");
        assert_eq!(ok(&lexer, &"x".repeat(MB), &big), "x".repeat(MB));
        assert_eq!(ok(&lexer, &"$A".repeat(8), &big).len(), 8 * MB);
        assert_eq!(ok(&lexer, "${A//?/b}", &big), "b".repeat(MB));
        assert_eq!(ok(&lexer, "${A//a/}", &big), "");
        assert_eq!(ok(&lexer, "${A%%a*}", &big), "");
        assert_eq!(ok(&lexer, "${A#*a}", &big).len(), MB - 1);
        assert_eq!(ok(&lexer, &format!("${{A#{}}}", "*a".repeat(MB / 8)), &big).len(), MB - MB / 8);
        assert_eq!(ok(&lexer, &format!("${{A#{}b}}", "?".repeat(MB / 4)), &big).len(), MB);
        assert_eq!(lexer.expand_words("$S", &big).map(|words| words.len()), Ok(MB / 2));
        let long_name = format!("${}", "n".repeat(MB));
        assert_eq!(lexer.expand_word(&long_name, &big).map(|expansion| expansion.unmatched[0].len()), Ok(MB));
        assert_eq!(err(&lexer, &format!("{}'", "${A:-".repeat(10)), &big).kind, ExpandErrorKind::MissingBrace);
        assert!(start.elapsed() < std::time::Duration::from_secs(60), "took {:?}", start.elapsed());
    }
}
