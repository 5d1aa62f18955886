//! The shell patterns of `${VAR#pat}`, `${VAR%pat}` and `${VAR/pat/repl}`, matched the way BuildKit matches them.
//!
//! BuildKit turns a pattern into a Go regular expression (`*` becomes `.*` or `.*?`, `?` becomes `.`, everything
//! else is literal) and lets Go's `regexp` pick the match. So the semantics to reproduce are those of a
//! leftmost-first (Perl-style) regex engine on that narrow language, including two details a textbook glob matcher
//! gets wrong: `.` does not match `\n`, so neither `*` nor `?` can cross a line break; and among the matches that
//! start at the same place, the one chosen is the one a backtracking engine reaches first (stars all greedy: each
//! as long as possible, left to right; stars all lazy: each as short as possible).
//!
//! No regex engine and no backtracking: a pattern is a head segment `S0` followed by `* S1 * S2 … * Sk`, where
//! each segment is a run of fixed-width atoms (a literal character or `?`). Stars cannot cross `\n`, so a segment
//! holding a literal `\n` has exactly one place it can go (its first `\n` must land on the first line break after
//! the previous segment); between such segments, and after the last one, the remaining segments live on one line,
//! where the earliest placement (lazy) or the latest placement (greedy) of each segment in turn is the one the
//! backtracking engine picks. Each placement is a substring search, so matching is linear in the value for
//! patterns whose segments begin with a literal, and at worst `O(len(pattern) * len(value))`.

use memchr::memmem;

/// One fixed-width pattern element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Atom {
    /// This character, exactly.
    Char(char),
    /// `?`: any one character but `\n`.
    Any,
}

/// A compiled pattern: `head`, then each of `tail` preceded by a star.
#[derive(Clone, Debug)]
pub(super) struct Glob {
    head: Vec<Atom>,
    tail: Vec<Vec<Atom>>,
    /// Finds the literal characters `head` starts with, if it starts with any: where a match can start.
    head_finder: Option<memmem::Finder<'static>>,
}

impl Glob {
    /// Compiles a pattern as BuildKit's `convertShellPatternToRegex` reads it. The error is BuildKit's text.
    ///
    /// `\` (always a backslash, whatever the Dockerfile's escape character) escapes `*`, `?` and `\`; before `}`
    /// or `/` it is dropped (those need escaping inside `${…}`, but the escape is not part of the pattern); before
    /// anything else, or at the end, it is an error.
    pub(super) fn compile(pattern: &str) -> Result<Glob, String> {
        let mut glob = Glob { head: Vec::new(), tail: Vec::new(), head_finder: None };
        // Go's text/scanner drops a byte order mark at the very start of its input.
        let pattern = pattern.strip_prefix('\u{feff}').unwrap_or(pattern);
        let mut chars = pattern.chars().peekable();
        while let Some(tok) = chars.next() {
            match tok {
                // `**` matches what `*` matches, and a backtracking engine ends both in the same place.
                '*' if glob.tail.last().is_some_and(Vec::is_empty) => {}
                '*' => glob.tail.push(Vec::new()),
                '?' => glob.push(Atom::Any),
                '\\' => {
                    if matches!(chars.peek(), Some('}' | '/')) {
                        continue;
                    }
                    match chars.next() {
                        Some(escaped @ ('*' | '?' | '\\')) => glob.push(Atom::Char(escaped)),
                        // Go prints the end of input as U+FFFD here.
                        other => {
                            return Err(format!("invalid escape '\\{}'", other.unwrap_or('\u{fffd}')));
                        }
                    }
                }
                other => glob.push(Atom::Char(other)),
            }
        }
        let prefix = literal_prefix(&glob.head);
        if !prefix.is_empty() {
            glob.head_finder = Some(memmem::Finder::new(prefix.as_bytes()).into_owned());
        }
        Ok(glob)
    }

    fn push(&mut self, atom: Atom) {
        match self.tail.last_mut() {
            Some(segment) => segment.push(atom),
            None => self.head.push(atom),
        }
    }

    /// The end of the match that starts exactly at `start` (BuildKit's `^`-anchored pattern), if there is one.
    pub(super) fn match_at(&self, value: &str, start: usize, greedy: bool) -> Option<usize> {
        let after_head = match_segment(&self.head, value, start)?;
        self.match_tail(value, after_head, greedy)
    }

