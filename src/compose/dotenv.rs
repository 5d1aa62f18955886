//! The `.env` file format as Compose reads it (compose-go's `dotenv` parser).
//!
//! - Statements are `KEY=VALUE`, `KEY: VALUE` (YAML style) or a bare `KEY` (inherited: taken from the
//!   lookup when it is set there, else left out), optionally after `export `. Spaces around the key and
//!   before the value are dropped. Keys are letters, digits, `_`, `.`, `-`, `[` and `]`.
//! - `#` starts a comment at the start of a statement; after an unquoted value only ` #` does
//!   (`A=1#2` is `1#2`).
//! - Unquoted values run to the end of the line, trailing whitespace dropped.
//! - `'…'` is literal (only `\'` is unescaped); `"…"` knows `\n \r \t \a \b \f \v \\ \" \$` and octal
//!   `\0ddd`, keeps other backslashes. Both may span lines. Text after the closing quote on the same line
//!   is read as the next statement, as compose-go does.
//! - Unquoted and double-quoted values are interpolated (`${VAR:-x}` …) with the lookup first, then the
//!   keys set earlier in the file.
//!
//! Compose refuses the whole file at its first bad statement; here each bad statement becomes a `PLC012`
//! diagnostic and reading resumes on the next line.

use std::collections::HashMap;

use super::INVALID_VALUE;
use super::interpolate::{Variables, interpolate_str};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::TextRange;

/// One `KEY=VALUE` of a `.env` file. A key set twice gives two entries; the later one wins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DotenvEntry {
    pub key: String,
    /// The value after unquoting, unescaping and interpolation.
    pub value: String,
    /// The statement, from `export` or the key to the end of the value.
    pub range: TextRange,
    /// The value as written, quotes included (empty, at the end of the key, for an inherited `KEY`).
    pub value_range: TextRange,
}

/// Reads a `.env` file. `lookup` (the process environment, usually) answers bare `KEY` lines and is
/// searched before the file's own earlier keys when values are interpolated.
pub fn parse_dotenv(text: &str, lookup: &dyn Variables) -> (Vec<DotenvEntry>, Vec<Diagnostic>) {
    let mut parser = Parser { text, bytes: text.as_bytes(), lookup, env: HashMap::new() };
    let mut entries = Vec::new();
    let mut diagnostics = Vec::new();
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    loop {
        pos = parser.statement_start(pos);
        if pos >= text.len() {
            break;
        }
        match parser.statement(pos) {
            Ok((entry, next)) => {
                if let Some(entry) = entry {
                    parser.env.insert(entry.key.clone(), entry.value.clone());
                    entries.push(entry);
                }
                pos = next;
            }
            Err(bad) => {
                let help = "Compose refuses a `.env` file it cannot read: write `KEY=value`, one per line";
                diagnostics
                    .push(Diagnostic::new(INVALID_VALUE, Severity::Error, bad.range, bad.message).with_help(help));
                pos = bad.next;
            }
        }
    }
    (entries, diagnostics)
}

/// compose-go's "space": whitespace that does not end a line.
fn is_space(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
}

fn is_key_char(c: char) -> bool {
    matches!(c, '_' | '.' | '-' | '[' | ']') || c.is_alphanumeric()
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    lookup: &'a dyn Variables,
    /// Keys read so far, for interpolation.
    env: HashMap<String, String>,
}

/// Earlier keys of the file behind the lookup.
struct FileVariables<'a> {
    lookup: &'a dyn Variables,
    env: &'a HashMap<String, String>,
}

impl Variables for FileVariables<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.lookup.get(name).or_else(|| self.env.get(name).cloned())
    }
}

/// A statement read (an inherited key the lookup does not have gives no entry), and where the next starts.
type Statement = (Option<DotenvEntry>, usize);

/// A statement that cannot be read: where, why, and where reading resumes.
struct Bad {
    range: TextRange,
    message: String,
    next: usize,
}

