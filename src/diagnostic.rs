//! Diagnostics as plain data: what is wrong, where, and how to fix it. Renderers turn them into text at the edge.

use std::path::PathBuf;

use serde::Serialize;

use crate::source::{LineCol, TextRange};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A secondary place related to a finding, with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Byte range in the finding's file, or in [`Label::elsewhere`]'s file when that is set.
    pub range: TextRange,
    pub message: String,
    /// Set when the place is in another file than the finding (an anchor in an included file, the Dockerfile a
    /// service builds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elsewhere: Option<Elsewhere>,
}

impl Label {
    pub fn new(range: TextRange, message: impl Into<String>) -> Self {
        Label { range, message: message.into(), elsewhere: None }
    }
}

/// A place in another file: its path and the 1-based line and column (UTF-8 bytes) of the range's ends there, so
/// renderers can name it without reading that file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Elsewhere {
    pub path: PathBuf,
    pub start: LineCol,
    pub end: LineCol,
}

/// Whether a fix keeps behaviour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    Safe,
    Unsafe,
}

/// One text change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Edit {
    pub range: TextRange,
    pub replacement: String,
}

/// A set of edits that together fix a finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

/// One finding in one file. `code` is a rule code (`PLD201`) or a syntax-error code (`PLE…`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub range: TextRange,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(code: &'static str, severity: Severity, range: TextRange, message: impl Into<String>) -> Self {
        Diagnostic { code, severity, message: message.into(), range, labels: Vec::new(), help: None, fix: None }
    }

    pub fn with_label(mut self, range: TextRange, message: impl Into<String>) -> Self {
        self.labels.push(Label::new(range, message));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Fix {
    pub fn new(applicability: Applicability, message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix { applicability, message: message.into(), edits }
    }
}

impl Edit {
    pub fn new(range: TextRange, replacement: impl Into<String>) -> Self {
        Edit { range, replacement: replacement.into() }
    }

    /// The edit that removes a word standing alone at `range` in `text` (a flag, an option) with the spaces or
    /// tabs after it; when none follow and the word ends its line or its command, with the spaces before it
    /// instead. It never removes a newline or a line continuation. `None` when the word does not stand alone (it
    /// is glued to a quote, as in an exec-form array, or to other text).
    pub fn remove_word(text: &str, range: TextRange) -> Option<Edit> {
        let bytes = text.as_bytes();
        let (start, end) = (range.start as usize, range.end as usize);
        if start >= end || end > bytes.len() {
            return None;
        }
        let blank = |b: u8| b == b' ' || b == b'\t';
        if start > 0 && !matches!(bytes[start - 1], b' ' | b'\t' | b'\n') {
            return None;
        }
        let after = end + bytes[end..].iter().take_while(|&&b| blank(b)).count();
        if after > end {
            return Some(Edit::new(TextRange::new(range.start, after as u32), ""));
        }
        match bytes.get(end) {
            None | Some(b'\r' | b'\n' | b';' | b'&' | b'|' | b')' | b'\'' | b'"') => {
                let before = start - bytes[..start].iter().rev().take_while(|&&b| blank(b)).count();
                // Spaces that only indent the line stay.
                let indent = before == 0 || bytes[before - 1] == b'\n';
                let from = if indent { start } else { before };
                Some(Edit::new(TextRange::new(from as u32, range.end), ""))
            }
            Some(b'\\') => Some(Edit::new(range, "")),
            Some(_) => None,
        }
    }
}

impl Diagnostic {
    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }
}

/// A text after [`apply_fixes`]: the new text and how many fixes it took in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    pub applied: usize,
}