    /// Places `tail` after a head that ended at `from`; returns where the match ends.
    fn match_tail(&self, value: &str, from: usize, greedy: bool) -> Option<usize> {
        if self.tail.is_empty() {
            return Some(from);
        }
        let mut cur = from;
        let mut first = 0;
        loop {
            let rest = self.tail.get(first..).unwrap_or_default();
            let line_end = next_newline(value, cur);
            let Some(offset) = rest.iter().position(|segment| segment.contains(&Atom::Char('\n'))) else {
                return place(rest, value, cur, line_end, greedy);
            };
            // The segment's first `\n` must be the line break that ends this line.
            let pinned = &rest[offset];
            if line_end == value.len() {
                return None;
            }
            let before_break = pinned.iter().position(|atom| *atom == Atom::Char('\n')).unwrap_or(0);
            let start = back_chars(value, line_end, before_break)?;
            if start < cur {
                return None;
            }
            let end = match_segment(pinned, value, start)?;
            // The segments in between only have to fit before it; where they go changes nothing else.
            place(&rest[..offset], value, cur, start, false)?;
            cur = end;
            first += offset + 1;
            if first == self.tail.len() {
                return Some(cur);
            }
        }
    }

    /// The leftmost match starting at or after `from`, as `(start, end)`, with greedy stars: Go's
    /// `FindStringIndex` on the unanchored pattern, resumed at `from`.
    pub(super) fn find(&self, value: &str, from: usize) -> Option<(usize, usize)> {
        let mut search = from;
        // Where the tail failed from a head ending at `p`, it fails from any later point on the same line too
        // (a later start leaves the stars less room), so heads ending up to this line break are skipped.
        let mut dead_until: Option<usize> = None;
        loop {
            let candidate = match &self.head_finder {
                Some(finder) => search + finder.find(value.as_bytes().get(search..)?)?,
                None => search,
            };
            if candidate > value.len() {
                return None;
            }
            if let Some(after_head) = match_segment(&self.head, value, candidate)
                && dead_until.is_none_or(|dead| after_head > dead)
            {
                match self.match_tail(value, after_head, true) {
                    Some(end) => return Some((candidate, end)),
                    None => dead_until = Some(next_newline(value, after_head)),
                }
            }
            search = candidate + char_len_at(value, candidate).max(1);
        }
    }

    /// `${VAR//pat/repl}`: Go's `Regexp.ReplaceAllString`, with its rules for empty matches and its `$0`
    /// templates in the replacement.
    pub(super) fn replace_all(&self, value: &str, template: &str) -> String {
        let mut out = String::with_capacity(value.len());
        let mut last_end = 0;
        let mut search = 0;
        while search <= value.len() {
            let Some((start, end)) = self.find(value, search) else {
                break;
            };
            out.push_str(value.get(last_end..start).unwrap_or_default());
            // An empty match right after another match is not replaced (Go's rule).
            if end > last_end || start == 0 {
                expand_template(&mut out, template, value.get(start..end).unwrap_or_default());
            }
            last_end = end;
            let width = char_len_at(value, search);
            if search + width > end {
                search += width;
            } else if search + 1 > end {
                search += 1;
            } else {
                search = end;
            }
        }
        out.push_str(value.get(last_end..).unwrap_or_default());
        out
    }

    /// `${VAR/pat/repl}`: the first match replaced by `replacement`, taken literally.
    pub(super) fn replace_first(&self, value: &str, replacement: &str) -> String {
        match self.find(value, 0) {
            Some((start, end)) => {
                let mut out = String::with_capacity(value.len() + replacement.len());
                out.push_str(value.get(..start).unwrap_or_default());
                out.push_str(replacement);
                out.push_str(value.get(end..).unwrap_or_default());
                out
            }
            None => value.to_owned(),
        }
    }
}

/// `${VAR#pat}` / `${VAR##pat}`: BuildKit's `trimPrefix`. The error is BuildKit's text.
pub(super) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let glob = Glob::compile(pattern).map_err(|err| format!("invalid pattern ({pattern}) in substitution: {err}"))?;
    Ok(match glob.match_at(value, 0, greedy) {
        Some(end) => value.get(end..).unwrap_or_default().to_owned(),
        None => value.to_owned(),
    })
}

/// `${VAR%pat}` / `${VAR%%pat}`: BuildKit's `trimSuffix`, which reverses the pattern and the value and trims a
/// prefix (so an error names the reversed pattern, as BuildKit's does).
pub(super) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let trimmed = trim_prefix(&reverse_pattern(pattern), &reverse_chars(value), greedy)?;
    Ok(reverse_chars(&trimmed))
}