impl Parser<'_> {
    fn line_end(&self, from: usize) -> usize {
        memchr::memchr(b'\n', &self.bytes[from..]).map_or(self.text.len(), |i| from + i)
    }

    fn skip_spaces(&self, mut pos: usize) -> usize {
        while let Some(c) = self.text[pos..].chars().next().filter(|&c| is_space(c)) {
            pos += c.len_utf8();
        }
        pos
    }

    /// Skips whitespace, line breaks and comment lines.
    fn statement_start(&self, mut pos: usize) -> usize {
        loop {
            while let Some(c) = self.text[pos..].chars().next().filter(|c| c.is_whitespace()) {
                pos += c.len_utf8();
            }
            if self.bytes.get(pos) != Some(&b'#') {
                return pos;
            }
            pos = self.line_end(pos);
        }
    }

    /// A statement that cannot be read; reading resumes on the next line.
    fn error(&self, start: usize, end: usize, message: String) -> Bad {
        let next = (self.line_end(start) + 1).min(self.text.len()).max(end);
        Bad { range: TextRange::from_usize(start, end), message, next }
    }

    fn statement(&self, start: usize) -> Result<Statement, Bad> {
        let text = self.text;
        let mut pos = start;
        if let Some(rest) = text[pos..].strip_prefix("export")
            && rest.starts_with(['\t', '\n', '\u{c}', '\r', ' '])
        {
            pos = self.skip_spaces(pos + "export".len());
        }
        let key_start = pos;
        // The key runs to `=`, `:` or the end of the line (then it is inherited).
        let mut terminator = None;
        for (i, c) in text[key_start..].char_indices() {
            let at = key_start + i;
            match c {
                '=' | ':' | '\n' => {
                    terminator = Some((at, c));
                    break;
                }
                c if is_space(c) || is_key_char(c) => {}
                c => {
                    let end = self.line_end(at);
                    let message =
                        format!("unexpected character `{c}` in variable name `{}`", text[key_start..end].trim_end());
                    return Err(self.error(start, end, message));
                }
            }
        }
        let key_end = terminator.map_or(text.len(), |(at, _)| at);
        let key = text[key_start..key_end].trim_end();
        if key.contains(' ') {
            let message = format!("the key `{key}` contains a space");
            return Err(self.error(start, key_start + key.len(), message));
        }
        let value_from = match terminator {
            Some((at, '=' | ':')) => at + 1,
            // A bare `KEY` (compose-go reads it so when a line break ends it; at the end of the file too).
            _ => {
                let key_range = TextRange::from_usize(key_start, key_start + key.len());
                let entry = self.lookup.get(key).map(|value| DotenvEntry {
                    key: key.to_owned(),
                    value,
                    range: TextRange::from_usize(start, key_range.end as usize),
                    value_range: TextRange::empty(key_range.end),
                });
                return Ok((entry, (key_end + 1).min(text.len())));
            }
        };
        let value_start = self.skip_spaces(value_from);
        let key = key.to_owned();
        match self.bytes.get(value_start) {
            Some(&quote @ (b'"' | b'\'')) => self.quoted(start, key, value_start, quote),
            _ => {
                let line_end = self.line_end(value_start);
                let raw = &text[value_start..line_end];
                let raw = raw.find(" #").map_or(raw, |i| &raw[..i]).trim_end();
                let value_end = value_start + raw.len();
                let value = self.interpolate(raw, value_start, Some(value_start), value_end)?;
                let entry = DotenvEntry {
                    key,
                    value,
                    range: TextRange::from_usize(start, value_end),
                    value_range: TextRange::from_usize(value_start, value_end),
                };
                Ok((Some(entry), line_end))
            }
        }
    }

    fn quoted(&self, start: usize, key: String, open: usize, quote: u8) -> Result<Statement, Bad> {
        let mut raw: Vec<u8> = Vec::new();
        let mut escaped = false;
        let mut close = None;
        for (i, &b) in self.bytes.iter().enumerate().skip(open + 1) {
            if escaped {
                escaped = false;
                if b != quote {
                    raw.push(b'\\');
                }
                raw.push(b);
            } else if b == b'\\' {
                escaped = true;
            } else if b == quote {
                close = Some(i);
                break;
            } else {
                raw.push(b);
            }
        }
        let Some(close) = close else {
            let end = self.line_end(open);
            let message = format!("unterminated quoted value `{}`", &self.text[open..end]);
            return Err(self.error(start, end, message));
        };
        // Only ASCII bytes were dropped or added, so the bytes are still UTF-8.
        let raw = String::from_utf8_lossy(&raw).into_owned();
        let value = if quote == b'"' { self.interpolate(&expand_escapes(&raw), open, None, close + 1)? } else { raw };
        let entry = DotenvEntry {
            key,
            value,
            range: TextRange::from_usize(start, close + 1),
            value_range: TextRange::from_usize(open, close + 1),
        };
        Ok((Some(entry), close + 1))
    }

    /// Interpolates a value; an error points at its exact text when `exact` (the source offset of `value`)
    /// is known, else at `from..to`.
    fn interpolate(&self, value: &str, from: usize, exact: Option<usize>, to: usize) -> Result<String, Bad> {
        let vars = FileVariables { lookup: self.lookup, env: &self.env };
        interpolate_str(value, &vars).map(|done| done.value).map_err(|e| {
            let (start, end) = exact.map_or((from, to), |base| (base + e.offset, base + e.end));
            Bad { next: to, ..self.error(start, end, e.message) }
        })
    }
}

