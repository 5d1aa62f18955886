//! The exec form: a JSON array of strings, parsed with nom, keeping each string's range.
//!
//! BuildKit unmarshals the text with Go's `encoding/json` into `[]interface{}`. Text that is not a JSON array
//! falls back to the shell form; a valid array holding anything but strings is an error. This parser makes
//! the same three-way decision.

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, take_while, take_while_m_n, take_while1},
    character::complete::char,
    combinator::{opt, recognize},
    multi::separated_list0,
    sequence::{delimited, preceded},
};

/// How deeply arrays and objects may nest inside the exec-form array before we stop reading. Go allows 10,000;
/// deeper than this we answer `NotJson` (shell form) where BuildKit would answer `NotStrings`, for text no
/// Dockerfile holds.
const MAX_DEPTH: usize = 200;

/// The outcome of reading text as an exec-form array.
#[derive(Debug, PartialEq, Eq)]
pub enum ExecForm {
    /// A JSON array of strings: each decoded string with its byte range (quotes included) in the input.
    Strings(Vec<(String, usize, usize)>),
    /// Valid JSON, but not a flat array of strings.
    NotStrings,
    /// Not a JSON array: BuildKit treats the text as shell form.
    NotJson,
}

/// Reads `text` as BuildKit's `parseJSON` does (leading whitespace skipped, must start with `[`).
pub fn parse_exec_form(text: &str) -> ExecForm {
    let trimmed = text.trim_start();
    if !trimmed.starts_with('[') {
        return ExecForm::NotJson;
    }
    let base = text.len() - trimmed.len();
    let element = |i| value(i, 0);
    let mut array = delimited((char('['), ws), separated_list0((ws, char(','), ws), element), (ws, char(']'), ws));
    match array.parse(trimmed) {
        Ok(("", items)) => {
            let mut strings = Vec::with_capacity(items.len());
            for item in items {
                match item {
                    Value::String(s, before, after) => {
                        strings.push((s, base + trimmed.len() - before, base + trimmed.len() - after))
                    }
                    Value::Other => return ExecForm::NotStrings,
                }
            }
            ExecForm::Strings(strings)
        }
        _ => ExecForm::NotJson,
    }
}

enum Value {
    /// Decoded text, and the lengths of input left before and after it (nom sees only what remains).
    String(String, usize, usize),
    Other,
}

fn ws(i: &str) -> IResult<&str, &str> {
    // JSON whitespace is exactly these four characters.
    take_while(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))(i)
}

/// One JSON value; `depth` bounds the nesting of arrays and objects.
fn value(i: &str, depth: usize) -> IResult<&str, Value> {
    if depth > MAX_DEPTH {
        return Err(nom::Err::Failure(nom::error::Error::new(i, nom::error::ErrorKind::TooLarge)));
    }
    if i.starts_with('"') {
        let (rest, s) = string(i)?;
        return Ok((rest, Value::String(s, i.len(), rest.len())));
    }
    let nested = |i| value(i, depth + 1);
    let member = (string, ws, char(':'), ws, nested);
    let (rest, _) = alt((
        recognize(number),
        tag("true"),
        tag("false"),
        tag("null"),
        recognize((char('['), ws, separated_list0((ws, char(','), ws), nested), ws, char(']'))),
        recognize((char('{'), ws, separated_list0((ws, char(','), ws), member), ws, char('}'))),
    ))
    .parse(i)?;
    Ok((rest, Value::Other))
}

fn number(i: &str) -> IResult<&str, &str> {
    let digits = |i| take_while1(|c: char| c.is_ascii_digit())(i);
    recognize((
        opt(char('-')),
        alt((tag("0"), digits)),
        opt((char('.'), digits)),
        opt((alt((char('e'), char('E'))), opt(alt((char('+'), char('-')))), digits)),
    ))
    .parse(i)
}

/// A JSON string, decoded. Like Go's decoder, invalid surrogates become U+FFFD.
fn string(i: &str) -> IResult<&str, String> {
    let (i, _) = char('"')(i)?;
    let mut out = String::new();
    let mut rest = i;
    loop {
        let plain = rest.find(|c: char| c == '"' || c == '\\' || (c as u32) < 0x20).unwrap_or(rest.len());
        out.push_str(&rest[..plain]);
        rest = &rest[plain..];
        match rest.chars().next() {
            Some('"') => return Ok((&rest[1..], out)),
            Some('\\') => {
                let (after, decoded) = escape(rest)?;
                match decoded {
                    Escaped::Char(c) => out.push(c),
                    Escaped::Unit(hi) => {
                        // A surrogate pair is two `\u` escapes in a row.
                        if (0xD800..0xDC00).contains(&hi)
                            && let Ok((after_low, Escaped::Unit(lo))) = escape(after)
                            && (0xDC00..0xE000).contains(&lo)
                        {
                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(c).unwrap_or(char::REPLACEMENT_CHARACTER));
                            rest = after_low;
                            continue;
                        }
                        out.push(char::from_u32(hi).unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                }
                rest = after;
            }
            _ => {
                // A control character or the end of input: not a JSON string.
                return Err(nom::Err::Error(nom::error::Error::new(rest, nom::error::ErrorKind::Char)));
            }
        }
    }
}

#[derive(Clone)]
enum Escaped {
    Char(char),
    /// A `\uXXXX` code unit, possibly half of a surrogate pair.
    Unit(u32),
}

fn escape(i: &str) -> IResult<&str, Escaped> {
    let simple = |c: char, out: char| nom::combinator::value(Escaped::Char(out), char(c));
    let hex4 = take_while_m_n(4, 4, |c: char| c.is_ascii_hexdigit());
    preceded(
        char('\\'),
        alt((
            simple('"', '"'),
            simple('\\', '\\'),
            simple('/', '/'),
            simple('b', '\u{8}'),
            simple('f', '\u{c}'),
            simple('n', '\n'),
            simple('r', '\r'),
            simple('t', '\t'),
            preceded(char('u'), hex4).map(|h: &str| Escaped::Unit(u32::from_str_radix(h, 16).unwrap_or(0xFFFD))),
        )),
    )
    .parse(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Vec<String> {
        match parse_exec_form(text) {
            ExecForm::Strings(v) => v.into_iter().map(|(s, _, _)| s).collect(),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn arrays_of_strings() {
        assert_eq!(strings(r#"["echo", "hi"]"#), ["echo", "hi"]);
        assert_eq!(strings(" [ ] "), Vec::<String>::new());
        assert_eq!(
            strings(r#"["a\/b","\u0000","\u2603","\ud83d\ude00","\ud800"]"#),
            ["a/b", "\0", "☃", "😀", "\u{fffd}"]
        );
        match parse_exec_form(r#" ["ab", "c"]"#) {
            ExecForm::Strings(v) => assert_eq!((v[0].1, v[0].2, v[1].1, v[1].2), (2, 6, 8, 11)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn valid_json_that_is_not_strings() {
        for text in [r#"["a", ["b"]]"#, "[1]", r#"[{"a": [1, 2.5e3]}]"#, "[null]", "[true]"] {
            assert_eq!(parse_exec_form(text), ExecForm::NotStrings, "{text}");
        }
    }

    #[test]
    fn not_json_falls_back() {
        for text in ["['a']", "[\"a\"", "[\"a\"] x", "echo [", "[\"a\",]", "[\"a\tb\"]", "[01]", "[\"\\x\"]"] {
            assert_eq!(parse_exec_form(text), ExecForm::NotJson, "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("[{}{}]", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(parse_exec_form(&deep), ExecForm::NotJson);
    }
}