/// Reverses a pattern by characters, keeping each `\x` pair in order (`a\*c` becomes `c\*a`).
pub(super) fn reverse_pattern(pattern: &str) -> String {
    let mut tokens: Vec<&str> = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(first) = rest.chars().next() {
        let mut len = first.len_utf8();
        if first == '\\'
            && let Some(second) = rest[len..].chars().next()
        {
            len += second.len_utf8();
        }
        let (token, tail) = rest.split_at(len);
        tokens.push(token);
        rest = tail;
    }
    tokens.iter().rev().copied().collect()
}

pub(super) fn reverse_chars(text: &str) -> String {
    text.chars().rev().collect()
}

/// Matches `segment` at `pos`; returns the end.
fn match_segment(segment: &[Atom], value: &str, pos: usize) -> Option<usize> {
    let mut chars = value.get(pos..)?.chars();
    let mut end = pos;
    for atom in segment {
        let ch = chars.next()?;
        let ok = match *atom {
            Atom::Char(want) => ch == want,
            Atom::Any => ch != '\n',
        };
        if !ok {
            return None;
        }
        end += ch.len_utf8();
    }
    Some(end)
}

/// Places `segments` (each after a star) in `value[lo..hi]`, a stretch without line breaks: each as early as it
/// can go (lazy), or each as late as it can go (greedy). Returns where the last one ends.
fn place(segments: &[Vec<Atom>], value: &str, lo: usize, hi: usize, greedy: bool) -> Option<usize> {
    if greedy {
        // The latest placement of the last segment, then the latest of the one before that ends before it, …;
        // if any placement exists at all, this chain exists and is the one the engine's backtracking finds first.
        let mut limit = hi;
        let mut end = lo;
        for (i, segment) in segments.iter().enumerate().rev() {
            let (start, seg_end) = find_last(segment, value, lo, limit)?;
            if i + 1 == segments.len() {
                end = seg_end;
            }
            limit = start;
        }
        Some(end)
    } else {
        let mut pos = lo;
        for segment in segments {
            pos = find_first(segment, value, pos, hi)?.1;
        }
        Some(pos)
    }
}

/// The earliest placement of `segment` inside `value[lo..hi]`, as `(start, end)`.
fn find_first(segment: &[Atom], value: &str, lo: usize, hi: usize) -> Option<(usize, usize)> {
    let window = value.get(lo..hi)?;
    let prefix = literal_prefix(segment);
    if prefix.is_empty() {
        let mut starts = window.char_indices().map(|(i, _)| lo + i).chain(std::iter::once(hi));
        return starts
            .find_map(|start| match_segment(segment, value, start).filter(|&end| end <= hi).map(|end| (start, end)));
    }
    let finder = memmem::Finder::new(prefix.as_bytes());
    let mut from = lo;
    while let Some(found) = value.as_bytes().get(from..hi).and_then(|hay| finder.find(hay)) {
        let start = from + found;
        if let Some(end) = match_segment(segment, value, start).filter(|&end| end <= hi) {
            return Some((start, end));
        }
        from = start + 1;
    }
    None
}

/// The latest placement of `segment` inside `value[lo..hi]`, as `(start, end)`.
fn find_last(segment: &[Atom], value: &str, lo: usize, hi: usize) -> Option<(usize, usize)> {
    let window = value.get(lo..hi)?;
    let prefix = literal_prefix(segment);
    if prefix.is_empty() {
        let mut starts = std::iter::once(hi).chain(window.char_indices().rev().map(|(i, _)| lo + i));
        return starts
            .find_map(|start| match_segment(segment, value, start).filter(|&end| end <= hi).map(|end| (start, end)));
    }
    let finder = memmem::FinderRev::new(prefix.as_bytes());
    let mut until = hi;
    while let Some(found) = value.as_bytes().get(lo..until).and_then(|hay| finder.rfind(hay)) {
        let start = lo + found;
        if let Some(end) = match_segment(segment, value, start).filter(|&end| end <= hi) {
            return Some((start, end));
        }
        // Look for an occurrence that starts earlier (it may overlap this one).
        until = start + prefix.len() - 1;
    }
    None
}

/// The literal characters a segment starts with, for a substring search.
fn literal_prefix(segment: &[Atom]) -> String {
    segment
        .iter()
        .map_while(|atom| match *atom {
            Atom::Char(ch) => Some(ch),
            Atom::Any => None,
        })
        .collect()
}

/// The offset of the first `\n` at or after `pos`, or the end of `value`.
fn next_newline(value: &str, pos: usize) -> usize {
    value.as_bytes().get(pos..).and_then(|rest| memchr::memchr(b'\n', rest)).map_or(value.len(), |i| pos + i)
}

/// The offset `count` characters before `pos`.
fn back_chars(value: &str, pos: usize, count: usize) -> Option<usize> {
    if count == 0 {
        return Some(pos);
    }
    value.get(..pos)?.char_indices().rev().nth(count - 1).map(|(i, _)| i)
}