/// Unescapes a double-quoted value as compose-go does. `\$` becomes `$$` so interpolation leaves a `$`.
fn expand_escapes(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let replacement = match chars.peek() {
            Some('a') => "\u{7}",
            Some('b') => "\u{8}",
            Some('f') => "\u{c}",
            Some('n') => "\n",
            Some('r') => "\r",
            Some('t') => "\t",
            Some('v') => "\u{b}",
            Some('"') => "\"",
            Some('\\') => "\\",
            Some('$') => "$$",
            Some('0') => {
                // `\0` and up to three digits; only exactly three octal digits up to 0o377 make a character.
                chars.next();
                let mut digits = String::new();
                while digits.len() < 3
                    && let Some(d) = chars.next_if(char::is_ascii_digit)
                {
                    digits.push(d);
                }
                match u8::from_str_radix(&digits, 8) {
                    Ok(v) if digits.len() == 3 => out.push(char::from(v)),
                    _ => {
                        out.push_str("\\0");
                        out.push_str(&digits);
                    }
                }
                continue;
            }
            _ => {
                out.push('\\');
                continue;
            }
        };
        chars.next();
        out.push_str(replacement);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn parse_with(text: &str, lookup: &[(&str, &str)]) -> (Vec<DotenvEntry>, Vec<Diagnostic>) {
        let lookup: BTreeMap<String, String> = lookup.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        parse_dotenv(text, &lookup)
    }

    fn pairs(text: &str) -> Vec<(String, String)> {
        let (entries, diagnostics) = parse_with(text, &[]);
        assert!(diagnostics.is_empty(), "{text:?}: {diagnostics:?}");
        entries.into_iter().map(|e| (e.key, e.value)).collect()
    }

    #[test]
    fn reads_values_as_compose_go() {
        let cases: &[(&str, &str, &str)] = &[
            ("FOO=bar", "FOO", "bar"),
            ("FOO =bar", "FOO", "bar"),
            ("FOO= bar", "FOO", "bar"),
            ("FOO=\"bar\"", "FOO", "bar"),
            ("FOO='bar'", "FOO", "bar"),
            (r#"FOO="escaped\"bar""#, "FOO", r#"escaped"bar"#),
            (r#"FOO="\"quoted\"""#, "FOO", r#""quoted""#),
            (r#"FOO="'d'""#, "FOO", "'d'"),
            ("OPTION_A: 1", "OPTION_A", "1"),
            ("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
            ("OPTION_A=1:B", "OPTION_A", "1:B"),
            ("export OPTION_A=2", "OPTION_A", "2"),
            (r"export OPTION_B='\n'", "OPTION_B", r"\n"),
            ("export exportFoo=2", "exportFoo", "2"),
            ("exportFOO=2", "exportFOO", "2"),
            ("export_FOO =2", "export_FOO", "2"),
            ("export.FOO= 2", "export.FOO", "2"),
            ("export\tOPTION_A=2", "OPTION_A", "2"),
            ("  export OPTION_A=2", "OPTION_A", "2"),
            ("\texport OPTION_A=2", "OPTION_A", "2"),
            ("export OPTION_A=\"export A\"", "OPTION_A", "export A"),
            (r#"FOO="bar\nbaz""#, "FOO", "bar\nbaz"),
            (r"FOO=a\tb", "FOO", r"a\tb"),
            (r#"FOO="a\tb""#, "FOO", "a\tb"),
            (r#"KEY="Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\Z\0123Z""#, "KEY", "Z\u{7}Z\u{8}Z\u{c}Z\nZ\rZ\tZ\u{b}Z\\ZSZ"),
            ("FOO.BAR=foobar", "FOO.BAR", "foobar"),
            ("FOO=foobar=", "FOO", "foobar="),
            ("FOO=bar ", "FOO", "bar"),
            ("FOO=bar # this is foo", "FOO", "bar"),
            ("FOO=bar #this is foo", "FOO", "bar"),
            ("FOO=bar #", "FOO", "bar"),
            ("FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"),
            ("FOO=\"bar#baz\"", "FOO", "bar#baz"),
            ("FOO=\"bar#baz\"#", "FOO", "bar#baz"),
            ("FOO=\"bar#baz\" # comment", "FOO", "bar#baz"),
            ("FOO='bar#baz' # comment", "FOO", "bar#baz"),
            ("FOO=\"bar#baz#bang\" # comment", "FOO", "bar#baz#bang"),
            (r#"FOO="bar\n\ b\az""#, "FOO", "bar\n\\ b\u{7}z"),
            (r#"FOO="bar\\\n\ b\az""#, "FOO", "bar\\\n\\ b\u{7}z"),
            (r#"FOO="bar\\r\ b\az""#, "FOO", "bar\\r\\ b\u{7}z"),
            (r#"FOO="bar\nbaz\\""#, "FOO", "bar\nbaz\\"),
            ("=\"value\"", "", "value"),
            (" KEY =value", "KEY", "value"),
            ("\tKEY=value", "KEY", "value"),
            (r#"KEY="\0123""#, "KEY", "S"),
            (r#"KEY="\x07""#, "KEY", r"\x07"),
            (r#"KEY="\u12e4""#, "KEY", r"\u12e4"),
            (r#"KEY="\01""#, "KEY", r"\01"),
            ("FOO=", "FOO", ""),
            ("FOO=\"\"", "FOO", ""),
            ("FOO=  \r\n", "FOO", ""),
            ("\u{feff}BOM=1", "BOM", "1"),
            (r"FOO='a\'b'", "FOO", "a'b"),
            ("FOO='$BAR ${X:-y}'", "FOO", "$BAR ${X:-y}"),
            ("FOO=\"a\nb\nc\"", "FOO", "a\nb\nc"),
            ("FOO=\"stratum+tcp://a:3333\nstratum+tcp://b:443\"", "FOO", "stratum+tcp://a:3333\nstratum+tcp://b:443"),
        ];
        for (input, key, value) in cases {
            let got = pairs(input);
            assert_eq!(got.first().map(|(k, v)| (k.as_str(), v.as_str())), Some((*key, *value)), "{input:?}");
        }
    }

    #[test]
    fn skips_blank_lines_and_comments() {
        for input in ["\n", "\r\n", "\t\t ", "# Comment", "\t # comment", ""] {
            assert_eq!(pairs(input), [], "{input:?}");
        }
        let got = pairs("# head\nA=1\n\n  # indented\r\nB=2 # tail\n#C=3\n");
        assert_eq!(got, [("A".to_owned(), "1".to_owned()), ("B".to_owned(), "2".to_owned())]);
    }

    #[test]
    fn interpolates_with_lookup_then_earlier_keys() {
        let cases: &[(&str, &str, &str)] = &[
            ("FOO=test\nBAR=$FOO", "BAR", "test"),
            ("FOO=test\nBAR=${FOO}bar", "BAR", "testbar"),
            ("BAR=$FOO", "BAR", ""),
            ("FOO=test\nBAR=\"quote $FOO\"", "BAR", "quote test"),
            ("BAR='quote $FOO'", "BAR", "quote $FOO"),
            (r#"FOO="foo\$BAR""#, "FOO", "foo$BAR"),
            (r#"FOO="foo\${BAR}""#, "FOO", "foo${BAR}"),
            ("FOO=test\nBAR=\"foo\\${FOO} ${FOO}\"", "BAR", "foo${FOO} test"),
            ("A=1\nB=${A:-x}_${NOPE:-2}", "B", "1_2"),
            ("TEST=$ME", "TEST", "YES"),
            ("ME=no\nTEST=$ME", "TEST", "YES"),
            ("FOO=$$x", "FOO", "$x"),
        ];
        for (input, key, value) in cases {
            let (entries, diagnostics) = parse_with(input, &[("ME", "YES")]);
            assert!(diagnostics.is_empty(), "{input:?}: {diagnostics:?}");
            let found = entries.iter().rev().find(|e| e.key == *key).map(|e| e.value.as_str());
            assert_eq!(found, Some(*value), "{input:?}");
        }
    }

    #[test]
    fn inherited_keys_come_from_the_lookup() {
        let (entries, diagnostics) = parse_with("SET\nUNSET\nA=1\nLAST", &[("SET", "s"), ("LAST", "l")]);
        assert!(diagnostics.is_empty());
        let got: Vec<(&str, &str)> = entries.iter().map(|e| (e.key.as_str(), e.value.as_str())).collect();
        assert_eq!(got, [("SET", "s"), ("A", "1"), ("LAST", "l")]);
    }

    #[test]
    fn ranges_of_entries() {
        let text = "export A = 'x y' # c\nB=plain value # c\nC=\"multi\nline\"\n";
        let (entries, _) = parse_with(text, &[]);
        let got: Vec<(&str, &str)> =
            entries.iter().map(|e| (&text[e.range.as_usize()], &text[e.value_range.as_usize()])).collect();
        assert_eq!(
            got,
            [("export A = 'x y'", "'x y'"), ("B=plain value", "plain value"), ("C=\"multi\nline\"", "\"multi\nline\""),]
        );
    }

    #[test]
    fn bad_statements_become_diagnostics_and_reading_resumes() {
        let cases: &[(&str, &str, &str)] = &[
            ("lol$wut\nOK=1", "lol$wut", "unexpected character `$`"),
            ("FOO BAR=x\nOK=1", "FOO BAR", "contains a space"),
            ("KEY=\"", "KEY=\"", "unterminated quoted value"),
            ("KEY=\"value", "KEY=\"value", "unterminated"),
            ("KEY=\"value\\\"", "KEY=\"value\\\"", "unterminated"),
            ("KEY=\"value'", "KEY=\"value'", "unterminated"),
            ("KEY='", "KEY='", "unterminated"),
            ("KEY='value\\'", "KEY='value\\'", "unterminated"),
            ("KEY=a ${B:?need B}\nOK=1", "${B:?need B}", "required variable B"),
            ("KEY=\"${}\"\nOK=1", "\"${}\"", "no variable name"),
        ];
        for (input, at, message) in cases {
            let (entries, diagnostics) = parse_with(input, &[]);
            assert_eq!(diagnostics.len(), 1, "{input:?}: {diagnostics:?}");
            let d = &diagnostics[0];
            assert_eq!(d.code, INVALID_VALUE);
            assert_eq!(&input[d.range.as_usize()], *at, "{input:?}");
            assert!(d.message.contains(message), "{input:?}: {}", d.message);
            if input.ends_with("OK=1") {
                assert_eq!(entries.last().map(|e| e.key.as_str()), Some("OK"), "{input:?}");
            }
        }
    }

    /// Every string of up to five characters from the meaningful ones: no panic, ranges inside the text.
    #[test]
    fn short_files_never_panic() {
        let alphabet = ['=', ':', '#', '\'', '"', '\\', ' ', 'A', '\n', '$', 'é'];
        let mut inputs = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> =
                inputs.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
            for input in &longer {
                let (entries, diagnostics) = parse_with(input, &[("A", "a")]);
                let ranges =
                    entries.iter().flat_map(|e| [e.range, e.value_range]).chain(diagnostics.iter().map(|d| d.range));
                for r in ranges {
                    assert!(input.get(r.as_usize()).is_some(), "{input:?}: {r:?}");
                }
            }
            inputs = longer;
        }
    }

    #[test]
    fn never_panics_on_junk() {
        for junk in ["=", ":", "\"", "export", "export ", "é=ü\n€", "A=\"\\", "A=\\", "A='\u{85}'", "\u{a0}A\u{a0}=1"]
        {
            let _ = parse_with(junk, &[]);
        }
    }
}
