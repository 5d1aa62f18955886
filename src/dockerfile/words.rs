//! How BuildKit's parser cuts a logical line into words, with the offsets of each word.
//!
//! These follow `frontend/dockerfile/parser` in moby/buildkit (`extractBuilderFlags`, `parseWords`, and the
//! `[\t\v\f\r ]+` split), so that the tree and the BuildKit dump agree with BuildKit byte for byte.

/// A word of a logical line: its byte offsets in the line and its value as BuildKit builds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub start: usize,
    pub end: usize,
    pub value: String,
}

/// BuildKit's `reWhitespace`: `[\t\v\f\r ]+`.
pub fn is_split_space(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// Offsets of `s.trim()` (Go's `strings.TrimSpace`) within `s`.
pub fn trim_bounds(s: &str) -> (usize, usize) {
    let start = s.len() - s.trim_start().len();
    let end = s.trim_end().len();
    (start, end.max(start))
}

/// Splits on runs of `[\t\v\f\r ]`, dropping empty words at either end (BuildKit's
/// `parseStringsWhitespaceDelimited` on an already trimmed string).
pub fn split_whitespace(s: &str, base: usize) -> Vec<Word> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (is_split_space(c), start) {
            (true, Some(st)) => {
                words.push(Word { start: base + st, end: base + i, value: s[st..i].to_owned() });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        words.push(Word { start: base + st, end: base + s.len(), value: s[st..].to_owned() });
    }
    words
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Spaces,
    Word,
    Quote(char),
}

/// BuildKit's `extractBuilderFlags`: reads leading `--flag` words (quotes removed, `\` escapes the next
/// character) and returns them with the offset where the arguments start. A bare `--` ends the flags and is
/// dropped.
pub fn extract_flags(line: &str) -> (Vec<Word>, usize) {
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut blank_ok = false;
    let mut chars = line.char_indices().peekable();
    loop {
        let Some((pos, ch)) = chars.next() else {
            if phase != Phase::Spaces && word != "--" && (blank_ok || !word.is_empty()) {
                words.push(Word { start: word_start, end: line.len(), value: word });
            }
            return (words, line.len());
        };
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            if ch != '-' || chars.peek().map(|&(_, c)| c) != Some('-') {
                return (words, pos);
            }
            phase = Phase::Word;
            word_start = pos;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if word == "--" {
                        return (words, pos);
                    }
                    if blank_ok || !word.is_empty() {
                        words.push(Word { start: word_start, end: pos, value: std::mem::take(&mut word) });
                    }
                    word.clear();
                    blank_ok = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                    continue;
                }
                let ch = if ch == '\\' {
                    match chars.next() {
                        Some((_, next)) => next,
                        None => continue,
                    }
                } else {
                    ch
                };
                word.push(ch);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                    continue;
                }
                let ch = if ch == '\\' {
                    match chars.next() {
                        Some((_, next)) => next,
                        None => {
                            phase = Phase::Word;
                            continue;
                        }
                    }
                } else {
                    ch
                };
                word.push(ch);
            }
            Phase::Spaces => unreachable!("handled above"),
        }
    }
}

/// BuildKit's `parseWords`: splits on unquoted whitespace, keeping quotes and escape characters in the words.
/// An escape character at the very end is dropped.
pub fn parse_words(rest: &str, escape: char, base: usize) -> Vec<Word> {
    let mut words = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word = String::new();
    let mut word_start = 0;
    let mut blank_ok = false;
    let mut chars = rest.char_indices().peekable();
    while let Some((pos, ch)) = chars.next() {
        if phase == Phase::Spaces {
            if ch.is_whitespace() {
                continue;
            }
            phase = Phase::Word;
            word_start = pos;
        }
        match phase {
            Phase::Word => {
                if ch.is_whitespace() {
                    phase = Phase::Spaces;
                    if blank_ok || !word.is_empty() {
                        words.push(Word {
                            start: base + word_start,
                            end: base + pos,
                            value: std::mem::take(&mut word),
                        });
                    }
                    blank_ok = false;
                    continue;
                }
                if ch == '\'' || ch == '"' {
                    phase = Phase::Quote(ch);
                    blank_ok = true;
                }
                if ch == escape {
                    match chars.next() {
                        None => continue,
                        Some((_, next)) => {
                            word.push(ch);
                            word.push(next);
                            continue;
                        }
                    }
                }
                word.push(ch);
            }
            Phase::Quote(quote) => {
                if ch == quote {
                    phase = Phase::Word;
                }
                if ch == escape && quote != '\'' {
                    match chars.next() {
                        None => {
                            phase = Phase::Word;
                            continue;
                        }
                        Some((_, next)) => {
                            word.push(ch);
                            word.push(next);
                            continue;
                        }
                    }
                }
                word.push(ch);
            }
            Phase::Spaces => unreachable!("handled above"),
        }
    }
    if phase != Phase::Spaces && (blank_ok || !word.is_empty()) {
        words.push(Word { start: base + word_start, end: base + rest.len(), value: word });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.value.as_str()).collect()
    }

    #[test]
    fn flags_are_read_until_the_first_plain_word() {
        let (flags, rest) = extract_flags("--from=build --chown=1:1 src dst");
        assert_eq!(values(&flags), ["--from=build", "--chown=1:1"]);
        assert_eq!(&"--from=build --chown=1:1 src dst"[rest..], "src dst");
        assert_eq!((flags[1].start, flags[1].end), (13, 24));
    }

    #[test]
    fn flags_quotes_escapes_and_double_dash() {
        let (flags, rest) = extract_flags(r#"--a="x y" --b='' --c=\q -- --notflag"#);
        assert_eq!(values(&flags), ["--a=x y", "--b=", "--c=q"]);
        assert_eq!(rest, 26);
        let (flags, rest) = extract_flags("--only");
        assert_eq!((values(&flags), rest), (vec!["--only"], 6));
        let (flags, rest) = extract_flags("-x --y");
        assert_eq!((flags.len(), rest), (0, 0));
    }

    #[test]
    fn words_keep_quotes_and_escapes() {
        let w = parse_words(r#"a=1 b="x y" c='p q'\ r d\"e"#, '\\', 0);
        assert_eq!(values(&w), ["a=1", r#"b="x y""#, r"c='p q'\ r", r#"d\"e"#]);
        assert_eq!(parse_words("x\\", '\\', 0)[0].value, "x");
        assert_eq!(values(&parse_words("a `b c` d", '`', 0)), ["a", "`b", "c` d"]);
        assert_eq!(values(&parse_words(r#"e="" f"#, '\\', 0)), [r#"e="""#, "f"]);
    }

    #[test]
    fn whitespace_split_offsets() {
        let w = split_whitespace("a \t bb  c", 10);
        assert_eq!(values(&w), ["a", "bb", "c"]);
        assert_eq!((w[1].start, w[1].end), (14, 16));
    }
}