fn char_len_at(value: &str, pos: usize) -> usize {
    value.get(pos..).and_then(|rest| rest.chars().next()).map_or(0, char::len_utf8)
}

/// Go's `Regexp.Expand` for a pattern without groups: `$$` is `$`, `$0` and `${0}` are the whole match, any other
/// `$name`, `${name}` or `$1` is empty, and a `$` not followed by a name is kept as it is.
fn expand_template(out: &mut String, template: &str, matched: &str) {
    let mut rest = template;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        rest = &rest[dollar + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        match template_name(rest) {
            Some((name, after)) => {
                if name == "0" {
                    out.push_str(matched);
                }
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
}

/// The name after a template's `$` (`name` or `{name}`) and the text after it; `None` when malformed.
fn template_name(text: &str) -> Option<(&str, &str)> {
    let (braced, body) = match text.strip_prefix('{') {
        Some(body) => (true, body),
        None => (false, text),
    };
    let len = body
        .char_indices()
        .find(|&(_, ch)| !(super::is_go_letter(ch) || super::is_go_digit(ch) || ch == '_'))
        .map_or(body.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let (name, after) = body.split_at(len);
    if braced {
        return after.strip_prefix('}').map(|after| (name, after));
    }
    Some((name, after))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trim_start(pattern: &str, value: &str, greedy: bool) -> String {
        trim_prefix(pattern, value, greedy).unwrap()
    }

    fn trim_end(pattern: &str, value: &str, greedy: bool) -> String {
        trim_suffix(pattern, value, greedy).unwrap()
    }

    fn replace(pattern: &str, value: &str, replacement: &str, all: bool) -> String {
        let glob = Glob::compile(pattern).unwrap();
        if all { glob.replace_all(value, replacement) } else { glob.replace_first(value, replacement) }
    }

    #[test]
    fn compile_errors_are_buildkits() {
        // BuildKit's TestConvertShellPatternToRegex: these patterns are invalid.
        for pattern in ["\\", "\\x", "\\\\\\"] {
            assert!(Glob::compile(pattern).is_err(), "{pattern:?}");
        }
        assert_eq!(Glob::compile("\\").unwrap_err(), "invalid escape '\\\u{fffd}'");
        assert_eq!(Glob::compile("a\\x").unwrap_err(), "invalid escape '\\x'");
        // BuildKit's valid cases, checked by what they match rather than by the regex text.
        assert_eq!(trim_start("*", "abc", true), "");
        assert_eq!(trim_start("?", "abc", true), "bc");
        assert_eq!(trim_start("\\*", "*bc", true), "bc");
        assert_eq!(trim_start("\\*", "abc", true), "abc");
        assert_eq!(trim_start("(()[]{\\}^$.\\*\\?|\\\\", "(()[]{}^$.*?|\\z", true), "z");
        // `\}` and `\/` drop the backslash.
        assert_eq!(trim_start("a\\/b\\}", "a/b}c", true), "c");
    }

    #[test]
    fn reverse_pattern_keeps_escapes_in_order() {
        // BuildKit's TestReversePattern and TestReverseString.
        for (pattern, reversed) in [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
        ] {
            assert_eq!(reverse_pattern(pattern), reversed, "{pattern:?}");
        }
        assert_eq!(reverse_chars("54321"), "12345");
        assert_eq!(reverse_chars("🖖🚀👽"), "👽🚀🖖");
    }

    #[test]
    fn shortest_and_longest_prefix() {
        assert_eq!(trim_start("*/", "a/b/c", false), "b/c");
        assert_eq!(trim_start("*/", "a/b/c", true), "c");
        assert_eq!(trim_start("*x*y", "xxyy", false), "y");
        assert_eq!(trim_start("*x*y", "xxyy", true), "");
        assert_eq!(trim_start("*", "xxyy", false), "xxyy");
        assert_eq!(trim_start("?\\?", "???y", false), "?y");
        assert_eq!(trim_start("a*", "abc", false), "bc");
        assert_eq!(trim_start("a?c", "abcd", false), "d");
        assert_eq!(trim_start("b", "abc", false), "abc");
        assert_eq!(trim_start("", "abc", true), "abc");
        assert_eq!(trim_start("*", "", true), "");
    }

    #[test]
    fn shortest_and_longest_suffix() {
        assert_eq!(trim_end(".*", "archive.tar.gz", false), "archive.tar");
        assert_eq!(trim_end(".*", "archive.tar.gz", true), "archive");
        assert_eq!(trim_end("\\**", "xx**", false), "xx*");
        assert_eq!(trim_end("\\**", "xx**", true), "xx");
        assert_eq!(trim_end("\\**\\*", "a***yy*", true), "a");
        assert_eq!(trim_end("x", "xxyy", false), "xxyy");
    }

    #[test]
    fn stars_and_question_marks_stop_at_line_breaks() {
        assert_eq!(trim_start("*", "ab\ncd", true), "\ncd");
        assert_eq!(trim_start("*d", "ab\ncd", true), "ab\ncd");
        assert_eq!(trim_start("a?", "a\nb", true), "a\nb");
        // A literal line break in the pattern pins where it can match.
        assert_eq!(trim_start("*\n*", "ab\ncd\nef", true), "\nef");
        assert_eq!(trim_start("*\n*", "ab\ncd\nef", false), "cd\nef");
        assert_eq!(trim_start("*b\n*c", "ab\ncd\nc", true), "d\nc");
        assert_eq!(trim_start("*\n*x", "a\nb\nx", true), "a\nb\nx");
        assert_eq!(trim_start("a*\n", "abc\nd", false), "d");
    }

    #[test]
    fn greedy_chains_pick_the_latest_feasible_places() {
        assert_eq!(trim_start("*a*b", "xaybzaqb", true), "");
        assert_eq!(trim_start("*a*b", "xaybzaq", true), "zaq");
        assert_eq!(trim_start("*ab*ba", "abababa", true), "");
        assert_eq!(trim_start("*ab*ba", "abababa", false), "ba");
        assert_eq!(trim_start("*aa", "aaaa", false), "aa");
        assert_eq!(trim_start("*aa", "aaaa", true), "");
        assert_eq!(trim_start("*?a", "aaa", true), "");
    }

    #[test]
    fn replace_first_and_all() {
        assert_eq!(replace("/tmp", "/tmp/tmp/bar.txt", "", false), "/tmp/bar.txt");
        assert_eq!(replace("/tmp", "/tmp/tmp/bar.txt", "", true), "/bar.txt");
        assert_eq!(replace("/?/", "/a/foo/b/c.txt", "/", false), "/foo/b/c.txt");
        assert_eq!(replace("/?/", "/a/foo/b/c.txt", "/", true), "/foo/c.txt");
        assert_eq!(replace("\\*/", "/foo*/*/*.txt", ".", true), "/foo..*.txt");
        assert_eq!(replace("o*", "foo boo", "0", true), "f0");
        assert_eq!(replace("o*", "fo\nboo", "0", true), "f0\nb0");
        assert_eq!(replace("", "xxyy", "ww", false), "wwxxyy");
        assert_eq!(replace("", "xy", "-", true), "-x-y-");
        assert_eq!(replace("*", "ab", "-", true), "-");
        assert_eq!(replace("x*", "abc", "-", true), "abc");
        assert_eq!(replace("?", "añb", "-", true), "---");
    }

    #[test]
    fn replace_all_expands_go_templates() {
        assert_eq!(replace("b", "abc", "[$0]", true), "a[b]c");
        assert_eq!(replace("b", "abc", "[${0}]", true), "a[b]c");
        assert_eq!(replace("b", "abc", "[$1$x${x}]", true), "a[]c");
        assert_eq!(replace("b", "abc", "[$$]", true), "a[$]c");
        assert_eq!(replace("b", "abc", "[$.$]", true), "a[$.$]c");
        assert_eq!(replace("b", "abc", "[${0]", true), "a[${0]c");
        assert_eq!(replace("b", "abc", "[$00$0x]", true), "a[]c");
        // Replacing the first match takes the replacement literally.
        assert_eq!(replace("b", "abc", "[$0]", false), "a[$0]c");
    }

    #[test]
    fn adversarial_patterns_stay_fast() {
        let value = "a".repeat(200_000);
        let start = std::time::Instant::now();
        assert_eq!(trim_start(&format!("{}b", "*a".repeat(1_000)), &value, true), value);
        assert_eq!(trim_start(&"*a".repeat(1_000), &value, true), "");
        assert_eq!(trim_start(&"*a".repeat(1_000), &value, false), &value[1_000..]);
        assert_eq!(replace("a*b", &value, "-", true), value);
        assert_eq!(replace("*b", &value, "-", true), value);
        assert_eq!(replace("a", &value, "", true), "");
        let lines = "ab\n".repeat(50_000);
        assert_eq!(replace("a*\n*x", &lines, "-", true), lines);
        assert!(start.elapsed() < std::time::Duration::from_secs(20), "took {:?}", start.elapsed());
    }
}