/// Applies fixes to `text`, in the order of their first edit. A fix whose edits overlap one already taken in (or
/// insert at the same point), or that does not fit the text, is left out whole: linting the new text finds it
/// again, so a caller that loops (lint, apply, re-lint) gets to it on a later pass.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<&Fix> = fixes.iter().copied().filter(|f| !f.edits.is_empty()).collect();
    order.sort_by_key(|f| f.edits.iter().map(|e| (e.range.start, e.range.end)).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in order {
        let fits =
            |e: &Edit| text.is_char_boundary(e.range.start as usize) && text.is_char_boundary(e.range.end as usize);
        let own_conflict = fix.edits.iter().enumerate().any(|(i, a)| fix.edits[i + 1..].iter().any(|b| conflict(a, b)));
        if fix.edits.iter().all(fits)
            && !own_conflict
            && !fix.edits.iter().any(|e| taken.iter().any(|t| conflict(e, t)))
        {
            taken.extend(&fix.edits);
            applied += 1;
        }
    }
    taken.sort_by_key(|e| (e.range.start, e.range.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in taken {
        out.push_str(&text[at..edit.range.start as usize]);
        out.push_str(&edit.replacement);
        at = edit.range.end as usize;
    }
    out.push_str(&text[at..]);
    Applied { text: out, applied }
}

/// Two edits that cannot both apply: their ranges share text, or both insert at the same point (the order of the
/// insertions would be a guess).
fn conflict(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.range, b.range);
    (a.start < b.end && b.start < a.end) || (a.start == a.end && a == b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(start: u32, end: u32, replacement: &str) -> Edit {
        Edit { range: TextRange::new(start, end), replacement: replacement.to_owned() }
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix::new(Applicability::Safe, "test", edits)
    }

    fn apply(text: &str, fixes: &[Fix]) -> (String, usize) {
        let refs: Vec<&Fix> = fixes.iter().collect();
        let Applied { text, applied } = apply_fixes(text, &refs);
        (text, applied)
    }

    fn removed(text: &str, word: &str) -> Option<String> {
        let start = text.find(word).expect("word in text") as u32;
        let edit = Edit::remove_word(text, TextRange::new(start, start + word.len() as u32))?;
        Some(apply(text, &[fix(vec![edit])]).0)
    }

    #[test]
    fn a_word_goes_with_the_spaces_after_it_on_its_line() {
        assert_eq!(removed("curl -k  https://x", "-k").as_deref(), Some("curl https://x"));
        assert_eq!(removed("curl -k \\\n  https://x", "-k").as_deref(), Some("curl \\\n  https://x"));
        assert_eq!(removed("curl -k\\\n  https://x", "-k").as_deref(), Some("curl \\\n  https://x"));
        assert_eq!(removed("curl https://x -k\r\nRUN x", "-k").as_deref(), Some("curl https://x\r\nRUN x"));
        assert_eq!(removed("sh -c 'curl x -k'", "-k").as_deref(), Some("sh -c 'curl x'"));
        assert_eq!(removed("curl x \\\n  -k\n", "-k").as_deref(), Some("curl x \\\n  \n"));
        assert_eq!(removed("curl x -k", "-k").as_deref(), Some("curl x"));
        assert_eq!(removed("[\"curl\", \"-k\"]", "-k"), None);
        assert_eq!(removed("curl x=-k", "-k"), None);
    }

    #[test]
    fn no_fixes_leave_the_text() {
        assert_eq!(apply("abc", &[]), ("abc".to_owned(), 0));
        assert_eq!(apply("", &[]), (String::new(), 0));
        assert_eq!(apply("abc", &[fix(vec![])]), ("abc".to_owned(), 0));
    }

    #[test]
    fn edits_apply_whatever_the_order_given() {
        let fixes = [fix(vec![edit(4, 6, "")]), fix(vec![edit(0, 1, "A")])];
        assert_eq!(apply("abc def", &fixes), ("Abc f".to_owned(), 2));
    }

    #[test]
    fn an_overlapping_fix_is_left_out_whole() {
        let fixes = [fix(vec![edit(0, 3, "x")]), fix(vec![edit(5, 6, "Y"), edit(2, 4, "z")])];
        assert_eq!(apply("abcdefg", &fixes), ("xdefg".to_owned(), 1));
    }

    #[test]
    fn adjacent_edits_both_apply() {
        let fixes = [fix(vec![edit(0, 2, "")]), fix(vec![edit(2, 4, "X")])];
        assert_eq!(apply("abcdef", &fixes), ("Xef".to_owned(), 2));
        // An insertion at the end of a deletion touches it without overlapping.
        let fixes = [fix(vec![edit(1, 3, "")]), fix(vec![edit(3, 3, "+")])];
        assert_eq!(apply("abcd", &fixes), ("a+d".to_owned(), 2));
    }

    #[test]
    fn two_insertions_at_one_point_take_the_first() {
        let fixes = [fix(vec![edit(1, 1, "1")]), fix(vec![edit(1, 1, "2")])];
        assert_eq!(apply("ab", &fixes), ("a1b".to_owned(), 1));
        // An insertion inside a deleted range overlaps it.
        let fixes = [fix(vec![edit(0, 3, "")]), fix(vec![edit(1, 1, "x")])];
        assert_eq!(apply("abcd", &fixes), ("d".to_owned(), 1));
    }

    #[test]
    fn a_fix_that_does_not_fit_the_text_is_left_out() {
        let fixes = [fix(vec![edit(2, 9, "")]), fix(vec![edit(1, 2, "")])];
        assert_eq!(apply("aé", &fixes), ("aé".to_owned(), 0));
    }
}
